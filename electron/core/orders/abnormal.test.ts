// Abnormal reasons: each rule on its own, and refreshOrders after a local edit.
import { describe, expect, it } from 'vitest';
import { abnormalBit, abnormalReasonsOf } from '../../shared/model.ts';
import { abnormalFlagsFor, ensurePhoneFlags, isValidPhone, PHONE_RULE_VERSION, refreshOrders, type AbnormalInput } from './abnormal.ts';
import { order, setupDb, T0 } from '../../testkit/ingest-fixtures.ts';
import { ingestOrders } from './ingest.ts';
import { writeTx } from '../db/access.ts';

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

  // The receiver phone each platform's order APIs actually send, in the field the adapter reads
  // (docs/platforms/phones.md): masked copies are phones whose digits the platform hid, and only a
  // value that cannot be a number at all is 手机号异常.
  it.each([
    ['taobao', 'receiver_mobile, digits hidden but the last 4', '*******3459', true],
    ['tmall', 'receiver_mobile, digits hidden but the last 4', '*******0001', true],
    ['taobao', 'privacy number with its extension', '13800001234-1234', true],
    ['taobao', 'privacy number, extension after 转', '13800001234转1234', true],
    ['taobao', 'receiver_phone landline, masked', '0571-****6666', true],
    ['pdd', 'receiver_phone_mask', '138****1234', true],
    ['pdd', 'receiver_phone_mask of a virtual number', '138****1234-5678', true],
    ['jd', 'consigneeInfo.mobile, masked', '138****1234', true],
    ['jd', 'consigneeInfo.mobile, every digit hidden', '****', true],
    ['jd', 'consigneeInfo.telephone, every digit hidden', '***********', true],
    ['douyin', 'mask_post_tel', '138****1234', true],
    ['douyin', 'virtual number (phone_no_a + phone_no_b)', '13800001234_1234', true],
    ['kuaishou', 'mobile, masked', '157****0021', true],
    ['kuaishou', 'mobile, full-width mask characters', '157＊＊＊＊0021', true],
    ['any', 'a buyer typed two digits', '12', false],
    ['any', 'letters', 'abc', false],
    ['any', 'letters in a masked shape', '138****abcd', false],
    ['any', 'a masked mobile one digit short', '*******345', false],
    ['any', 'a masked mobile one digit long', '********3459', false],
    ['any', 'two stars', '**', false],
    ['any', 'nothing', '', false],
  ])('%s %s: %s valid=%s', (_platform, _field, phone, valid) => {
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
    writeTx(db, (tx) => {
      tx.$client
        .prepare("UPDATE orders SET receiver_district = '拱墅区', receiver_name = '欧阳娜娜', receiver_edited_at = ? WHERE id = ?")
        .run(T0, id);
      refreshOrders(tx, [id!, 'no-such-id']);
    });
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

describe('ensurePhoneFlags', () => {
  it('clears false phone alarms stored under the old rule once, keeps real ones, and records the rule version', () => {
    const db = setupDb();
    const withPhone = (n: number, phone: string) => ({ order: order(n, { receiver: { ...order(n).receiver, phone } }), raw: {} });
    ingestOrders(db, { shopId: 'shop-a', platform: 'taobao', orders: [withPhone(1, '*******3459'), withPhone(2, '****'), withPhone(3, '12'), withPhone(4, '138****1234')] }, T0);
    const bit = abnormalBit('invalid_phone');
    const flags = () => db.$client.prepare('SELECT platform_order_id AS id, abnormal_flags AS f FROM orders ORDER BY platform_order_id').all() as { id: string; f: number }[];
    // A station that synced under the old rule: the masked Taobao and JD phones carry the bit.
    db.$client.prepare('UPDATE orders SET abnormal_flags = abnormal_flags | ? WHERE receiver_phone IN (?, ?)').run(bit, '*******3459', '****');
    expect(flags().map((r) => (r.f & bit) !== 0)).toEqual([true, true, true, false]);

    expect(ensurePhoneFlags(db)).toBe(2);
    expect(flags().map((r) => (r.f & bit) !== 0)).toEqual([false, false, true, false]);
    expect(db.$client.prepare("SELECT value FROM meta WHERE key = 'abnormal.phoneRule'").pluck().get()).toBe(String(PHONE_RULE_VERSION));
    // The 异常 counts follow the rewritten flags.
    expect(db.$client.prepare('SELECT sum(n) FROM order_counts WHERE abnormal_flags & ? != 0').pluck().get(bit)).toBe(1);

    // Once per version: a second start reads the marker and touches nothing.
    db.$client.prepare('UPDATE orders SET abnormal_flags = ? WHERE receiver_phone = ?').run(bit, '*******3459');
    expect(ensurePhoneFlags(db)).toBe(0);
    expect((flags()[0]!.f & bit) !== 0).toBe(true);
    db.$client.close();
  });
});
