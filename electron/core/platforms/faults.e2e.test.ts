// Every platform's real adapter and the SyncScheduler against that platform's loopback server with
// the shared transport faults of server-faults.ts switched on: slow answers, requests that never
// answer (timeouts, on the pull and on the push path) and an order that changes while a window is
// paged. Each test asserts the local database against the server's own order array.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../shared/model.ts';
import { AppError } from '../../shared/result.ts';
import { EventBus } from '../api/events.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { SyncScheduler } from '../sync/scheduler.ts';
import type { AdapterFactory, PlatformAdapter, ShopRecord } from './contract.ts';
import { createDouyinAdapter } from './douyin/adapter.ts';
import { startPlatformServer as startDouyin } from '../../sandbox/platforms/douyin/server.ts';
import { createJdAdapter } from './jd/adapter.ts';
import { startPlatformServer as startJd } from '../../sandbox/platforms/jd/server.ts';
import { createKuaishouAdapter } from './kuaishou/adapter.ts';
import { startPlatformServer as startKuaishou } from '../../sandbox/platforms/kuaishou/server.ts';
import { createPddAdapter } from './pdd/adapter.ts';
import { startPlatformServer as startPdd } from '../../sandbox/platforms/pdd/server.ts';
import { ensureDemoTeam } from '../../sandbox/demo/demo-team.ts';
import { createServerFaults, type SharedFault } from '../../sandbox/platforms/server-faults.ts';
import { createTaobaoAdapter } from './taobao/adapter.ts';
import { startPlatformServer as startTaobao } from '../../sandbox/platforms/taobao/server.ts';
import { platformTestOrders, type GatewayPlatform } from '../../testkit/platforms/test-orders.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: 'faults-app-key', appSecret: 'faults-app-secret-0123', accessToken: 'faults-access-token' };
/** Enough orders that a window holds several pages at the small page sizes below. */
const ORDERS = 300;

/** What these tests need of any platform's loopback server (each server's Fault union includes SharedFault). */
interface FaultServer {
  url: string;
  orders: PlatformOrder[];
  setFault(f: SharedFault | null): void;
  close(): Promise<void>;
}
type ServerStarter = (opts: { orders: PlatformOrder[]; appKey: string; appSecret: string; accessToken: string; now: () => number }) => Promise<FaultServer>;

const PLATFORMS: Record<GatewayPlatform, { start: ServerStarter; adapter: AdapterFactory }> = {
  taobao: { start: startTaobao, adapter: createTaobaoAdapter },
  pdd: { start: startPdd, adapter: createPddAdapter },
  jd: { start: startJd, adapter: createJdAdapter },
  douyin: { start: startDouyin, adapter: createDouyinAdapter },
  kuaishou: { start: startKuaishou, adapter: createKuaishouAdapter },
};
const NAMES = Object.keys(PLATFORMS) as GatewayPlatform[];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Rig {
  db: Db;
  shopId: string;
  server: FaultServer;
  scheduler: SyncScheduler;
  events: EventBus;
  clock: { now: number };
  /** The orders as first served (server.orders is replaced element by element as they change). */
  original: PlatformOrder[];
  adapter(): PlatformAdapter;
  /** Change the shop's HTTP timeout: small while a timeout fault is on, roomy for the recovery on a busy machine. */
  setTimeoutMs(ms: number): void;
}

