// A SKU added to the catalogue after its platform SKUs were listed: skus.add and skus.import map the
// undecided rows that name its code (a SKU's own code, or a product without SKUs by the product's
// code), in the same commit, and re-check the open orders waiting on them — never over a person's
// decision, never a row naming another code. And a Taobao line sold without a SKU (its id is the
// sub-order) finds its product's mapping by the num_iid the trade carries, at ingest and on re-check,
// against the loopback TOP gateway.
import { afterEach, describe, expect, it } from 'vitest';
import type { SkuImportResult } from '../../shared/contract.ts';
import { abnormalBit, type PlatformOrder } from '../../shared/model.ts';
import { MINUTE } from '../../shared/time.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { lineItem, order } from '../../testkit/ingest-fixtures.ts';
import { loopbackShop, platformUnderTest } from '../../testkit/platforms/test-adapter.ts';
import { ok } from '../../testkit/results.ts';
import { sandboxCatalogue } from '../../sandbox/platforms/server-products.ts';
import { startPlatformServer as startTop } from '../../sandbox/platforms/taobao/server.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { createTaobaoAdapter } from '../platforms/taobao/adapter.ts';
import type { ShopRecord } from '../platforms/contract.ts';
import { pullMappings } from './mapping-pull.ts';

const UNMATCHED = abnormalBit('unmatched_sku');

let f: Fixture | null = null;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  f?.close();
  f = null;
  for (const c of closers.splice(0)) await c();
});

function listed(fx: Fixture, rows: { product: string; sku: string; outer?: string | null; productOuter?: string | null; matchedBy?: string }[]): void {
  const st = fx.db.$client.prepare(
    "INSERT INTO sku_mappings (shop_id, platform_product_id, platform_sku_id, outer_code, product_outer_code, title, listed_at, matched_by) VALUES ('shop-1', ?, ?, ?, ?, '标题', 1, ?)",
  );
  for (const r of rows) st.run(r.product, r.sku, r.outer ?? null, r.productOuter ?? null, r.matchedBy ?? null);
}

const mappingOf = (fx: Fixture, product: string, sku: string) =>
  fx.db.$client
    .prepare("SELECT s.outer_sku_code AS sku, m.matched_by AS matchedBy FROM sku_mappings m LEFT JOIN skus s ON s.id = m.sku_id WHERE m.shop_id = 'shop-1' AND m.platform_product_id = ? AND m.platform_sku_id = ?")
    .get(product, sku) as { sku: string | null; matchedBy: string | null };

const orderState = (fx: Fixture, id: string) =>
  fx.db.$client
    .prepare('SELECT o.abnormal_flags & ? AS unmatched, o.stock_state AS stock, s.outer_sku_code AS sku FROM orders o JOIN order_items oi ON oi.order_id = o.id LEFT JOIN skus s ON s.id = oi.sku_id WHERE o.id = ?')
    .get(UNMATCHED, id) as { unmatched: number; stock: string | null; sku: string | null };

const csv = (text: string) => Buffer.from(`\ufeff${text}`, 'utf8').toString('base64');

