// The JD adapter's toOrder on literal orderInfo payloads written by hand from
// docs/platforms/jd.md#order-pull-list-versus-detail (no encoder of ours involved): optional parts that do
// not read keep the order with a warning, and only a missing id, state, amount or line quarantines it. The
// order list carries no refund code (JD's after-sales are separate APIs, docs/platforms/refund-status.md);
// LOCKED reads as a requested one.
import { describe, expect, it } from 'vitest';
import { mapWithWarnings, offlineAdapter, refusedBy } from '../../../testkit/adapter-payload.ts';
import { createJdAdapter } from './adapter.ts';

const adapter = offlineAdapter(createJdAdapter, { id: 'jd-1', name: '京东店', platform: 'jd' }, { appKey: 'jd-app', appSecret: 's', accessToken: 't' });

/** 1 × 199.00 元, 20.00 元 seller discount, free freight: 179.00 元 paid (amounts as 元 strings). */
const BASE = {
  orderId: '301234567890',
  venderId: '10001',
  orderType: '22',
  payType: '4-在线支付',
  orderTotalPrice: '199.00',
  orderSellerPrice: '179.00',
  orderPayment: '179.00',
  freightPrice: '0.00',
  sellerDiscount: '20.00',
  orderState: 'WAIT_SELLER_STOCK_OUT',
  orderStateRemark: '等待出库',
  orderStartTime: '2025-11-20 09:00:00',
  paymentConfirmTime: '2025-11-20 09:01:00',
  modified: '2025-11-20 09:10:00',
  orderRemark: '',
  venderRemark: '',
  pin: 'jd_buyer_01',
  consigneeInfo: {
    fullname: '赵*',
    mobile: '****',
    telephone: '',
    fullAddress: '北京朝阳区三环到四环之间****',
    province: '北京',
    city: '朝阳区',
    county: '三环到四环之间',
    town: '',
    encrypt_fullname: 'tde-n',
    encrypt_mobile: 'tde-m',
    encrypt_telephone: '',
    encrypt_fullAddress: 'tde-a',
  },
  itemInfoList: [{ skuId: '100012345678', outerSkuId: 'JD-KETTLE-1', skuName: '电热水壶 1.7L', jdPrice: '199.00', itemTotal: '1', wareId: '100012345600' }],
};

const map = (payload: unknown) => mapWithWarnings(adapter, payload);

const refused = (payload: unknown) => refusedBy(adapter, payload);

describe('JD toOrder on hand-written payloads', () => {
  it('maps a plain order without a warning, and LOCKED as a requested after-sale', () => {
    const { order, warnings } = map(BASE);
    expect(warnings).toEqual([]);
    expect([order.status, order.afterSale, order.goodsFen, order.discountFen, order.paidFen]).toEqual(['awaiting_shipment', 'none', 19900, 2000, 17900]);
    expect(map({ ...BASE, orderState: 'LOCKED' }).order.afterSale).toBe('requested');
  });

  it('keeps an order whose optional parts are not as expected, with a warning for each', () => {
    const { consigneeInfo: _c, ...noConsignee } = BASE;
    const payload = { ...noConsignee, venderRemark: 42, paymentConfirmTime: '2025/11/20 09:01', itemInfoList: [{ ...BASE.itemInfoList[0]!, outerSkuId: 12345 }] };
    const { order, warnings } = map(payload);
    expect([order.paidFen, order.sellerMemo, order.paidAt, order.receiver.name, order.receiver.cipher, order.items[0]!.outerSkuCode]).toEqual([17900, null, null, '', null, null]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^venderRemark not readable/),
        expect.stringMatching(/^paymentConfirmTime not readable/),
        expect.stringMatching(/^itemInfoList\[0\]\.outerSkuId not readable/),
        'consigneeInfo missing; receiver left blank',
      ]),
    );
  });

  it('quarantines what an order cannot exist without, saying which field', () => {
    const { orderId: _id, ...noId } = BASE;
    expect(refused(noId).reason).toMatch(/orderId/);
    expect(refused({ ...BASE, orderState: 'SOMETHING_NEW' })).toMatchObject({ reason: 'unknown orderState "SOMETHING_NEW"', platformOrderId: '301234567890' });
    expect(refused({ ...BASE, orderPayment: '179.001' }).reason).toMatch(/^orderPayment: "179.001" is not a yuan amount/);
    const { itemInfoList: _l, ...noLines } = BASE;
    expect(refused(noLines).reason).toMatch(/itemInfoList/);
    expect(refused({ ...BASE, itemInfoList: [{ ...BASE.itemInfoList[0]!, itemTotal: '0' }] }).reason).toMatch(/itemInfoList\[0\]\.itemTotal/);
  });
});
