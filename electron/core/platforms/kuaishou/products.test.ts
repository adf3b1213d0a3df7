// Kuaishou item listing against the loopback Kuaishou gateway: the shared listing contract, plus what
// only Kuaishou has — on-sale items only, pageSize 10..100 enforced by the gateway.
import { describe, expect, it } from 'vitest';
import { describeProductsContract, listAll } from '../../../testkit/platforms/products-contract.suite.ts';
import { loopbackShop, rejection, platformUnderTest } from '../../../testkit/platforms/test-adapter.ts';
import { sandboxCatalogue } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer } from '../../../sandbox/platforms/kuaishou/server.ts';
import { createKuaishouAdapter, ksCall } from './adapter.ts';
import { KS_ERR } from './errors.ts';

const KS = platformUnderTest('kuaishou', startPlatformServer, createKuaishouAdapter);
const { now: NOW, app: APP } = KS;
describeProductsContract({
  ...KS,
  label: 'Kuaishou adapter ↔ loopback Kuaishou server',
  now: NOW,
  pageSize: 10,
  errors: { throttled: KS_ERR.throttled, tokenExpired: KS_ERR.tokenExpired, badSign: KS_ERR.badSign },
  listed: (p) => p.onSale,
  productCodes: false,
  skuLessId: (p) => `${p.productId}00`,
  specOf: (s) => s.specs.map((x) => x.value).join(' ') || null,
  broken: { skuList: [{ kwaiSkuId: 'not-a-number' }] },
  odd: {
    wire: { title: ['not', 'text'] },
    field: 'title',
    expect: (i) => expect(i.title).toBe(''),
  },
});

describe('Kuaishou listing: what only Kuaishou has', () => {
  it('lists on-sale items only; pageSize outside 10..100 is refused by the gateway and a small setting is raised to 10', async () => {
    const products = sandboxCatalogue(25, NOW);
    const srv = await startPlatformServer({ orders: [], products, ...APP, now: () => NOW });
    try {
      const s = { gateway: srv.url, appKey: APP.appKey, signSecret: APP.appSecret, accessToken: APP.accessToken, signMethod: 'HMAC_SHA256' as const };
      for (const pageSize of [9, 101]) expect((await rejection(ksCall(s, 'open.item.list.get', { pageNumber: 1, pageSize }, NOW))).details).toMatchObject({ code: KS_ERR.badParams });
      expect((await rejection(ksCall(s, 'open.item.list.get', { pageNumber: 1, pageSize: 20, onOfflineStatus: 2 }, NOW))).details).toMatchObject({ code: KS_ERR.badParams });
      const adapter = createKuaishouAdapter(loopbackShop(KS, srv.url, { productPageSize: 3 }), { now: () => NOW });
      const { items, pages } = await listAll(adapter);
      const onSale = products.filter((p) => p.onSale);
      expect(pages).toBe(Math.ceil(onSale.length / 10));
      expect(new Set(items.map((i) => i.platformProductId))).toEqual(new Set(onSale.map((p) => p.productId)));
    } finally {
      await srv.close();
    }
  });
});
