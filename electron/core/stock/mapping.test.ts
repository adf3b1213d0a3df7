// 商品对应 on a real station: the pull against the loopback Taobao and PDD gateways (paged listing,
// quarantined products reported and kept, rows no longer listed flagged and kept with their mapping),
// the auto-match rules (outer code, a product without SKUs by its own code, never over a person's
// decision), mapping by hand, and the re-check of open orders (the line finds its SKU, the
// unmatched_sku flag clears, shipped orders stay as they were); later ingests match through the
// mapping before the outer code.
import { afterEach, describe, expect, it } from 'vitest';
import type { MappingList, MappingView } from '../../shared/contract.ts';
import { abnormalBit } from '../../shared/model.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { lineItem, order } from '../../testkit/ingest-fixtures.ts';
import { loopbackShop, platformUnderTest } from '../../testkit/platforms/test-adapter.ts';
import { ok } from '../../testkit/results.ts';
import { sandboxCatalogue } from '../../sandbox/platforms/server-products.ts';
import { startPlatformServer as startPdd } from '../../sandbox/platforms/pdd/server.ts';
import { startPlatformServer as startTop } from '../../sandbox/platforms/taobao/server.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { createPddAdapter } from '../platforms/pdd/adapter.ts';
import { createTaobaoAdapter } from '../platforms/taobao/adapter.ts';
import type { AdapterFactory, ShopRecord } from '../platforms/contract.ts';
import { pullMappings } from './mapping-pull.ts';
import { lastPull } from './mapping.ts';

const TOP = platformUnderTest('taobao', startTop, createTaobaoAdapter);
const PDD = platformUnderTest('pdd', startPdd, createPddAdapter);
const NOW = TOP.now;
const UNMATCHED = abnormalBit('unmatched_sku');

let f: Fixture | null = null;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  f?.close();
  f = null;
  for (const c of closers.splice(0)) await c();
});

