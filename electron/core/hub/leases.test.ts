// Sync leases end to end: two stations (real SQLite files, the real platform scheduler) joined to
// one real hub (server/, in-process on PGlite, over loopback HTTP), pulling one shop from the PDD
// sandbox gateway. Only the lease holder calls the platform; the other receives the orders through
// the hub. When the holder stops, the other takes the shop over with a higher fence and continues
// from the stored cursor; what the old holder ingests offline under its lost lease is refused by
// the hub, and the new holder's orders reach it. Without a hub the scheduler asks nobody.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { HOUR, MINUTE } from '../../sandbox/demo/generator.ts';
import { pddOrders } from '../../testkit/pdd-orders.ts';
import { startPlatformServer, type PlatformServer } from '../../sandbox/platforms/pdd/server.ts';
import { EventBus } from '../api/events.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { createPddAdapter, PDD_LIMITS } from '../platforms/pdd/adapter.ts';
import type { PlatformAdapter } from '../platforms/contract.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { SyncScheduler } from '../sync/scheduler.ts';
import { joinHub, syncOnce, type HubDeps } from './client.ts';
import { HubLeaseGate } from './leases.ts';
import { hubStatus } from './status.ts';

const cipher = createRawKeyCipher(Buffer.alloc(32, 9), 'local-key');
const deps: HubDeps = { cipher };
const PDD_APP = { appKey: 'pdd-app-1', appSecret: 'pdd-s3cret', accessToken: 'tok-123' };
const TTL_MS = 3000;

let engine: Engine;
let hub: RunningHub;
let ownerToken: string;
let server: PlatformServer;
const dir = mkdtempSync(join(tmpdir(), 'sync-leases-'));
/** The platform's clock and the stations' scheduler clock (leases run on the real one). */
const clock = { now: Date.now() };
const START = clock.now;

const inviteCode = async (user: string, role: string): Promise<string> => (await post(hub.url, '/v1/invites', { user, role }, ownerToken)).code;

interface Station {
  name: string;
  db: Db;
  gate: HubLeaseGate;
  scheduler: SyncScheduler;
  /** The windows this station asked the platform for. */
  pages: { fromMs: number; toMs: number }[];
}

function station(name: string, withShop: boolean): Station {
  const db = openDatabase(join(dir, `${name}.db`));
  if (withShop) {
    db.$client
      .prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('s1', '拼多多旗舰店', 'pdd', 'active', 0, ?)")
      .run(JSON.stringify({ gateway: server.url, ...PDD_APP, pageSize: 20 }));
  }
  const pages: Station['pages'] = [];
  const gate = new HubLeaseGate({ db, cipher, ttlMs: TTL_MS });
  const scheduler = new SyncScheduler({
    db,
    events: new EventBus(),
    now: () => clock.now,
    backfillMs: 6 * HOUR,
    leases: gate,
    adapterFor: (shop) => {
      const inner = createPddAdapter(shop, { now: () => clock.now });
      const counted: PlatformAdapter = Object.create(inner);
      counted.pullPage = (w, page) => {
        pages.push({ fromMs: w.fromMs, toMs: w.toMs });
        return inner.pullPage(w, page);
      };
      return counted;
    },
  });
  return { name, db, gate, scheduler, pages };
}

const orderIds = (db: Db) => (db.$client.prepare("SELECT platform_order_id FROM orders WHERE shop_id = 's1' ORDER BY platform_order_id").pluck().all() as string[]);
const cursorOf = (db: Db) => db.$client.prepare("SELECT cursor_ms FROM sync_cursors WHERE shop_id = 's1'").pluck().get() as number | undefined;
const unassignedEffects = (db: Db) => db.$client.prepare('SELECT count(*) FROM op_effects WHERE op_id IS NULL').pluck().get() as number;
const lastSuccessOf = (db: Db) => db.$client.prepare("SELECT last_success_at FROM sync_cursors WHERE shop_id = 's1'").pluck().get() as number | null;
const ingestArgs = (db: Db) =>
  (db.$client.prepare("SELECT args FROM ops WHERE name = 'sync.ingest' ORDER BY seq").pluck().all() as string[]).map((a) => JSON.parse(a) as Record<string, unknown>);

