import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { requestChange } from './change-requests.ts';
import { addNote, editAddress, holdOrders } from './commands.ts';
import { getOrderDetail } from './detail.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture(2);
});
afterEach(() => f.close());

describe('orders.get', () => {
  it('returns the row with lines, presale and receiver extras', () => {
    const [presale] = f.addOrders([
      platformOrder(9, { orderType: 'presale', presaleDepositFen: 1000, presaleBalanceFen: 3998, receiver: { ...platformOrder(9).receiver, town: '古荡街道' } }),
    ]);
    const d = getOrderDetail(f.db, presale!);
    expect(d).toMatchObject({
      id: presale,
      platformOrderId: 'P00000009',
      shopName: '杭州女装旗舰店',
      orderType: 'presale',
      presaleDepositFen: 1000,
      presaleBalanceFen: 3998,
      discountFen: 300,
      receiverTown: '古荡街道',
      shippedAt: null,
      queue: 'pending_review',
    });
    expect(d.items.map((i) => [i.lineNo, i.title, i.quantity, i.unitPriceFen, i.paidFen, i.isGift, i.skuId])).toEqual([
      [1, '女装纯棉T恤', 2, 1999, 3698, false, 'sku-1'],
      [2, '棉袜', 1, 500, 500, false, 'sku-2'],
    ]);
    expect(d.notes).toEqual([]);
    expect(d.timeline).toEqual([]);
  });

  it('shows address edits, holds, notes and change requests in a newest-first timeline', () => {
    const id = f.idOf(1);
    holdOrders(f.ctx(), { ids: [id], reason: '等买家确认地址' });
    editAddress(f.ctx(f.as('service', '客服小王')), {
      id,
      receiver: { name: '张伟', phone: '13800001234', province: '浙江省', city: '杭州市', district: '余杭区', town: null, address: '五常大道 1 号' },
      reason: '买家改地址',
    });
    addNote(f.ctx(), { id, body: '改地址后再发' });
    const cr = requestChange(f.ctx(f.as('service', '客服小王')), { id, lineNo: 2, kind: 'quantity', value: 2, reason: '补发' });
    const d = getOrderDetail(f.db, id);
    expect(d.receiverDistrict).toBe('余杭区');
    expect(d.holdReason).toBe('等买家确认地址');
    expect(d.notes.map((n) => [n.author, n.body])).toEqual([['店主', '改地址后再发']]);
    expect(d.changeRequests.map((c) => [c.id, c.state])).toEqual([[cr.id, 'pending']]);
    expect(d.timeline.map((t) => [t.command, t.field, t.actor])).toEqual([
      ['orders.requestChange', 'change_request.quantity', '客服小王'],
      ['orders.addNote', 'note', '店主'],
      ['orders.editAddress', 'receiver_address', '客服小王'],
      ['orders.editAddress', 'receiver_district', '客服小王'],
      ['orders.hold', 'hold_reason', '店主'],
    ]);
    const edit = d.timeline.find((t) => t.field === 'receiver_district')!;
    expect(edit).toMatchObject({ before: '西湖区', after: '余杭区', reason: '买家改地址' });
    // Another order's history does not leak in.
    expect(getOrderDetail(f.db, f.idOf(2)).timeline).toEqual([]);
  });

  it('throws NOT_FOUND for an unknown id', () => {
    expect(() => getOrderDetail(f.db, 'missing')).toThrow(AppError);
    try {
      getOrderDetail(f.db, 'missing');
    } catch (err) {
      expect((err as AppError).code).toBe('NOT_FOUND');
    }
  });
});
