// The demo team's stock: what a fresh demo station holds before its first sync (warehouses, opening
// stock through the ledger, bundles, listings mapped), and what a newcomer sees after it — orders
// holding stock, orders waiting in 缺货 for the short SKUs, low and out-of-stock alerts — with never
// more held than there is.
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../core/api/events.ts';
import { writeTx } from '../../core/db/access.ts';
import { openDatabase, type Db } from '../../core/db/open.ts';
import { figuresIn, figuresOf } from '../../core/stock/available.ts';
import { evaluateAlerts } from '../../core/stock/alerts.ts';
import type { ShopRecord } from '../../core/platforms/contract.ts';
import { runPushRound } from '../../core/stock/push-round.ts';
import { StockSender } from '../../core/stock/push-sender.ts';
import { SyncScheduler } from '../../core/sync/scheduler.ts';
import { SandboxAdapter } from './adapter.ts';
import { CATALOG } from './catalog.ts';
import { DEMO_BUNDLES, DEMO_LOW_SKUS, DEMO_SHORT_SKUS, DEMO_WAREHOUSES, demoStockPlan, ensureDemoStock } from './demo-stock.ts';
import { DEMO_SHOPS, ensureDemoTeam } from './demo-team.ts';
import { DAY } from './generator.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const rows = <T>(db: Db, sql: string, ...args: unknown[]): T[] => db.$client.prepare(sql).all(...args) as T[];
const one = (db: Db, sql: string, ...args: unknown[]): number => (db.$client.prepare(sql).get(...args) as { n: number }).n;
const skuIdOf = (db: Db, code: string): string => (db.$client.prepare('SELECT id FROM skus WHERE outer_sku_code = ?').get(code) as { id: string }).id;

