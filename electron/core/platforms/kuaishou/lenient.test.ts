// The Kuaishou adapter's toOrder on literal order payloads written by hand from
// docs/platforms/kuaishou.md#order-pull-list-versus-detail and
// docs/platforms/refund-status.md#kuaishou (no encoder of ours involved). Nearly every Kuaishou
// name is [UNVERIFIED]: optional parts that do not look as guessed keep the order with a warning, refund
// codes follow docs/platforms/refund-status.md, and only a missing id, status, amount or line quarantines the
// order.
import { describe, expect, it } from 'vitest';
import type { AfterSaleState } from '../../../shared/model.ts';
import { mapWithWarnings, offlineAdapter, refusedBy } from '../../../testkit/adapter-payload.ts';
import { createKuaishouAdapter } from './adapter.ts';

const adapter = offlineAdapter(createKuaishouAdapter, { id: 'ks-1', name: '快手小店', platform: 'kuaishou' }, { appKey: 'ks-app', appSecret: 's', accessToken: 't' });

/** One SKU, 2 × 39.90 元, 5.00 元 off, 6.00 元 express: 80.80 元 paid (amounts in 分, times in ms). */
const BASE = {
  orderBaseInfo: {
    oid: 2511201234567890,
    status: 30,
    createTime: 1763600000000,
    payTime: 1763600060000,
    updateTime: 1763600900000,
    totalFee: 8080,
    expressFee: 600,
    discountFee: 500,
    buyerNick: '快手用户A',
    remark: '',
    sellerNote: '',
    flagTagCode: 0,
  },
  orderItemInfo: { itemId: 20001234, skuId: 30005678, skuNick: 'KS-MUG-01', itemTitle: '陶瓷马克杯', skuDesc: '白色', num: 2, price: 3990, itemPicUrl: '' },
  orderAddress: { consignee: '李*', mobile: '139****0001', province: '广东省', city: '深圳市', district: '南山区', town: '粤海街道', address: '科技园****', encryptedConsignee: 'enc-n', encryptedMobile: 'enc-m', encryptedAddress: 'enc-a' },
  orderRefundList: [],
};
const withRefunds = (refunds: unknown) => ({ ...BASE, orderRefundList: refunds });

const map = (payload: unknown) => mapWithWarnings(adapter, payload);

const refused = (payload: unknown) => refusedBy(adapter, payload);

describe('Kuaishou toOrder on hand-written payloads', () => {
  it('maps a plain order without a warning', () => {
    const { order, warnings } = map(BASE);
    expect(warnings).toEqual([]);
    expect([order.platformOrderId, order.status, order.afterSale, order.goodsFen, order.paidFen]).toEqual(['2511201234567890', 'awaiting_shipment', 'none', 7980, 8080]);
  });

  it('maps refund status row by row as docs/platforms/refund-status.md#kuaishou gives it', () => {
    const rows: [number, AfterSaleState][] = [
      [10, 'requested'], // 买家已经申请退款，等待卖家同意
      [11, 'requested'], // 买家退货退款申请 (secondary)
      [12, 'rejected'], // 卖家已拒绝，等待买家处理
      [20, 'in_progress'], // 协商纠纷，等待平台处理
      [21, 'in_progress'],
      [22, 'in_progress'],
      [30, 'in_progress'], // 卖家已经同意退款，等待买家退货
      [40, 'in_progress'], // 买家已经退货，等待卖家确认收货
      [45, 'in_progress'], // 卖家已经发货，等待买家确认收货
      [50, 'in_progress'], // 卖家已经同意退款，等待系统执行退款
      [60, 'refunded'], // 退款成功
      [70, 'none'], // 退款关闭
    ];
    for (const [code, want] of rows) {
      const { order, warnings } = map(withRefunds([{ refundId: 9001, refundStatus: code, refundFee: 8080 }]));
      expect([code, order.afterSale, warnings]).toEqual([code, want, []]);
    }
    // The latest refund decides: an old refusal, then a new request.
    expect(map(withRefunds([{ refundId: 1, refundStatus: 12 }, { refundId: 2, refundStatus: 10 }])).order.afterSale).toBe('requested');
    // The refund list API names the code `status` (docs/platforms/refund-status.md#kuaishou):
    // read that too.
    expect(map(withRefunds([{ refundId: 3, status: 40, refundFee: 8080 }])).order.afterSale).toBe('in_progress');
  });

  it('keeps an order whose refund code the table does not list, as after-sale unknown with a warning', () => {
    const { order, warnings } = map(withRefunds([{ refundId: 9001, refundStatus: 99, refundFee: 8080 }]));
    expect(order.afterSale).toBe('unknown');
    expect(warnings).toEqual(['orderRefundList[0].refundStatus 99 is not in the documented table; after-sale state unknown, kept raw']);
    const unreadable = map(withRefunds([{ id: 9001, state: 'REFUNDING' }]));
    expect(unreadable.order.afterSale).toBe('unknown');
    expect(unreadable.warnings).toEqual(['orderRefundList[0] has no recognisable refundStatus; after-sale state unknown, kept raw']);
  });

  it('keeps an order whose optional parts are not as guessed, with a warning for each', () => {
    const { orderAddress: _a, ...noAddress } = BASE;
    const { itemTitle: _t, ...noTitle } = BASE.orderItemInfo;
    const payload = { ...noAddress, orderBaseInfo: { ...BASE.orderBaseInfo, flagTagCode: 'red', buyerNick: 7 }, orderItemInfo: { ...noTitle, itemPicUrl: { url: 'x' } } };
    const { order, warnings } = map(payload);
    expect([order.paidFen, order.sellerFlag, order.buyerNick, order.receiver.province, order.items[0]!.title, order.items[0]!.imageUrl]).toEqual([8080, 0, '', '', '快手商品 20001234', null]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^orderBaseInfo\.flagTagCode not readable/),
        expect.stringMatching(/^orderBaseInfo\.buyerNick not readable/),
        expect.stringMatching(/^orderItemInfo\.itemPicUrl not readable/),
        'orderAddress missing; receiver left blank',
        'orderItemInfo.itemTitle missing; titled by item id',
      ]),
    );
  });

  it('quarantines what an order cannot exist without, saying which field', () => {
    const { oid: _oid, ...noOid } = BASE.orderBaseInfo;
    expect(refused({ ...BASE, orderBaseInfo: noOid }).reason).toMatch(/orderBaseInfo\.oid/);
    expect(refused({ ...BASE, orderBaseInfo: { ...BASE.orderBaseInfo, status: 20 } })).toMatchObject({ reason: 'unknown orderBaseInfo.status 20', platformOrderId: '2511201234567890' });
    expect(refused({ ...BASE, orderBaseInfo: { ...BASE.orderBaseInfo, totalFee: '80.80' } }).reason).toMatch(/orderBaseInfo\.totalFee/);
    const { orderItemInfo: _i, ...noLine } = BASE;
    expect(refused(noLine).reason).toMatch(/orderItemInfo/);
    expect(refused({ ...BASE, orderItemInfo: { ...BASE.orderItemInfo, num: 0 } }).reason).toMatch(/orderItemInfo\.num/);
  });
});
