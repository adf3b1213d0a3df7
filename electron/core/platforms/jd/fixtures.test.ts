// JD's own answer, not the sandbox's: fixtures/en-search.json is a jingdong_pop_order_enSearch_responce
// (JD's spelling) written by hand from docs/platforms/jd.md — 元 amounts and ids as strings, GMT+8
// times, English orderState, consigneeInfo masked (JD masks the phone whole) beside encrypt_* TDE
// ciphertexts, an item whose outerSkuId is missing ("极端情况下不保证返回") — served as it is and pulled
// through the JD adapter. Expected values are written by hand, so a field renamed on the adapter side
// alone fails here.
import { describe, expect, it } from 'vitest';
import { fixtureText, pullFixture } from '../../../testkit/platforms/fixture-gateway.ts';
import { createJdAdapter } from './adapter.ts';

const gmt8 = (y: number, mo: number, d: number, h: number, mi: number, s: number): number => Date.UTC(y, mo - 1, d, h - 8, mi, s);
const WINDOW = { fromMs: gmt8(2024, 3, 1, 10, 0, 0), toMs: gmt8(2024, 3, 1, 10, 20, 0) };

async function pull() {
  return pullFixture({ platform: 'jd', create: createJdAdapter, body: fixtureText(new URL('./fixtures/en-search.json', import.meta.url)), path: '/routerjson', window: WINDOW, now: WINDOW.toMs + 10 * 60_000 });
}

describe('JD enSearch as documented → the JD adapter', () => {
  it('asks the documented API for the fields it maps and keeps both orders without a warning', async () => {
    const { gateway, orders, warnings } = await pull();
    expect(gateway.requests).toHaveLength(1);
    const q = new URL(gateway.requests[0]?.path ?? '', 'http://x').searchParams;
    expect(q.get('method')).toBe('jingdong.pop.order.enSearch');
    const param = JSON.parse(new URLSearchParams(gateway.requests[0]?.body).get('360buy_param_json') ?? '{}');
    const asked = String(param.optional_fields).split(',');
    for (const f of ['orderId', 'orderState', 'orderRemark', 'venderRemark', 'consigneeInfo', 'itemInfoList', 'orderPayment', 'sellerDiscount', 'freightPrice', 'modified']) expect(asked).toContain(f);
    expect(orders.map((o) => o.platformOrderId)).toEqual(['290123456789', '290987654321']);
    expect(warnings).toEqual([]);
  });

  it('maps an order waiting to leave the warehouse: remarks, masked consignee, TDE ciphertexts, 元 → 分, lines', async () => {
    const [o] = (await pull()).orders;
    expect(o).toMatchObject({
      status: 'awaiting_shipment',
      platformStatus: 'WAIT_SELLER_STOCK_OUT',
      afterSale: 'none',
      buyerNick: 'jd_buyer_pin01',
      buyerMessage: '工作日送货',
      sellerMemo: '老客户，送小样',
      goodsFen: 25900,
      discountFen: 2000,
      shippingFen: 0,
      paidFen: 23900,
      createdAt: gmt8(2024, 3, 1, 9, 30, 0),
      paidAt: gmt8(2024, 3, 1, 9, 31, 15),
      platformUpdatedAt: gmt8(2024, 3, 1, 10, 2, 0),
    });
    expect(o?.receiver).toMatchObject({ name: '李*', phone: '****', province: '北京', city: '北京市', district: '朝阳区', town: '三环以内', address: '建国路****' });
    expect(JSON.parse(o?.receiver.cipher ?? 'null')).toMatchObject({
      fullname: 'AAsDCwMKBQ4aHgh6mWQ3Rk1zeW1ib2xzAA==',
      mobile: 'AAsDCwMKBQ4aHghtb2JpbGVjaXBoZXJ0ZXh0AA==',
      fullAddress: 'AAsDCwMKBQ4aHghhZGRyZXNzY2lwaGVydGV4dAA=',
    });
    expect(o?.items.map((i) => [i.platformSkuId, i.outerSkuCode, i.title, i.quantity, i.unitPriceFen])).toEqual([
      ['100012345678', 'MUG-350', '陶瓷马克杯 350ml 白色', 2, 5900],
      ['100087654321', null, '不锈钢保温杯 500ml', 1, 14100],
    ]);
    expect(o?.items.reduce((a, i) => a + i.paidFen, 0)).toBe(25900 - 2000);
  });

  it('maps a finished order with freight and a telephone-only ciphertext set', async () => {
    const [, o] = (await pull()).orders;
    expect(o).toMatchObject({ status: 'completed', platformStatus: 'FINISHED_L', afterSale: 'none', buyerMessage: null, sellerMemo: null, goodsFen: 3550, shippingFen: 600, discountFen: 0, paidFen: 4150 });
    expect(o?.receiver).toMatchObject({ name: '王**', phone: '****', province: '四川', city: '成都市', district: '武侯区', town: '桂溪街道', address: '天府大道****' });
  });
});
