// Every visible string must come from the message catalogue: no letters in
// template text or in the text attributes of any component.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';

const SRC = join(__dirname, '..', 'src');
const TEXT_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'aria-description', 'value']);
const letters = /\p{L}/u;

function svelteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return svelteFiles(p);
    return p.endsWith('.svelte') ? [p] : [];
  });
}

type Node = { type?: string; [k: string]: unknown };

function findings(source: string): string[] {
  const ast = parse(source, { modern: true }) as unknown as { fragment: Node };
  const found: string[] = [];
  const walk = (node: unknown, parentTag?: string) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n) => walk(n, parentTag));
    const n = node as Node;
    if (n.type === 'Text' && typeof n.data === 'string' && letters.test(n.data) && parentTag !== 'style') found.push(`text "${n.data.trim()}"`);
    if (n.type === 'Attribute' && typeof n.name === 'string' && TEXT_ATTRIBUTES.has(n.name) && Array.isArray(n.value)) {
      for (const part of n.value as Node[]) if (part.type === 'Text' && letters.test(String(part.data))) found.push(`${n.name}="${part.data}"`);
    }
    // Only the template: scripts and styles are not rendered text.
    for (const [k, v] of Object.entries(n)) {
      if (k === 'instance' || k === 'module' || k === 'css' || k === 'expression' || k === 'metadata') continue;
      if (n.type === 'Attribute') continue;
      walk(v, n.type === 'RegularElement' ? String(n.name) : parentTag);
    }
  };
  walk(ast.fragment);
  return found;
}

describe('no hard-coded text in components', () => {
  const files = svelteFiles(SRC);

  it('finds the components', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it('the check notices hard-coded text', () => {
    expect(findings('<p>Xin chào</p><button aria-label="Đóng">{x}</button>')).toEqual(['text "Xin chào"', 'aria-label="Đóng"']);
    expect(findings('<p>{t("a")} · {n}</p><input aria-label={t("b")} />')).toEqual([]);
  });

  for (const f of files) {
    it(relative(SRC, f), () => {
      expect(findings(readFileSync(f, 'utf8'))).toEqual([]);
    });
  }
});
