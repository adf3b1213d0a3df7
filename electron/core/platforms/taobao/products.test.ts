// Taobao/Tmall item listing against the loopback TOP gateway: the shared listing contract, plus what
// only TOP has — on-sale then warehouse lists, SKUs read per 40 items, the fields whitelist, and a new
// modified-time window where page_no × page_size would pass 20,000.
import { describe, expect, it } from 'vitest';
import { describeProductsContract, listAll } from '../../../testkit/platforms/products-contract.suite.ts';
import { loopbackShop, platformUnderTest, type LoopbackServer } from '../../../testkit/platforms/test-adapter.ts';
import type { LoopbackServerOptions, ProductListingServer } from '../../../sandbox/platforms/loopback-server.ts';
import { sandboxCatalogue } from '../../../sandbox/platforms/server-products.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/taobao/server.ts';
import { createTaobaoAdapter } from './adapter.ts';
import { listTopProducts, topSpecText } from './products.ts';

const TOP = platformUnderTest('taobao', startWrapped, createTaobaoAdapter);
const { now: NOW, app: APP } = TOP;

type Wrapped = LoopbackServer & ProductListingServer & { top: PlatformServer };

/** The TOP sandbox under the shared suite's fault names (it names its own faults as objects). */
async function startWrapped(opts: LoopbackServerOptions): Promise<Wrapped> {
  const top = await startPlatformServer(opts);
  return {
    top,
    url: top.url,
    get orders() {
      return top.orders;
    },
    set orders(next) {
      top.orders = next;
    },
    get products() {
      return top.products;
    },
    set products(next) {
      top.products = next;
    },
    setFault(f) {
      const map = { http5xx: { kind: '5xx' }, throttled: { kind: 'throttle' }, tokenExpired: { kind: 'token-expired' }, malformedJson: { kind: 'malformed-json' }, badPayload: { kind: 'bad-payload' } } as const;
      top.setFault(f === null ? null : map[f]);
    },
    close: () => top.close(),
  };
}

describeProductsContract({
  ...TOP,
  label: 'Taobao adapter ↔ loopback TOP server',
  now: NOW,
  pageSize: 10,
  errors: { throttled: 7, tokenExpired: 27, badSign: 25 },
  skuLessId: null,
  specOf: (s) => s.specs.map((x) => `${x.name}:${x.value}`).join(';') || null,
  broken: { num_iid: 'iid-x' },
  odd: {
    wire: { outer_id: 12 },
    field: 'outer_id',
    expect: (i) => expect([i.productOuterCode, i.outerCode]).toEqual([null, expect.stringMatching(/^P\d+-\d$/)]),
  },
});

describe('Taobao listing: what only TOP has', () => {
  it('reads properties_name as the spec people see', () => {
    expect(topSpecText('1627207:28320:颜色:红色;20509:28314:尺码:XL')).toBe('颜色:红色;尺码:XL');
    expect(topSpecText('')).toBeNull();
  });

  it('asks only for whitelisted item fields, reads SKUs for at most 40 items a call, and lists on-sale items before warehouse ones', async () => {
    const srv = await startWrapped({ orders: [], products: sandboxCatalogue(120, NOW), ...APP, now: () => NOW });
    try {
      const adapter = createTaobaoAdapter(loopbackShop(TOP, srv.url, { productPageSize: 200 }), { now: () => NOW });
      const { items } = await listAll(adapter);
      const methods = srv.top.calls.map((c) => c.method);
      expect(methods.filter((m) => m === 'taobao.item.skus.get').length).toBe(Math.ceil(96 / 40) + 1); // 96 on sale, 24 in the warehouse
      for (const c of srv.top.calls.filter((x) => x.method === 'taobao.item.skus.get')) expect(c.params.num_iids!.split(',').length).toBeLessThanOrEqual(40);
      const firstOff = items.findIndex((i) => i.onSale === false);
      expect(items.slice(firstOff).every((i) => i.onSale === false)).toBe(true);
      expect(new Set(items.map((i) => i.platformProductId)).size).toBe(120);
    } finally {
      await srv.close();
    }
  });

  it('starts a new modified-time window where the next page would pass page_no × page_size 20,000', async () => {
    // A scripted gateway: 30,000 items, 200 a page; page 101 would be item 20,001.
    const calls: Record<string, string>[] = [];
    const call = async (method: string, params: Record<string, string>): Promise<Record<string, unknown>> => {
      calls.push({ method, ...params });
      if (method === 'taobao.item.skus.get') return { skus: { sku: [] } };
      const page = Number(params.page_no);
      const at = (n: number): string => `2026-11-01 ${String(Math.floor(n / 3600)).padStart(2, '0')}:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
      const offset = params.start_modified ? 19_999 : 0;
      const item = Array.from({ length: 200 }, (_, i) => ({ num_iid: 1 + offset + (page - 1) * 200 + i, title: 't', outer_id: 'o', num: 1, modified: at(offset + (page - 1) * 200 + i), approve_status: 'onsale' }));
      return { total_results: params.start_modified ? 10_001 : 30_000, items: { item } };
    };
    const cursor = JSON.stringify({ phase: 'onsale', page: 100, from: null });
    const page = await listTopProducts(call, cursor, 200);
    const next = JSON.parse(page.next!) as { phase: string; page: number; from: string };
    expect(next).toEqual({ phase: 'onsale', page: 1, from: '2026-11-01 05:33:19' });
    await listTopProducts(call, page.next, 200);
    expect(calls.filter((c) => c.method === 'taobao.items.onsale.get').at(-1)).toMatchObject({ method: 'taobao.items.onsale.get', page_no: '1', start_modified: '2026-11-01 05:33:19', order_by: 'modified:asc' });
  });
});