/** A temp database with one shop of `platform` pointed at a fresh loopback server of that platform. */
async function rig(platform: GatewayPlatform, settings: { pageSize: number; timeoutMs: number }): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), `faults-${platform}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(join(dir, 'shopfleet.db'));
  cleanups.push(() => {
    db.$client.close();
  });
  const clock = { now: NOW };
  const original = platformTestOrders({ platform, count: ORDERS, nowMs: NOW });
  const { start, adapter } = PLATFORMS[platform];
  const server = await start({ orders: original.map((o) => ({ ...o })), ...APP, now: () => clock.now });
  cleanups.push(() => server.close());

  ensureDemoTeam(db, NOW, { shops: 1 });
  const shopId = (db.$client.prepare('SELECT id FROM shops').get() as { id: string }).id;
  db.$client.prepare('UPDATE shops SET platform = ?, settings = ? WHERE id = ?').run(platform, JSON.stringify({ gateway: server.url, ...APP, ...settings }), shopId);
  const shop = (): ShopRecord => db.$client.prepare('SELECT id, name, platform, state, settings FROM shops WHERE id = ?').get(shopId) as ShopRecord;

  const events = new EventBus();
  const scheduler = new SyncScheduler({
    db,
    events,
    now: () => clock.now,
    backfillMs: 11 * HOUR,
    adapterFor: (s) => adapter(s, { now: () => clock.now }),
    // In-round retries still happen (two per page), without real waits between them.
    sleep: async () => undefined,
    random: () => 0.5,
  });
  cleanups.push(() => scheduler.stop());
  const setTimeoutMs = (ms: number): void => {
    db.$client.prepare('UPDATE shops SET settings = ? WHERE id = ?').run(JSON.stringify({ gateway: server.url, ...APP, ...settings, timeoutMs: ms }), shopId);
  };
  return { db, shopId, server, scheduler, events, clock, original, adapter: () => adapter(shop(), { now: () => clock.now }), setTimeoutMs };
}

type Row = { id: string; status: string; updated: number };
function stored(db: Db, shopId: string): Row[] {
  return (db.$client.prepare('SELECT platform_order_id AS id, status, platform_updated_at AS updated FROM orders WHERE shop_id = ?').all(shopId) as Row[]).sort((a, b) =>
    a.id < b.id ? -1 : 1,
  );
}
const expected = (orders: PlatformOrder[]): Row[] =>
  orders.map((o) => ({ id: o.platformOrderId, status: o.status, updated: o.platformUpdatedAt })).sort((a, b) => (a.id < b.id ? -1 : 1));

function countPages(events: EventBus, shopId: string): { pages: number } {
  const seen = { pages: 0 };
  const off = events.on('sync.progress', (p) => {
    if (p.shopId === shopId && p.phase === 'page') seen.pages += 1;
  });
  cleanups.push(off);
  return seen;
}

describe.each(NAMES)('%s adapter × scheduler × loopback server faults', (platform) => {
  it('slow answers: the sync waits them out and stores every order', async () => {
    const r = await rig(platform, { pageSize: 25, timeoutMs: 5_000 });
    const DELAY = 40;
    r.server.setFault({ kind: 'slow', delayMs: DELAY });
    const seen = countPages(r.events, r.shopId);
    const started = performance.now();
    const result = await r.scheduler.syncShop(r.shopId);
    const elapsed = performance.now() - started;
    expect(result.error).toBeUndefined();
    expect(stored(r.db, r.shopId)).toEqual(expected(r.server.orders));
    expect(r.server.orders.length).toBeGreaterThan(200);
    // Every page cost at least one delayed request: the fault was really on.
    expect(seen.pages).toBeGreaterThan(5);
    expect(elapsed).toBeGreaterThanOrEqual(seen.pages * DELAY);
  });

  it('timeouts mid-backfill: a retryable PLATFORM_ERROR, then the next round completes without duplicates', async () => {
    const r = await rig(platform, { pageSize: 25, timeoutMs: 300 });
    // The platform stops answering after the third stored page.
    let pages = 0;
    cleanups.push(
      r.events.on('sync.progress', (p) => {
        if (p.phase === 'page' && ++pages === 3) r.server.setFault({ kind: 'timeout' });
      }),
    );
    const failed = await r.scheduler.syncShop(r.shopId);
    expect(failed.error).toBeDefined();
    const cursor = r.db.$client
      .prepare('SELECT cursor_ms AS cursorMs, last_error AS lastError, last_error_code AS code, last_error_kind AS kind FROM sync_cursors WHERE shop_id = ?')
      .get(r.shopId) as { cursorMs: number; lastError: string; code: string; kind: string };
    // Stored classified where it happened: the code and kind beside the words.
    expect([cursor.code, cursor.kind]).toEqual(['PLATFORM_ERROR', 'retryable']);
    expect(cursor.lastError).not.toBe('');
    const partial = stored(r.db, r.shopId).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(r.server.orders.length);

    // The adapter's own error for a call that never answers: retryable, not throttled.
    const err = await r
      .adapter()
      .pullPage({ fromMs: NOW - 2 * HOUR, toMs: NOW - 2 * HOUR + 10 * MIN }, null)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('PLATFORM_ERROR');
    expect((err as AppError).details).toMatchObject({ retryable: true, throttled: false });

    r.server.setFault(null);
    r.setTimeoutMs(5_000);
    r.clock.now += 3 * MIN;
    const next = await r.scheduler.syncShop(r.shopId);
    expect(next.error).toBeUndefined();
    const rows = stored(r.db, r.shopId);
    expect(rows).toEqual(expected(r.server.orders));
    const dupes = r.db.$client.prepare('SELECT COUNT(*) - COUNT(DISTINCT platform_order_id) AS d FROM orders WHERE shop_id = ?').get(r.shopId) as { d: number };
    expect(dupes.d).toBe(0);
    const last = r.db.$client.prepare('SELECT last_error AS lastError FROM sync_cursors WHERE shop_id = ?').get(r.shopId) as { lastError: string | null };
    expect(last.lastError).toBeNull();
  });

  it('an order changing between pages: nothing skipped that round, every order in its latest state one round later', async () => {
    // Small pages so each window spans several and the shift has pages to land on.
    const r = await rig(platform, { pageSize: 5, timeoutMs: 5_000 });
    r.server.setFault({ kind: 'order-changes-between-pages' });
    const first = await r.scheduler.syncShop(r.shopId);
    expect(first.error).toBeUndefined();

    const before = new Map(r.original.map((o) => [o.platformOrderId, o.platformUpdatedAt]));
    const changedIds = new Set(r.server.orders.filter((o) => before.get(o.platformOrderId) !== o.platformUpdatedAt).map((o) => o.platformOrderId));
    expect(changedIds.size).toBeGreaterThan(3);
    expect(r.server.orders.filter((o) => changedIds.has(o.platformOrderId) && o.status === 'shipped').length).toBeGreaterThan(0);
    // The orders that did not change were all read in their (only) state despite the shifting pages…
    const unchanged = (rows: Row[]) => rows.filter((x) => !changedIds.has(x.id));
    expect(unchanged(stored(r.db, r.shopId))).toEqual(unchanged(expected(r.server.orders)));
    // …while the changed ones, modified after the round's windows, are not yet in their new state.
    expect(stored(r.db, r.shopId)).not.toEqual(expected(r.server.orders));

    r.server.setFault(null);
    r.clock.now += 10 * MIN;
    const second = await r.scheduler.syncShop(r.shopId);
    expect(second.error).toBeUndefined();
    expect(stored(r.db, r.shopId)).toEqual(expected(r.server.orders));
  });

  it('push: a ship that times out is a retryable throw and is not applied; the retry is confirmed', async () => {
    const r = await rig(platform, { pageSize: 25, timeoutMs: 300 });
    const target = r.server.orders.find((o) => o.status === 'awaiting_shipment' && o.afterSale === 'none');
    expect(target).toBeDefined();
    const ship = { kind: 'ship' as const, platformOrderId: target!.platformOrderId, carrierCode: 'ZTO' as const, waybillNo: '78123456789012' };
    r.server.setFault({ kind: 'timeout' });
    const adapter = r.adapter();
    const err = await adapter.push(ship).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('PLATFORM_ERROR');
    expect((err as AppError).details).toMatchObject({ retryable: true });
    // The held request was never processed: the order still awaits shipment on the platform.
    expect(r.server.orders.find((o) => o.platformOrderId === target!.platformOrderId)?.status).toBe('awaiting_shipment');

    r.server.setFault(null);
    r.setTimeoutMs(5_000);
    expect(await r.adapter().push(ship)).toEqual({ kind: 'confirmed' });
  });
});

describe('server-faults on a bare HTTP server', () => {
  async function bare(fault: SharedFault) {
    const faults = createServerFaults({ now: () => NOW, orders: () => [], shippedPlatformStatus: 'x' });
    const server = createServer((req, res) => {
      void faults.gate(fault, res).then((go) => {
        if (go) res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          faults.close();
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return { faults, url };
  }
  const waitFor = async (cond: () => boolean) => {
    for (let i = 0; i < 100 && !cond(); i += 1) await new Promise((r) => setTimeout(r, 10));
    return cond();
  };

  it('timeout holds the request until the client aborts, then lets it go', async () => {
    const { faults, url } = await bare({ kind: 'timeout' });
    await expect(fetch(url, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    // The aborted client's socket closes; the server holds nothing any more.
    expect(await waitFor(() => faults.hanging === 0)).toBe(true);
  });

  it('close() drops held requests: the waiting client sees its connection end', async () => {
    const { faults, url } = await bare({ kind: 'timeout' });
    const pending = fetch(url).then(
      () => 'answered',
      () => 'dropped',
    );
    expect(await waitFor(() => faults.hanging === 1)).toBe(true);
    faults.close();
    expect(await pending).toBe('dropped');
    expect(faults.hanging).toBe(0);
  });

  it('slow answers after the delay', async () => {
    const { url } = await bare({ kind: 'slow', delayMs: 120 });
    const t0 = performance.now();
    const res = await fetch(url);
    expect(await res.text()).toBe('ok');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
  });
});
