// JD stock writes against the loopback JD gateway: absolute figures one SKU a call, an unknown SKU
// refused in JD's words, deltas refused before anything is sent, throttling thrown.
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackShop, rejection, type LoopbackPlatform } from '../../../testkit/platforms/test-adapter.ts';
import { sandboxCatalogue, type SandboxProduct } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/jd/server.ts';
import { createJdAdapter } from './adapter.ts';
import { JD_ERR } from './errors.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: 'jd-app-1', appSecret: 'jd-s3cret', accessToken: 'tok-jd-123' };
const JD: LoopbackPlatform<PlatformServer> = { platform: 'jd', shopName: '京东店', app: APP, startServer: startPlatformServer, createAdapter: createJdAdapter };

let srv: PlatformServer | null = null;
afterEach(async () => {
  await srv?.close();
  srv = null;
});

async function setup(products: SandboxProduct[]) {
  srv = await startPlatformServer({ orders: [], products, ...APP, now: () => NOW });
  return { srv, adapter: createJdAdapter(loopbackShop(JD, srv.url), { now: () => NOW }) };
}

describe('JD stock writes', () => {
  it('sets each SKU; an unknown SKU is refused in JD words; a delta is refused before anything is sent', async () => {
    const products = sandboxCatalogue(2, NOW);
    const { adapter } = await setup(products);
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
    const { srv, adapter } = await setup(products);
    srv.setFault('throttled');
    const e = await rejection(adapter.writeStock!([{ platformProductId: products[0]!.productId, platformSkuId: products[0]!.skus[0]!.skuId, mode: 'set', quantity: 1, key: 'x' }]));
    expect(e.details).toMatchObject({ code: JD_ERR.throttled, throttled: true, retryable: true });
  });
});
