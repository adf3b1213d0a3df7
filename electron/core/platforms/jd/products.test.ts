// JD SKU listing against the loopback JD gateway: the shared listing contract, plus what only JD has —
// one row per SKU, page_size above the sandbox's 50 refused, deleted SKUs not asked for.
import { describe, expect, it } from 'vitest';
import { describeProductsContract, listAll } from '../../../testkit/platforms/products-contract.suite.ts';
import { loopbackShop, rejection, platformUnderTest } from '../../../testkit/platforms/test-adapter.ts';
import { sandboxCatalogue } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer } from '../../../sandbox/platforms/jd/server.ts';
import { createJdAdapter, jdCall } from './adapter.ts';
import { JD_ERR } from './errors.ts';

const JD = platformUnderTest('jd', startPlatformServer, createJdAdapter);
const { now: NOW, app: APP } = JD;
describeProductsContract({
  ...JD,
  label: 'JD adapter ↔ loopback JD server',
  now: NOW,
  pageSize: 10,
  errors: { throttled: JD_ERR.throttled, tokenExpired: JD_ERR.tokenExpired, badSign: JD_ERR.badSign },
  productCodes: false,
  skuLessId: (p) => `${p.productId}00`,
  specOf: (s) => s.specs.map((x) => x.value).join(' ') || null,
  broken: { skuId: 'sku-x' },
  odd: {
    wire: { stockNum: '12件' },
    field: 'stockNum',
    expect: (i) => expect([i.platformStock, i.outerCode]).toEqual([null, expect.stringMatching(/^P\d+-\d$/)]),
  },
});

describe('JD listing: what only JD has', () => {
  it('page_size above 50 is refused by the sandbox gateway, and the adapter never asks for more', async () => {
    const products = sandboxCatalogue(40, NOW);
    const srv = await startPlatformServer({ orders: [], products, ...APP, now: () => NOW });
    try {
      const e = await rejection(jdCall({ gateway: srv.url, ...APP }, 'jingdong.sku.read.searchSkuList', { pageNo: 1, page_size: 51 }, NOW));
      expect(e.details).toMatchObject({ code: JD_ERR.badParams });
      const adapter = createJdAdapter(loopbackShop(JD, srv.url, { productPageSize: 1000 }), { now: () => NOW });
      const { items, pages } = await listAll(adapter);
      expect(pages).toBe(Math.ceil(items.length / 50));
      expect(items.length).toBeGreaterThan(50);
    } finally {
      await srv.close();
    }
  });
});
