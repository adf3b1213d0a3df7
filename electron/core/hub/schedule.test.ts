// The hub rounds' schedule against a real hub (in-process, PGlite, loopback): a local write is pushed
// about a debounce later with no call, the other station hears the hub's poke and pulls it, and a
// station that never joined makes no request at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { joinHub, syncOnce } from './client.ts';
import { HubSyncService } from './schedule.ts';
import { hubStatus } from './status.ts';

const cipher = createRawKeyCipher(Buffer.alloc(32, 9), 'local-key');
let engine: Engine;
let hub: RunningHub;
let owner: string;
const fixtures: Fixture[] = [];
const services: HubSyncService[] = [];

beforeAll(async () => {
  engine = await openPglite(null);
  hub = await listenHub(await createHubApp({ engine }), { port: 0 });
  await createTeam(engine, { team: 'T', owner: '店主', password: 'correct horse' });
  owner = (await post(hub.url, '/v1/login', { team: 'T', user: '店主', password: 'correct horse' })).token;
}, 60_000);

afterAll(async () => {
  for (const s of services) await s.stop();
  for (const f of fixtures) f.close();
  await hub?.close();
  await engine?.close();
});

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('hub sync schedule', () => {
  it('pushes a local write about a debounce later, and the other station pulls it on the hub’s poke', async () => {
    const a = openFixture(2);
    const b = openFixture(0);
    fixtures.push(a, b);
    await joinHub(a.db, { cipher }, { url: hub.url, code: (await post(hub.url, '/v1/invites', { user: '店主', role: 'owner' }, owner)).code, name: 'A' });
    await syncOnce(a.db, { cipher });
    await joinHub(b.db, { cipher }, { url: hub.url, code: (await post(hub.url, '/v1/invites', { user: '店主', role: 'owner' }, owner)).code, name: 'B' });
    await syncOnce(b.db, { cipher });
    const sa = new HubSyncService({ db: a.db, events: a.events, secretCipher: cipher, debounceMs: 50, periodMs: 600_000 });
    const sb = new HubSyncService({ db: b.db, events: b.events, secretCipher: cipher, debounceMs: 50, periodMs: 600_000 });
    services.push(sa, sb);
    sa.start();
    sb.start();
    // Both sockets open (the first round of each opened it).
    await new Promise((r) => setTimeout(r, 500));
    const id = a.idOf(1);
    const heard: string[][] = [];
    b.events.on('db.changed', ({ tables }) => heard.push(tables));
    expect(await a.call('orders.setFlag', { ids: [id], memo: '自动同步' })).toMatchObject({ ok: true });
    await until(() => hubStatus(a.db).opsWaiting === 0);
    await until(() => b.db.$client.prepare('SELECT seller_memo FROM orders WHERE id = ?').pluck().get(id) === '自动同步');
    expect(heard.some((t) => t.includes('orders'))).toBe(true);
  }, 60_000);

  it('a station that never joined makes no request', async () => {
    const c = openFixture(1);
    fixtures.push(c);
    const calls: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
      calls.push(String(args[0]));
      return realFetch(...args);
    }) as typeof fetch;
    try {
      const s = new HubSyncService({ db: c.db, events: c.events, secretCipher: cipher, debounceMs: 10, periodMs: 30 });
      services.push(s);
      s.start();
      expect(await c.call('orders.setFlag', { ids: [c.idOf(1)], memo: '本地' })).toMatchObject({ ok: true });
      await new Promise((r) => setTimeout(r, 200));
      await s.stop();
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(calls).toEqual([]);
    expect(c.db.$client.prepare('SELECT count(*) FROM op_effects').pluck().get()).toBe(0);
  });
});