describe('new SKUs map the platform SKUs listed under their code', () => {
  it('skus.add maps undecided rows by outer code and re-checks the open order in the same commit', async () => {
    const fx = (f = openFixture());
    ok(await fx.call('warehouses.add', { code: 'WH-A', name: '杭州仓' }));
    listed(fx, [
      { product: '1', sku: 'A', outer: 'CUP-01' },
      { product: '2', sku: '', productOuter: 'CUP-01' }, // a product without SKUs: by the product's code
      { product: '3', sku: 'C', outer: 'CUP-01', matchedBy: 'hand' }, // a person left it unmapped: stays
      { product: '4', sku: 'D', outer: 'CUP-02' }, // another code: stays
    ]);
    // A paid order whose line names platform SKU A and no outer code: unmatched, nothing held.
    const [id] = fx.addOrders([order(1, { items: [lineItem(1, { platformSkuId: 'A', outerSkuCode: null })] })]);
    expect(orderState(fx, id!)).toEqual({ unmatched: UNMATCHED, stock: null, sku: null });

    ok(await fx.call('skus.add', { code: 'CUP-01', title: '马克杯' }));

    expect(mappingOf(fx, '1', 'A')).toEqual({ sku: 'CUP-01', matchedBy: 'outer_code' });
    expect(mappingOf(fx, '2', '')).toEqual({ sku: 'CUP-01', matchedBy: 'outer_code' });
    expect(mappingOf(fx, '3', 'C')).toEqual({ sku: null, matchedBy: 'hand' });
    expect(mappingOf(fx, '4', 'D')).toEqual({ sku: null, matchedBy: null });
    // The order's line found its SKU, the flag cleared, and stock settled (no units yet: 缺货).
    expect(orderState(fx, id!)).toEqual({ unmatched: 0, stock: 'short', sku: 'CUP-01' });
    // The new SKU is marked for the push round, and the mapping is audited under the same op.
    const skuId = (fx.db.$client.prepare("SELECT id FROM skus WHERE outer_sku_code = 'CUP-01'").get() as { id: string }).id;
    expect(fx.db.$client.prepare('SELECT count(*) AS n FROM stock_dirty WHERE sku_id = ?').get(skuId)).toEqual({ n: 1 });
    const ops = fx.db.$client.prepare("SELECT DISTINCT op_id AS op FROM audit_log WHERE entity IN ('sku', 'sku_mapping') AND entity_id IN ('CUP-01', 'shop-1/1/A')").all();
    expect(ops).toHaveLength(1);
  });

  it('skus.import maps the rows of the SKUs it adds; a dry run maps nothing; an updated SKU keeps its rows as they were', async () => {
    const fx = (f = openFixture());
    listed(fx, [
      { product: '1', sku: 'A', outer: 'CUP-01' },
      { product: '2', sku: 'B', outer: 'BOWL-01' },
      { product: '3', sku: 'C', outer: 'SOCK-01' }, // SOCK-01 is in the catalogue already; an update does not match it
    ]);
    const [id] = fx.addOrders([order(2, { items: [lineItem(2, { platformSkuId: 'B', outerSkuCode: null })] })]);
    const file = csv('商家编码,商品名称,安全库存\r\nCUP-01,马克杯,1\r\nBOWL-01,饭碗,0\r\nSOCK-01,,2\r\n');
    const dry = ok(await fx.call('skus.import', { fileName: 'skus.csv', base64: file, dryRun: true })) as SkuImportResult;
    expect(dry).toMatchObject({ added: 2, updated: 1, committed: false });
    expect(mappingOf(fx, '1', 'A').sku).toBeNull();

    const r = ok(await fx.call('skus.import', { fileName: 'skus.csv', base64: file })) as SkuImportResult;
    expect(r).toMatchObject({ added: 2, updated: 1, committed: true });
    expect(mappingOf(fx, '1', 'A')).toEqual({ sku: 'CUP-01', matchedBy: 'outer_code' });
    expect(mappingOf(fx, '2', 'B')).toEqual({ sku: 'BOWL-01', matchedBy: 'outer_code' });
    expect(mappingOf(fx, '3', 'C')).toEqual({ sku: null, matchedBy: null });
    expect(orderState(fx, id!)).toMatchObject({ unmatched: 0, sku: 'BOWL-01' });
  });
});

