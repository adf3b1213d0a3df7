// PDD stock writes against the loopback PDD gateway: absolute figures one SKU a call, the promotion-slot
// refusal named as a lock, deltas refused before anything is sent (no idempotency key).
import { describe, expect, it } from 'vitest';
import { platformUnderTest, rejection, useLoopbackServer } from '../../../testkit/platforms/test-adapter.ts';
import { sandboxCatalogue } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer } from '../../../sandbox/platforms/pdd/server.ts';
import { createPddAdapter } from './adapter.ts';
import { PDD_ERR } from './errors.ts';

const PDD = platformUnderTest('pdd', startPlatformServer, createPddAdapter);
const { now: NOW } = PDD;
const setup = useLoopbackServer(PDD, NOW);

describe('PDD stock writes', () => {
  it('sets each SKU with its own call; a SKU in a promotion slot is refused as a lock, the others are set', async () => {
    const products = sandboxCatalogue(3, NOW);
    const { srv, adapter } = await setup({ products });
    const skus = products.flatMap((p) => p.skus.map((s) => ({ p, s })));
    const locked = skus[1]!;
    locked.s.stock = 10;
    srv.promotionLocked.add(locked.s.skuId);
    const results = await adapter.writeStock!(skus.map(({ p, s }, i) => ({ platformProductId: p.productId, platformSkuId: s.skuId, mode: 'set' as const, quantity: i === 1 ? 4 : 20 + i, key: `k${i}` })));
    expect(srv.calls.filter((c) => c.type === 'pdd.goods.quantity.update')).toHaveLength(skus.length);
    for (const [i, r] of results.entries()) {
      if (i === 1) expect(r).toMatchObject({ kind: 'refused', key: 'k1', lockedByPromotion: true, reason: expect.stringContaining('资源位') });
      else expect(r).toEqual({ kind: 'confirmed', key: `k${i}`, platformStock: 20 + i });
    }
    expect(locked.s.stock).toBe(10);
    expect(skus[0]!.s.stock).toBe(20);
  });

  it('deltas are refused before anything is sent: PDD has no idempotency key', async () => {
    const products = sandboxCatalogue(1, NOW);
    const { srv, adapter } = await setup({ products });
    const s = products[0]!.skus[0]!;
    const [r] = await adapter.writeStock!([{ platformProductId: products[0]!.productId, platformSkuId: s.skuId, mode: 'delta', quantity: 2, key: 'd' }]);
    expect(r).toMatchObject({ kind: 'refused', lockedByPromotion: false });
    expect(srv.calls).toHaveLength(0);
  });

  it('throttling and an expired token throw for the whole call', async () => {
    const products = sandboxCatalogue(1, NOW);
    const { srv, adapter } = await setup({ products });
    const w = { platformProductId: products[0]!.productId, platformSkuId: products[0]!.skus[0]!.skuId, mode: 'set' as const, quantity: 1, key: 'x' };
    srv.setFault('throttled');
    expect((await rejection(adapter.writeStock!([w]))).details).toMatchObject({ code: PDD_ERR.throttled, throttled: true, retryable: true });
    srv.setFault('tokenExpired');
    expect((await rejection(adapter.writeStock!([w]))).code).toBe('SHOP_AUTH_EXPIRED');
  });
});
