// The demo team's stock, so a newcomer sees reservations, 缺货 and alerts on the first day: two
// warehouses (杭州仓 for the east, 广州仓 for the south), opening stock received into both through
// the ledger's own command (real movements, actor 'demo'), three 组合装 of demo SKUs, safety stock,
// low-stock thresholds and lead times, and every demo shop's listing in 商品对应, matched by outer
// code with the mapping's own rule (the unlisted catalogue products stay unmapped: the page has work).
//
// Quantities follow what the demo world sells: each SKU's units per day from the shops' order rates
// and the catalogue's weights (the generator's own draws, in expectation). Most SKUs get ten days of
// it; a few get two (they show as low once the first sync holds stock for the paid orders); two get
// half a day (their orders outrun them: the first sync leaves orders waiting in 缺货).
import { EventBus } from '../../core/api/events.ts';
import type { CoreContext } from '../../core/api/command.ts';
import { writeTx, type WriteTx } from '../../core/db/access.ts';
import type { Db } from '../../core/db/open.ts';
import { shopSettings } from '../../core/platforms/contract.ts';
import { createStationClock } from '../../core/station/clock.ts';
import { setBundle } from '../../core/stock/bundles.ts';
import { markStockDirty } from '../../core/stock/dirty.ts';
import { receiveStock } from '../../core/stock/ledger.ts';
import { afterMappingChanges, autoMatchIn, recordPull } from '../../core/stock/mapping.ts';
import { settleOrders } from '../../core/stock/reserve.ts';
import { addWarehouse } from '../../core/stock/warehouses.ts';
import { CATALOG, CATEGORIES, type Category } from './catalog.ts';
import { demoListing } from './listing.ts';

/** The demo's warehouses: the east one serves the Yangtze delta first, the south one Guangdong and its neighbours. */
export const DEMO_WAREHOUSES = [
  { code: 'HZ', name: '杭州仓', address: '浙江省杭州市余杭区仓前街道文一西路 1 号', regions: ['浙江', '江苏', '上海', '安徽'], priority: 10, share: 0.6 },
  { code: 'GZ', name: '广州仓', address: '广东省广州市白云区太和镇演示物流园 8 号', regions: ['广东', '广西', '福建', '海南'], priority: 5, share: 0.4 },
] as const;

/** 组合装 of demo SKUs: the bundle products of the catalogue, each made of SKUs its shop also sells alone. */
export const DEMO_BUNDLES: readonly { sku: string; components: { sku: string; quantity: number }[] }[] = [
  { sku: 'LS-ZH01', components: [{ sku: 'LS-1001-30', quantity: 1 }, { sku: 'LS-1002-YW', quantity: 1 }, { sku: 'LS-1003-20', quantity: 1 }] },
  { sku: 'SM-ZH01', components: [{ sku: 'SM-5203-WH', quantity: 1 }, { sku: 'SM-5201-1M-WH', quantity: 1 }] },
  { sku: 'MY-ZH01', components: [{ sku: 'MY-7103-66', quantity: 1 }, { sku: 'MY-7102', quantity: 2 }] },
];

/** SKUs that start with about two days of what they sell: low once paid orders hold theirs. */
export const DEMO_LOW_SKUS: readonly string[] = ['MZ-6101', 'SM-5201-1M-WH', 'CW-9102-YW', 'MY-7101-M'];
/** SKUs that start with about half a day of what they sell: the first sync leaves orders in 缺货 (MY-7103-66 with the 组合装 holding it). */
export const DEMO_SHORT_SKUS: readonly string[] = ['NZ-2302-BK-M', 'MY-7103-66'];

/** Days of sales each SKU starts with. */
const COVER_DAYS = { normal: 10, low: 2, short: 0.5 } as const;
/** Days from ordering more to having it, by category (for the restock suggestion and days-of-cover alerts). */
const LEAD_TIME_DAYS: Record<Category, number> = { 女装: 5, 零食: 3, 家居: 7, 数码配件: 10, 美妆: 7, 母婴: 5, 运动户外: 7, 宠物用品: 4 };

