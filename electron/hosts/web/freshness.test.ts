// `serve` rebuilds the renderer, and `npm run serve` the CLI bundle, when a source is newer than
// the build — not only when the build is missing. The renderer test builds a tiny page with the
// real vite in a scratch project, edits its source, and checks the served file changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_SOURCES, cliStamp, RENDERER_SOURCES, staleReason } from './freshness.mjs';
import { ensureRenderer } from './web-host.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-fresh-'));
  scratch.push(d);
  return d;
};
/** Sets a file's times `secondsAgo` in the past (negative: in the future), as a checkout or an edit would. */
const age = (file: string, secondsAgo: number) => {
  const t = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(file, t, t);
};

describe('staleReason', () => {
  it('is null while every source is older than the stamp, and names the first newer source', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'electron', 'core'), { recursive: true });
    fs.mkdirSync(path.join(root, 'dist-cli'));
    const src = path.join(root, 'electron', 'core', 'app.ts');
    const test = path.join(root, 'electron', 'core', 'app.test.ts');
    fs.writeFileSync(src, 'export {};\n');
    fs.writeFileSync(test, 'export {};\n');
    age(src, 60);
    expect(staleReason(root, cliStamp(path.join(root, 'dist-cli')), ['electron'])).toBe('not built yet');
    fs.writeFileSync(cliStamp(path.join(root, 'dist-cli')), 'x');
    age(cliStamp(path.join(root, 'dist-cli')), 30);
    // A test file is no input of the bundle.
    age(test, -5);
    expect(staleReason(root, cliStamp(path.join(root, 'dist-cli')), ['electron'])).toBeNull();
    age(src, -5);
    expect(staleReason(root, cliStamp(path.join(root, 'dist-cli')), ['electron'])).toBe(`${path.join('electron', 'core', 'app.ts')} changed since the last build`);
  });

  it('watches what each build is made from', () => {
    expect(RENDERER_SOURCES).toEqual(expect.arrayContaining(['src', 'index.html', 'vite.config.ts', 'electron/shared', 'package-lock.json']));
    expect(CLI_SOURCES).toEqual(expect.arrayContaining(['electron', 'scripts/build-cli.mjs', 'package-lock.json']));
    for (const s of [...RENDERER_SOURCES, ...CLI_SOURCES]) expect(fs.existsSync(path.join(repo, s)), s).toBe(true);
  });
});

describe('ensureRenderer', () => {
  it('builds when missing, not again while current, and again after a source changes', { timeout: 120_000 }, async () => {
    const root = tmp();
    fs.symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><body><script type="module" src="./src/main.js"></script></body></html>\n');
    const main = path.join(root, 'src', 'main.js');
    fs.writeFileSync(main, "document.body.textContent = 'version one';\n");
    for (const f of [main, path.join(root, 'index.html')]) age(f, 120);
    const dist = path.join(root, 'dist');
    const built = () => fs.readdirSync(path.join(dist, 'assets')).map((f) => fs.readFileSync(path.join(dist, 'assets', f), 'utf8')).join('\n');

    expect(await ensureRenderer(dist, root)).toBe(true);
    expect(built()).toContain('version one');
    const stamp = fs.statSync(path.join(dist, '.build-stamp')).mtimeMs;

    expect(await ensureRenderer(dist, root)).toBe(true);
    expect(fs.statSync(path.join(dist, '.build-stamp')).mtimeMs).toBe(stamp);

    // A pull brings a new version of the page: the next serve builds it.
    fs.writeFileSync(main, "document.body.textContent = 'version two';\n");
    age(main, -2);
    expect(await ensureRenderer(dist, root)).toBe(true);
    expect(built()).toContain('version two');
    expect(built()).not.toContain('version one');
  });
});
