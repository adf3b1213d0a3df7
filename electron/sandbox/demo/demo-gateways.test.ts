// End to end: a fresh demo team (real-platform shops, credentials encrypted) synced by the real
// SyncScheduler through the real adapters from the loopback gateways that startDemoGateways feeds
// from the simulated world — all five platforms, counts as the world says, live arrivals, and a
// station's memo on the server's copy that the feeder must not undo.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../shared/model.ts';
import { EventBus } from '../../core/api/events.ts';
import { openDatabase, type Db } from '../../core/db/open.ts';
import { createLocalKeyCipher, keyFileFor } from '../../core/shops/secrets.ts';
import { SyncScheduler } from '../../core/sync/scheduler.ts';
import type { ShopRecord } from '../../core/platforms/contract.ts';
import { adapterFor, shopWithSecrets } from '../../core/platforms/registry.ts';
import { DOUDIAN_LIMITS } from '../../core/platforms/douyin/adapter.ts';
import { JD_LIMITS } from '../../core/platforms/jd/adapter.ts';
import { KS_LIMITS } from '../../core/platforms/kuaishou/adapter.ts';
import { PDD_LIMITS } from '../../core/platforms/pdd/adapter.ts';
import { TAOBAO_LIMITS } from '../../core/platforms/taobao/adapter.ts';
import { worldShopOf } from './adapter.ts';
import { mergeWorldChange, startDemoGateways, type DemoGateway, type DemoGateways } from './demo-gateways.ts';
import { DEMO_GATEWAY_NOT_STARTED, DEMO_HISTORY_MS, DEMO_SHOPS, ensureDemoTeam } from './demo-team.ts';
import { changedOrders, DAY, HOUR, MINUTE } from './generator.ts';
import { DEMO_LISTED_STOCK } from './listing.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const LAG: Record<string, number> = {
  taobao: TAOBAO_LIMITS.lagMs,
  tmall: TAOBAO_LIMITS.lagMs,
  pdd: PDD_LIMITS.lagMs,
  jd: JD_LIMITS.lagMs,
  douyin: DOUDIAN_LIMITS.lagMs,
  kuaishou: KS_LIMITS.lagMs,
};

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function station() {
  const dir = mkdtempSync(join(tmpdir(), 'demo-gw-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'shopfleet.db');
  const db = openDatabase(file);
  cleanups.push(() => db.$client.close());
  return { db, cipher: createLocalKeyCipher(keyFileFor(file)) };
}

const shopsOf = (db: Db) => db.$client.prepare('SELECT id, name, platform, state, settings FROM shops ORDER BY created_at').all() as ShopRecord[];

function stored(db: Db, shopId: string) {
  return (
    db.$client.prepare('SELECT platform_order_id AS id, status, platform_updated_at AS updated FROM orders WHERE shop_id = ?').all(shopId) as {
      id: string;
      status: string;
      updated: number;
    }[]
  ).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** What the shop's gateway lists for [from, end) at `at`, by the world generator alone (PDD and JD list paid orders only). */
function expectedFromWorld(shop: ShopRecord, from: number, end: number, at: number) {
  return changedOrders(worldShopOf(shop), from, at)
    .filter((o) => o.platformUpdatedAt >= from && o.platformUpdatedAt < end)
    .filter((o) => !((shop.platform === 'pdd' || shop.platform === 'jd') && o.status === 'unpaid'))
    .map((o) => ({ id: o.platformOrderId, status: o.status, updated: o.platformUpdatedAt }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

const count = (db: Db, sql: string, ...args: unknown[]) => (db.$client.prepare(sql).get(...args) as { n: number }).n;

describe('demo team on the platform sandbox servers', () => {
  it("lists each shop's products through the real adapters, with the SKU ids and 商家编码 its orders carry", async () => {
    const { db, cipher } = station();
    ensureDemoTeam(db, NOW, { secretCipher: cipher, shops: 6 });
    // What the station last told one shop's SKU (a confirmed push writes it here): a restarted gateway remembers it.
    const told = db.$client.prepare('SELECT shop_id AS shopId, platform_sku_id AS skuId FROM sku_mappings WHERE sku_id IS NOT NULL LIMIT 1').get() as { shopId: string; skuId: string };
    db.$client.prepare('UPDATE sku_mappings SET platform_stock = 42 WHERE shop_id = ? AND platform_sku_id = ?').run(told.shopId, told.skuId);
    const gw = await startDemoGateways({ db, now: () => NOW, secretCipher: cipher, log: () => {}, feedIntervalMs: 0 });
    cleanups.push(() => gw.close());
    const figures = new Map<string | null, number | null>();
    for (const record of shopsOf(db)) {
      const shop = shopWithSecrets(db, cipher, record);
      const adapter = adapterFor(shop, { now: () => NOW });
      const listed = new Map<string | null, string | null>();
      let cursor: string | null = null;
      let calls = 0;
      do {
        const page = await adapter.listProducts(cursor);
        expect(page.quarantined, record.platform).toEqual([]);
        for (const item of page.items) {
          listed.set(item.platformSkuId, item.outerCode);
          figures.set(`${record.id}/${item.platformSkuId}`, item.platformStock);
        }
        cursor = page.next;
        calls += 1;
      } while (cursor !== null && calls < 200);
      const gateway = gw.gateways.find((g) => g.shopId === record.id)!;
      expect(listed.size, record.platform).toBe(gateway.products.reduce((n, p) => n + p.skus.length, 0));
      const lines = gateway.orders.flatMap((o) => o.items);
      expect(lines.length, record.platform).toBeGreaterThan(50);
      for (const line of lines) {
        expect(listed.has(line.platformSkuId), `${record.platform} line ${line.platformSkuId}`).toBe(true);
        if (line.outerSkuCode !== null) expect(listed.get(line.platformSkuId)).toBe(line.outerSkuCode);
      }
    }
    expect(figures.get(`${told.shopId}/${told.skuId}`)).toBe(42);
    expect(new Set([...figures].filter(([k]) => k !== `${told.shopId}/${told.skuId}`).map(([, v]) => v))).toEqual(new Set([DEMO_LISTED_STOCK]));
  });

  it('syncs all five platforms through the real adapters, live, without undoing a pushed memo', async () => {
    const { db, cipher } = station();
    const clock = { now: NOW };
    // Six shops cover every platform (Tmall, Taobao, PDD, JD, Douyin, Kuaishou); the full team of 8 is timed by hand (see the report).
    ensureDemoTeam(db, NOW, { secretCipher: cipher, shops: 6 });
    const lines: string[] = [];
    const gw: DemoGateways = await startDemoGateways({ db, now: () => clock.now, secretCipher: cipher, log: (l) => lines.push(l), feedIntervalMs: 0 });
    cleanups.push(() => gw.close());

    // Every demo shop is served, and its settings point at this start's server.
    const shops = shopsOf(db);
    expect(shops.map((s) => s.platform)).toEqual(DEMO_SHOPS.slice(0, 6).map((t) => t.imitates));
    expect(Object.keys(gw.urls).sort()).toEqual(shops.map((s) => s.id).sort());
    for (const s of shops) expect(JSON.parse(s.settings).gateway).toBe(gw.urls[s.id]);
    expect(lines).toEqual([gw.summary]);
    expect(gw.summary).toContain('6 loopback platform gateways');

    const scheduler = new SyncScheduler({ db, events: new EventBus(), now: () => clock.now, secretCipher: cipher, backfillMs: DEMO_HISTORY_MS, maxConcurrent: 4 });
    cleanups.push(() => scheduler.stop());
    const syncAll = async () => {
      const results = await Promise.all(shops.map((s) => scheduler.syncShop(s.id)));
      for (const r of results) expect(r.error).toBeUndefined();
      return results;
    };

    const t0 = performance.now();
    const first = await syncAll();
    const backfillMs = performance.now() - t0;
    const pulled = first.reduce((n, r) => n + r.pulled, 0);
    console.info(`demo backfill: ${shops.length} shops, ${count(db, 'SELECT count(*) AS n FROM orders')} orders (${pulled} payloads) in ${Math.round(backfillMs)} ms`);

    // Orders of all five platforms (and Tmall) arrived through the real adapters, as the world says.
    const platforms = (db.$client.prepare('SELECT DISTINCT platform FROM orders').all() as { platform: string }[]).map((r) => r.platform).sort();
    expect(platforms).toEqual(['douyin', 'jd', 'kuaishou', 'pdd', 'taobao', 'tmall']);
    for (const shop of shops) {
      const expected = expectedFromWorld(shop, NOW - DEMO_HISTORY_MS, NOW - (LAG[shop.platform] as number), NOW);
      expect(expected.length).toBeGreaterThan(100);
      expect(stored(db, shop.id)).toEqual(expected);
    }
    expect(count(db, 'SELECT count(*) AS n FROM quarantine')).toBe(0);

    // A station pushes a memo to a Taobao order (the server's copy changes, modified = now)...
    const taobao = gw.gateways.find((g) => g.platform === 'taobao') as DemoGateway;
    const pushAt = clock.now;
    const next = NOW + 10 * MINUTE;
    const worldNext = new Map(changedOrders(worldShopOf(shops.find((s) => s.id === taobao.shopId) as ShopRecord), pushAt, next).map((o) => [o.platformOrderId, o]));
    const pushMemo = (o: PlatformOrder): string => {
      const i = taobao.orders.indexOf(o);
      taobao.orders[i] = { ...o, sellerMemo: `站内备注 ${o.platformOrderId}`, sellerFlag: 4, platformUpdatedAt: pushAt };
      return o.platformOrderId;
    };
    // ...one the world leaves alone, and one the world moves on (a new event, but not its memo).
    const quiet = pushMemo(taobao.orders.find((o) => o.status === 'awaiting_shipment' && !worldNext.has(o.platformOrderId)) as PlatformOrder);
    const movingOrder = taobao.orders.find((o) => {
      const w = worldNext.get(o.platformOrderId);
      return w !== undefined && w.sellerMemo === o.sellerMemo && w.platformUpdatedAt > pushAt;
    }) as PlatformOrder;
    expect(movingOrder).toBeDefined();
    const moving = pushMemo(movingOrder);

    // Ten minutes later the feeder brings in the world's news, and the next sync carries it.
    clock.now = next;
    gw.refresh();
    const onServer = (id: string) => taobao.orders.find((o) => o.platformOrderId === id) as PlatformOrder;
    expect(onServer(quiet)).toMatchObject({ sellerMemo: `站内备注 ${quiet}`, sellerFlag: 4, platformUpdatedAt: pushAt });
    const w = worldNext.get(moving) as PlatformOrder;
    expect(onServer(moving)).toMatchObject({ sellerMemo: `站内备注 ${moving}`, sellerFlag: 4, status: w.status, afterSale: w.afterSale, platformUpdatedAt: w.platformUpdatedAt });

    await syncAll();
    const created = count(db, 'SELECT count(*) AS n FROM orders WHERE created_at >= ?', NOW);
    expect(created).toBeGreaterThan(0);
    for (const shop of shops) {
      // Everything the world changed before the window's end is stored as the world has it; an order
      // that changed again inside the lag (not pulled yet) may still be stored in an earlier version.
      const end = next - (LAG[shop.platform] as number);
      const expected = expectedFromWorld(shop, NOW - DEMO_HISTORY_MS, end, next);
      const world = new Map(changedOrders(worldShopOf(shop), NOW - DEMO_HISTORY_MS, next).map((o) => [o.platformOrderId, o]));
      const got = new Map(stored(db, shop.id).map((o) => [o.id, o]));
      const touched = shop.id === taobao.shopId ? [quiet, moving] : [];
      for (const e of expected) if (!touched.includes(e.id)) expect(got.get(e.id)).toEqual(e);
      for (const id of got.keys()) if (!expected.some((e) => e.id === id)) expect(world.get(id)?.platformUpdatedAt).toBeGreaterThanOrEqual(end);
    }
    const memoOf = (id: string) => db.$client.prepare('SELECT seller_memo AS memo, seller_flag AS flag FROM orders WHERE shop_id = ? AND platform_order_id = ?').get(taobao.shopId, id);
    expect(memoOf(quiet)).toEqual({ memo: `站内备注 ${quiet}`, flag: 4 });
    expect(memoOf(moving)).toEqual({ memo: `站内备注 ${moving}`, flag: 4 });
    expect(count(db, 'SELECT count(*) AS n FROM quarantine')).toBe(0);
  }, 120_000);

  it('restarts on new ports, points the shops at them, and serves what changed while it was down', async () => {
    const { db, cipher } = station();
    const clock = { now: NOW };
    ensureDemoTeam(db, NOW, { secretCipher: cipher, shops: 6 });
    const first = await startDemoGateways({ db, now: () => clock.now, secretCipher: cipher, log: () => {}, feedIntervalMs: 0 });
    const firstUrls = { ...first.urls };
    await first.close();
    for (const s of shopsOf(db)) expect(JSON.parse(s.settings).gateway).toBe(DEMO_GATEWAY_NOT_STARTED);

    clock.now = NOW + 2 * DAY;
    const second = await startDemoGateways({ db, now: () => clock.now, secretCipher: cipher, log: () => {}, feedIntervalMs: 0 });
    cleanups.push(() => second.close());
    for (const s of shopsOf(db)) {
      expect(JSON.parse(s.settings).gateway).toBe(second.urls[s.id]);
      expect(second.urls[s.id]).not.toBe(firstUrls[s.id]);
    }
    // A never-synced shop: its server holds what a first sync backfills (3 days, an hour's margin).
    const ids = (orders: PlatformOrder[]) => orders.map((o) => `${o.platformOrderId}@${o.platformUpdatedAt}`).sort();
    const g = second.gateways.find((x) => x.platform === 'jd') as DemoGateway;
    const shop = shopsOf(db).find((s) => s.id === g.shopId) as ShopRecord;
    expect(ids(g.orders)).toEqual(ids(changedOrders(worldShopOf(shop), clock.now - DEMO_HISTORY_MS - HOUR, clock.now)));
    await second.close();

    // A shop synced before the station closed for a week: its server holds everything since its cursor.
    clock.now = NOW + 9 * DAY;
    db.$client.prepare('INSERT INTO sync_cursors (shop_id, cursor_ms) VALUES (?, ?)').run(g.shopId, NOW + DAY);
    const third = await startDemoGateways({ db, now: () => clock.now, secretCipher: cipher, log: () => {}, feedIntervalMs: 0 });
    cleanups.push(() => third.close());
    const g3 = third.gateways.find((x) => x.shopId === g.shopId) as DemoGateway;
    expect(ids(g3.orders)).toEqual(ids(changedOrders(worldShopOf(shop), NOW + DAY - HOUR, clock.now)));

    // A feeder tick takes a few seconds of the whole team's worlds and nothing before them.
    clock.now += 5_000;
    third.refresh();
    expect(ids(g3.orders)).toEqual(ids(changedOrders(worldShopOf(shop), NOW + DAY - HOUR, clock.now)));
  });

  it('leaves sandbox demo teams alone and serves nothing without a cipher', async () => {
    const { db, cipher } = station();
    ensureDemoTeam(db, NOW); // no cipher: the in-process sandbox team, as before
    const lines: string[] = [];
    const gw = await startDemoGateways({ db, now: () => NOW, secretCipher: cipher, log: (l) => lines.push(l), feedIntervalMs: 0 });
    cleanups.push(() => gw.close());
    expect(gw.gateways).toEqual([]);
    expect(lines).toEqual([]);
    expect(shopsOf(db).every((s) => s.platform === 'sandbox')).toBe(true);

    const other = station();
    ensureDemoTeam(other.db, NOW, { secretCipher: other.cipher, shops: 2 });
    const none = await startDemoGateways({ db: other.db, now: () => NOW, secretCipher: undefined, log: (l) => lines.push(l), feedIntervalMs: 0 });
    cleanups.push(() => none.close());
    expect(none.gateways).toEqual([]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/no secret cipher/);
    for (const s of shopsOf(other.db)) expect(JSON.parse(s.settings).gateway).toMatch(/^http:\/\/127\.0\.0\.1:9\//);
  });
});

describe('mergeWorldChange', () => {
  const base = { platformOrderId: '1', status: 'awaiting_shipment', afterSale: 'none', sellerMemo: null, sellerFlag: 0, platformUpdatedAt: 1000 } as unknown as PlatformOrder;

  it('takes the world copy when the server did not touch the order', () => {
    const theirs = { ...base, status: 'shipped', platformUpdatedAt: 2000 } as PlatformOrder;
    expect(mergeWorldChange(base, { ...base }, theirs)).toEqual(theirs);
  });

  it('keeps a pushed field the world did not change, and takes the world fields the server did not', () => {
    const ours = { ...base, sellerMemo: 'pushed', sellerFlag: 2, platformUpdatedAt: 1500, waybill: 'SF1' } as PlatformOrder;
    const theirs = { ...base, afterSale: 'requested', platformUpdatedAt: 2000 } as PlatformOrder;
    expect(mergeWorldChange(base, ours, theirs)).toEqual({ ...base, sellerMemo: 'pushed', sellerFlag: 2, afterSale: 'requested', platformUpdatedAt: 2000, waybill: 'SF1' });
  });

  it('gives a field both changed to the later writer', () => {
    const ours = { ...base, sellerMemo: 'pushed', platformUpdatedAt: 3000 } as PlatformOrder;
    const older = { ...base, sellerMemo: 'world', platformUpdatedAt: 2000 } as PlatformOrder;
    expect(mergeWorldChange(base, ours, older)).toMatchObject({ sellerMemo: 'pushed', platformUpdatedAt: 3000 });
    const newer = { ...base, sellerMemo: 'world', platformUpdatedAt: 4000 } as PlatformOrder;
    expect(mergeWorldChange(base, ours, newer)).toMatchObject({ sellerMemo: 'world', platformUpdatedAt: 4000 });
  });
});
