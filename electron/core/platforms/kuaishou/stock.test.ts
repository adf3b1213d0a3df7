// Kuaishou stock writes against the loopback Kuaishou gateway: deltas one SKU a call as POST, the
// reserve lock (result 21, which is also an auth code) refused as a lock, absolute figures refused.
import { describe, expect, it } from 'vitest';
import { loopbackShop, platformUnderTest, rejection, useLoopbackServer } from '../../../testkit/platforms/test-adapter.ts';
import { sandboxCatalogue } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer } from '../../../sandbox/platforms/kuaishou/server.ts';
import { createKuaishouAdapter } from './adapter.ts';
import { KS_ERR } from './errors.ts';

const KS = platformUnderTest('kuaishou', startPlatformServer, createKuaishouAdapter);
const { now: NOW } = KS;
const setup = useLoopbackServer(KS, NOW);

describe('Kuaishou stock writes', () => {
  it('adds and takes stock by delta; taking reserved stock is refused as a lock in the platform words', async () => {
    const products = sandboxCatalogue(2, NOW);
    const { adapter } = await setup({ products });
    const p = products[0]!;
    const s = p.skus[0]!;
    s.stock = 10;
    s.reserved = 4;
    const w = (quantity: number, key: string) => ({ platformProductId: p.productId, platformSkuId: s.skuId, mode: 'delta' as const, quantity, key });
    expect(await adapter.writeStock!([w(5, 'a'), w(-3, 'b')])).toEqual([
      { kind: 'confirmed', key: 'a', platformStock: null },
      { kind: 'confirmed', key: 'b', platformStock: null },
    ]);
    expect(s.stock).toBe(12);
    const [locked] = await adapter.writeStock!([w(-10, 'c')]);
    expect(locked).toMatchObject({ kind: 'refused', key: 'c', lockedByPromotion: true, reason: expect.stringContaining('请减少预留数量') });
    expect(s.stock).toBe(12);
  });

  it('an absolute figure is refused before anything is sent; a wrong token is still an expired authorisation', async () => {
    const products = sandboxCatalogue(1, NOW);
    const { srv, adapter } = await setup({ products });
    const s = products[0]!.skus[0]!;
    const before = s.stock;
    const [r] = await adapter.writeStock!([{ platformProductId: products[0]!.productId, platformSkuId: s.skuId, mode: 'set', quantity: 3, key: 's' }]);
    expect(r).toMatchObject({ kind: 'refused', lockedByPromotion: false });
    expect(s.stock).toBe(before);
    const stale = createKuaishouAdapter(loopbackShop(KS, srv.url, { accessToken: 'old' }), { now: () => NOW });
    const e = await rejection(stale.writeStock!([{ platformProductId: products[0]!.productId, platformSkuId: s.skuId, mode: 'delta', quantity: 1, key: 'd' }]));
    expect(e.code).toBe('SHOP_AUTH_EXPIRED');
    srv.setFault('throttled');
    expect((await rejection(adapter.writeStock!([{ platformProductId: products[0]!.productId, platformSkuId: s.skuId, mode: 'delta', quantity: 1, key: 't' }]))).details).toMatchObject({ code: KS_ERR.throttled, throttled: true });
  });
});
