// The core host answers calls over a port with a real core on a temp SQLite file, exactly as it
// does inside Electron's utility process (there the port is process.parentPort): main's
// CoreHostClient on one end of a worker_threads MessageChannel, serveCore on the other.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../core/app.ts';
import { defaultMigrationsFolder } from '../../core/db/open.ts';
import { CoreHostClient, type HostProcess } from '../../main/core-host-client.ts';
import type { HostInit, HostToMain } from './protocol.ts';
import { serveCore } from './serve.ts';

const dirs: string[] = [];
const clients: CoreHostClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-host-'));
  dirs.push(dir);
  return dir;
}

/** Wire a client to a host over a real MessageChannel; the "process" exits when the host closes. */
function connect(init: HostInit): { client: CoreHostClient; hostMessages: HostToMain[] } {
  const hostMessages: HostToMain[] = [];
  const spawn = (): HostProcess => {
    const { port1, port2 } = new MessageChannel();
    const exitListeners: ((code: number) => void)[] = [];
    serveCore(
      {
        onMessage: (listener) => port2.on('message', listener),
        postMessage: (message) => {
          hostMessages.push(message);
          port2.postMessage(message);
        },
      },
      {
        createCore,
        // Let the 'closed' message reach main before the simulated process goes away.
        onClosed: () => setTimeout(() => (port2.close(), exitListeners.forEach((fn) => fn(0))), 10),
      },
    );
    return {
      postMessage: (message) => port1.postMessage(message),
      onMessage: (listener) => port1.on('message', listener),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        port1.close();
        exitListeners.forEach((fn) => fn(1));
      },
    };
  };
  const client = new CoreHostClient(spawn, init, { maxRestarts: 0 });
  clients.push(client);
  return { client, hostMessages };
}

const baseInit = (dir: string): HostInit => ({
  dbFile: path.join(dir, 'shopfleet.db'),
  migrationsFolder: defaultMigrationsFolder(),
  demo: false,
  sync: false,
});

describe('core host', () => {
  it('opens the core and answers calls with Results', async () => {
    const { client } = connect(baseInit(tempDir()));
    await expect(client.start()).resolves.toEqual({ ok: true });
    const who = await client.call('session.whoami', {});
    expect(who).toMatchObject({ ok: true, value: { role: 'owner' } });
    await expect(client.call('shops.list', {})).resolves.toEqual({ ok: true, value: [] });
    await expect(client.call('no.such.method', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    await expect(client.call('tags.create', { name: '' })).resolves.toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('matches concurrent answers to their requests and forwards db.changed', async () => {
    const { client } = connect(baseInit(tempDir()));
    await client.start();
    const events: { event: string; payload: unknown }[] = [];
    client.onEvent((event, payload) => events.push({ event, payload }));
    const names = Array.from({ length: 20 }, (_, i) => `标签${i}`);
    const results = await Promise.all(names.map((name) => client.call('tags.create', { name })));
    expect(results.map((r) => (r.ok ? (r.value as { name: string }).name : r.error.code))).toEqual(names);
    const listed = await client.call('tags.list', {});
    expect(listed.ok && (listed.value as { name: string }[]).map((t) => t.name).sort()).toEqual([...names].sort());
    expect(events.filter((e) => e.event === 'db.changed')).toHaveLength(20);
    expect(events[0]!.payload).toMatchObject({ tables: expect.arrayContaining(['tags']) });
  });

  it('points the label code at the fonts main names, unless the station set its own', async () => {
    const before = process.env.SHOPFLEET_FONT_DIR;
    try {
      delete process.env.SHOPFLEET_FONT_DIR;
      const first = connect({ ...baseInit(tempDir()), fontsDir: '/opt/ShopFleet/resources/fonts' });
      await first.client.start();
      expect(process.env.SHOPFLEET_FONT_DIR).toBe('/opt/ShopFleet/resources/fonts');
      process.env.SHOPFLEET_FONT_DIR = '/srv/station-fonts';
      const second = connect({ ...baseInit(tempDir()), fontsDir: '/opt/ShopFleet/resources/fonts' });
      await second.client.start();
      expect(process.env.SHOPFLEET_FONT_DIR).toBe('/srv/station-fonts');
    } finally {
      if (before === undefined) delete process.env.SHOPFLEET_FONT_DIR;
      else process.env.SHOPFLEET_FONT_DIR = before;
    }
  });

  it('closes the database on shutdown, leaving the writes on disk', async () => {
    const init = baseInit(tempDir());
    const { client, hostMessages } = connect(init);
    await client.start();
    await client.call('tags.create', { name: '加急' });
    await client.close();
    expect(hostMessages.at(-1)).toEqual({ type: 'closed' });
    await expect(client.call('tags.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const db = new Database(init.dbFile, { readonly: true });
    expect(db.prepare('SELECT name FROM tags').all()).toEqual([{ name: '加急' }]);
    db.close();
  });

  // macOS words this "not a mach-o file", which open.ts does not classify; the check is for ELF and PE systems.
  it.skipIf(process.platform === 'darwin')('reports a native binding built for another platform as NATIVE_ABI_MISMATCH, and answers calls with it', async () => {
    const dir = tempDir();
    // A Windows (PE, "MZ") binary where Linux expects ELF: dlopen says "invalid ELF header".
    const bogus = path.join(dir, 'better_sqlite3.node');
    fs.writeFileSync(bogus, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4094)]));
    const { client } = connect({ ...baseInit(dir), nativeBinding: bogus });
    const outcome = await client.start();
    expect(outcome).toMatchObject({ ok: false, error: { code: 'NATIVE_ABI_MISMATCH' } });
    expect(!outcome.ok && outcome.error.message).toMatch(/build:native-electron/);
    await expect(client.call('shops.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'NATIVE_ABI_MISMATCH' } });
  });
});
