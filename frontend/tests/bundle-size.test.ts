// The first load — every script and stylesheet that index.html names — must
// stay within 150 KB gzip-compressed. Builds into a temporary folder so the
// figure is always for the current sources.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 150 * 1024;
const ROOT = join(__dirname, '..');

/** The local scripts, stylesheets and module preloads an index.html loads at once. */
export function firstLoad(html: string): string[] {
  const urls = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) urls.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0];
    const rel = /\brel="([^"]+)"/.exec(tag)?.[1] ?? '';
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href && /\b(stylesheet|modulepreload)\b/.test(rel)) urls.add(href);
  }
  return [...urls].filter((u) => u.startsWith('/'));
}

describe('bundle size', () => {
  it('finds what index.html loads', () => {
    const html = '<script type="module" crossorigin src="/assets/a.js"></script><link rel="modulepreload" href="/assets/b.js"><link rel="stylesheet" crossorigin href="/assets/c.css"><link rel="manifest" href="/manifest.webmanifest">';
    expect(firstLoad(html)).toEqual(['/assets/a.js', '/assets/b.js', '/assets/c.css']);
  });

  it('first load is at most 150 KB of gzip-compressed JavaScript and CSS', () => {
    const out = mkdtempSync(join(tmpdir(), 'densach-build-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], {
        cwd: ROOT,
        stdio: 'pipe',
        // Vitest sets NODE_ENV=test, which would make a development build.
        env: { ...process.env, NODE_ENV: 'production' },
      });
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      const files = firstLoad(html);
      expect(files.some((f) => f.endsWith('.js'))).toBe(true);
      expect(files.some((f) => f.endsWith('.css'))).toBe(true);
      let raw = 0;
      let gz = 0;
      for (const f of files) {
        const p = join(out, f);
        expect(existsSync(p), f).toBe(true);
        const bytes = readFileSync(p);
        raw += bytes.length;
        gz += gzipSync(bytes, { level: 9 }).length;
      }
      console.log(`first load: ${files.length} files, ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip (budget ${BUDGET / 1024} KB)`);
      expect(gz).toBeLessThanOrEqual(BUDGET);
      // The service worker and manifest ship with the build.
      expect(existsSync(join(out, 'sw.js'))).toBe(true);
      expect(existsSync(join(out, 'manifest.webmanifest'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