describe('Taobao lines sold without a SKU', () => {
  const TOP = platformUnderTest('taobao', startTop, createTaobaoAdapter);
  const NOW = TOP.now;
  /** A trade of one line of product 100000007 (listed without SKUs): the line id is the sub-order (oid). */
  const trade = (n: number, oid: string, o: Partial<PlatformOrder> = {}): PlatformOrder =>
    order(n, {
      createdAt: NOW - 20 * MINUTE,
      paidAt: NOW - 19 * MINUTE,
      platformUpdatedAt: NOW - 10 * MINUTE + n,
      items: [lineItem(n, { platformItemId: oid, platformProductId: '100000007', platformSkuId: null, outerSkuCode: null, title: '样品商品 7 号', skuName: null })],
      ...o,
    });
  const lineOf = (fx: Fixture, shopId: string, platformOrderId: string) =>
    fx.db.$client
      .prepare(
        'SELECT oi.platform_item_id AS itemId, s.outer_sku_code AS sku, o.abnormal_flags & ? AS unmatched FROM orders o JOIN order_items oi ON oi.order_id = o.id LEFT JOIN skus s ON s.id = oi.sku_id WHERE o.shop_id = ? AND o.platform_order_id = ?',
      )
      .get(UNMATCHED, shopId, platformOrderId) as { itemId: string; sku: string | null; unmatched: number };

  it('match by num_iid: re-checked from the kept payload when the product is mapped, and at ingest afterwards; the line keeps its oid', async () => {
    const fx = (f = openFixture());
    const srv = await startTop({ orders: [trade(1, '7100000000000000001')], products: sandboxCatalogue(8, NOW), ...TOP.app, now: () => NOW });
    closers.push(() => srv.close());
    const shop: ShopRecord = loopbackShop(TOP, srv.url);
    fx.db.$client.prepare('INSERT INTO shops (id, name, platform, state, settings, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(shop.id, shop.name, shop.platform, 'active', shop.settings, NOW);
    ok(await fx.call('skus.add', { code: 'LOCAL-CUP', title: '本地杯子' }));
    const adapter = createTaobaoAdapter(shop, { now: () => NOW });
    // The listing: product 100000007 has no SKUs, so its row is (100000007, ''); its code is not local.
    await pullMappings(fx.ctx(), { adapterFor: (s) => createTaobaoAdapter(s, { now: () => NOW }), sleep: async () => {} }, { shopId: shop.id });
    const sync = async () => {
      const { payloads } = await adapter.pullPage({ fromMs: NOW - 30 * MINUTE, toMs: NOW - MINUTE }, null);
      ingestOrders(fx.db, { shopId: shop.id, platform: 'taobao', orders: payloads.map((raw) => ({ order: adapter.toOrder(raw), raw })) }, NOW);
      return payloads;
    };
    const first = await sync();
    // The trade as TOP sends it: num_iid on the line, beside its oid.
    expect(JSON.stringify(first)).toContain('"num_iid":100000007');
    const o1 = trade(1, '').platformOrderId;
    expect(lineOf(fx, shop.id, o1)).toEqual({ itemId: '7100000000000000001', sku: null, unmatched: UNMATCHED });

    // A person maps the product (no SKU id): the open order's line is found through its kept payload.
    expect(ok(await fx.call('mapping.set', { rows: [{ shopId: shop.id, platformProductId: '100000007', platformSkuId: '' }], sku: 'LOCAL-CUP' }))).toEqual({ changed: 1, rechecked: 1 });
    expect(lineOf(fx, shop.id, o1)).toEqual({ itemId: '7100000000000000001', sku: 'LOCAL-CUP', unmatched: 0 });

    // A later trade of the same product matches at ingest; its line still names its sub-order.
    srv.orders = [...srv.orders, trade(2, '7100000000000000002')];
    await sync();
    expect(lineOf(fx, shop.id, trade(2, '').platformOrderId)).toEqual({ itemId: '7100000000000000002', sku: 'LOCAL-CUP', unmatched: 0 });

    // Unmapping the product brings the flag back on the open orders (the same lines, read the same way).
    expect(ok(await fx.call('mapping.set', { rows: [{ shopId: shop.id, platformProductId: '100000007', platformSkuId: '' }], sku: null }))).toEqual({ changed: 1, rechecked: 2 });
    expect(lineOf(fx, shop.id, o1)).toMatchObject({ sku: null, unmatched: UNMATCHED });
  });
});
