// Pre-fetching waybill numbers on a real migrated SQLite file: only orders awaiting print without a
// number are touched (held, pending review and printed ones are not), in batches, from each shop's
// account; an exhausted pool or a platform outage stops calling that account for the rest of the run
// and lists the packages; the next run finishes the job and never changes a number already given.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../shared/model.ts';
import { countRows, openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { DAY, generateOrders, HOUR } from '../../sandbox/demo/generator.ts';
import { fromTopTrade } from '../platforms/taobao/adapter.ts';
import { startPlatformServer, toTopTrade, type PlatformServer } from '../../sandbox/platforms/taobao/server.ts';
import { WAYBILL_METHOD } from '../platforms/taobao/waybill.ts';
import { addWaybillAccount } from './accounts.ts';
import { ordersNeedingWaybills, prefetchWaybills } from './prefetch.ts';
import { addNumberRange } from './pool.ts';

const SENDER = { name: '王仓管', mobile: '13900001111', province: '浙江省', city: '杭州市', district: '余杭区', address: '仓前街道 88 号' };
const APP = { appKey: '12345678', appSecret: 'testsecret', accessToken: '6100a2b3c' };

let fx: Fixture;
let server: PlatformServer | null = null;
beforeEach(() => {
  fx = openFixture(0);
});
afterEach(async () => {
  await server?.close();
  server = null;
  fx.close();
});

const setStage = (ids: readonly string[], stage: string) => {
  const stmt = fx.db.$client.prepare('UPDATE orders SET stage = ? WHERE id = ?');
  for (const id of ids) stmt.run(stage, id);
};

const numbersByOrder = () =>
  new Map(
    (fx.db.$client.prepare('SELECT order_id AS o, waybill_no AS n FROM packages WHERE waybill_no IS NOT NULL').all() as { o: string; n: string }[]).map((r) => [r.o, r.n]),
  );

describe('prefetchWaybills from a pool', () => {
  it('numbers only orders awaiting print, stops at an empty pool, and finishes after a refill without renumbering', async () => {
    const ids = fx.addOrders(Array.from({ length: 30 }, (_, i) => platformOrder(i + 1)));
    const printable = ids.slice(0, 25);
    setStage(printable, 'awaiting_print');
    setStage(ids.slice(25, 28), 'printed');
    // One printable order goes on hold: the held queue is not printable.
    fx.db.$client.prepare("UPDATE orders SET hold_reason = '等客服确认' WHERE id = ?").run(printable[24]);
    expect(ordersNeedingWaybills(fx.db, -1)).toHaveLength(24);
    const account = addWaybillAccount(fx.ctx(), { name: '中通自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] });
    addNumberRange(fx.ctx(), account.id, { prefix: 'ZT', start: 1, end: 20, width: 10 });
    const opsBefore = countRows(fx.db, 'ops');
    const first = await prefetchWaybills(fx.ctx(), { batchSize: 3 });
    expect(first).toMatchObject({ orders: 24, packagesCreated: 24, allocated: 20 });
    expect(first.failed).toHaveLength(4);
    expect(first.failed[0]?.code).toBe('pool_exhausted');
    expect(first.failed.slice(1).every((f) => f.reason.startsWith('Not tried'))).toBe(true);
    // 8 batches of 3: 8 package commands; pool transactions for batches 1–7 (the 7th runs dry after 2
    // numbers), none for the 8th — the empty pool is not asked again in this run.
    expect(countRows(fx.db, 'ops') - opsBefore).toBe(8 + 7);
    const firstNumbers = numbersByOrder();
    expect(firstNumbers.size).toBe(20);
    expect([...firstNumbers.keys()].every((o) => printable.includes(o))).toBe(true);
    expect(firstNumbers.has(printable[24] as string)).toBe(false);
    addNumberRange(fx.ctx(), account.id, { prefix: 'ZT', start: 21, end: 40, width: 10 });
    const second = await prefetchWaybills(fx.ctx(), { batchSize: 8 });
    expect(second).toMatchObject({ orders: 4, packagesCreated: 0, allocated: 4, failed: [] });
    const all = numbersByOrder();
    expect(all.size).toBe(24);
    for (const [o, n] of firstNumbers) expect(all.get(o)).toBe(n);
    expect(await prefetchWaybills(fx.ctx())).toMatchObject({ orders: 0, allocated: 0 });
  });

  it('honours a limit and reports orders whose shop has no account', async () => {
    const ids = fx.addOrders(Array.from({ length: 5 }, (_, i) => platformOrder(i + 1)));
    setStage(ids, 'awaiting_print');
    const none = await prefetchWaybills(fx.ctx(), { limit: 3 });
    expect(none).toMatchObject({ orders: 3, allocated: 0 });
    expect(none.skipped.map((s) => s.code)).toEqual(['no_account', 'no_account', 'no_account']);
  });
});

describe('prefetchWaybills from a platform', () => {
  it('allocates through the Taobao gateway, lists everything on an outage without hammering it, and completes on the next run', async () => {
    const now = T0 + DAY;
    const orders = [...generateOrders({ shops: [{ id: 'tb', platform: 'taobao', seed: 4 }], count: 25, fromMs: now - DAY, toMs: now - HOUR })].map(
      (g): PlatformOrder => ({ ...g.order, status: 'awaiting_shipment', platformStatus: 'WAIT_SELLER_SEND_GOODS', afterSale: 'none' }),
    );
    server = await startPlatformServer({ orders, ...APP, now: () => now });
    fx.db.$client
      .prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('tb', '淘宝店', 'taobao', 'active', ?, ?)")
      .run(T0, JSON.stringify({ gateway: server.url, ...APP }));
    const stored = orders.map((o) => fromTopTrade(toTopTrade(o)));
    ingestOrders(fx.db, { shopId: 'tb', platform: 'taobao', orders: stored.map((order) => ({ order, raw: order })) }, now);
    const ids = (fx.db.$client.prepare("SELECT id FROM orders WHERE shop_id = 'tb'").all() as { id: string }[]).map((r) => r.id);
    setStage(ids, 'awaiting_print');
    addWaybillAccount(fx.ctx(), { name: '菜鸟中通', carrierCode: 'ZTO', kind: 'platform', shopId: 'tb', sender: SENDER });
    const deps = { ...fx.ctx(), now: () => now };

    server.setFault({ kind: '5xx' });
    const down = await prefetchWaybills(deps, { batchSize: 10 });
    expect(down).toMatchObject({ orders: 25, packagesCreated: 25, allocated: 0 });
    expect(down.failed).toHaveLength(25);
    expect(down.failed.every((f) => f.code === 'platform_error')).toBe(true);
    server.setFault(null);
    expect(server.calls.filter((c) => c.method === WAYBILL_METHOD)).toHaveLength(0); // the 5xx answers before the gateway logs a call

    const up = await prefetchWaybills(deps, { batchSize: 10 });
    expect(up).toMatchObject({ orders: 25, packagesCreated: 0, allocated: 25, failed: [] });
    const packages = fx.db.$client.prepare('SELECT id, waybill_no AS n FROM packages').all() as { id: string; n: string }[];
    expect(packages.every((p) => /^7\d{13}$/.test(p.n))).toBe(true);
    expect(new Set(packages.map((p) => p.n)).size).toBe(25);
    // 25 packages in batches of 10 orders: calls of 10, 10 and 5.
    expect(server.calls.filter((c) => c.method === WAYBILL_METHOD)).toHaveLength(3);
  });
});
