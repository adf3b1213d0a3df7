#!/usr/bin/env node
// `npm start`: check the Electron binary, build the renderer (vite) and the Electron bundles,
// make sure the Electron-ABI better-sqlite3 exists (building it when possible), then launch.
// When something is missing it says what and how to fix it, and exits non-zero.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNativeElectron, isNativeBuildCurrent, nativeTarget } from './build-native-electron.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

function fail(lines) {
  console.error(['', ...lines, ''].join('\n'));
  process.exit(1);
}

/** The path of the Electron executable, or why there is none (the npm package downloads it on install). */
function electronBinary() {
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (!fs.existsSync(pathFile) && !process.env.ELECTRON_OVERRIDE_DIST_PATH) return { ok: false, why: 'node_modules/electron/path.txt is missing: the Electron binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD was set, or the download failed).' };
  let binary;
  try {
    binary = require('electron');
  } catch (err) {
    return { ok: false, why: String(err instanceof Error ? err.message : err) };
  }
  if (!fs.existsSync(binary)) return { ok: false, why: `the Electron binary ${binary} does not exist.` };
  return { ok: true, binary };
}

function run(label, command, args) {
  console.log(`[start] ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) fail([`[start] ${label} failed (exit ${result.status ?? result.signal}).`]);
}

const electron = electronBinary();
if (!electron.ok) {
  fail([
    `[start] Cannot start the desktop app: Electron ${electronVersion} is not installed.`,
    `  Why: ${electron.why}`,
    '  Fix (needs network access to download Electron):',
    '    node node_modules/electron/install.js',
    '  or: unset ELECTRON_SKIP_BINARY_DOWNLOAD, then `rm -rf node_modules/electron && npm install`',
    '  (behind a firewall, point ELECTRON_MIRROR at a reachable mirror first).',
    '  Meanwhile the same app runs in your browser: npm run serve',
  ]);
}

run('building the renderer (vite build)', process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build']);
run('bundling main, preload and core host', process.execPath, [path.join(root, 'scripts', 'build-electron.mjs')]);

if (!isNativeBuildCurrent()) {
  try {
    await buildNativeElectron();
  } catch (err) {
    fail([
      err instanceof Error ? err.message : String(err),
      `[start] The desktop app needs ${path.relative(root, nativeTarget().binary)}; without it the database cannot open.`,
      '  Meanwhile the same app runs in your browser: npm run serve',
    ]);
  }
}

console.log(`[start] launching Electron ${electronVersion}`);
// ELECTRON_RUN_AS_NODE in the environment would turn the app into plain Node; never pass it on.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electron.binary, [root], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
