// The PDD adapter's toOrder on literal order payloads written by hand from
// docs/platforms/pdd.md#order-pull-list-versus-detail (no encoder of ours involved): the order's
// refund_status follows docs/platforms/refund-status.md, an unlisted or unreadable one keeps the order as
// after-sale unknown with a warning, optional parts that do not read keep the order with a warning, and only
// a missing id, status, amount or line quarantines it.
import { describe, expect, it } from 'vitest';
import type { AfterSaleState } from '../../../shared/model.ts';
import { mapWithWarnings, offlineAdapter, refusedBy } from '../../../testkit/adapter-payload.ts';
import { createPddAdapter } from './adapter.ts';

const adapter = offlineAdapter(createPddAdapter, { id: 'pdd-1', name: '拼多多店', platform: 'pdd' }, { clientId: 'pdd-app', clientSecret: 's', accessToken: 't', appKey: 'pdd-app', appSecret: 's' });

/** 3 × 19.90 元, 5.00 元 discount, free post: 54.70 元 paid (amounts in 元 as JSON numbers). */
const BASE = {
  order_sn: '251120-123456789012345',
  order_status: 1,
  confirm_status: 1,
  refund_status: 1,
  trade_type: 0,
  created_time: '2025-11-20 10:00:00',
  confirm_time: '2025-11-20 10:00:30',
  pay_time: '2025-11-20 10:00:30',
  updated_at: '2025-11-20 10:05:00',
  goods_amount: 59.7,
  discount_amount: 5,
  seller_discount: 5,
  platform_discount: 0,
  postage: 0,
  pay_amount: 54.7,
  buyer_memo: '',
  remark: '',
  remark_tag: 0,
  receiver_name: '~AgAAAAEcipher-name~',
  receiver_phone: '$AgAAAAEcipher-phone$',
  receiver_address: '~AgAAAAEcipher-addr~',
  receiver_name_mask: '王*',
  receiver_phone_mask: '137****2222',
  receiver_address_mask: '中山路****',
  province: '江苏省',
  city: '南京市',
  town: '玄武区',
  item_list: [{ goods_id: 700001, sku_id: 800001, outer_id: 'PDD-SOCK-3', outer_goods_id: 'SOCK', goods_name: '棉袜三双装', goods_spec: '均码', goods_count: 3, goods_price: 19.9 }],
};

const map = (payload: unknown) => mapWithWarnings(adapter, payload);

const refused = (payload: unknown) => refusedBy(adapter, payload);

describe('PDD toOrder on hand-written payloads', () => {
  it('maps a plain order without a warning', () => {
    const { order, warnings } = map(BASE);
    expect(warnings).toEqual([]);
    expect([order.status, order.afterSale, order.goodsFen, order.discountFen, order.paidFen]).toEqual(['awaiting_shipment', 'none', 5970, 500, 5470]);
  });

  it('maps the order-level refund_status row by row (docs/platforms/pdd.md#order-pull-list-versus-detail)', () => {
    const rows: [number, AfterSaleState][] = [
      [1, 'none'], // 无售后或售后关闭
      [2, 'requested'], // 售后处理中
      [3, 'in_progress'], // 退款中
      [4, 'refunded'], // 退款成功
    ];
    for (const [code, want] of rows) {
      const { order, warnings } = map({ ...BASE, refund_status: code });
      expect([code, order.afterSale, warnings]).toEqual([code, want, []]);
    }
  });

  it('keeps an order with an unlisted or unreadable refund_status, as after-sale unknown with a warning', () => {
    const odd = map({ ...BASE, refund_status: 7 });
    expect(odd.order.afterSale).toBe('unknown');
    expect(odd.warnings).toEqual(['refund_status 7 is not in the documented table; after-sale state unknown, kept raw']);
    const { refund_status: _r, ...noRefund } = BASE;
    const missing = map(noRefund);
    expect(missing.order.afterSale).toBe('unknown');
    expect(missing.warnings).toEqual(['refund_status missing is not readable; after-sale state unknown, kept raw']);
  });

  it('keeps an order whose optional parts are not as expected, with a warning for each', () => {
    const payload = {
      ...BASE,
      trade_type: 1,
      step_order_info: { stage: 'deposit', paid: '10.00' },
      remark_tag: 'red',
      receiver_name_mask: null,
      item_list: [{ ...BASE.item_list[0]!, goods_img: 12345, goods_spec: ['均码'] }],
    };
    const { order, warnings } = map(payload);
    expect([order.orderType, order.presaleDepositFen, order.sellerFlag, order.receiver.name, order.items[0]!.skuName]).toEqual(['presale', null, 0, '', null]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^step_order_info not readable/),
        expect.stringMatching(/^remark_tag not readable/),
        expect.stringMatching(/^item_list\[0\]\.goods_img not readable/),
        expect.stringMatching(/^item_list\[0\]\.goods_spec not readable/),
      ]),
    );
  });

  it('quarantines what an order cannot exist without, saying which field', () => {
    const { order_sn: _sn, ...noSn } = BASE;
    expect(refused(noSn).reason).toMatch(/order_sn/);
    expect(refused({ ...BASE, confirm_status: 9 }).reason).toBe('unknown order_status 1 / confirm_status 9');
    expect(refused({ ...BASE, pay_amount: '54.701' }).reason).toMatch(/^pay_amount: "54.701" is not a yuan amount/);
    expect(refused({ ...BASE, item_list: [] }).reason).toMatch(/item_list: an order needs at least one item/);
    expect(refused({ ...BASE, item_list: [{ ...BASE.item_list[0]!, goods_count: 0 }] }).reason).toMatch(/item_list\[0\]\.goods_count/);
  });
});
