// `npm start` on a fresh install, where installing never downloaded the Electron binary: it fetches
// it through Electron's own installer from ELECTRON_MIRROR, and when the mirror fails it says how to
// get it (the mirror variable, with an example) and exits 1 before any build.
// Each test runs start-desktop.mjs from a scratch project whose node_modules links to the real one,
// except node_modules/electron: a copy of the npm package as `npm ci` leaves it (no dist/, no
// path.txt). A loopback HTTP server stands in for the mirror.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const realModules = path.join(root, 'node_modules');
const electronPkg = JSON.parse(fs.readFileSync(path.join(realModules, 'electron', 'package.json'), 'utf8')) as { version: string };
const scratchDirs: string[] = [];
afterAll(() => {
  for (const d of scratchDirs) fs.rmSync(d, { recursive: true, force: true });
});

function scratchProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-start-'));
  scratchDirs.push(dir);
  fs.mkdirSync(path.join(dir, 'scripts'));
  for (const f of ['start-desktop.mjs', 'build-native-electron.mjs']) fs.copyFileSync(path.join(root, 'scripts', f), path.join(dir, 'scripts', f));
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  for (const name of fs.readdirSync(realModules)) {
    if (name === 'electron' || name === '.bin') continue;
    fs.symlinkSync(path.join(realModules, name), path.join(modules, name));
  }
  const electron = path.join(modules, 'electron');
  fs.mkdirSync(electron);
  for (const f of ['package.json', 'install.js', 'index.js', 'cli.js', 'checksums.json', 'abi_version']) fs.copyFileSync(path.join(realModules, 'electron', f), path.join(electron, f));
  // @electron/get may sit under electron's own node_modules in some lockfiles.
  if (fs.existsSync(path.join(realModules, 'electron', 'node_modules'))) fs.symlinkSync(path.join(realModules, 'electron', 'node_modules'), path.join(electron, 'node_modules'));
  return dir;
}

interface Mirror {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

async function startMirror(files: Record<string, Buffer>): Promise<Mirror> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(p);
    const body = files[p];
    if (body) res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
    else res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function runStart(cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const base = { ...process.env };
    delete base.ELECTRON_OVERRIDE_DIST_PATH;
    delete base.ELECTRON_MIRROR;
    const child = spawn(process.execPath, [path.join(cwd, 'scripts', 'start-desktop.mjs')], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const zipName = `electron-v${electronPkg.version}-${process.platform}-${process.arch}.zip`;
const zipPath = `/v${electronPkg.version}/${zipName}`;

describe('npm ci with only the npm registry', () => {
  it('never runs electron\'s postinstall, which downloads the binary from github.com', () => {
    // npm 11 runs a dependency's install script only when package.json's allowScripts allows it.
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    expect(pkg.allowScripts?.electron).toBe(false);
  });
});

describe('npm start without a downloaded Electron', () => {
  it('downloads it from ELECTRON_MIRROR when first needed, then goes on to build', { timeout: 60_000 }, async () => {
    const dir = scratchProject();
    const zip = new JSZip();
    zip.file('electron', '#!/bin/sh\nexit 0\n', { unixPermissions: 0o755 });
    zip.file('version', electronPkg.version);
    const zipBytes = await zip.generateAsync({ type: 'nodebuffer', platform: 'UNIX' });
    const sum = crypto.createHash('sha256').update(zipBytes).digest('hex');
    const mirror = await startMirror({ [zipPath]: zipBytes, [`/v${electronPkg.version}/SHASUMS256.txt`]: Buffer.from(`${sum} *${zipName}\n`) });
    try {
      // The fake zip's checksum is not in electron's checksums.json: the mirror's SHASUMS256.txt vouches for it.
      const run = await runStart(dir, { ELECTRON_MIRROR: mirror.url, electron_use_remote_checksums: '1', electron_config_cache: path.join(dir, 'cache'), ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
      expect(mirror.requests).toContain(zipPath);
      expect(fs.existsSync(path.join(dir, 'node_modules', 'electron', 'path.txt'))).toBe(true);
      // Past the Electron check: the next step (the renderer build) ran, and fails in this scratch project without sources.
      expect(run.stdout).toContain('[start] building the renderer');
      expect(run.stderr).not.toContain('Electron');
    } finally {
      await mirror.close();
    }
  });

  it('says how to get it through a mirror when the download fails, and exits 1 before building', { timeout: 60_000 }, async () => {
    const dir = scratchProject();
    const mirror = await startMirror({});
    try {
      const run = await runStart(dir, { ELECTRON_MIRROR: mirror.url, electron_config_cache: path.join(dir, 'cache') });
      expect(mirror.requests.some((p) => p.endsWith(zipName))).toBe(true);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Electron ${electronPkg.version} is not installed`);
      expect(run.stderr).toContain(`ELECTRON_MIRROR=${mirror.url}`);
      expect(run.stderr).toContain('ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start');
      expect(run.stderr).toContain('npm run serve');
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stdout).not.toContain('[start] building');
      expect(fs.existsSync(path.join(dir, 'node_modules', 'electron', 'path.txt'))).toBe(false);
    } finally {
      await mirror.close();
    }
  });
});