/** A shop row pointing at a loopback gateway, and the deps the pull uses for it. */
function addShop(fx: Fixture, shop: ShopRecord): void {
  fx.db.$client.prepare('INSERT INTO shops (id, name, platform, state, settings, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(shop.id, shop.name, shop.platform, 'active', shop.settings, NOW);
}
const depsFor = (factory: AdapterFactory) => ({ adapterFor: (shop: ShopRecord) => factory(shop, { now: () => NOW }), sleep: async () => {} });

async function list(fx: Fixture, input: Record<string, unknown> = {}): Promise<MappingList> {
  return ok(await fx.call('mapping.list', { limit: 1000, ...input })) as MappingList;
}
const row = (l: MappingList, productId: string, skuId: string): MappingView => {
  const r = l.rows.find((x) => x.platformProductId === productId && x.platformSkuId === skuId);
  if (!r) throw new Error(`no row ${productId}/${skuId}`);
  return r;
};
const flagsOf = (fx: Fixture, shopId: string, platformOrderId: string) =>
  fx.db.$client.prepare('SELECT o.abnormal_flags AS flags, oi.sku_id AS skuId FROM orders o JOIN order_items oi ON oi.order_id = o.id WHERE o.shop_id = ? AND o.platform_order_id = ?').get(shopId, platformOrderId) as {
    flags: number;
    skuId: string | null;
  };

describe('mapping.pull', () => {
  it('walks a Taobao listing page by page, auto-matches by outer code, re-checks open orders, and keeps what is no longer listed', async () => {
    const fx = (f = openFixture());
    const catalogue = sandboxCatalogue(10, NOW);
    const srv = await startTop({ orders: [], products: catalogue, ...TOP.app, now: () => NOW });
    closers.push(() => srv.close());
    const shop = loopbackShop(TOP, srv.url, { productPageSize: 3 });
    addShop(fx, shop);
    // Local SKUs for one SKU of product 1 and for product 7, which has no SKUs (its own code counts).
    ok(await fx.call('skus.add', { code: 'P100000001-1', title: '样品商品 1 号' }));
    ok(await fx.call('skus.add', { code: 'P100000007', title: '样品商品 7 号' }));
    // An open order whose line names the platform SKU but no outer code, one already shipped.
    const line = lineItem(1, { platformSkuId: '10000000101', outerSkuCode: null });
    ingestOrders(fx.db, { shopId: shop.id, platform: 'taobao', orders: [{ order: order(1, { items: [line] }), raw: null }, { order: order(2, { items: [{ ...line, platformItemId: 'I2' }], status: 'shipped' }), raw: null }] }, NOW);
    expect(flagsOf(fx, shop.id, order(1).platformOrderId).flags & UNMATCHED).toBe(UNMATCHED);

    const r = await pullMappings(fx.ctx(), depsFor(createTaobaoAdapter), {});
    const expected = catalogue.reduce((n, p) => n + Math.max(1, p.skus.length), 0);
    const mine = r.shops.find((s) => s.shopId === shop.id)!;
    expect(mine).toMatchObject({ error: null, listed: expected, added: expected, delisted: 0, autoMatched: 2, quarantinedCount: 0, rechecked: 1 });
    // The fixture's own shop (platform taobao, no gateway) failed alone and said why.
    expect(r.shops.find((s) => s.shopId === 'shop-1')!.error).toBeTruthy();

    const l = await list(fx, { shopId: shop.id });
    expect(l.total).toBe(expected);
    expect(l.unmapped).toBe(expected - 2);
    expect(l.rows.slice(0, expected - 2).every((x) => x.sku === null)).toBe(true); // unmapped first
    expect(row(l, '100000001', '10000000101')).toMatchObject({ sku: 'P100000001-1', matchedBy: 'outer_code', title: '样品商品 1 号', delisted: false });
    expect(row(l, '100000007', '')).toMatchObject({ sku: 'P100000007', matchedBy: 'outer_code', outerCode: 'P100000007' });

    // The open order's line found its SKU and lost its flag; the shipped one was left as it was.
    const skuId = (fx.db.$client.prepare("SELECT id FROM skus WHERE outer_sku_code = 'P100000001-1'").get() as { id: string }).id;
    expect(flagsOf(fx, shop.id, order(1).platformOrderId)).toEqual({ flags: 0, skuId });
    expect(flagsOf(fx, shop.id, order(2).platformOrderId).skuId).toBeNull();

    // A person maps a SKU of product 2 by hand; the platform then stops listing product 2.
    ok(await fx.call('mapping.set', { rows: [{ shopId: shop.id, platformProductId: '100000002', platformSkuId: '10000000201' }], sku: 'SOCK-01' }));
    srv.products = catalogue.filter((p) => p.productId !== '100000002');
    const again = (await pullMappings(fx.ctx(), depsFor(createTaobaoAdapter), { shopId: shop.id })).shops[0]!;
    const gone = catalogue.find((p) => p.productId === '100000002')!.skus.length;
    expect(again).toMatchObject({ error: null, listed: expected - gone, added: 0, delisted: gone, autoMatched: 0 });
    const l2 = await list(fx, { shopId: shop.id });
    expect(l2.total).toBe(expected); // nothing deleted
    expect(row(l2, '100000002', '10000000201')).toMatchObject({ sku: 'SOCK-01', matchedBy: 'hand', delisted: true });
    expect(row(l2, '100000001', '10000000101')).toMatchObject({ sku: 'P100000001-1', delisted: false });
  });

  it('reports a PDD product it cannot read with the reason, keeps it for the 商品对应 view, and lists the rest', async () => {
    const fx = (f = openFixture());
    const catalogue = sandboxCatalogue(6, NOW, 200_000_001);
    catalogue[2] = { ...catalogue[2]!, wire: { goods_id: 'g-12' } };
    const srv = await startPdd({ orders: [], products: catalogue, ...PDD.app, now: () => NOW });
    closers.push(() => srv.close());
    const shop = loopbackShop(PDD, srv.url, { productPageSize: 2 });
    addShop(fx, shop);
    const r = (await pullMappings(fx.ctx(), depsFor(createPddAdapter), { shopId: shop.id })).shops[0]!;
    const readable = catalogue.filter((_, i) => i !== 2).reduce((n, p) => n + Math.max(1, p.skus.length), 0);
    expect(r).toMatchObject({ error: null, listed: readable, quarantinedCount: 1 });
    expect(r.quarantined[0]!.reason).toMatch(/goods_id/);
    const kept = lastPull(fx.db, shop.id)!;
    expect(kept.quarantined).toHaveLength(1);
    expect(kept.quarantined[0]!.raw).toContain('g-12');
    const l = await list(fx, { shopId: shop.id });
    expect(l.total).toBe(readable);
    // The 商品对应 view reads them back.
    expect(l.lastPulls).toEqual([expect.objectContaining({ shopId: shop.id, listed: readable, quarantinedCount: 1, quarantined: [expect.objectContaining({ reason: r.quarantined[0]!.reason })] })]);
  });

  it('a platform whose adapter fails is reported for its shop and writes nothing for it', async () => {
    const fx = (f = openFixture());
    const r = await pullMappings(fx.ctx(), { adapterFor: () => { throw new Error('no route to the platform'); } }, { shopId: 'shop-1' });
    expect(r.shops).toEqual([expect.objectContaining({ shopId: 'shop-1', error: 'no route to the platform', listed: 0 })]);
    expect((await list(fx)).total).toBe(0);
    expect(lastPull(fx.db, 'shop-1')).toBeNull();
  });
});

/** Listed rows put straight in the table, as a pull leaves them. */
function listed(fx: Fixture, rows: { product: string; sku: string; outer?: string | null; productOuter?: string | null }[]): void {
  const st = fx.db.$client.prepare(
    "INSERT INTO sku_mappings (shop_id, platform_product_id, platform_sku_id, outer_code, product_outer_code, title, listed_at) VALUES ('shop-1', ?, ?, ?, ?, '标题', 1)",
  );
  for (const r of rows) st.run(r.product, r.sku, r.outer ?? null, r.productOuter ?? null);
}
const key = (product: string, sku: string) => ({ shopId: 'shop-1', platformProductId: product, platformSkuId: sku });

describe('mapping.pull: what a listing changes', () => {
  /** An adapter listing these SKUs in one page (the loopback tests above walk real pages). */
  const listing = (items: { product: string; sku: string; outer: string | null }[]) => ({
    adapterFor: () =>
      ({
        platform: 'taobao',
        listProducts: async () => ({
          items: items.map((i) => ({ platformProductId: i.product, platformSkuId: i.sku, outerCode: i.outer, productOuterCode: null, title: '标题', spec: null, platformStock: 3, onSale: true })),
          quarantined: [],
          next: null,
        }),
      }) as unknown as import('../platforms/contract.ts').PlatformAdapter,
    sleep: async () => {},
  });

  it('a row matched by its outer code follows a changed code; a hand mapping stays whatever the code', async () => {
    const fx = (f = openFixture());
    await pullMappings(fx.ctx(), listing([{ product: '1', sku: 'A', outer: 'SOCK-01' }, { product: '2', sku: 'B', outer: 'SOCK-01' }]), { shopId: 'shop-1' });
    ok(await fx.call('mapping.set', { rows: [key('2', 'B')], sku: 'SOCK-01' }));
    const [id] = fx.addOrders([order(5, { items: [lineItem(5, { platformSkuId: 'A', outerSkuCode: null })] })]);
    expect(fx.db.$client.prepare('SELECT sku_id AS s FROM order_items WHERE order_id = ?').get(id)).toEqual({ s: 'sku-2' });
    const r = (await pullMappings(fx.ctx(), listing([{ product: '1', sku: 'A', outer: 'NZ-2301-BK-M' }, { product: '2', sku: 'B', outer: 'NZ-2301-BK-M' }]), { shopId: 'shop-1' })).shops[0]!;
    expect(r).toMatchObject({ error: null, listed: 2, added: 0, autoMatched: 1, rechecked: 1 });
    const l = await list(fx);
    expect(row(l, '1', 'A')).toMatchObject({ sku: 'NZ-2301-BK-M', matchedBy: 'outer_code', outerCode: 'NZ-2301-BK-M', platformStock: 3 });
    expect(row(l, '2', 'B')).toMatchObject({ sku: 'SOCK-01', matchedBy: 'hand' });
    // The open order's line moved with the mapping.
    expect(fx.db.$client.prepare('SELECT sku_id AS s FROM order_items WHERE order_id = ?').get(id)).toEqual({ s: 'sku-1' });
  });
});

describe('auto-match and mapping by hand', () => {
  it('matches by outer code only rows nobody decided: a hand unmapping and an import mapping stay', async () => {
    const fx = (f = openFixture());
    listed(fx, [
      { product: '1', sku: 'A', outer: 'SOCK-01' },
      { product: '2', sku: 'B', outer: 'SOCK-01' },
      { product: '3', sku: 'C', outer: 'SOCK-01' },
      { product: '4', sku: '', outer: null, productOuter: 'NZ-2301-BK-M' }, // no SKUs: the product's code
      { product: '5', sku: 'E', outer: null, productOuter: 'NZ-2301-BK-M' }, // a SKU without its own code: not by the product's
      { product: '6', sku: 'F', outer: 'NOT-IN-CATALOGUE' },
    ]);
    ok(await fx.call('mapping.set', { rows: [key('2', 'B')], sku: null }));
    fx.db.$client.prepare("UPDATE sku_mappings SET sku_id = 'sku-1', matched_by = 'import' WHERE platform_product_id = '3'").run();
    const r = ok(await fx.call('mapping.autoMatch', {}));
    expect(r).toEqual({ changed: 2, rechecked: 0 });
    const l = await list(fx);
    expect(row(l, '1', 'A')).toMatchObject({ sku: 'SOCK-01', matchedBy: 'outer_code' });
    expect(row(l, '2', 'B')).toMatchObject({ sku: null, matchedBy: 'hand' });
    expect(row(l, '3', 'C')).toMatchObject({ sku: 'NZ-2301-BK-M', matchedBy: 'import' });
    expect(row(l, '4', '')).toMatchObject({ sku: 'NZ-2301-BK-M', matchedBy: 'outer_code' });
    expect(row(l, '5', 'E').sku).toBeNull();
    expect(row(l, '6', 'F').sku).toBeNull();
    // Unmapped first, and the search finds by the local SKU's code too.
    expect(l.rows.slice(0, 3).map((x) => x.sku)).toEqual([null, null, null]);
    expect((await list(fx, { q: 'SOCK' })).rows.map((x) => x.platformProductId).sort()).toEqual(['1', '2', '3']);
    // One SKU's own rows.
    expect((await list(fx, { sku: 'NZ-2301-BK-M' })).rows.map((x) => x.platformProductId)).toEqual(['3', '4']);
    expect(await list(fx, { sku: 'NO-SUCH' })).toMatchObject({ rows: [], total: 0 });
  });

  it('mapping by hand re-checks open orders: the line gets its SKU and the unmatched flag clears; unmapping brings it back', async () => {
    const fx = (f = openFixture());
    listed(fx, [{ product: '900', sku: 'PX1' }]);
    const [id] = fx.addOrders([order(7, { items: [lineItem(7, { platformSkuId: 'PX1', outerSkuCode: 'SOMETHING-ELSE' })] })]);
    const flags = () => fx.db.$client.prepare('SELECT abnormal_flags AS f FROM orders WHERE id = ?').get(id) as { f: number };
    expect(flags().f & UNMATCHED).toBe(UNMATCHED);
    expect(ok(await fx.call('mapping.set', { rows: [key('900', 'PX1')], sku: 'SOCK-01' }))).toEqual({ changed: 1, rechecked: 1 });
    expect(flags().f & UNMATCHED).toBe(0);
    expect(fx.db.$client.prepare('SELECT sku_id AS s FROM order_items WHERE order_id = ?').get(id)).toEqual({ s: 'sku-2' });
    // The SKU's pushes follow the mapping.
    expect(fx.db.$client.prepare("SELECT count(*) AS n FROM stock_dirty WHERE sku_id = 'sku-2'").get()).toEqual({ n: 1 });
    // The same again changes nothing.
    expect(ok(await fx.call('mapping.set', { rows: [key('900', 'PX1')], sku: 'SOCK-01' }))).toEqual({ changed: 0, rechecked: 0 });
    expect(ok(await fx.call('mapping.set', { rows: [key('900', 'PX1')], sku: null }))).toEqual({ changed: 1, rechecked: 1 });
    expect(flags().f & UNMATCHED).toBe(UNMATCHED);
  });

  it('a later ingest finds the SKU through the mapping before the outer code', async () => {
    const fx = (f = openFixture());
    listed(fx, [{ product: '900', sku: 'PX2' }]);
    ok(await fx.call('mapping.set', { rows: [key('900', 'PX2')], sku: 'SOCK-01' }));
    // The line's outer code names the T-shirt, but the shop mapped this platform SKU to the socks.
    const [id] = fx.addOrders([order(8, { items: [lineItem(8, { platformSkuId: 'PX2' })] })]);
    expect(fx.db.$client.prepare('SELECT sku_id AS s FROM order_items WHERE order_id = ?').get(id)).toEqual({ s: 'sku-2' });
    // Another shop's line with the same platform SKU id is not this shop's mapping: the outer code decides.
    fx.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-2', '二店', 'taobao', 'active', 1)").run();
    ingestOrders(fx.db, { shopId: 'shop-2', platform: 'taobao', orders: [{ order: order(9, { items: [lineItem(9, { platformSkuId: 'PX2' })] }), raw: null }] }, NOW);
    expect(flagsOf(fx, 'shop-2', order(9).platformOrderId).skuId).toBe('sku-1');
  });

  it('pages across the unmapped and mapped rows: every row once, unmapped first, counts of the whole filter', async () => {
    const fx = (f = openFixture());
    listed(fx, Array.from({ length: 10 }, (_, i) => ({ product: `P${i}`, sku: `S${i}` })));
    fx.db.$client.prepare("UPDATE sku_mappings SET sku_id = 'sku-1', matched_by = 'hand' WHERE platform_product_id IN ('P0', 'P3', 'P4', 'P8')").run();
    const seen: MappingView[] = [];
    for (let offset = 0; offset < 12; offset += 3) seen.push(...(await list(fx, { limit: 3, offset })).rows);
    expect(seen.map((r) => r.platformProductId)).toEqual(['P1', 'P2', 'P5', 'P6', 'P7', 'P9', 'P0', 'P3', 'P4', 'P8']);
    expect(await list(fx, { limit: 3, offset: 3 })).toMatchObject({ total: 10, unmapped: 6 });
    const unmappedOnly = await list(fx, { unmapped: true, limit: 4, offset: 4 });
    expect(unmappedOnly).toMatchObject({ total: 6, unmapped: 6 });
    expect(unmappedOnly.rows.map((r) => r.platformProductId)).toEqual(['P7', 'P9']);
  });

  it('refuses a row the shop never listed, and a SKU code the catalogue does not have, writing nothing', async () => {
    const fx = (f = openFixture());
    listed(fx, [{ product: '1', sku: 'A' }]);
    const e1 = await fx.call('mapping.set', { rows: [key('1', 'A'), key('1', 'NOPE')], sku: 'SOCK-01' });
    expect(e1.ok ? null : e1.error.reason).toBe('mapping.not_found');
    const e2 = await fx.call('mapping.set', { rows: [key('1', 'A')], sku: 'NO-SUCH' });
    expect(e2.ok ? null : e2.error.reason).toBe('sku.not_found');
    expect(row(await list(fx), '1', 'A').sku).toBeNull();
  });
});
