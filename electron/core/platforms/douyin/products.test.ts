// Douyin product listing against the loopback doudian gateway: the shared listing contract, plus what
// only Douyin has — listV2 without SKUs followed by sku.list per product, cursor mode past the
// page × size cap, "触发商品操作限流" read as throttling.
import { describe, expect, it } from 'vitest';
import { describeProductsContract, listAll } from '../../../testkit/platforms/products-contract.suite.ts';
import { loopbackShop, rejection, platformUnderTest } from '../../../testkit/platforms/test-adapter.ts';
import { sandboxCatalogue } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer } from '../../../sandbox/platforms/douyin/server.ts';
import { createDouyinAdapter, doudianCall } from './adapter.ts';
import { DOUDIAN_ERR } from './errors.ts';
import { listDoudianProducts } from './products.ts';
import { AppError } from '../../../shared/result.ts';

const DY = platformUnderTest('douyin', startPlatformServer, createDouyinAdapter);
const { now: NOW, app: APP } = DY;
describeProductsContract({
  ...DY,
  label: 'Douyin adapter ↔ loopback doudian server',
  now: NOW,
  pageSize: 10,
  errors: { throttled: DOUDIAN_ERR.throttled, tokenExpired: DOUDIAN_ERR.tokenExpired, badSign: DOUDIAN_ERR.badSign },
  skuLessId: (p) => `${p.productId}00`,
  specOf: (s) => s.specs.map((x) => x.value).join(' ') || null,
  broken: { product_id: 'p-abc' },
  odd: {
    wire: { outer_product_id: { code: 'P1' } },
    field: 'outer_product_id',
    expect: (i) => expect([i.productOuterCode, i.outerCode]).toEqual([null, expect.stringMatching(/^P\d+-\d$/)]),
  },
});

describe('Douyin listing: what only Douyin has', () => {
  it('the gateway refuses page 0 and page × size over 10,000; cursor mode lists past that cap', async () => {
    const srv = await startPlatformServer({ orders: [], products: sandboxCatalogue(120, NOW), ...APP, now: () => NOW });
    try {
      const s = { gateway: srv.url, ...APP };
      expect((await rejection(doudianCall(s, 'product.listV2', { page: 0, size: 10 }, NOW))).details).toMatchObject({ subCode: 'isv.parameter-invalid:2010004' });
      expect((await rejection(doudianCall(s, 'product.listV2', { page: 101, size: 100 }, NOW))).details).toMatchObject({ code: DOUDIAN_ERR.badParam });
      const adapter = createDouyinAdapter(loopbackShop(DY, srv.url, { productPageSize: 100 }), { now: () => NOW });
      const { items, pages } = await listAll(adapter);
      expect(new Set(items.map((i) => i.platformProductId)).size).toBe(120);
      expect(pages).toBe(3); // 100, 20, then the empty page that ends cursor mode
    } finally {
      await srv.close();
    }
  });

  it('"触发商品操作限流" (isv.business-failed:2010401) is throttling: retryable, throttled', async () => {
    const refusal = new AppError('PLATFORM_ERROR', 'douyin product.listV2: 50002 isv.business-failed:2010401 触发商品操作限流', { code: 50002, subCode: 'isv.business-failed:2010401', retryable: false, throttled: false });
    const e = await rejection(listDoudianProducts(() => Promise.reject(refusal), null, 10));
    expect(e.details).toMatchObject({ code: 50002, retryable: true, throttled: true });
  });
});