describe('demo team stock', () => {
  it('comes with two warehouses, opening stock received by the ledger, bundles and every shop listed and matched', () => {
    const db = openDatabase(':memory:');
    ensureDemoTeam(db, NOW, {});

    const warehouses = rows<{ code: string; name: string; regions: string; priority: number }>(db, 'SELECT code, name, regions, priority FROM warehouses ORDER BY priority DESC');
    expect(warehouses.map((w) => [w.code, w.name, JSON.parse(w.regions), w.priority])).toEqual(DEMO_WAREHOUSES.map((w) => [w.code, w.name, [...w.regions], w.priority]));

    // Every unit arrived by a receive movement of the demo, each its own command (ops row + audit entry).
    const plan = demoStockPlan(DEMO_SHOPS);
    expect(plan.length).toBeGreaterThan(100);
    const moves = rows<{ reason: string; actor: string; n: number }>(db, 'SELECT reason, actor, count(*) AS n FROM stock_movements GROUP BY reason, actor');
    expect(moves).toEqual([{ reason: 'receive', actor: 'demo', n: plan.reduce((n, l) => n + Object.values(l.receive).filter((q) => q > 0).length, 0) }]);
    expect(one(db, "SELECT count(*) AS n FROM ops WHERE name = 'stock.receive' AND actor = 'demo'")).toBe(moves[0]!.n);
    for (const line of plan) {
      const id = skuIdOf(db, line.sku);
      const sku = db.$client.prepare('SELECT safety_stock AS safety, low_stock_threshold AS threshold, lead_time_days AS lead FROM skus WHERE id = ?').get(id);
      expect(sku, line.sku).toEqual({ safety: line.safety, threshold: line.threshold, lead: line.leadTimeDays });
      expect(figuresOf(db, id).onHand, line.sku).toBe(line.receive.HZ! + line.receive.GZ!);
    }
    // Short SKUs start with less than a day's sales; the rest with more than their threshold.
    for (const code of DEMO_SHORT_SKUS) expect(figuresOf(db, skuIdOf(db, code)).available).toBeLessThan(plan.find((l) => l.sku === code)!.threshold);

    // Bundles: components as declared, and no stock of their own.
    for (const b of DEMO_BUNDLES) {
      const comps = rows<{ code: string; quantity: number }>(
        db,
        'SELECT s.outer_sku_code AS code, b.quantity FROM bundle_components b JOIN skus s ON s.id = b.component_sku_id WHERE b.bundle_sku_id = ? ORDER BY code',
        skuIdOf(db, b.sku),
      );
      expect(comps.map((c) => ({ sku: c.code, quantity: c.quantity }))).toEqual([...b.components].sort((x, y) => x.sku.localeCompare(y.sku)));
      expect(figuresOf(db, skuIdOf(db, b.sku)).onHand).toBe(0);
    }

    // Every shop's listing is in 商品对应, matched by outer code; only the products missing from the
    // local catalogue are left for a person.
    const shops = one(db, 'SELECT count(*) AS n FROM shops');
    expect(one(db, 'SELECT count(DISTINCT shop_id) AS n FROM sku_mappings')).toBe(shops);
    const unmapped = new Set(rows<{ code: string }>(db, 'SELECT DISTINCT outer_code AS code FROM sku_mappings WHERE sku_id IS NULL').map((r) => r.code));
    const unlisted = new Set(CATALOG.filter((p) => p.unlisted).flatMap((p) => p.skus.map((s) => s.outerSkuCode)));
    expect(unmapped.size).toBeGreaterThan(0);
    expect([...unmapped].every((c) => unlisted.has(c))).toBe(true);
    expect(one(db, "SELECT count(*) AS n FROM sku_mappings WHERE sku_id IS NOT NULL AND matched_by = 'outer_code' AND mapped_by = 'demo'")).toBe(
      one(db, 'SELECT count(*) AS n FROM sku_mappings WHERE sku_id IS NOT NULL'),
    );

    // Once only: a second call (a restart) adds nothing.
    expect(ensureDemoStock(db, NOW + 1000)).toBe(false);
    expect(one(db, 'SELECT count(*) AS n FROM stock_movements')).toBe(moves[0]!.n);
    db.$client.close();
  });

  it('stocks a demo station made before stock existed, once, settling the orders it already has, and never a station with warehouses of its own', async () => {
    const older = openDatabase(':memory:');
    // A demo team made before stock: the marker stands in for the code that did not exist yet.
    older.$client.prepare("INSERT INTO meta (key, value) VALUES ('demo.stock', '1')").run();
    ensureDemoTeam(older, NOW, { shops: 1 });
    expect(one(older, 'SELECT count(*) AS n FROM warehouses')).toBe(0);
    const scheduler = new SyncScheduler({ db: older, events: new EventBus(), now: () => NOW, backfillMs: DAY, adapterFor: (shop) => new SandboxAdapter(shop, { now: () => NOW }) });
    const shopId = (older.$client.prepare('SELECT id FROM shops').get() as { id: string }).id;
    expect((await scheduler.syncShop(shopId)).error).toBeUndefined();
    await scheduler.stop();
    const paid = one(older, "SELECT count(*) AS n FROM orders WHERE status = 'awaiting_shipment'");
    expect(paid).toBeGreaterThan(20);
    expect(one(older, 'SELECT count(*) AS n FROM orders WHERE stock_state IS NOT NULL')).toBe(0);

    older.$client.exec("DELETE FROM meta WHERE key = 'demo.stock'");
    expect(ensureDemoStock(older, NOW)).toBe(true);
    expect(one(older, 'SELECT count(*) AS n FROM warehouses')).toBe(2);
    expect(one(older, "SELECT count(*) AS n FROM stock_movements WHERE reason = 'receive' AND actor = 'demo'")).toBeGreaterThan(0);
    // The paid orders it already had now hold their units, or wait for the short SKU.
    expect(one(older, "SELECT count(*) AS n FROM orders WHERE stock_state = 'reserved'")).toBeGreaterThan(paid / 2);
    expect(one(older, "SELECT count(*) AS n FROM orders WHERE stock_state = 'short'")).toBeGreaterThan(0);
    const moves = one(older, 'SELECT count(*) AS n FROM stock_movements');
    expect(ensureDemoStock(older, NOW + 1000)).toBe(false);
    expect(one(older, 'SELECT count(*) AS n FROM stock_movements')).toBe(moves);
    older.$client.close();

    // A demo station whose team set up a warehouse of its own is left to it.
    const own = openDatabase(':memory:');
    own.$client.prepare("INSERT INTO meta (key, value) VALUES ('demo.stock', '1')").run();
    ensureDemoTeam(own, NOW, { shops: 1 });
    own.$client.exec("DELETE FROM meta WHERE key = 'demo.stock'");
    own.$client.prepare("INSERT INTO warehouses (id, code, name, created_at) VALUES ('w', 'MINE', '自己的仓', 0)").run();
    expect(ensureDemoStock(own, NOW)).toBe(false);
    expect(one(own, 'SELECT count(*) AS n FROM stock_movements')).toBe(0);
    own.$client.close();

    const notDemo = openDatabase(':memory:');
    expect(ensureDemoStock(notDemo, NOW)).toBe(false);
    expect(one(notDemo, 'SELECT count(*) AS n FROM warehouses')).toBe(0);
    notDemo.$client.close();
  });

  it('on the first day: paid orders hold stock, the short SKUs leave orders in 缺货, low and out alerts are raised, never more held than there is, and the shops are told', async () => {
    const db = openDatabase(':memory:');
    ensureDemoTeam(db, NOW, {});
    // The last day of the demo's history (the station backfills three; one holds the same picture, faster).
    const scheduler = new SyncScheduler({ db, events: new EventBus(), now: () => NOW, backfillMs: DAY, adapterFor: (shop) => new SandboxAdapter(shop, { now: () => NOW }) });
    for (const { id } of rows<{ id: string }>(db, 'SELECT id FROM shops ORDER BY created_at')) {
      const r = await scheduler.syncShop(id);
      expect(r.error).toBeUndefined();
    }
    await scheduler.stop();

    const states = new Map(rows<{ state: string | null; n: number }>(db, "SELECT stock_state AS state, count(*) AS n FROM orders WHERE status = 'awaiting_shipment' GROUP BY stock_state").map((r) => [r.state, r.n]));
    expect(states.get('reserved') ?? 0).toBeGreaterThan(500);
    const short = states.get('short') ?? 0;
    expect(short).toBeGreaterThan(10);
    // 缺货 is the exception, not the day: most paid orders are filled.
    expect(short).toBeLessThan((states.get('reserved') ?? 0) / 5);

    // Each short SKU has orders waiting for it (MY-7103-66 also through the 组合装 holding it).
    for (const code of DEMO_SHORT_SKUS) {
      const waiting = one(
        db,
        `SELECT count(DISTINCT o.id) AS n FROM orders o JOIN order_items i ON i.order_id = o.id
          WHERE o.stock_state = 'short' AND (i.sku_id = :sku OR i.sku_id IN (SELECT bundle_sku_id FROM bundle_components WHERE component_sku_id = :sku))`,
        { sku: skuIdOf(db, code) },
      );
      expect(waiting, code).toBeGreaterThan(0);
    }

    // Never more held than on hand less safety, in any warehouse.
    const held = rows<{ skuId: string; warehouseId: string }>(db, "SELECT DISTINCT sku_id AS skuId, warehouse_id AS warehouseId FROM stock_reservations WHERE state = 'held'");
    expect(held.length).toBeGreaterThan(50);
    for (const h of held) {
      const f = figuresIn(db, h.skuId, h.warehouseId);
      expect(f.reserved).toBeLessThanOrEqual(f.onHand - f.safety);
    }

    const skuIds = rows<{ id: string }>(db, 'SELECT id FROM skus').map((r) => r.id);
    writeTx(db, (tx) => evaluateAlerts(tx, skuIds, NOW));
    const open = rows<{ code: string; kind: string }>(db, 'SELECT s.outer_sku_code AS code, a.kind FROM stock_alerts a JOIN skus s ON s.id = a.sku_id WHERE a.cleared_at IS NULL');
    const kinds = (code: string): string[] => open.filter((a) => a.code === code).map((a) => a.kind);
    for (const code of DEMO_SHORT_SKUS) expect(kinds(code), code).toContain('out');
    for (const code of DEMO_LOW_SKUS) expect(kinds(code), code).toContain('low');
    // A few SKUs alert, not the catalogue.
    expect(new Set(open.filter((a) => a.kind === 'low' || a.kind === 'out').map((a) => a.code)).size).toBeLessThan(skuIds.length / 4);

    // One push round tells the in-process shops what is available: 0 for the short SKUs.
    const round = writeTx(db, (tx) => runPushRound(tx, { now: NOW, full: true }));
    expect(round.skipped).toEqual([]);
    const adapterFor = (shop: ShopRecord) => new SandboxAdapter(shop, { now: () => NOW });
    const sent = await new StockSender({ db, events: new EventBus(), now: () => NOW, adapterFor }).flush();
    expect(sent.refused + sent.failed).toBe(0);
    expect(sent.confirmed).toBeGreaterThan(100);
    for (const shop of rows<ShopRecord>(db, 'SELECT id, name, platform, state, settings FROM shops')) {
      for (const item of (await adapterFor(shop).listProducts(null)).items) {
        const skuId = (db.$client.prepare('SELECT sku_id AS id FROM sku_mappings WHERE shop_id = ? AND platform_sku_id = ?').get(shop.id, item.platformSkuId) as { id: string | null }).id;
        if (skuId === null || db.$client.prepare('SELECT 1 FROM bundle_components WHERE bundle_sku_id = ?').get(skuId)) continue;
        expect(item.platformStock, item.outerCode ?? '').toBe(Math.max(0, figuresOf(db, skuId).available));
        if (DEMO_SHORT_SKUS.includes(item.outerCode ?? '')) expect(item.platformStock).toBe(0);
      }
    }
    db.$client.close();
  }, 120_000);
});
