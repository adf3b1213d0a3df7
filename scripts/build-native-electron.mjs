#!/usr/bin/env node
// Builds a second copy of better-sqlite3 for Electron's ABI into native-electron/<platform>-<arch>/
// without touching node_modules' Node build (which `npm test` needs). A staged copy of the package
// is rebuilt with @electron/rebuild (a matching prebuilt download first, else node-gyp against
// Electron's headers). Usage:
//   node scripts/build-native-electron.mjs [--arch x64|arm64] [--platform linux|win32|darwin] [--force]
// Also usable as electron-builder's beforePack hook (default export) so each packaged arch has one.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

export function nativeTarget(platform = process.platform, arch = process.arch) {
  const dir = path.join(root, 'native-electron', `${platform}-${arch}`);
  return { dir, binary: path.join(dir, 'better_sqlite3.node'), manifest: path.join(dir, 'build.json') };
}

function versions() {
  const electronPkg = path.join(root, 'node_modules', 'electron');
  return {
    electron: readJson(path.join(electronPkg, 'package.json')).version,
    abi: fs.readFileSync(path.join(electronPkg, 'abi_version'), 'utf8').trim(),
    betterSqlite3: readJson(path.join(root, 'node_modules', 'better-sqlite3', 'package.json')).version,
  };
}

/** Is there a build for this Electron and this better-sqlite3 already? */
export function isNativeBuildCurrent(platform = process.platform, arch = process.arch) {
  const target = nativeTarget(platform, arch);
  if (!fs.existsSync(target.binary) || !fs.existsSync(target.manifest)) return false;
  const built = readJson(target.manifest);
  const want = versions();
  return built.electron === want.electron && built.betterSqlite3 === want.betterSqlite3;
}

/** Copy node_modules/better-sqlite3 (minus its Node build) into a throwaway app folder. */
function stage(platform, arch) {
  const stageRoot = path.join(root, 'native-electron', '.staging', `${platform}-${arch}`);
  fs.rmSync(stageRoot, { recursive: true, force: true });
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  const staged = path.join(stageRoot, 'node_modules', 'better-sqlite3');
  fs.cpSync(source, staged, { recursive: true, filter: (src) => path.relative(source, src).split(path.sep)[0] !== 'build' });
  const { betterSqlite3 } = versions();
  fs.writeFileSync(
    path.join(stageRoot, 'package.json'),
    JSON.stringify({ name: 'shopfleet-native-stage', version: '0.0.0', private: true, dependencies: { 'better-sqlite3': betterSqlite3 } }, null, 2),
  );
  return { stageRoot, staged };
}

function explainFailure(err, { electron, abi }, platform, arch) {
  const target = nativeTarget(platform, arch);
  return [
    '',
    `[build-native-electron] Could not build better-sqlite3 for Electron ${electron} (ABI ${abi}, ${platform}-${arch}).`,
    `  Cause: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    '  Building needs network access to one of:',
    '    - github.com (a prebuilt better-sqlite3 for Electron, via prebuild-install), or',
    `    - electronjs.org/headers (Electron ${electron} headers for node-gyp, plus a C++ toolchain: python3, make, g++ / MSVC / Xcode).`,
    '  Fix: rerun `npm run build:native-electron` with network access (mirrors: ELECTRON_MIRROR, npm_config_disturl),',
    `       or copy a better_sqlite3.node built for Electron ${electron} to ${path.relative(root, target.binary)}.`,
    '  node_modules/better-sqlite3 (the Node build used by `npm test` and `npm run serve`) was not touched.',
    '',
  ].join('\n');
}

/** Build (or reuse) the Electron-ABI binary; returns its path. Throws with an explanation on failure. */
export async function buildNativeElectron({ platform = process.platform, arch = process.arch, force = false } = {}) {
  const want = versions();
  const target = nativeTarget(platform, arch);
  if (!force && isNativeBuildCurrent(platform, arch)) {
    console.log(`[build-native-electron] up to date: ${path.relative(root, target.binary)} (Electron ${want.electron})`);
    return target.binary;
  }
  const { stageRoot, staged } = stage(platform, arch);
  console.log(`[build-native-electron] rebuilding better-sqlite3 ${want.betterSqlite3} for Electron ${want.electron} (${platform}-${arch}) in ${path.relative(root, stageRoot)}`);
  try {
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({ buildPath: stageRoot, electronVersion: want.electron, arch, platform, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
    const built = path.join(staged, 'build', 'Release', 'better_sqlite3.node');
    if (!fs.existsSync(built)) throw new Error(`the rebuild finished but ${built} is missing`);
    fs.mkdirSync(target.dir, { recursive: true });
    fs.copyFileSync(built, target.binary);
    fs.writeFileSync(target.manifest, JSON.stringify({ ...want, platform, arch, builtAt: new Date().toISOString() }, null, 2) + '\n');
  } catch (err) {
    throw new Error(explainFailure(err, want, platform, arch), { cause: err });
  } finally {
    fs.rmSync(path.dirname(stageRoot), { recursive: true, force: true });
  }
  console.log(`[build-native-electron] wrote ${path.relative(root, target.binary)}`);
  return target.binary;
}

// electron-builder's Arch enum: 0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal.
const BUILDER_ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** electron-builder beforePack hook: make sure extraResources has the binary for the target being packed. */
export default async function beforePack(context) {
  const arch = BUILDER_ARCH[context.arch] ?? process.arch;
  await buildNativeElectron({ platform: context.electronPlatformName, arch });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: { arch: { type: 'string', default: process.arch }, platform: { type: 'string', default: process.platform }, force: { type: 'boolean', default: false } },
  });
  try {
    await buildNativeElectron({ platform: values.platform, arch: values.arch, force: values.force });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
