// PDD's own answer, not the sandbox's: fixtures/increment-get.json is an order_sn_increment_get_response
// written by hand from docs/platforms/pdd.md (field names, 元 amounts as JSON numbers, GMT+8 times,
// receiver ciphertexts only while 待发货 and "" afterwards, masked copies), served as it is and pulled
// through the PDD adapter. Every expected value below is written by hand too, so renaming a field on
// the adapter side (buyer_memo, remark_tag, receiver_*_mask, item_list…) fails here.
import { describe, expect, it } from 'vitest';
import { fixtureText, pullFixture } from '../../../testkit/platforms/fixture-gateway.ts';
import { receiverCipher } from '../receiver-cipher.ts';
import { createPddAdapter } from './adapter.ts';

const gmt8 = (y: number, mo: number, d: number, h: number, mi: number, s: number): number => Date.UTC(y, mo - 1, d, h - 8, mi, s);
const WINDOW = { fromMs: gmt8(2024, 3, 1, 10, 0, 0), toMs: gmt8(2024, 3, 1, 10, 20, 0) };

async function pull() {
  return pullFixture({ platform: 'pdd', create: createPddAdapter, body: fixtureText(new URL('./fixtures/increment-get.json', import.meta.url)), path: '/api/router', window: WINDOW, now: WINDOW.toMs + 10 * 60_000 });
}

describe('PDD increment.get as documented → the PDD adapter', () => {
  it('asks the documented API and keeps both orders without a warning', async () => {
    const { gateway, orders, warnings } = await pull();
    expect(gateway.requests.map((r) => JSON.parse(r.body).type)).toEqual(['pdd.order.number.list.increment.get']);
    expect(orders.map((o) => o.platformOrderId)).toEqual(['240301-512345678901234', '240228-598765432109876']);
    expect(warnings).toEqual([]);
  });

  it('maps an order awaiting shipment: memo, note + tag, masked receiver, ciphertexts, 元 → 分, lines', async () => {
    const [o] = (await pull()).orders;
    expect(o).toMatchObject({
      status: 'awaiting_shipment',
      platformStatus: 'order_status=1,confirm_status=1',
      afterSale: 'none',
      orderType: 'normal',
      presaleDepositFen: null,
      buyerNick: '',
      buyerMessage: '请周六送货，谢谢',
      sellerMemo: '顺丰发',
      sellerFlag: 1,
      goodsFen: 12850,
      discountFen: 1000,
      shippingFen: 600,
      paidFen: 12450,
      createdAt: gmt8(2024, 3, 1, 9, 58, 12),
      paidAt: gmt8(2024, 3, 1, 9, 58, 40),
      platformUpdatedAt: gmt8(2024, 3, 1, 10, 12, 5),
    });
    expect(o?.receiver).toMatchObject({ name: '张*', phone: '138****5678', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路****' });
    expect(receiverCipher(o?.receiver.cipher ?? null)).toEqual({
      name: '~AgAAAAFnY2Fpbm5hbWUxMjM0NTY3OA==~1~',
      phone: '~AgAAAAFwaG9uZTEzODEyMzQ1Njc4~1~',
      address: '~AgAAAAFhZGRyZXNzV2Vuc2FuUm9hZA==~1~',
    });
    expect(o?.items.map((i) => [i.platformSkuId, i.outerSkuCode, i.title, i.skuName, i.quantity, i.unitPriceFen])).toEqual([
      ['9001001', 'TS-RED-L', '纯棉短袖T恤', '红色 L', 2, 3990],
      ['9002002', null, '帆布袋', '米白', 1, 4870],
    ]);
    expect(o?.items.map((i) => i.platformItemId)).toEqual(['300012345-9001001', '300067890-9002002']);
    // PDD gives no per-line paid amount: the lines share goods − discount exactly.
    expect(o?.items.reduce((a, i) => a + i.paidFen, 0)).toBe(12850 - 1000);
  });

  it('maps a shipped presale order in after-sale: no ciphertexts once shipped, the deposit from step_order_info', async () => {
    const [, o] = (await pull()).orders;
    expect(o).toMatchObject({
      status: 'shipped',
      platformStatus: 'order_status=2,confirm_status=1',
      afterSale: 'requested',
      orderType: 'presale',
      presaleDepositFen: 2000,
      presaleBalanceFen: 7900,
      buyerMessage: null,
      sellerMemo: null,
      sellerFlag: 0,
      paidFen: 9900,
      platformUpdatedAt: gmt8(2024, 3, 1, 10, 5, 33),
    });
    expect(o?.receiver).toMatchObject({ name: '欧阳**', phone: '186****0021', province: '广东省', city: '广州市', district: '天河区', address: '天河路****', cipher: null });
  });
});
