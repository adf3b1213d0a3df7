// The doudian adapter's toOrder on literal ShopOrder payloads written by hand from
// docs/platforms/douyin.md#order-pull-list-versus-detail and
// docs/platforms/refund-status.md#douyin (no encoder of ours involved):
// optional or unnamed structures that do not look as guessed keep the order with a warning; only a missing
// id, status, amount or line quarantines it; after-sale codes follow docs/platforms/refund-status.md.
import { describe, expect, it } from 'vitest';
import type { AfterSaleState } from '../../../shared/model.ts';
import { mapWithWarnings, offlineAdapter, refusedBy } from '../../../testkit/adapter-payload.ts';
import { createDouyinAdapter } from './adapter.ts';

const adapter = offlineAdapter(createDouyinAdapter, { id: 'dy-1', name: '抖店', platform: 'douyin' }, { appKey: '7000000000000000001', appSecret: 's', accessToken: 't' });

/** 2 × 50.00 元 T-shirts, 10.00 元 off, 8.00 元 post: 108.00 ordered, 98.00 paid. */
const SKU = {
  order_id: '6919461920000012346',
  parent_order_id: '6919461920000012345',
  product_id: '3579246801',
  product_name: '纯棉T恤',
  sku_id: '1735000001',
  out_sku_id: '',
  code: 'TX-001-白-M',
  item_num: 2,
  origin_amount: 5000,
  pay_amount: 9000,
  after_sale_info: { after_sale_status: 0, refund_status: 0 },
};
const REGION = { province: { name: '浙江省', id: '33' }, city: { name: '杭州市', id: '3301' }, town: { name: '西湖区', id: '330106' }, street: { name: '文新街道', id: '330106007' } };
const BASE = {
  order_id: '6919461920000012345',
  shop_id: 4463798,
  order_status: 2,
  order_status_desc: '备货中',
  create_time: 1763600000,
  update_time: 1763601000,
  pay_time: 1763600100,
  buyer_words: '请尽快发货',
  seller_words: '',
  seller_remark_stars: 0,
  order_amount: 10800,
  pay_amount: 9800,
  post_amount: 800,
  promotion_amount: 1000,
  encrypt_post_receiver: '#a1b2#c3d4#*CgYIASAHKAE=##',
  encrypt_post_tel: '#e5f6#a7b8#*CgYIASAHKAE=##',
  mask_post_receiver: '张*',
  mask_post_tel: '138****5678',
  post_addr: { ...REGION, detail: '', encrypt_detail: '#c9d0#e1f2#*CgYIASAHKAE=##' },
  mask_post_addr: { ...REGION, detail: '文一西路****' },
  sku_order_list: [SKU],
};

const map = (payload: unknown) => mapWithWarnings(adapter, payload);
const withAfterSale = (info: unknown) => ({ ...BASE, sku_order_list: [{ ...SKU, after_sale_info: info }] });

const refused = (payload: unknown) => refusedBy(adapter, payload);

