// Label data from a stored order: receiver as stored, the package's waybill and sort code, the account's
// sender — and a 样张 sample when no number is allocated yet.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { ingestInto, order, setupDb } from '../../testkit/ingest-fixtures.ts';
import { labelDataForOrder } from './order-label.ts';

function withOrder() {
  const db = setupDb();
  ingestInto(db, 'shop-a', [
    order(1, {
      buyerMessage: '周末送',
      items: [
        { ...order(1).items[0]!, title: '女装纯棉T恤', skuName: '黑色;M', quantity: 2 },
        { ...order(1).items[0]!, platformItemId: 'G1', title: '帆布袋', skuName: null, quantity: 1, isGift: true, paidFen: 0, unitPriceFen: 0 },
      ],
    }),
  ]);
  const id = db.$client.prepare('SELECT id FROM orders').pluck().get() as string;
  return { db, id };
}

describe('labelDataForOrder', () => {
  it('without a package or waybill: a 样张 SAMPLE label with the receiver as stored (masked)', () => {
    const { db, id } = withOrder();
    const d = labelDataForOrder(db, id);
    expect(d.sample).toBe(true);
    expect(d.waybillNo).toBe('SAMPLE');
    expect(d.receiver).toEqual({ name: '李娜', phone: '138****1234', address: '浙江省杭州市西湖区文三路100号2幢301' });
    expect(d.sender.name).toBe('甲店');
    expect(d.itemSummary).toBe('女装纯棉T恤 黑色;M ×2；赠品：帆布袋 ×1');
    expect(d.buyerMessage).toBe('周末送');
    expect([d.seq, d.total, d.reprint]).toEqual([1, 1, false]);
    // The platform order number finds it too.
    expect(labelDataForOrder(db, '3000000000000001').receiver.name).toBe('李娜');
  });

  it('with an allocated package: its number, carrier, sort code and the account sender; seq/total over packages', () => {
    const { db, id } = withOrder();
    const c = db.$client;
    c.prepare(`INSERT INTO waybill_accounts (id, name, carrier_code, kind, settings, created_at) VALUES ('acc', '中通池', 'ZTO', 'pool', ?, 0)`).run(
      JSON.stringify({ sender: { name: '好物仓', mobile: '0571-88886666', province: '浙江省', city: '杭州市', district: '余杭区', address: '文一西路998号' }, shopIds: [], options: {} }),
    );
    c.prepare(`INSERT INTO packages (id, order_id, seq, account_id, carrier_code, waybill_no, routing, state, created_at) VALUES
      ('p1', ?, 1, 'acc', 'ZTO', '73100000000001', ?, 'allocated', 0),
      ('p2', ?, 2, 'acc', 'ZTO', NULL, NULL, 'new', 0)`).run(id, JSON.stringify({ sortCode: '771AG-07' }), id);
    const d = labelDataForOrder(db, id, { reprint: true });
    expect(d.sample).toBe(false);
    expect([d.waybillNo, d.carrierName, d.sortCode]).toEqual(['73100000000001', '中通快递', '771AG-07']);
    expect(d.sender).toEqual({ name: '好物仓', phone: '0571-88886666', address: '浙江省杭州市余杭区文一西路998号' });
    expect([d.seq, d.total, d.reprint]).toEqual([1, 2, true]);
    const second = labelDataForOrder(db, id, { packageSeq: 2 });
    expect([second.seq, second.total, second.sample]).toEqual([2, 2, true]);
  });

  it('an unknown order is NOT_FOUND', () => {
    const { db } = withOrder();
    expect(() => labelDataForOrder(db, 'nope')).toThrow(AppError);
  });
});
