// PDD product listing against the loopback PDD gateway: the shared listing contract, plus what only
// PDD has — page_size above 100 refused by the gateway, the per-shop call limit, sku_list read whole.
import { describe, expect, it } from 'vitest';
import { describeProductsContract, listAll } from '../../../testkit/platforms/products-contract.suite.ts';
import { loopbackShop, rejection, platformUnderTest } from '../../../testkit/platforms/test-adapter.ts';
import { sandboxCatalogue } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer } from '../../../sandbox/platforms/pdd/server.ts';
import { createPddAdapter, pddCall } from './adapter.ts';
import { PDD_ERR } from './errors.ts';

const PDD = platformUnderTest('pdd', startPlatformServer, createPddAdapter);
const { now: NOW, app: APP } = PDD;
describeProductsContract({
  ...PDD,
  label: 'PDD adapter ↔ loopback PDD server',
  now: NOW,
  pageSize: 10,
  errors: { throttled: PDD_ERR.throttled, tokenExpired: PDD_ERR.tokenExpired, badSign: PDD_ERR.badSign },
  skuLessId: (p) => `${p.productId}00`,
  specOf: (s) => s.specs.map((x) => x.value).join(' ') || null,
  broken: { goods_id: 'g-12' },
  odd: {
    wire: { goods_name: 42 },
    field: 'goods_name',
    expect: (i) => expect([i.title, i.outerCode]).toEqual(['', expect.stringMatching(/^P\d+-\d$/)]),
  },
});

describe('PDD listing: what only PDD has', () => {
  it('the gateway refuses page_size above 100, and the adapter never asks for more (a shop setting of 500 lists in pages of 100)', async () => {
    const srv = await startPlatformServer({ orders: [], products: sandboxCatalogue(230, NOW), ...APP, now: () => NOW });
    try {
      const e = await rejection(pddCall({ gateway: srv.url, ...APP }, 'pdd.goods.list.get', { page: 1, page_size: 101 }, NOW));
      expect(e.details).toMatchObject({ code: PDD_ERR.badParams });
      const adapter = createPddAdapter(loopbackShop(PDD, srv.url, { productPageSize: 500 }), { now: () => NOW });
      const { items, pages } = await listAll(adapter);
      expect(pages).toBe(3);
      expect(new Set(items.map((i) => i.platformProductId)).size).toBe(230);
    } finally {
      await srv.close();
    }
  });

  it('the per-shop limit of 600 calls a minute answers with the throttling error', async () => {
    const srv = await startPlatformServer({ orders: [], products: sandboxCatalogue(2, NOW), ...APP, now: () => NOW });
    try {
      const adapter = createPddAdapter(loopbackShop(PDD, srv.url), { now: () => NOW });
      for (let i = 0; i < 600; i++) await adapter.listProducts!(null);
      const e = await rejection(adapter.listProducts!(null));
      expect(e.details).toMatchObject({ code: PDD_ERR.throttled, throttled: true, retryable: true });
    } finally {
      await srv.close();
    }
  });
});
