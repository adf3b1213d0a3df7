import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_LINE_QUANTITY, MAX_ORDER_FEN } from '../../shared/limits.ts';
import { AppError } from '../../shared/result.ts';
import { countRows, openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { decideChangeRequest, listChangeRequests, LOCAL_ONLY_NOTE, requestChange } from './change-requests.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture(3);
});
afterEach(() => f.close());

const line = (orderId: string, lineNo: number) =>
  f.db.$client
    .prepare('SELECT quantity, unit_price_fen AS unitPriceFen, paid_fen AS paidFen FROM order_items WHERE order_id = ? AND line_no = ?')
    .get(orderId, lineNo) as { quantity: number; unitPriceFen: number; paidFen: number };
const amounts = (orderId: string) =>
  f.db.$client.prepare('SELECT goods_fen AS goodsFen, paid_fen AS paidFen, item_count AS itemCount FROM orders WHERE id = ?').get(orderId) as {
    goodsFen: number;
    paidFen: number;
    itemCount: number;
  };
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : `not an AppError: ${String(err)}`;
  }
  return 'no error';
};

describe('change requests', () => {
  it('a request is recorded as pending and changes nothing on the order', () => {
    const id = f.idOf(1);
    const service = f.as('service', '客服小王');
    const before = { line: line(id, 1), amounts: amounts(id) };
    const cr = requestChange(f.ctx(service), { id, lineNo: 1, kind: 'price', value: 1599, reason: '老客户优惠' });
    expect(cr).toMatchObject({ orderId: id, platformOrderId: 'P00000001', kind: 'price', lineNo: 1, value: 1599, previous: 1999, state: 'pending', requestedBy: '客服小王' });
    expect({ line: line(id, 1), amounts: amounts(id) }).toEqual(before);
    expect(listChangeRequests(f.db, { state: 'pending' }).map((r) => r.id)).toEqual([cr.id]);
    expect(listChangeRequests(f.db, { state: 'approved' })).toEqual([]);
  });

  it('approving a price change rewrites the line and moves goods and paid amounts in fen, keeping the line discount', () => {
    const id = f.idOf(1);
    // Line 1: 2 × 19.99, paid 36.98 (a 3.00 discount). Order goods 44.98, paid 49.78.
    expect(line(id, 1)).toEqual({ quantity: 2, unitPriceFen: 1999, paidFen: 3698 });
    expect(amounts(id)).toEqual({ goodsFen: 4498, paidFen: 4998, itemCount: 3 });
    const cr = requestChange(f.ctx(f.as('service')), { id, lineNo: 1, kind: 'price', value: 1599, reason: '老客户优惠' });
    const decided = decideChangeRequest(f.ctx(f.owner), { id: cr.id, approve: true, note: '同意' });
    expect(decided).toMatchObject({ state: 'approved', decidedBy: '店主', decisionNote: '同意' });
    expect(line(id, 1)).toEqual({ quantity: 2, unitPriceFen: 1599, paidFen: 2 * 1599 - 300 });
    expect(amounts(id)).toEqual({ goodsFen: 4498 - 800, paidFen: 4998 - 800, itemCount: 3 });
    const audit = f.db.$client
      .prepare("SELECT field, before, after FROM audit_log WHERE command = 'changeRequests.decide' AND entity_id = ? ORDER BY id")
      .all(id);
    expect(audit).toEqual([
      { field: 'items[1].unit_price_fen', before: '1999', after: '1599' },
      { field: 'items[1].paid_fen', before: '3698', after: '2898' },
      { field: 'goods_fen', before: '4498', after: '3698' },
      { field: 'paid_fen', before: '4998', after: '4198' },
      { field: 'change_request.price', before: 'pending', after: 'approved' },
    ]);
  });

  it('approving a quantity change updates the item count as well', () => {
    const id = f.idOf(2);
    const cr = requestChange(f.ctx(f.as('operator')), { id, lineNo: 2, kind: 'quantity', value: 3, reason: '买家加购' });
    decideChangeRequest(f.ctx(f.owner), { id: cr.id, approve: true });
    expect(line(id, 2)).toEqual({ quantity: 3, unitPriceFen: 500, paidFen: 1500 });
    expect(amounts(id)).toEqual({ goodsFen: 4498 + 1000, paidFen: 4998 + 1000, itemCount: 5 });
  });

  it('rejecting records the decision and leaves the order alone', () => {
    const id = f.idOf(1);
    const before = { line: line(id, 1), amounts: amounts(id) };
    const cr = requestChange(f.ctx(f.as('service')), { id, lineNo: 1, kind: 'quantity', value: 5, reason: '多发' });
    const decided = decideChangeRequest(f.ctx(f.owner), { id: cr.id, approve: false, note: '库存不足' });
    expect(decided).toMatchObject({ state: 'rejected', decisionNote: '库存不足' });
    expect({ line: line(id, 1), amounts: amounts(id) }).toEqual(before);
  });

  it('refuses to let a requester decide their own request, and decides only pending requests', () => {
    const id = f.idOf(1);
    const operator = f.as('operator', '运营小李');
    const cr = requestChange(f.ctx(operator), { id, lineNo: 1, kind: 'price', value: 1500, reason: '活动价' });
    expect(codeOf(() => decideChangeRequest(f.ctx(operator), { id: cr.id, approve: true }))).toBe('FORBIDDEN');
    decideChangeRequest(f.ctx(f.owner), { id: cr.id, approve: false });
    expect(codeOf(() => decideChangeRequest(f.ctx(f.as('operator', '运营小张')), { id: cr.id, approve: true }))).toBe('INVALID_STATE');
    expect(codeOf(() => decideChangeRequest(f.ctx(f.owner), { id: 'missing', approve: true }))).toBe('NOT_FOUND');
  });

  it('validates requests: unknown order or line, no-op values, duplicates, finished orders', () => {
    const id = f.idOf(1);
    const ctx = f.ctx(f.as('service'));
    const auditBefore = countRows(f.db, 'audit_log');
    expect(codeOf(() => requestChange(ctx, { id: 'missing', lineNo: 1, kind: 'price', value: 1, reason: 'x' }))).toBe('NOT_FOUND');
    expect(codeOf(() => requestChange(ctx, { id, lineNo: 9, kind: 'price', value: 1, reason: 'x' }))).toBe('NOT_FOUND');
    expect(codeOf(() => requestChange(ctx, { id, lineNo: 1, kind: 'price', value: 1999, reason: 'x' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => requestChange(ctx, { id, lineNo: 1, kind: 'quantity', value: 0, reason: 'x' }))).toBe('VALIDATION_FAILED');
    requestChange(ctx, { id, lineNo: 1, kind: 'price', value: 1000, reason: 'x' });
    expect(codeOf(() => requestChange(ctx, { id, lineNo: 1, kind: 'price', value: 900, reason: 'y' }))).toBe('CONFLICT');
    const [shipped] = f.addOrders([platformOrder(40, { status: 'shipped' })]);
    expect(codeOf(() => requestChange(ctx, { id: shipped!, lineNo: 1, kind: 'price', value: 1, reason: 'x' }))).toBe('INVALID_STATE');
    // Only the one accepted request wrote anything.
    expect(countRows(f.db, 'change_requests')).toBe(1);
    expect(countRows(f.db, 'audit_log')).toBe(auditBefore + 1);
  });

  it('refuses to approve when the line changed since the request', () => {
    const id = f.idOf(1);
    const cr = requestChange(f.ctx(f.as('service')), { id, lineNo: 1, kind: 'price', value: 1500, reason: 'x' });
    f.db.$client.prepare('UPDATE order_items SET unit_price_fen = 1800 WHERE order_id = ? AND line_no = 1').run(id);
    expect(codeOf(() => decideChangeRequest(f.ctx(f.owner), { id: cr.id, approve: true }))).toBe('CONFLICT');
    expect(listChangeRequests(f.db, { orderId: id })[0]!.state).toBe('pending');
  });

  it('queues no platform push for an approved change (no platform has a price API) and says so in the audit', () => {
    const [unpaid] = f.addOrders([platformOrder(30, { status: 'unpaid', paidAt: null })]);
    const paid = f.idOf(1);
    for (const id of [unpaid!, paid]) {
      const cr = requestChange(f.ctx(f.as('service')), { id, lineNo: 1, kind: 'price', value: 1500, reason: 'x' });
      decideChangeRequest(f.ctx(f.owner), { id: cr.id, approve: true });
    }
    const ops = f.db.$client.prepare("SELECT push_state FROM ops WHERE name = 'changeRequests.decide' ORDER BY id").all();
    expect(ops).toEqual([{ push_state: null }, { push_state: null }]);
    expect(countRows(f.db, 'pushes')).toBe(0);
    const reasons = f.db.$client
      .prepare("SELECT reason FROM audit_log WHERE entity_id = ? AND field = 'items[1].unit_price_fen'")
      .all(unpaid!) as { reason: string }[];
    expect(reasons).toEqual([{ reason: `x${LOCAL_ONLY_NOTE}` }]);
  });
  it('an approval that fails after rewriting the line leaves line, amounts, request, audit and ops untouched', () => {
    const id = f.idOf(1);
    const cr = requestChange(f.ctx(f.as('service')), { id, lineNo: 1, kind: 'price', value: 1500, reason: 'x' });
    const before = { line: line(id, 1), amounts: amounts(id), audit: countRows(f.db, 'audit_log'), ops: countRows(f.db, 'ops') };
    // The request row is written last in the transaction: fail there, after the line and order moved.
    f.db.$client.exec(`CREATE TEMP TRIGGER fail_decide BEFORE UPDATE ON change_requests BEGIN SELECT RAISE(ABORT, 'power cut'); END`);
    expect(() => decideChangeRequest(f.ctx(f.owner), { id: cr.id, approve: true })).toThrow(/power cut/);
    expect({ line: line(id, 1), amounts: amounts(id), audit: countRows(f.db, 'audit_log'), ops: countRows(f.db, 'ops') }).toEqual(before);
    expect(listChangeRequests(f.db, { orderId: id })[0]!.state).toBe('pending');
  });

  describe('absurd values are refused before they reach an amount', () => {
    const issuesOf = (r: { ok: boolean; error?: { code: string; details?: unknown } }) =>
      ((r.error?.details as { issues?: { path: string[] }[] } | undefined)?.issues ?? []).map((i) => i.path.join('.'));

    it.each([
      ['price', Number.MAX_SAFE_INTEGER],
      ['price', MAX_ORDER_FEN + 1],
      ['quantity', MAX_LINE_QUANTITY + 1],
      ['quantity', Number.MAX_SAFE_INTEGER],
    ] as const)('%s %d is refused by the contract, naming value, and nothing is written', async (kind, value) => {
      const id = f.idOf(1);
      const before = { line: line(id, 1), amounts: amounts(id), requests: countRows(f.db, 'change_requests'), ops: countRows(f.db, 'ops') };
      const r = await f.call('orders.requestChange', { id, lineNo: 1, kind, value, reason: '改价' }, f.as('service'));
      expect(r.ok ? 'ok' : r.error.code).toBe('VALIDATION_FAILED');
      expect([...new Set(issuesOf(r as never))]).toEqual(['value']);
      expect({ line: line(id, 1), amounts: amounts(id), requests: countRows(f.db, 'change_requests'), ops: countRows(f.db, 'ops') }).toEqual(before);
    });

    it('a price each bound allows is refused when the line (price × quantity) would pass the cap', () => {
      const id = f.idOf(1); // line 1 has quantity 2
      const service = f.ctx(f.as('service'));
      expect(codeOf(() => requestChange(service, { id, lineNo: 1, kind: 'price', value: MAX_ORDER_FEN / 2 + 1, reason: 'x' }))).toBe('VALIDATION_FAILED');
      expect(codeOf(() => requestChange(service, { id, lineNo: 1, kind: 'quantity', value: MAX_LINE_QUANTITY, reason: 'x' }))).toBe('no error');
      expect(countRows(f.db, 'change_requests')).toBe(1);
    });

    it('a stored request past the caps (from before them) is refused at approval and paid_fen stays', () => {
      const id = f.idOf(1);
      const cr = requestChange(f.ctx(f.as('service')), { id, lineNo: 1, kind: 'price', value: 1500, reason: 'x' });
      f.db.$client
        .prepare("UPDATE change_requests SET payload = json_set(payload, '$.value', ?) WHERE id = ?")
        .run(Number.MAX_SAFE_INTEGER, cr.id);
      const before = { line: line(id, 1), amounts: amounts(id) };
      expect(codeOf(() => decideChangeRequest(f.ctx(f.owner), { id: cr.id, approve: true }))).toBe('VALIDATION_FAILED');
      expect({ line: line(id, 1), amounts: amounts(id) }).toEqual(before);
      expect(listChangeRequests(f.db, { orderId: id })[0]!.state).toBe('pending');
    });
  });
});
