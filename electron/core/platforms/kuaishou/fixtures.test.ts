// Kuaishou's answer as docs/platforms/kuaishou.md records it, not the sandbox's: fixtures/cursor-list.json
// is an open.order.cursor.list body written by hand (result 1, cursor "nomore", orderBaseInfo /
// orderItemInfo / orderAddress / orderRefundList, 分 integers, epoch-ms times, masked receiver beside
// encryptedConsignee / encryptedMobile / encryptedAddress, refund statuses from the after-sale table,
// a 64-bit oid as a digit string), served as it is and pulled through the Kuaishou adapter. Expected
// values are written by hand, so a field renamed on the adapter side alone fails here.
import { describe, expect, it } from 'vitest';
import { fixtureText, pullFixture } from '../../../testkit/platforms/fixture-gateway.ts';
import { receiverCipher } from '../receiver-cipher.ts';
import { createKuaishouAdapter } from './adapter.ts';

const WINDOW = { fromMs: 1_709_257_500_000, toMs: 1_709_257_500_000 + 20 * 60_000 };

async function pull() {
  return pullFixture({ platform: 'kuaishou', create: createKuaishouAdapter, body: fixtureText(new URL('./fixtures/cursor-list.json', import.meta.url)), window: WINDOW, now: WINDOW.toMs + 10 * 60_000 });
}

describe('Kuaishou open.order.cursor.list as recorded → the Kuaishou adapter', () => {
  it('asks the documented API with GET, stops at "nomore", and keeps both orders without a warning', async () => {
    const { gateway, orders, warnings } = await pull();
    expect(gateway.requests.map((r) => [r.method, new URL(r.path, 'http://x').pathname])).toEqual([['GET', '/open/order/cursor/list']]);
    expect(orders.map((o) => o.platformOrderId)).toEqual(['2412345678901234', '2419999999999999999']);
    expect(warnings).toEqual([]);
  });

  it('maps a paid order with an open refund request: remark, note + flag, masked receiver, ciphertexts, the one line', async () => {
    const [o] = (await pull()).orders;
    expect(o).toMatchObject({
      status: 'awaiting_shipment',
      platformStatus: '30',
      afterSale: 'requested',
      orderType: 'normal',
      buyerNick: '快手用户8866',
      buyerMessage: '送人的，别放价签',
      sellerMemo: '加急',
      sellerFlag: 2,
      goodsFen: 8300,
      shippingFen: 1000,
      discountFen: 500,
      paidFen: 8800,
      createdAt: 1_709_257_800_123,
      paidAt: 1_709_257_830_456,
      platformUpdatedAt: 1_709_258_700_789,
    });
    expect(o?.receiver).toMatchObject({ name: '赵*', phone: '139****4321', province: '湖北省', city: '武汉市', district: '洪山区', town: '关山街道', address: '光谷大道****' });
    expect(receiverCipher(o?.receiver.cipher ?? null)).toEqual({ name: 'KSENC_bmFtZS1jaXBoZXI=', phone: 'KSENC_bW9iaWxlLWNpcGhlcg==', address: 'KSENC_YWRkcmVzcy1jaXBoZXI=' });
    expect(o?.items.map((i) => [i.platformItemId, i.platformSkuId, i.outerSkuCode, i.title, i.skuName, i.quantity, i.unitPriceFen, i.paidFen, i.imageUrl])).toEqual([
      ['21000000001', '31000000001', 'MASK-50', '一次性口罩 50只装', '蓝色', 1, 8300, 7800, 'https://p1.kwaixiaodian.example/mask.jpg'],
    ]);
  });

  it('maps a shipped presale order whose refund succeeded, with a 64-bit id and no SKU', async () => {
    const [, o] = (await pull()).orders;
    expect(o).toMatchObject({
      status: 'shipped',
      platformStatus: '40',
      afterSale: 'refunded',
      orderType: 'presale',
      presaleDepositFen: 5000,
      presaleBalanceFen: 14900,
      buyerMessage: null,
      sellerMemo: null,
      sellerFlag: 0,
      paidFen: 19900,
    });
    expect(o?.receiver).toMatchObject({ province: '上海市', city: '上海市', district: '浦东新区', town: null, address: '世纪大道****' });
    expect(o?.items.map((i) => [i.platformItemId, i.platformSkuId, i.outerSkuCode, i.skuName])).toEqual([['21000000002', null, null, null]]);
  });
});