beforeAll(async () => {
  engine = await openPglite(null);
  hub = await listenHub(await createHubApp({ engine }), { port: 0 });
  await createTeam(engine, { team: '杭州店群', owner: '店主', password: 'correct horse' });
  ownerToken = (await post(hub.url, '/v1/login', { team: '杭州店群', user: '店主', password: 'correct horse' })).token;
  server = await startPlatformServer({ orders: pddOrders(5, 60, START - 5 * HOUR, START - 10 * MINUTE), ...PDD_APP, now: () => clock.now });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await hub?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sync leases between two stations', () => {
  let a: Station;
  let b: Station;
  const stations: Station[] = [];
  afterAll(async () => {
    for (const s of stations) {
      await s.scheduler.stop();
      s.db.$client.close();
    }
  });

  it('without a hub the scheduler asks nobody and stamps nothing', async () => {
    a = station('一号打包台', true);
    stations.push(a);
    const r = await a.scheduler.syncShop('s1');
    expect(r.error).toBeUndefined();
    expect(r.leftTo).toBeUndefined();
    expect(orderIds(a.db)).toHaveLength(60);
    expect(ingestArgs(a.db).every((x) => !('leaseFence' in x))).toBe(true);
    expect(hubStatus(a.db).leases).toEqual([]);
  });

  it('two stations on one hub: one holds the lease and calls the platform, the other gets the orders through the hub', async () => {
    // The owner's station is the first of the team: it brings the shop, its orders and cursor.
    await joinHub(a.db, deps, { url: hub.url, code: await inviteCode('店主', 'owner'), name: a.name });
    await syncOnce(a.db, deps);
    b = station('二号打包台', false);
    stations.push(b);
    await joinHub(b.db, deps, { url: hub.url, code: await inviteCode('xiaowang', 'operator'), name: b.name });
    await syncOnce(b.db, deps);
    // The shop and its cursor came from the hub: b would continue where a stopped.
    expect(cursorOf(b.db)).toBe(cursorOf(a.db));
    expect(orderIds(b.db)).toEqual(orderIds(a.db));

    // New orders on the platform; both stations' rounds come due at once.
    server.orders.push(...pddOrders(6, 20, START - 2 * MINUTE, START + 15 * MINUTE));
    clock.now = START + 20 * MINUTE;
    a.pages.length = 0;
    const calls = server.calls.length;
    const [ra, rb] = await Promise.all([a.scheduler.syncShop('s1'), b.scheduler.syncShop('s1')]);
    const [holder, other, rh, ro] = ra.leftTo ? [b, a, rb, ra] : [a, b, ra, rb];
    expect(rh.leftTo).toBeUndefined();
    expect(rh.error).toBeUndefined();
    expect(rh.changed).toBeGreaterThanOrEqual(20);
    expect(ro).toMatchObject({ pulled: 0, leftTo: { reason: 'held_elsewhere', stationName: holder.name } });
    // Only the holder spoke to the platform.
    expect(other.pages).toEqual([]);
    expect(holder.pages.length).toBeGreaterThan(0);
    expect(server.calls.length - calls).toBe(holder.pages.length);
    // Its ingest carries the fence it ran under.
    const fence = ingestArgs(holder.db).at(-1)!.leaseFence;
    expect(fence).toEqual(expect.any(Number));
    // The round's outcome (the cursor's last success) is an op of its own, not left for the next one.
    expect(unassignedEffects(holder.db)).toBe(0);
    expect(ingestArgs(holder.db).at(-1)).toMatchObject({ outcome: 'success', leaseFence: fence });
    // Through the hub the other station has every order, and knows who syncs the shop.
    await syncOnce(holder.db, deps);
    await syncOnce(other.db, deps);
    expect(lastSuccessOf(other.db)).toBe(lastSuccessOf(holder.db));
    expect(orderIds(other.db)).toEqual(orderIds(holder.db));
    expect(orderIds(other.db)).toHaveLength(80);
    expect(hubStatus(other.db).leases).toEqual([expect.objectContaining({ shopId: 's1', shopName: '拼多多旗舰店', mine: false, stationName: holder.name, fence })]);
    expect(hubStatus(holder.db).leases).toEqual([expect.objectContaining({ shopId: 's1', mine: true, stationName: holder.name, fence })]);
    // Make the rest definite: a is the holder from here (b gives the shop back if it won it).
    if (holder === b) {
      await b.gate.release('s1');
      await a.scheduler.syncShop('s1');
      await syncOnce(a.db, deps);
      await syncOnce(b.db, deps);
    }
    expect(hubStatus(a.db).leases[0]).toMatchObject({ mine: true });
  });

  it('the holder stops: the other takes the shop over with a higher fence from the stored cursor; the old holder’s offline ingest is refused and the new orders reach it', async () => {
    const oldFence = hubStatus(a.db).leases[0]!.fence!;
    const aCursor = cursorOf(a.db)!;
    // a renews and then stops: from here nobody renews its lease.
    await a.gate.renew();
    await a.scheduler.stop();
    server.orders.push(...pddOrders(7, 10, START + 16 * MINUTE, START + 35 * MINUTE));
    clock.now = START + 40 * MINUTE;
    // While a's lease runs, b leaves the shop to it.
    expect((await b.scheduler.syncShop('s1')).leftTo).toMatchObject({ reason: 'held_elsewhere', stationName: a.name });
    await new Promise((res) => setTimeout(res, TTL_MS + 200));
    b.pages.length = 0;
    const rb = await b.scheduler.syncShop('s1');
    expect(rb.leftTo).toBeUndefined();
    expect(rb.error).toBeUndefined();
    // Continued from the cursor a stored, not a new backfill.
    expect(b.pages[0]!.fromMs).toBe(aCursor - PDD_LIMITS.overlapMs);
    const newFence = ingestArgs(b.db).at(-1)!.leaseFence as number;
    expect(newFence).toBeGreaterThan(oldFence);
    expect(orderIds(b.db)).toHaveLength(90);
    await syncOnce(b.db, deps);

    // a, cut off from the hub, still believes it holds the shop and pulls it under its old fence.
    const cutOff = new SyncScheduler({
      db: a.db,
      events: new EventBus(),
      now: () => clock.now,
      leases: new HubLeaseGate({ db: a.db, cipher, ttlMs: TTL_MS, fetch: (async () => Promise.reject(new Error('connect ECONNREFUSED'))) as typeof fetch }),
      adapterFor: (shop) => createPddAdapter(shop, { now: () => clock.now }),
    });
    server.orders.push(...pddOrders(8, 3, START + 41 * MINUTE, START + 44 * MINUTE));
    clock.now = START + 50 * MINUTE;
    const ra = await cutOff.syncShop('s1');
    await cutOff.stop();
    expect(ra.leftTo).toBeUndefined();
    expect(ingestArgs(a.db).at(-1)!.leaseFence).toBe(oldFence);
    // Back online: the hub refuses what it ingested under the lost lease, and b's orders arrive.
    const back = await syncOnce(a.db, deps);
    expect(back.refused).toBeGreaterThanOrEqual(1);
    const refused = hubStatus(a.db).refused.filter((r) => r.name === 'sync.ingest');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]).toMatchObject({ reason: 'LEASE_LOST', details: { shopId: 's1', fence: oldFence, currentFence: newFence, holder: b.name } });
    for (const id of orderIds(b.db)) expect(orderIds(a.db)).toContain(id);
    expect(hubStatus(a.db).leases).toEqual([expect.objectContaining({ shopId: 's1', mine: false, stationName: b.name, fence: newFence })]);
    // And online again it leaves the shop to b.
    const gate = new HubLeaseGate({ db: a.db, cipher, ttlMs: TTL_MS });
    expect(await gate.admit('s1')).toMatchObject({ sync: false, reason: 'held_elsewhere', holder: { stationName: b.name } });
  });

  it('while its scheduler runs the holder renews at half the lease length, so the shop does not change hands', async () => {
    b.scheduler.start();
    // Two whole lease lengths: without renewals b's lease would have run out twice.
    await new Promise((res) => setTimeout(res, 2 * TTL_MS + 300));
    const gate = new HubLeaseGate({ db: a.db, cipher, ttlMs: TTL_MS });
    expect(await gate.admit('s1')).toMatchObject({ sync: false, reason: 'held_elsewhere', holder: { stationName: b.name } });
    await b.scheduler.stop();
  });
});
