// Is a build older than its sources? `npm run serve` and `shopfleet serve` rebuild the renderer
// (dist/) and the CLI bundle (dist-cli/) only when a source is newer than the build's stamp, so
// a station started after `git pull` never serves yesterday's code, and an unchanged tree starts
// without rebuilding.
import fs from 'node:fs';
import path from 'node:path';

/** Sources that are not build inputs: tests, and files the builds themselves write. */
const SKIP = /(?:\.test\.tsx?|\.glyphs(?:\.json)?)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'dist-cli', 'dist-electron']);

/** The newest modification time among files under `entries` (files or folders, relative to root). */
export function newestSource(root, entries) {
  let newest = { mtimeMs: 0, file: null };
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (SKIP_DIRS.has(path.basename(p))) return;
      for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    } else if (!SKIP.test(p) && st.mtimeMs > newest.mtimeMs) {
      newest = { mtimeMs: st.mtimeMs, file: path.relative(root, p) };
    }
  };
  for (const e of entries) visit(path.join(root, e));
  return newest;
}

/**
 * Why the build whose stamp is `stampFile` must be redone, or null when it is current: no stamp
 * (never built, or a build that did not finish), or a source changed after it.
 */
export function staleReason(root, stampFile, entries) {
  let built;
  try {
    built = fs.statSync(stampFile).mtimeMs;
  } catch {
    return 'not built yet';
  }
  const newest = newestSource(root, entries);
  return newest.mtimeMs > built ? `${newest.file} changed since the last build` : null;
}

/** What the renderer build (vite → dist/) is made from: its sources and the shared code they import. */
export const RENDERER_SOURCES = ['src', 'index.html', 'vite.config.ts', 'electron/shared', 'package.json', 'package-lock.json'];
/**
 * The renderer's stamp: written after a vite build that succeeded (serve's own builds). A build made
 * elsewhere (`npm start`, `npm run build:renderer`) empties dist/ and leaves none: its index.html,
 * which exists only when vite got to write its output, stands in.
 */
export const rendererStamp = (distDir) => {
  const stamp = path.join(distDir, '.build-stamp');
  return fs.existsSync(stamp) ? stamp : path.join(distDir, 'index.html');
};
export const writeStamp = (dir) => fs.writeFileSync(path.join(dir, '.build-stamp'), `${new Date().toISOString()}\n`);

/** What the CLI bundle (dist-cli/) is made from. */
export const CLI_SOURCES = [
  'electron',
  'server',
  'scripts/build-cli.mjs',
  'scripts/build-glyph-seeds.ts',
  'resources/fonts',
  'package.json',
  'package-lock.json',
];
export const cliStamp = (outDir) => path.join(outDir, '.build-stamp');
