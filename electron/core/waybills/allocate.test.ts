// Packages and waybill allocation on a real migrated SQLite file: package 1 per order with the
// chosen account's carrier; pool numbers in range order, once per package, exhaustion named and
// retried after a refill; platform numbers from the Taobao, PDD, Douyin and Kuaishou loopback gateways through
// the real adapters — twice gives the same numbers without calling again, and a crash between the
// platform's answer and the write (answer lost) is healed by a retry: the SAME numbers where the
// platform promises them for a repeated package id (Douyin's pack_id), new ones where it promises
// nothing (PDD, Kuaishou), stored once either way.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Platform, PlatformOrder } from '../../shared/model.ts';
import { countRows, openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { ingestOrders } from '../orders/ingest.ts';
import type { PlatformAdapter, ShopRecord, WaybillResult } from '../platforms/contract.ts';
import { fromDoudianOrder } from '../platforms/douyin/payload.ts';
import { doudianShopOrder } from '../../sandbox/platforms/douyin/server-order.ts';
import { startPlatformServer as startDouyin } from '../../sandbox/platforms/douyin/server.ts';
import { createJdAdapter } from '../platforms/jd/adapter.ts';
import { fromKsOrder } from '../platforms/kuaishou/payload.ts';
import { asSingleSkuOrder, ksOrderPayload } from '../../sandbox/platforms/kuaishou/server-order.ts';
import { startPlatformServer as startKuaishou } from '../../sandbox/platforms/kuaishou/server.ts';
import { fromPddOrder } from '../platforms/pdd/payload.ts';
import { pddOrderPayload } from '../../sandbox/platforms/pdd/server-order.ts';
import { startPlatformServer as startPdd } from '../../sandbox/platforms/pdd/server.ts';
import { adapterFor } from '../platforms/registry.ts';
import { DAY, generateOrders, HOUR } from '../../sandbox/demo/generator.ts';
import { sandboxWaybillNo } from '../../sandbox/platforms/server-waybill-numbers.ts';
import { fromTopTrade } from '../platforms/taobao/adapter.ts';
import { startPlatformServer as startTaobao, toTopTrade } from '../../sandbox/platforms/taobao/server.ts';
import { addWaybillAccount } from './accounts.ts';
import { allocateWaybills, type AllocateDeps } from './allocate.ts';
import { ensurePackages, getPackages, packagesOfOrders } from './packages.ts';
import { addNumberRange } from './pool.ts';

const SENDER = { name: '王仓管', mobile: '13900001111', province: '浙江省', city: '杭州市', district: '余杭区', address: '仓前街道 88 号' };
const APP = { appKey: '7000000000000000001', appSecret: 'wb-s3cret', accessToken: 'wb-token' };

let fx: Fixture;
const closers: Array<() => Promise<void>> = [];
beforeEach(() => {
  fx = openFixture(0);
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  fx.close();
});

/** The fixture's clock: the platform gateways must agree with it within their ±10 min skew. */
const stationNow = () => T0 + DAY;

function deps(extra: Partial<AllocateDeps> = {}): AllocateDeps {
  return { ...fx.ctx(), ...extra };
}

function packageRows() {
  return fx.db.$client
    .prepare('SELECT id, order_id AS orderId, seq, account_id AS accountId, carrier_code AS carrierCode, waybill_no AS waybillNo, routing, print_data AS printData, state FROM packages ORDER BY rowid')
    .all() as Array<{ id: string; orderId: string; seq: number; accountId: string; carrierCode: string; waybillNo: string | null; routing: string | null; printData: string | null; state: string }>;
}

describe('ensurePackages', () => {
  it('creates package 1 with the account’s carrier once, and says why other orders got none', () => {
    const ids = fx.addOrders([platformOrder(1), platformOrder(2), platformOrder(3, { status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS' })]);
    const none = ensurePackages(fx.ctx(), ids);
    expect(none.packages).toEqual([]);
    expect(none.skipped.map((s) => s.code)).toEqual(['no_account', 'no_account', 'not_shippable']);
    const account = addWaybillAccount(fx.ctx(), { name: '圆通自有', carrierCode: 'YTO', kind: 'pool', shopIds: [fx.shopId] });
    const opsBefore = countRows(fx.db, 'ops');
    const first = ensurePackages(fx.ctx(), [...ids, 'missing']);
    expect(first.packages.map((p) => [p.orderId, p.created])).toEqual([
      [ids[0], true],
      [ids[1], true],
    ]);
    expect(first.skipped.map((s) => [s.orderId, s.code])).toEqual([
      [ids[2], 'not_shippable'],
      ['missing', 'not_found'],
    ]);
    expect(packageRows().map((p) => [p.orderId, p.seq, p.accountId, p.carrierCode, p.state])).toEqual([
      [ids[0], 1, account.id, 'YTO', 'new'],
      [ids[1], 1, account.id, 'YTO', 'new'],
    ]);
    expect(countRows(fx.db, 'ops')).toBe(opsBefore + 1);
    const again = ensurePackages(fx.ctx(), ids);
    expect(again.packages).toEqual(first.packages.map((p) => ({ ...p, created: false })));
    expect(countRows(fx.db, 'ops')).toBe(opsBefore + 1); // nothing to create: no command
  });
});

describe('allocation from a pool', () => {
  it('takes numbers in range order, marks them used with the package, and returns the same number on a second call', async () => {
    const ids = fx.addOrders([1, 2, 3].map((n) => platformOrder(n)));
    const account = addWaybillAccount(fx.ctx(), { name: '中通自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] });
    addNumberRange(fx.ctx(), account.id, { prefix: 'ZT', start: 1, end: 10, width: 10 });
    const pkgs = ensurePackages(fx.ctx(), ids).packages.map((p) => p.packageId);
    const changed: string[][] = [];
    fx.events.on('db.changed', ({ tables }) => changed.push(tables));
    const progress: Array<{ done: number; total: number }> = [];
    const r = await allocateWaybills(deps({ onProgress: (p) => progress.push(p) }), pkgs, account.id);
    expect(r.failed).toEqual([]);
    expect(r.allocated).toEqual(pkgs.map((packageId, i) => ({ packageId, waybillNo: `ZT000000000${i + 1}` })));
    expect(changed).toEqual([['packages', 'waybill_numbers', 'audit_log', 'ops']]);
    expect(progress.at(-1)).toEqual({ done: 3, total: 3 });
    const used = fx.db.$client.prepare('SELECT waybill_no AS n, package_id AS p FROM waybill_numbers WHERE package_id IS NOT NULL ORDER BY rowid').all();
    expect(used).toEqual(pkgs.map((p, i) => ({ n: `ZT000000000${i + 1}`, p })));
    expect(packageRows().every((p) => p.state === 'allocated')).toBe(true);
    const audits = fx.db.$client.prepare("SELECT entity_id AS id FROM audit_log WHERE command = 'waybills.allocate' AND field = 'waybill_no'").all();
    expect(audits).toEqual(ids.map((id) => ({ id })));
    // Twice: the same numbers, nothing written.
    const opsBefore = countRows(fx.db, 'ops');
    const again = await allocateWaybills(deps(), [...pkgs].reverse(), account.id);
    expect(again.allocated).toEqual([...r.allocated].reverse());
    expect(countRows(fx.db, 'ops')).toBe(opsBefore);
    expect(countRows(fx.db, 'waybill_numbers') - (fx.db.$client.prepare('SELECT count(*) AS n FROM waybill_numbers WHERE package_id IS NULL').get() as { n: number }).n).toBe(3);
  });

  it('names an exhausted pool, keeps the numbers it did give, and finishes after a refill', async () => {
    const ids = fx.addOrders([1, 2, 3, 4, 5].map((n) => platformOrder(n)));
    const account = addWaybillAccount(fx.ctx(), { name: '中通自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] });
    addNumberRange(fx.ctx(), account.id, { prefix: 'ZT', start: 1, end: 2, width: 10 });
    const pkgs = ensurePackages(fx.ctx(), ids).packages.map((p) => p.packageId);
    const r = await allocateWaybills(deps(), [...pkgs, 'nope'], account.id);
    expect(r.allocated.map((a) => a.waybillNo)).toEqual(['ZT0000000001', 'ZT0000000002']);
    expect(r.failed.map((f) => [f.packageId, f.code])).toEqual([
      ['nope', 'not_found'],
      [pkgs[2], 'pool_exhausted'],
      [pkgs[3], 'pool_exhausted'],
      [pkgs[4], 'pool_exhausted'],
    ]);
    expect(r.failed[1]?.reason).toBe('Pool "中通自有" (ZTO) ran out of numbers: 3 of 5 package(s) got none. Add a number range or import numbers, then retry them.');
    addNumberRange(fx.ctx(), account.id, { prefix: 'ZT', start: 100, end: 199, width: 10 });
    const retry = await allocateWaybills(deps(), pkgs, account.id);
    expect(retry.failed).toEqual([]);
    expect(retry.allocated.map((a) => a.waybillNo)).toEqual(['ZT0000000001', 'ZT0000000002', 'ZT0000000100', 'ZT0000000101', 'ZT0000000102']);
  });

  it('gives a cancelled package nothing and reports an empty pool without writing', async () => {
    const ids = fx.addOrders([platformOrder(1), platformOrder(2)]);
    const account = addWaybillAccount(fx.ctx(), { name: '中通自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] });
    const pkgs = ensurePackages(fx.ctx(), ids).packages.map((p) => p.packageId);
    fx.db.$client.prepare("UPDATE packages SET state = 'cancelled' WHERE id = ?").run(pkgs[0]);
    const opsBefore = countRows(fx.db, 'ops');
    const r = await allocateWaybills(deps(), pkgs, account.id);
    expect(r.failed.map((f) => f.code)).toEqual(['cancelled', 'pool_exhausted']);
    expect(countRows(fx.db, 'ops')).toBe(opsBefore);
  });
});

// ------------------------------------------------------------------------------------------------
// Platforms

interface PlatformCase {
  platform: Platform;
  start: (orders: PlatformOrder[]) => Promise<{ url: string; setFault(f: unknown): void; close(): Promise<void> }>;
  /** The order as the station stores it after the adapter mapped the platform's payload. */
  stored: (o: PlatformOrder) => PlatformOrder;
  /**
   * The number the sandbox issues for a package, where the platform promises the same one for a
   * repeated request; null where it promises nothing (each request gets a new number).
   */
  expected: ((packageId: string, platformOrderId: string) => string) | null;
  fault5xx: unknown;
  hasPrintData: boolean;
}

const CASES: PlatformCase[] = [
  {
    platform: 'taobao',
    start: async (orders) => {
      const s = await startTaobao({ orders, ...APP, now: stationNow });
      return { url: s.url, setFault: (f) => s.setFault(f as never), close: () => s.close() };
    },
    stored: (o) => fromTopTrade(toTopTrade(o)),
    // Cainiao documents no idempotency for object_id: a retry gets new numbers.
    expected: null,
    fault5xx: { kind: '5xx' },
    hasPrintData: true,
  },
  {
    platform: 'pdd',
    start: async (orders) => {
      const s = await startPdd({ orders, ...APP, now: stationNow });
      return { url: s.url, setFault: (f) => s.setFault(f as never), close: () => s.close() };
    },
    stored: (o) => fromPddOrder(pddOrderPayload(o, APP.appSecret)),
    expected: null,
    fault5xx: 'http5xx',
    hasPrintData: true,
  },
  {
    platform: 'douyin',
    start: async (orders) => {
      const s = await startDouyin({ orders, ...APP, now: stationNow });
      return { url: s.url, setFault: (f) => s.setFault(f as never), close: () => s.close() };
    },
    stored: (o) => fromDoudianOrder(doudianShopOrder(o, APP.appSecret)),
    expected: (packageId, orderId) => sandboxWaybillNo('ZTO', `${orderId}|${packageId}`),
    fault5xx: 'http5xx',
    hasPrintData: false,
  },
  {
    platform: 'kuaishou',
    start: async (orders) => {
      // Kuaishou sells one SKU per order (一单一品).
      const s = await startKuaishou({ orders: orders.map(asSingleSkuOrder), ...APP, now: stationNow });
      return { url: s.url, setFault: (f) => s.setFault(f as never), close: () => s.close() };
    },
    stored: (o) => fromKsOrder(ksOrderPayload(asSingleSkuOrder(o), APP.appSecret)),
    expected: null,
    fault5xx: 'http5xx',
    hasPrintData: true,
  },
];

async function platformShop(c: PlatformCase, count: number) {
  const orders = [...generateOrders({ shops: [{ id: `${c.platform}-1`, platform: c.platform, seed: 9 }], count, fromMs: stationNow() - 2 * DAY, toMs: stationNow() - HOUR })].map(
    (g): PlatformOrder => ({ ...g.order, status: 'awaiting_shipment', platformStatus: c.platform === 'taobao' ? 'WAIT_SELLER_SEND_GOODS' : g.order.platformStatus, afterSale: 'none' }),
  );
  const server = await c.start(orders);
  closers.push(() => server.close());
  const shopId = `${c.platform}-shop`;
  fx.db.$client
    .prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, ?, 'active', ?, ?)")
    .run(shopId, `${c.platform} 店`, c.platform, T0, JSON.stringify({ gateway: server.url, ...APP }));
  const stored = orders.map(c.stored);
  ingestOrders(fx.db, { shopId, platform: c.platform, orders: stored.map((order) => ({ order, raw: order })) }, stationNow());
  const orderIds = stored.map((o) => (fx.db.$client.prepare('SELECT id FROM orders WHERE shop_id = ? AND platform_order_id = ?').get(shopId, o.platformOrderId) as { id: string }).id);
  const account = addWaybillAccount(fx.ctx(), { name: `${c.platform} 中通`, carrierCode: 'ZTO', kind: 'platform', shopId, sender: SENDER });
  const packageIds = ensurePackages(fx.ctx(), orderIds).packages.map((p) => p.packageId);
  return { server, shopId, stored, orderIds, account, packageIds };
}

/** The registry's adapter, with its allocateWaybills calls counted (and optionally the answer lost after the call). */
function countingAdapters(opts: { loseAnswer?: boolean } = {}) {
  const seen: WaybillResult[][] = [];
  const make = (shop: ShopRecord): PlatformAdapter => {
    const real = adapterFor(shop, { now: stationNow });
    const call = real.allocateWaybills?.bind(real);
    if (!call) return real;
    return Object.assign(Object.create(real) as PlatformAdapter, {
      allocateWaybills: async (requests: Parameters<typeof call>[0]) => {
        const answer = await call(requests);
        seen.push(answer);
        // The platform answered; the station dies before it writes. Nothing of the answer survives.
        if (opts.loseAnswer) throw new Error('station crashed before writing the answer');
        return answer;
      },
    });
  };
  return { make, seen };
}

describe.each(CASES)('allocation through the $platform gateway', (c) => {
  it('stores number, routing and print data once; a retry after a lost answer gets numbers only as the platform promises', async () => {
    const { stored, packageIds, account, orderIds } = await platformShop(c, 12);
    // 1. The call succeeds, the write is lost (crash between the two).
    const crashed = countingAdapters({ loseAnswer: true });
    const lost = await allocateWaybills(deps({ adapterFor: crashed.make }), packageIds, account.id);
    expect(lost.allocated).toEqual([]);
    expect(lost.failed.map((f) => f.code)).toEqual(Array(12).fill('platform_error'));
    expect(crashed.seen).toHaveLength(1); // it stops at the first failed call
    expect(packageRows().every((p) => p.waybillNo === null && p.state === 'new')).toBe(true);
    const lostNumbers = (crashed.seen[0] ?? []).map((r) => (r.kind === 'allocated' ? r.waybillNo : null));
    expect(lostNumbers).toHaveLength(10);
    // 2. The retry: the same numbers where the platform promises them for the same package ids, new
    // ones where it does not — the lost ones are then never stored or printed.
    const live = countingAdapters();
    const r = await allocateWaybills(deps({ adapterFor: live.make }), packageIds, account.id);
    expect(r.failed).toEqual([]);
    expect(r.allocated.map((a) => a.packageId)).toEqual(packageIds);
    const expected = c.expected;
    if (expected) {
      expect(r.allocated.slice(0, 10).map((a) => a.waybillNo)).toEqual(lostNumbers);
      expect(r.allocated.map((a) => a.waybillNo)).toEqual(packageIds.map((p, i) => expected(p, (stored[i] as PlatformOrder).platformOrderId)));
    } else {
      expect(r.allocated.filter((a) => lostNumbers.includes(a.waybillNo))).toEqual([]);
      expect(new Set(r.allocated.map((a) => a.waybillNo)).size).toBe(12);
    }
    expect(live.seen.map((s) => s.length)).toEqual([10, 2]);
    for (const p of packageRows()) {
      expect(p).toMatchObject({ state: 'allocated', accountId: account.id, carrierCode: 'ZTO' });
      expect(Object.keys(JSON.parse(p.routing as string))).toContain('sortCode');
      if (c.hasPrintData) expect(JSON.parse(p.printData as string)).toHaveProperty('encryptedData');
      else expect(p.printData).toBeNull();
    }
    const views = getPackages(fx.db, [packageIds[1] as string, 'unknown', packageIds[0] as string]);
    expect(views.map((v) => [v.id, v.waybillNo, v.state])).toEqual([
      [packageIds[1], r.allocated[1]?.waybillNo, 'allocated'],
      [packageIds[0], r.allocated[0]?.waybillNo, 'allocated'],
    ]);
    if (c.platform === 'douyin') expect(views[0]?.routing?.sortCode).toMatch(/^\d{3}-[A-Z]\d{2} \d{2}$/);
    expect(packagesOfOrders(fx.db, orderIds).map((v) => v.orderId)).toEqual([...orderIds].sort());
    const audited = fx.db.$client.prepare("SELECT DISTINCT entity_id AS id FROM audit_log WHERE command = 'waybills.allocate'").all();
    expect(audited).toHaveLength(orderIds.length);
    // 3. Twice: the stored numbers, and the platform is not asked again.
    const again = countingAdapters();
    expect((await allocateWaybills(deps({ adapterFor: again.make }), packageIds, account.id)).allocated).toEqual(r.allocated);
    expect(again.seen).toHaveLength(0);
  });

  it('lists every package as failed with the cause when the gateway is down, and allocates on the next try', async () => {
    const { server, packageIds, account } = await platformShop(c, 3);
    server.setFault(c.fault5xx);
    const down = await allocateWaybills(deps(), packageIds, account.id);
    expect(down.failed.map((f) => f.code)).toEqual(['platform_error', 'platform_error', 'platform_error']);
    expect(down.failed[0]?.reason).toMatch(/HTTP 502/);
    server.setFault(null);
    expect((await allocateWaybills(deps(), packageIds, account.id)).allocated).toHaveLength(3);
  });
});

describe('concurrent allocation', () => {
  it('two overlapping runs for the same packages (prefetch beside a batch print) agree on one number per package', async () => {
    const c = CASES[1] as PlatformCase;
    const { packageIds, account } = await platformShop(c, 15);
    const [a, b] = await Promise.all([allocateWaybills(deps(), packageIds, account.id), allocateWaybills(deps(), [...packageIds].reverse(), account.id)]);
    const byA = new Map(a.allocated.map((x) => [x.packageId, x.waybillNo]));
    expect(a.failed).toEqual([]);
    expect(b.failed).toEqual([]);
    for (const x of b.allocated) expect(byA.get(x.packageId)).toBe(x.waybillNo);
    expect(new Set(packageRows().map((p) => p.waybillNo)).size).toBe(15);
  });
});

describe('platform allocation limits', () => {
  it('refuses orders of other shops and platforms without a waybill API, with the reason', async () => {
    const c = CASES[0] as PlatformCase;
    const { packageIds, account } = await platformShop(c, 1);
    const [other] = fx.addOrders([platformOrder(1)]);
    const pool = addWaybillAccount(fx.ctx(), { name: '自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] });
    const otherPkg = ensurePackages(fx.ctx(), [other as string], { accountId: pool.id }).packages[0]?.packageId as string;
    const r = await allocateWaybills(deps(), [...packageIds, otherPkg], account.id);
    expect(r.allocated.map((a) => a.packageId)).toEqual(packageIds);
    expect(r.failed).toEqual([expect.objectContaining({ packageId: otherPkg, code: 'wrong_shop' })]);
    const noApi = await allocateWaybills(deps({ adapterFor: (shop) => createJdAdapter(shop, { now: stationNow }) }), [otherPkg], account.id);
    // The other shop's package is still refused first; a package of the account's own shop meets the missing API.
    expect(noApi.failed[0]?.code).toBe('wrong_shop');
    const { packageIds: fresh, account: acc2 } = await platformShop({ ...c, platform: 'tmall' }, 1);
    const unsupported = await allocateWaybills(deps({ adapterFor: (shop) => createJdAdapter(shop, { now: stationNow }) }), fresh, acc2.id);
    expect(unsupported.failed).toEqual([expect.objectContaining({ code: 'unsupported', reason: expect.stringContaining('Use a pool account') })]);
  });
});
