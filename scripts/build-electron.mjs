#!/usr/bin/env node
// Bundles the Electron side with esbuild: main → dist-electron/main.cjs, preload →
// dist-electron/preload.cjs, core host → dist-electron/core-host.cjs and its background worker thread →
// dist-electron/background-worker.cjs (CommonJS, as Electron loads them). `electron` and the native
// Native modules (`better-sqlite3`, `@node-rs/argon2`) stay external. Usage: [--outdir DIR] [--watch]
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' }, watch: { type: 'boolean', default: false } } });
const outdir = path.resolve(values.outdir ?? path.join(root, 'dist-electron'));
const electronVersion = (await import('../node_modules/electron/package.json', { with: { type: 'json' } })).default.version;
const nodeTarget = 'node22'; // Electron 39 ships Node 22

// CommonJS has no import.meta; modules that use import.meta.url (electron/core/db/open.ts's default
// migrations folder) get the bundle's own file URL. Main passes migrationsFolder explicitly anyway.
const importMetaShim = {
  banner: { js: "const __shopfleetImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__shopfleetImportMetaUrl' },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
};

// Native modules load their prebuilt .node binary from node_modules at run time; esbuild cannot
// bundle a .node file. @node-rs/argon2 checks a person signing in at a joined station (any bundle
// whose core reaches the session code); N-API, so Electron's Node loads it as plain Node does.
const nativeExternal = ['electron', 'better-sqlite3', '@node-rs/argon2'];

const builds = [
  { ...common, entryPoints: { main: path.join(root, 'electron/main/index.ts') }, target: nodeTarget, external: ['electron'] },
  // Sandboxed preloads may require only 'electron' (and a few polyfilled builtins).
  { ...common, entryPoints: { preload: path.join(root, 'electron/preload/index.ts') }, target: 'chrome142', external: ['electron'] },
  {
    ...common,
    entryPoints: { 'core-host': path.join(root, 'electron/hosts/utility/index.ts') },
    target: nodeTarget,
    external: nativeExternal,
    banner: importMetaShim.banner,
    define: { ...common.define, ...importMetaShim.define },
  },
  // The core host runs sync, printing and upkeep in a worker thread (electron/sandbox/worker.ts: the core's worker
  // with the demo's platform registered); background/worker-host.ts starts background-worker.cjs
  // beside core-host.cjs (resolved from the shimmed import.meta.url).
  {
    ...common,
    entryPoints: { 'background-worker': path.join(root, 'electron/sandbox/worker.ts') },
    target: nodeTarget,
    external: nativeExternal,
    banner: importMetaShim.banner,
    define: { ...common.define, ...importMetaShim.define },
  },
  // Imports read their files in a worker thread of their own: imports/off-thread.ts starts import-worker.cjs.
  {
    ...common,
    entryPoints: { 'import-worker': path.join(root, 'electron/core/imports/worker.ts') },
    target: nodeTarget,
    external: nativeExternal,
    banner: importMetaShim.banner,
    define: { ...common.define, ...importMetaShim.define },
  },
].map((options) => ({ ...options, outdir, outExtension: { '.js': '.cjs' } }));

if (values.watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log(`[build-electron] watching → ${path.relative(root, outdir) || outdir}`);
} else {
  const started = Date.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  // The bundled label faces' glyph seeds, shipped with the fonts (electron-builder extraResources): a fresh
  // station's first label is drawn without parsing a face.
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build-glyph-seeds.ts')], { stdio: 'inherit', cwd: root });
  console.log(`[build-electron] main, preload, core-host, background-worker, import-worker → ${path.relative(root, outdir) || outdir} (Electron ${electronVersion}, ${Date.now() - started} ms)`);
}
