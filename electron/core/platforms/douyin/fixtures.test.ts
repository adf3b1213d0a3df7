// Douyin's own answer, not the sandbox's: fixtures/search-list.json is an order.searchList envelope
// written by hand from docs/platforms/douyin.md (the official SDK's ShopOrder field names: 分 integers,
// second timestamps, encrypt_* + mask_* receiver with empty plain post_receiver / post_tel, sku lines
// with after_sale_info, given_product_type MASTER/FREE for a gift pair, 定金预售 phases by
// current_phase), served as it is and pulled through the Douyin adapter. Expected values are written
// by hand, so a field renamed on the adapter side alone fails here.
import { describe, expect, it } from 'vitest';
import { fixtureText, pullFixture } from '../../../testkit/platforms/fixture-gateway.ts';
import { receiverCipher } from '../receiver-cipher.ts';
import { createDouyinAdapter } from './adapter.ts';

const WINDOW = { fromMs: 1_709_258_400_000, toMs: 1_709_258_400_000 + 20 * 60_000 };

async function pull() {
  return pullFixture({ platform: 'douyin', create: createDouyinAdapter, body: fixtureText(new URL('./fixtures/search-list.json', import.meta.url)), window: WINDOW, now: WINDOW.toMs + 10 * 60_000 });
}

describe('Douyin order.searchList as documented → the Douyin adapter', () => {
  it('asks the documented API and keeps both orders without a warning', async () => {
    const { gateway, orders, warnings } = await pull();
    expect(gateway.requests.map((r) => new URL(r.path, 'http://x').pathname)).toEqual(['/order/searchList']);
    expect(orders.map((o) => o.platformOrderId)).toEqual(['6920000000000000001', '6920000000000000002']);
    expect(warnings).toEqual([]);
  });

  it('maps an order being stocked: words, remark + star, masked receiver, ciphertexts, lines with a free gift', async () => {
    const [o] = (await pull()).orders;
    expect(o).toMatchObject({
      status: 'awaiting_shipment',
      platformStatus: '2',
      afterSale: 'none',
      orderType: 'normal',
      buyerNick: '',
      buyerMessage: '不要放快递柜',
      sellerMemo: '优先发',
      sellerFlag: 1, // star 5 红 → our red
      goodsFen: 15000,
      shippingFen: 800,
      discountFen: 1500,
      paidFen: 14300,
      createdAt: 1_709_258_000_000,
      paidAt: 1_709_258_060_000,
      platformUpdatedAt: 1_709_259_020_000,
    });
    expect(o?.receiver).toMatchObject({ name: '陈*', phone: '138****1234', province: '广东省', city: '深圳市', district: '南山区', town: '粤海街道', address: '科技园****' });
    expect(receiverCipher(o?.receiver.cipher ?? null)).toEqual({
      name: '#Zm9vYmFy#c2VjcmV0bmFtZQ==#*CgYIASAHKAE=##',
      phone: '#MTM4MTIz#c2VjcmV0cGhvbmU=#*CgYIASAHKAE=##',
      address: '#5Y2X5bGx#c2VjcmV0ZGV0YWls#*CgYIASAHKAE=##',
    });
    expect(o?.items.map((i) => [i.platformItemId, i.platformSkuId, i.outerSkuCode, i.title, i.skuName, i.quantity, i.unitPriceFen, i.paidFen, i.isGift])).toEqual([
      ['6920000000000000101', '1790000000000001', 'EAR-WHT', '蓝牙耳机', '白色', 1, 15000, 13500, false],
      ['6920000000000000102', '1790000000000002', 'BAG-01', '耳机收纳包', null, 1, 0, 0, true],
    ]);
  });

  it('maps a shipped 定金预售 order with a refunded line: deposit and balance from the phases', async () => {
    const [, o] = (await pull()).orders;
    expect(o).toMatchObject({
      status: 'shipped',
      platformStatus: '3',
      afterSale: 'refunded',
      orderType: 'presale',
      presaleDepositFen: 5000,
      presaleBalanceFen: 25000,
      buyerMessage: null,
      sellerMemo: null,
      sellerFlag: 0,
      paidFen: 30000,
    });
    expect(o?.receiver).toMatchObject({ name: '周**', phone: '186****8899', province: '江苏省', city: '南京市', district: '鼓楼区', town: null, address: '中山北路****' });
  });
});
