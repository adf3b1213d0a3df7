// JD stock writes against the loopback JD gateway: absolute figures one SKU a call, an unknown SKU
// refused in JD's words, deltas refused before anything is sent, throttling thrown.
import { describe, expect, it } from 'vitest';
import { platformUnderTest, rejection, useLoopbackServer } from '../../../testkit/platforms/test-adapter.ts';
import { sandboxCatalogue } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer } from '../../../sandbox/platforms/jd/server.ts';
import { createJdAdapter } from './adapter.ts';
import { JD_ERR } from './errors.ts';

const JD = platformUnderTest('jd', startPlatformServer, createJdAdapter);
const { now: NOW } = JD;
const setup = useLoopbackServer(JD, NOW);

describe('JD stock writes', () => {
  it('sets each SKU; an unknown SKU is refused in JD words; a delta is refused before anything is sent', async () => {
    const products = sandboxCatalogue(2, NOW);
    const { adapter } = await setup({ products });
    const s = products[0]!.skus[0]!;
    const results = await adapter.writeStock!([
      { platformProductId: products[0]!.productId, platformSkuId: s.skuId, mode: 'set', quantity: 33, key: 'a' },
      { platformProductId: products[0]!.productId, platformSkuId: '999999', mode: 'set', quantity: 1, key: 'b' },
      { platformProductId: products[0]!.productId, platformSkuId: s.skuId, mode: 'delta', quantity: 1, key: 'c' },
    ]);
    expect(results[0]).toEqual({ kind: 'confirmed', key: 'a', platformStock: 33 });
    expect(results[1]).toMatchObject({ kind: 'refused', key: 'b', reason: expect.stringContaining('不存在'), lockedByPromotion: false });
    expect(results[2]).toMatchObject({ kind: 'refused', key: 'c' });
    expect(s.stock).toBe(33);
  });

  it('throttling throws for the whole call, retryable', async () => {
    const products = sandboxCatalogue(1, NOW);
    const { srv, adapter } = await setup({ products });
    srv.setFault('throttled');
    const e = await rejection(adapter.writeStock!([{ platformProductId: products[0]!.productId, platformSkuId: products[0]!.skus[0]!.skuId, mode: 'set', quantity: 1, key: 'x' }]));
    expect(e.details).toMatchObject({ code: JD_ERR.throttled, throttled: true, retryable: true });
  });
});
