// The doc-reference check catches each kind of reference that sends a reader outside the repository
// (on a throwaway tree), accepts references into docs/, and finds none in the real tree.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

type Violation = { file: string; line: number; message: string };
interface DocRefs {
  checkDocRefs: (root: string) => Violation[];
  slug: (heading: string) => string;
}
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
let check: DocRefs['checkDocRefs'];
let slug: DocRefs['slug'];
beforeAll(async () => {
  // The script is plain .mjs (run by node without a build), so it is loaded by URL, untyped.
  ({ checkDocRefs: check, slug } = (await import(pathToFileURL(path.join(here, 'check-doc-refs.mjs')).href)) as DocRefs);
});
const roots: string[] = [];

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-doc-refs-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const DOCS = {
  'docs/platforms/pdd.md': '# PDD\n\n## Signing (sourced)\n\ntext\n',
  'docs/architecture.md': '# Architecture\n\n## Glossary (中文 — code)\n\n```\n## not a heading\n```\n',
};

// Each needle is assembled so this file itself never holds the forbidden text.
const OUTSIDE: [string, string][] = [
  ['a relative path to the outside notes', '../shared/' + 'SY' + 'NC.md'],
  ['an absolute path to them', '/work/' + 'shared/x'],
  ['the platform note', 'see platforms' + '.md'],
  ['the printing note', 'printing' + '.md'],
  ['the after-sale note', 'platforms-stock-aftersale' + '.md'],
  ['the message note', 'platform-messages' + '.md'],
  ['the house plan', 'DESIGN' + '.md convention 1'],
  ['the sync plan', 'SYNC' + '.md'],
  ['a bare section of an outside note', '(\u00a7' + '2.4)'],
  ['an after-sale section', '\u00a7' + 'C.7'],
  ['a tracker number', 'iss' + 'ue 4 point 11'],
  ['a capitalised tracker number', 'Iss' + 'ue 3: defaults'],
];

describe('check-doc-refs', () => {
  it('accepts references into docs/ that exist, with or without a section', () => {
    const root = tree({
      ...DOCS,
      'electron/core/a.ts': '// Signing: docs/platforms/pdd.md#signing-sourced; terms: docs/architecture.md#glossary-中文--code.\nexport const a = 1;\n',
      'src/b.ts': "// docs/platforms/pdd.md and docs/platforms/*.md (a pattern, not a page); RFC 6749 \u00a75.2.\nexport const b = 'an issue with the printer';\n",
    });
    expect(check(root)).toEqual([]);
  });

  for (const [what, text] of OUTSIDE) {
    it(`fails on ${what}`, () => {
      const root = tree({ ...DOCS, 'electron/core/a.ts': `export const a = 1;\n// why: ${text}\n` });
      const v = check(root);
      expect(v.length).toBeGreaterThan(0);
      expect(v[0]).toMatchObject({ file: 'electron/core/a.ts', line: 2 });
    });
  }

  it('looks in electron/, src/, scripts/ and tests/, test names included', () => {
    const needle = 'DESIGN' + '.md';
    const root = tree({
      ...DOCS,
      'electron/main/x.test.ts': `it('follows ${needle}', () => {});\n`,
      'src/y.tsx': `// ${needle}\n`,
      'scripts/z.mjs': `// ${needle}\n`,
      'tests/e2e/w.spec.ts': `// ${needle}\n`,
    });
    expect(check(root).map((v) => v.file).sort()).toEqual(['electron/main/x.test.ts', 'scripts/z.mjs', 'src/y.tsx', 'tests/e2e/w.spec.ts']);
  });

  it('fails on a docs/ page or section that does not exist', () => {
    const root = tree({
      ...DOCS,
      // Assembled, so this file does not itself name pages and sections that do not exist.
      'electron/core/a.ts': ['clock.md', 'platforms/pdd.md#signing', 'architecture.md#not-a-heading'].map((r) => `// docs${'/'}${r}\n`).join(''),
    });
    expect(check(root).map((v) => v.line)).toEqual([1, 2, 3]);
  });

  it('makes anchors as GitHub does', () => {
    expect(slug("Signing (sourced: the SDK's `sign_util.go`)")).toBe('signing-sourced-the-sdks-sign_utilgo');
    expect(slug('Glossary (中文 — code)')).toBe('glossary-中文--code');
    expect(slug('ESC/POS')).toBe('escpos');
  });

  it('finds no reference outside the repository, and no dangling docs/ reference, in this tree', () => {
    const v = check(repo);
    expect(v.map((x) => `${x.file}:${x.line} ${x.message}`)).toEqual([]);
  });
});