// The generator's order shape, in expectation (generator.ts detailsOf/lifecycleOf).
const PAID_SHARE = 0.93;
const LINES_PER_ORDER = 1.8;
const UNITS_PER_LINE = 1.3;
const GIFT_SHARE = 0.08;

export interface DemoStockLine {
  sku: string;
  /** Units received into each warehouse, by code. */
  receive: Record<string, number>;
  safety: number;
  threshold: number;
  leadTimeDays: number;
}

/** What the shops sell of each local SKU per day (bundle lines counted into their components). */
export function demoUnitsPerDay(shops: readonly { categories: readonly Category[]; ordersPerHour: number }[]): Map<string, number> {
  const perDay = new Map<string, number>();
  const add = (code: string, n: number): void => {
    const bundle = DEMO_BUNDLES.find((b) => b.sku === code);
    if (bundle) for (const c of bundle.components) add(c.sku, n * c.quantity);
    else perDay.set(code, (perDay.get(code) ?? 0) + n);
  };
  for (const shop of shops) {
    const categories = shop.categories.length > 0 ? shop.categories : CATEGORIES;
    const products = CATALOG.filter((p) => categories.includes(p.category));
    const sold = products.filter((p) => !p.isGift);
    const gifts = products.filter((p) => p.isGift).flatMap((p) => p.skus);
    const totalWeight = sold.reduce((n, p) => n + p.weight, 0);
    const orders = shop.ordersPerHour * 24 * PAID_SHARE;
    for (const p of sold) for (const s of p.skus) add(s.outerSkuCode, (orders * LINES_PER_ORDER * UNITS_PER_LINE * p.weight) / p.skus.length / totalWeight);
    for (const g of gifts) add(g.outerSkuCode, (orders * GIFT_SHARE) / gifts.length);
  }
  return perDay;
}

/** The opening stock and settings of every stocked demo SKU (bundles and unlisted products hold none). */
export function demoStockPlan(shops: readonly { categories: readonly Category[]; ordersPerHour: number }[]): DemoStockLine[] {
  const perDay = demoUnitsPerDay(shops);
  const bundles = new Set(DEMO_BUNDLES.map((b) => b.sku));
  const out: DemoStockLine[] = [];
  for (const p of CATALOG) {
    if (p.unlisted) continue;
    for (const s of p.skus) {
      const code = s.outerSkuCode;
      const d = perDay.get(code);
      if (d === undefined || bundles.has(code)) continue;
      const short = DEMO_SHORT_SKUS.includes(code);
      const cover = short ? COVER_DAYS.short : DEMO_LOW_SKUS.includes(code) ? COVER_DAYS.low : COVER_DAYS.normal;
      const total = Math.max(short ? 1 : 6, Math.round(d * cover));
      const east = Math.round(total * DEMO_WAREHOUSES[0].share);
      out.push({
        sku: code,
        receive: { [DEMO_WAREHOUSES[0].code]: east, [DEMO_WAREHOUSES[1].code]: total - east },
        // None for the short ones: every unit they have goes to the first-paid orders, and what waits is plainly out.
        safety: short ? 0 : Math.round(d * 0.1),
        threshold: Math.max(2, Math.ceil(d * 1.5)),
        leadTimeDays: LEAD_TIME_DAYS[p.category],
      });
    }
  }
  return out;
}

/** Set once the demo's stock is in place, so stock someone has since changed is left so. */
export const DEMO_STOCK_KEY = 'demo.stock';

/**
 * The demo's stock, in the caller's transaction: warehouses, SKU settings, bundles, opening stock and
 * the shops' listings matched. Commands (warehouses.add, bundles.set, stock.receive) run as actor
 * 'demo' through runCommand, so the ledger, audit log and ops log show where every unit came from.
 * Does nothing on a station that already has a warehouse or was stocked before. Orders already on
 * the station (a demo made before stock existed) are settled against the new stock.
 */
