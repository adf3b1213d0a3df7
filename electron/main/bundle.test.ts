// Builds the three Electron bundles with scripts/build-electron.mjs and checks what they load:
// the preload only electron, main no core/zod/sqlite, the core host no electron. Then runs the
// bundled core host under plain Node with a stand-in parentPort, answering a real call.
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostToMain, MainToHost } from '../hosts/utility/protocol.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Inside the repo so the bundle's require('better-sqlite3') resolves from node_modules.
const outdir = path.join(root, 'node_modules', '.cache', `shopfleet-bundle-test-${process.pid}`);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-bundle-'));

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-electron.mjs'), '--outdir', outdir], { cwd: root, stdio: 'pipe' });
}, 60_000);
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const requiresOf = (bundle: string): string[] => {
  const code = fs.readFileSync(path.join(outdir, bundle), 'utf8');
  return [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!))].sort();
};
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec);

describe('electron bundles', () => {
  it('writes main, preload and core host as CommonJS', () => {
    for (const bundle of ['main.cjs', 'preload.cjs', 'core-host.cjs']) expect(fs.existsSync(path.join(outdir, bundle)), bundle).toBe(true);
  });

  it('keeps the sandboxed preload to electron alone, and small', () => {
    expect(requiresOf('preload.cjs')).toEqual(['electron']);
    expect(fs.statSync(path.join(outdir, 'preload.cjs')).size).toBeLessThan(20_000);
  });

  it('keeps the core, zod and SQLite out of the main process', () => {
    expect(requiresOf('main.cjs').filter((s) => s !== 'electron' && !isBuiltin(s))).toEqual([]);
    expect(fs.statSync(path.join(outdir, 'main.cjs')).size).toBeLessThan(200_000);
  });

  it('loads only Node builtins and better-sqlite3 in the core host — never electron', () => {
    // ws (print components) tries its optional native accelerators inside try/catch and runs without them.
    const optional = new Set(['bufferutil', 'utf-8-validate']);
    expect(requiresOf('core-host.cjs').filter((s) => !isBuiltin(s) && !optional.has(s))).toEqual(['better-sqlite3']);
  });

  it('runs the bundled core host: init, a real call, clean shutdown', async () => {
    // Electron gives a utility process process.parentPort; here an EventEmitter over fork's IPC stands in.
    const harness = path.join(outdir, 'harness.cjs');
    fs.writeFileSync(
      harness,
      `const { EventEmitter } = require('node:events');
       const port = new EventEmitter();
       port.postMessage = (m) => process.send(m);
       process.parentPort = port;
       process.on('message', (data) => port.emit('message', { data }));
       require(${JSON.stringify(path.join(outdir, 'core-host.cjs'))});`,
    );
    const child = fork(harness, [], { cwd: dataDir, serialization: 'advanced', stdio: 'pipe' });
    const messages: HostToMain[] = [];
    const waitFor = (type: HostToMain['type']) =>
      new Promise<HostToMain>((resolve, reject) => {
        const found = messages.find((m) => m.type === type);
        if (found) return resolve(found);
        const onMessage = (m: HostToMain) => m.type === type && (child.off('message', onMessage), resolve(m));
        child.on('message', onMessage);
        child.once('exit', (code) => reject(new Error(`core host exited (${code}) before '${type}'`)));
      });
    child.on('message', (m: HostToMain) => messages.push(m));
    const send = (m: MainToHost) => child.send(m);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    send({
      type: 'init',
      options: { dbFile: path.join(dataDir, 'shopfleet.db'), migrationsFolder: path.join(root, 'electron', 'core', 'db', 'migrations'), demo: false, sync: false },
    });
    await expect(waitFor('ready')).resolves.toEqual({ type: 'ready' });
    send({ type: 'call', id: 7, name: 'session.whoami', input: {} });
    await expect(waitFor('result')).resolves.toMatchObject({ type: 'result', id: 7, result: { ok: true, value: { role: 'owner' } } });
    send({ type: 'shutdown' });
    await waitFor('closed');
    await expect(exited).resolves.toBe(0);
  }, 30_000);
});
