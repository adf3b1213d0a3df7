#!/usr/bin/env node
// `npm start`: fetch the Electron binary when it is not there yet (installing never downloads it, so
// `npm ci` needs nothing but the npm registry), build the renderer (vite) and the Electron bundles,
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
const electronDir = path.join(root, 'node_modules', 'electron');
const electronVersion = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;

function fail(lines) {
  console.error(['', ...lines, ''].join('\n'));
  process.exit(1);
}

/** The path of the Electron executable, or why there is none. */
function electronBinary() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathFile) && !process.env.ELECTRON_OVERRIDE_DIST_PATH) return { ok: false, fetchable: true, why: 'the Electron binary has not been downloaded yet.' };
  let binary;
  try {
    binary = require(electronDir);
  } catch (err) {
    return { ok: false, fetchable: !process.env.ELECTRON_OVERRIDE_DIST_PATH, why: String(err instanceof Error ? err.message : err) };
  }
  if (!fs.existsSync(binary)) return { ok: false, fetchable: !process.env.ELECTRON_OVERRIDE_DIST_PATH, why: `the Electron binary ${binary} does not exist.` };
  return { ok: true, binary };
}

/**
 * Electron's own installer (its npm postinstall, which package.json's allowScripts keeps from running
 * at install time). It honours ELECTRON_MIRROR and electron_config_cache; ELECTRON_SKIP_BINARY_DOWNLOAD
 * would make it a no-op, and running `npm start` is asking for the binary, so it is dropped here.
 */
function fetchElectron() {
  const mirror = process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror;
  console.log(`[start] downloading Electron ${electronVersion} (once) from ${mirror || 'github.com'}…`);
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, stdio: ['ignore', 'inherit', 'pipe'], env, encoding: 'utf8' });
  if (result.status === 0) return { ok: true };
  // install.js prints the whole stack; its first line says what went wrong.
  const first = (result.stderr || '').split('\n').map((l) => l.trim()).find((l) => l !== '') ?? `exit ${result.status ?? result.signal}`;
  return { ok: false, why: first, mirror };
}

function run(label, command, args) {
  console.log(`[start] ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) fail([`[start] ${label} failed (exit ${result.status ?? result.signal}).`]);
}

let electron = electronBinary();
let download = null;
if (!electron.ok && electron.fetchable) {
  download = fetchElectron();
  if (download.ok) electron = electronBinary();
}
if (!electron.ok) {
  const mirrorHelp = download && !download.ok
    ? [
        `  The download failed: ${download.why}`,
        download.mirror
          ? `  (from the mirror ELECTRON_MIRROR=${download.mirror}; check that it is reachable and has v${electronVersion}).`
          : '  (from github.com, which this machine may not reach).',
        '  Fix: download through a mirror you can reach, then start again, e.g.',
        '    ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start',
        '  (Windows PowerShell: $env:ELECTRON_MIRROR="https://npmmirror.com/mirrors/electron/"; npm start)',
        `  or unzip electron-v${electronVersion}-${process.platform}-${process.arch}.zip (from any Electron mirror) into a folder,`,
        '  set ELECTRON_OVERRIDE_DIST_PATH to that folder, and start again.',
      ]
    : [
        '  Fix (needs network access to download Electron):',
        '    node node_modules/electron/install.js',
        '  (behind a firewall, point ELECTRON_MIRROR at a reachable mirror first, e.g. https://npmmirror.com/mirrors/electron/).',
      ];
  fail([
    `[start] Cannot start the desktop app: Electron ${electronVersion} is not installed.`,
    `  Why: ${electron.why}`,
    ...mirrorHelp,
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
