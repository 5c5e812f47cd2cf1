// The web app's API types come from the contract: this fails when
// src/lib/api.gen.ts is not what `npm run gen:api` makes of api/openapi.json.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('api.gen.ts', () => {
  it('is up to date with api/openapi.json (run `npm run gen:api`)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const script: string = pkg.scripts['gen:api'];
    const args = script.split(' ');
    expect(args[0]).toBe('openapi-typescript');
    const out = args.indexOf('--output');
    expect(out).toBeGreaterThan(0);
    const committed = readFileSync(join(root, args[out + 1]), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'api-gen-'));
    try {
      const fresh = join(dir, 'api.gen.ts');
      args[out + 1] = fresh;
      const cli = join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
      execFileSync(process.execPath, [cli, ...args.slice(1)], { cwd: root, stdio: 'pipe' });
      expect(readFileSync(fresh, 'utf8') === committed, 'src/lib/api.gen.ts is out of date: run `npm run gen:api`').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
