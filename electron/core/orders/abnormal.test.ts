// Abnormal reasons: each rule on its own, and refreshOrders after a local edit.
import { describe, expect, it } from 'vitest';
import { abnormalBit, abnormalReasonsOf } from '../../shared/model.ts';
import { abnormalFlagsFor, isValidPhone, refreshOrders, type AbnormalInput } from './abnormal.ts';
import { order, setupDb, T0 } from './ingest.fixtures.ts';
import { ingestOrders } from './ingest.ts';

const base: AbnormalInput = {
  receiver: { phone: '13800001234', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路100号' },
  buyerMessage: null,
  afterSale: 'none',
  items: [{ skuId: 'sku-1', isGift: false }],
};
const reasons = (o: Partial<AbnormalInput>) => abnormalReasonsOf(abnormalFlagsFor({ ...base, ...o }));

describe('abnormalFlagsFor', () => {
  it('flags nothing on a clean order', () => {
    expect(abnormalFlagsFor(base)).toBe(0);
  });

  it('flags incomplete addresses', () => {
    expect(reasons({ receiver: { ...base.receiver, district: '' } })).toEqual(['incomplete_address']);
    expect(reasons({ receiver: { ...base.receiver, province: ' ' } })).toEqual(['incomplete_address']);
    expect(reasons({ receiver: { ...base.receiver, address: '家' } })).toEqual(['incomplete_address']);
    expect(reasons({ receiver: { ...base.receiver, address: '门口小区' } })).toEqual([]);
  });

  it.each([
    ['13800001234', true],
    ['138****1234', true],
    ['+86 138 0000 1234', true],
    ['13800001234-1234', true],
    ['138****1234-5678', true],
    ['0571-88886666', true],
    ['01088886666', true],
    ['12345', false],
    ['00000000000', false],
    ['1', false],
    ['12800001234', false],
    ['138****123', false],
    ['', false],
  ])('phone %s valid=%s', (phone, valid) => {
    expect(isValidPhone(phone)).toBe(valid);
    expect(reasons({ receiver: { ...base.receiver, phone } })).toEqual(valid ? [] : ['invalid_phone']);
  });

  it('flags unmatched non-gift lines only', () => {
    expect(reasons({ items: [{ skuId: null, isGift: false }] })).toEqual(['unmatched_sku']);
    expect(reasons({ items: [{ skuId: 'a' }, { skuId: null, isGift: true }] })).toEqual([]);
  });

  it('flags buyer messages and refund requests', () => {
    expect(reasons({ buyerMessage: '请发顺丰' })).toEqual(['buyer_message']);
    expect(reasons({ buyerMessage: '  ' })).toEqual([]);
    expect(reasons({ afterSale: 'requested' })).toEqual(['refund_requested']);
    expect(reasons({ afterSale: 'in_progress' })).toEqual(['refund_requested']);
    expect(reasons({ afterSale: 'refunded' })).toEqual([]);
  });

  it('combines reasons as bits', () => {
    const flags = abnormalFlagsFor({ ...base, buyerMessage: 'x', afterSale: 'requested' });
    expect(flags).toBe(abnormalBit('buyer_message') | abnormalBit('refund_requested'));
  });
});

describe('refreshOrders', () => {
  it('recomputes flags and search documents from stored rows, inside the caller transaction', () => {
    const db = setupDb();
    const [id] = ingestOrders(db, { shopId: 'shop-a', platform: 'taobao', orders: [{ order: order(1, { receiver: { ...order(1).receiver, district: '' } }), raw: {} }] }, T0).changedIds;
    expect(db.$client.prepare('SELECT abnormal_flags FROM orders').pluck().get()).toBe(abnormalBit('incomplete_address'));
    db.$client.transaction(() => {
      db.$client
        .prepare("UPDATE orders SET receiver_district = '拱墅区', receiver_name = '欧阳娜娜', receiver_edited_at = ? WHERE id = ?")
        .run(T0, id);
      refreshOrders(db, [id!, 'no-such-id']);
    })();
    expect(db.$client.prepare('SELECT abnormal_flags FROM orders').pluck().get()).toBe(0);
    const match = (table: string, q: string) =>
      db.$client.prepare(`SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).pluck().get(q) as number;
    expect(match('order_search', '"欧阳娜"')).toBe(1);
    expect(match('order_search_cjk', '"拱墅"')).toBe(1);
    expect(match('order_search_cjk', '"李娜"')).toBe(0);
    // order_counts followed the flag change.
    expect(db.$client.prepare('SELECT abnormal_flags FROM order_counts WHERE n > 0').pluck().all()).toEqual([0]);
    db.$client.close();
  });
});
