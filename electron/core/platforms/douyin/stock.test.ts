// Douyin stock writes against the loopback doudian gateway: absolute figures in batches of ≤ 50 with
// per-SKU results, a promotion lock refused as such, keyed deltas applied once however often retried.
import { describe, expect, it } from 'vitest';
import { platformUnderTest, rejection, useLoopbackServer } from '../../../testkit/platforms/test-adapter.ts';
import { sandboxCatalogue, type SandboxProduct } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer } from '../../../sandbox/platforms/douyin/server.ts';
import type { StockWrite } from '../../../shared/stock-model.ts';
import { createDouyinAdapter, doudianCall } from './adapter.ts';
import { DOUDIAN_ERR } from './errors.ts';

const DY = platformUnderTest('douyin', startPlatformServer, createDouyinAdapter);
const { now: NOW, app: APP } = DY;
const setup = useLoopbackServer(DY, NOW);

const skusOf = (products: SandboxProduct[]) => products.flatMap((p) => p.skus.map((s) => ({ p, s })));

describe('Douyin stock writes', () => {
  it('sets 120 SKUs in batches of at most 50, each confirmed with the figure the platform reports', async () => {
    const products = sandboxCatalogue(60, NOW);
    const { srv, adapter } = await setup({ products });
    const all = skusOf(products).slice(0, 120);
    const writes: StockWrite[] = all.map(({ p, s }, i) => ({ platformProductId: p.productId, platformSkuId: s.skuId, mode: 'set', quantity: i % 17, key: `k${i}` }));
    const results = await adapter.writeStock!(writes);
    expect(results.map((r) => r.kind)).toEqual(writes.map(() => 'confirmed'));
    expect(results.map((r) => (r.kind === 'confirmed' ? r.platformStock : null))).toEqual(writes.map((w) => w.quantity));
    for (const [i, { s }] of all.entries()) expect(s.stock).toBe(i % 17);
    // the gateway refuses more than 50 in one call; the adapter's batching is what made 120 pass
    const items = all.slice(0, 51).map(({ p, s }) => ({ product_id: Number(p.productId), sku_id: Number(s.skuId), stock_num: 1 }));
    expect((await rejection(doudianCall({ gateway: srv.url, ...APP }, 'sku.syncStockBatchMultiProducts', { incremental: false, items }, NOW))).details).toMatchObject({ code: DOUDIAN_ERR.badParam });
  });

  it('a SKU held by an activity is refused as a promotion lock in the platform words; the others in the batch are set', async () => {
    const products = sandboxCatalogue(3, NOW);
    const { srv, adapter } = await setup({ products });
    const [a, b] = skusOf(products);
    srv.promotionLocked.add(a!.s.skuId);
    a!.s.stock = 10;
    const results = await adapter.writeStock!([
      { platformProductId: a!.p.productId, platformSkuId: a!.s.skuId, mode: 'set', quantity: 9, key: 'a' },
      { platformProductId: b!.p.productId, platformSkuId: b!.s.skuId, mode: 'set', quantity: 7, key: 'b' },
    ]);
    expect(results[0]).toMatchObject({ kind: 'refused', key: 'a', lockedByPromotion: true, reason: expect.stringContaining('活动') });
    expect(a!.s.stock).toBe(10);
    expect(results[1]).toEqual({ kind: 'confirmed', key: 'b', platformStock: 7 });
  });

  it('a delta is sent with its key as idempotent_id: retried, it is applied once and still confirmed', async () => {
    const products = sandboxCatalogue(2, NOW);
    const { adapter } = await setup({ products });
    const [{ p, s }] = skusOf(products) as [{ p: SandboxProduct; s: SandboxProduct['skus'][number] }];
    const before = s.stock;
    const w: StockWrite = { platformProductId: p.productId, platformSkuId: s.skuId, mode: 'delta', quantity: 5, key: 'op-1' };
    expect(await adapter.writeStock!([w])).toEqual([{ kind: 'confirmed', key: 'op-1', platformStock: null }]);
    expect(await adapter.writeStock!([w])).toEqual([{ kind: 'confirmed', key: 'op-1', platformStock: null }]);
    expect(s.stock).toBe(before + 5);
    const below = await adapter.writeStock!([{ ...w, quantity: -(before + 6), key: 'op-2' }]);
    expect(below[0]).toMatchObject({ kind: 'refused', reason: expect.stringContaining('库存不足'), lockedByPromotion: false });
    expect(s.stock).toBe(before + 5);
  });

  it('throttling throws for the whole call, retryable', async () => {
    const products = sandboxCatalogue(2, NOW);
    const { srv, adapter } = await setup({ products });
    srv.setFault('throttled');
    const [{ p, s }] = skusOf(products) as [{ p: SandboxProduct; s: SandboxProduct['skus'][number] }];
    const e = await rejection(adapter.writeStock!([{ platformProductId: p.productId, platformSkuId: s.skuId, mode: 'set', quantity: 1, key: 'x' }]));
    expect(e.details).toMatchObject({ throttled: true, retryable: true });
  });
});
