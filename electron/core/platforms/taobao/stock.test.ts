// Taobao stock writes against the loopback TOP gateway: SKUs of one item ≤ 20 a call by SKU id, an
// item without SKUs by item.quantity.update, deltas refused, a refused call refusing its writes.
import { describe, expect, it } from 'vitest';
import { platformUnderTest, rejection, useLoopbackServer } from '../../../testkit/platforms/test-adapter.ts';
import { sandboxCatalogue } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer } from '../../../sandbox/platforms/taobao/server.ts';
import type { StockWrite } from '../../../shared/stock-model.ts';
import { createTaobaoAdapter } from './adapter.ts';

const TOP = platformUnderTest('taobao', startPlatformServer, createTaobaoAdapter);
const { now: NOW } = TOP;
const setup = useLoopbackServer(TOP, NOW);

describe('Taobao stock writes', () => {
  it('sets 25 SKUs of one item in two calls (≤ 20 each) and an item without SKUs by item.quantity.update', async () => {
    const products = sandboxCatalogue(7, NOW);
    const big = products[1]!;
    big.skus = Array.from({ length: 25 }, (_, k) => ({ skuId: `${big.productId}${String(k).padStart(2, '0')}`, outerId: `B-${k}`, specs: [], stock: 0, reserved: 0, priceFen: 100, onSale: true }));
    const plain = products[6]!; // every seventh product has no SKUs
    expect(plain.skus).toHaveLength(0);
    const { srv, adapter } = await setup({ products });
    const writes: StockWrite[] = [
      ...big.skus.map((s, k) => ({ platformProductId: big.productId, platformSkuId: s.skuId, mode: 'set' as const, quantity: k + 1, key: `b${k}` })),
      { platformProductId: plain.productId, platformSkuId: null, mode: 'set', quantity: 9, key: 'plain' },
      { platformProductId: plain.productId, platformSkuId: null, mode: 'delta', quantity: 1, key: 'delta' },
    ];
    const results = await adapter.writeStock!(writes);
    expect(results.slice(0, 25)).toEqual(big.skus.map((_, k) => ({ kind: 'confirmed', key: `b${k}`, platformStock: k + 1 })));
    expect(results[25]).toEqual({ kind: 'confirmed', key: 'plain', platformStock: 9 });
    expect(results[26]).toMatchObject({ kind: 'refused', key: 'delta' });
    const calls = srv.calls.filter((c) => c.method === 'taobao.skus.quantity.update');
    expect(calls.map((c) => c.params.skuid_quantities!.split(';').length)).toEqual([20, 5]);
    expect(calls.every((c) => c.params.type === '1' && c.params.outerid_quantities === undefined)).toBe(true);
    expect(plain.stock).toBe(9);
  });

  it('a refused call refuses each of its writes in TOP words; throttling throws', async () => {
    const products = sandboxCatalogue(2, NOW);
    const { srv, adapter } = await setup({ products });
    const p = products[0]!;
    const results = await adapter.writeStock!([
      { platformProductId: p.productId, platformSkuId: p.skus[0]!.skuId, mode: 'set', quantity: 1, key: 'a' },
      { platformProductId: p.productId, platformSkuId: '123', mode: 'set', quantity: 1, key: 'b' },
    ]);
    expect(results.map((r) => r.kind)).toEqual(['refused', 'refused']);
    expect(results[1]).toMatchObject({ reason: expect.stringContaining('不属于商品') });
    srv.setFault({ kind: 'throttle' });
    const e = await rejection(adapter.writeStock!([{ platformProductId: p.productId, platformSkuId: p.skus[0]!.skuId, mode: 'set', quantity: 1, key: 'c' }]));
    expect(e.details).toMatchObject({ code: 7, throttled: true, retryable: true });
  });
});