export function addDemoStock(tx: WriteTx, now: number): boolean {
  const c = tx.$client;
  if (c.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(DEMO_STOCK_KEY)) return false;
  if (c.prepare('SELECT 1 FROM warehouses LIMIT 1').get()) return false;
  const ctx: CoreContext = {
    db: tx,
    actor: { userId: 'demo', name: 'demo', role: 'owner' },
    events: new EventBus(),
    clock: createStationClock(tx, () => now),
    now: () => now,
  };

  const shops = c
    .prepare<[], { id: string; platform: string; settings: string }>('SELECT id, platform, settings FROM shops ORDER BY created_at, id')
    .all()
    .flatMap((row) => {
      const s = shopSettings(row);
      if (typeof s.seed !== 'number') return [];
      const categories = Array.isArray(s.categories) ? s.categories.filter((x): x is Category => (CATEGORIES as readonly unknown[]).includes(x)) : [];
      return [{ id: row.id, seed: s.seed >>> 0, categories, ordersPerHour: typeof s.ordersPerHour === 'number' ? s.ordersPerHour : 20 }];
    });

  for (const w of DEMO_WAREHOUSES) addWarehouse(ctx, { code: w.code, name: w.name, address: w.address, regions: [...w.regions], priority: w.priority });

  const skuId = c.prepare<[string], { id: string }>('SELECT id FROM skus WHERE outer_sku_code = ?');
  for (const b of DEMO_BUNDLES) {
    if (skuId.get(b.sku) && b.components.every((x) => skuId.get(x.sku))) setBundle(ctx, { sku: b.sku, components: b.components });
  }

  const plan = demoStockPlan(shops).filter((line) => skuId.get(line.sku));
  const settings = c.prepare<[number, number, number, number, string]>(
    'UPDATE skus SET safety_stock = ?, low_stock_threshold = ?, lead_time_days = ?, updated_at = ? WHERE outer_sku_code = ?',
  );
  for (const line of plan) {
    settings.run(line.safety, line.threshold, line.leadTimeDays, now, line.sku);
    for (const [warehouse, quantity] of Object.entries(line.receive)) {
      if (quantity > 0) receiveStock(ctx, { sku: line.sku, warehouse, quantity, reference: '演示期初入库' });
    }
  }

  // Each shop's listing as a pull lands it, then the mapping's own outer-code match.
  const upsert = c.prepare(
    `INSERT INTO sku_mappings (shop_id, platform_product_id, platform_sku_id, outer_code, product_outer_code, title, spec, platform_stock, on_sale, listed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (shop_id, platform_product_id, platform_sku_id) DO NOTHING`,
  );
  for (const shop of shops) {
    let listed = 0;
    for (const p of demoListing(shop, now)) {
      for (const s of p.skus) {
        const spec = s.specs.length > 0 ? s.specs.map((x) => `${x.name}:${x.value}`).join(';') : null;
        upsert.run(shop.id, p.productId, s.skuId, s.outerId || null, p.outerId || null, p.title, spec, s.stock, now);
        listed += 1;
      }
    }
    recordPull(tx, shop.id, { at: now, listed, quarantinedCount: 0, quarantined: [] });
  }
  const matched = autoMatchIn(tx, null, 'demo', now);
  afterMappingChanges(tx, matched, now);

  // A demo made before stock existed has paid orders holding nothing: they reserve (or wait) now.
  const open = c.prepare<[], { id: string }>("SELECT id FROM orders WHERE status = 'awaiting_shipment' ORDER BY paid_at, seq").all();
  if (open.length > 0) settleOrders(tx, open.map((o) => o.id), now, { actor: 'demo' });
  markStockDirty(tx, plan.map((l) => skuId.get(l.sku)!.id), now);
  c.prepare("INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(DEMO_STOCK_KEY);
  return true;
}

/**
 * A demo station made before stock existed gets its stock once (the demo team's own stations get it
 * with the team); any other station — not a demo, already stocked, or with warehouses of its own — is
 * left as it is.
 */
export function ensureDemoStock(db: Db, now: number): boolean {
  const demo = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get('demo');
  if (demo?.value !== '1') return false;
  return writeTx(db, (tx) => addDemoStock(tx, now));
}