describe('doudian toOrder on hand-written payloads', () => {
  it('maps a plain order without a warning', () => {
    const { order, warnings } = map(BASE);
    expect(warnings).toEqual([]);
    expect([order.status, order.afterSale, order.goodsFen, order.discountFen, order.shippingFen, order.paidFen]).toEqual(['awaiting_shipment', 'none', 10000, 1000, 800, 9800]);
    expect(order.items.map((i) => [i.title, i.quantity, i.unitPriceFen, i.paidFen])).toEqual([['纯棉T恤', 2, 5000, 9000]]);
  });

  it('keeps a presale order whose order_phase_list items carry other field names, with a warning', () => {
    const payload = { ...BASE, order_phase_list: [{ stage_no: 1, stage_amount: 3000 }, { stage_no: 2, stage_amount: 6800 }] };
    const { order, warnings } = map(payload);
    expect(order.orderType).toBe('presale');
    expect([order.presaleDepositFen, order.presaleBalanceFen]).toEqual([null, null]);
    expect(order.paidFen).toBe(9800);
    expect(warnings).toEqual(['order_phase_list[0] has no recognisable fields, kept raw', 'order_phase_list[1] has no recognisable fields, kept raw']);
  });

  it("reads presale phases in the doudian SDKs' names (current_phase, phase_sum_amount)", () => {
    const payload = {
      ...BASE,
      order_phase_list: [
        { phase_order_id: 'p1', total_phase: 2, current_phase: 1, pay_success: true, phase_sum_amount: 3000, phase_pay_amount: 3000 },
        { phase_order_id: 'p2', total_phase: 2, current_phase: 2, pay_success: false, phase_sum_amount: 6800, phase_pay_amount: 0 },
      ],
    };
    const { order, warnings } = map(payload);
    expect([order.orderType, order.presaleDepositFen, order.presaleBalanceFen]).toEqual(['presale', 3000, 6800]);
    expect(warnings).toEqual([]);
  });

  it('maps after_sale_status row by row as docs/platforms/refund-status.md#douyin gives it', () => {
    const rows: [number, number, AfterSaleState][] = [
      [6, 0, 'requested'], // 待商家同意
      [6, 1, 'requested'], // 待退款 on an unanswered request
      [6, 2, 'in_progress'], // refund_status 2 退款中: agreed, refund executing
      [7, 0, 'in_progress'], // 待买家退货
      [8, 0, 'in_progress'], // 待商家发货
      [11, 0, 'in_progress'], // 待商家二次同意: returned, waiting for the seller
      [12, 3, 'refunded'], // 售后成功
      [13, 0, 'in_progress'],
      [14, 0, 'none'],
      [27, 0, 'rejected'], // 商家一次拒绝
      [29, 0, 'rejected'], // 商家二次拒绝
      [28, 0, 'none'], // 售后失败
      [0, 0, 'none'],
    ];
    for (const [status, refund, want] of rows) {
      const { order, warnings } = map(withAfterSale({ after_sale_status: status, after_sale_type: 1, refund_status: refund }));
      expect([status, refund, order.afterSale, warnings]).toEqual([status, refund, want, []]);
    }
  });

  it('keeps an order with an after-sale code the table does not list, as after-sale unknown with a warning', () => {
    const { order, warnings } = map(withAfterSale({ after_sale_status: 99, refund_status: 0 }));
    expect(order.afterSale).toBe('unknown');
    expect(warnings).toEqual(['sku_order_list[0].after_sale_info.after_sale_status 99 is not in the documented table; after-sale state unknown, kept raw']);
    const other = map(withAfterSale({ status_code: 6 }));
    expect(other.order.afterSale).toBe('unknown');
    expect(other.warnings).toEqual(['sku_order_list[0].after_sale_info has no recognisable after_sale_status; after-sale state unknown, kept raw']);
  });

  it('keeps an order whose optional or unnamed fields are not as guessed, with a warning for each', () => {
    const { promotion_amount: _dropped, ...noPromotion } = BASE;
    const { product_name: _name, pay_amount: _pay, ...bareSku } = SKU;
    const payload = { ...noPromotion, seller_remark_stars: '红', mask_post_addr: 'hidden', sku_order_list: [{ ...bareSku, product_pic: 42, spec: 'M' }] };
    const { order, warnings } = map(payload);
    expect([order.discountFen, order.paidFen, order.sellerFlag, order.receiver.address]).toEqual([1000, 9800, 0, '']);
    expect(order.items.map((i) => [i.title, i.paidFen, i.imageUrl, i.skuName])).toEqual([['抖店商品 3579246801', 9000, null, null]]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^seller_remark_stars not readable/),
        expect.stringMatching(/^mask_post_addr not readable/),
        expect.stringMatching(/^sku_order_list\[0\]\.product_pic not readable/),
        expect.stringMatching(/^sku_order_list\[0\]\.spec not readable/),
        'promotion_amount missing; discount taken as order_amount − pay_amount = 1000',
        'sku_order_list pay_amount missing; line amounts split from the order total',
        'sku_order_list[0].product_name missing; titled by product id',
      ]),
    );
  });

  it('quarantines what an order cannot exist without, saying which field', () => {
    const { order_id: _id, ...noId } = BASE;
    expect(refused(noId).reason).toMatch(/order_id/);
    expect(refused({ ...BASE, order_status: 42 })).toMatchObject({ reason: 'unknown order_status 42', platformOrderId: BASE.order_id });
    expect(refused({ ...BASE, pay_amount: '98.00' }).reason).toMatch(/^pay_amount: must be an integer amount in 分/);
    expect(refused({ ...BASE, sku_order_list: [] }).reason).toMatch(/sku_order_list: an order needs at least one sku order/);
    expect(refused({ ...BASE, sku_order_list: [{ ...SKU, item_num: 0 }] }).reason).toMatch(/sku_order_list\[0\]\.item_num/);
  });
});
