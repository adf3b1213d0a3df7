// orders.ship and the pushes a command writes: rows, audit, op and pushes in one transaction,
// every skip reason, memo supersede, and the ingest rules that keep local shipping and memos.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchResult } from '../../shared/contract.ts';
import { countRows, openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { ingestOrders } from './ingest.ts';
import { holdOrders, setFlag } from './commands.ts';
import { SHIP_SKIP_REASONS, shipOrders } from './ship.ts';

interface PushRow {
  id: string;
  op_id: string;
  order_id: string;
  shop_id: string;
  kind: string;
  payload: string;
  state: string;
  attempts: number;
  next_at: number;
  created_at: number;
  done_at: number | null;
}

let f: Fixture;
beforeEach(() => {
  f = openFixture(3);
});
afterEach(() => f.close());

const pushes = (orderId?: string) =>
  (orderId
    ? f.db.$client.prepare('SELECT * FROM pushes WHERE order_id = ? ORDER BY created_at, id').all(orderId)
    : f.db.$client.prepare('SELECT * FROM pushes ORDER BY created_at, id').all()) as PushRow[];
const orderRow = (id: string) =>
  f.db.$client.prepare('SELECT stage, queue, status, shipped_at, carrier_code, waybill_no, seller_memo, seller_flag FROM orders WHERE id = ?').get(id) as {
    stage: string;
    queue: string;
    status: string;
    shipped_at: number | null;
    carrier_code: string | null;
    waybill_no: string | null;
    seller_memo: string | null;
    seller_flag: number;
  };
const opOf = (id: string) => f.db.$client.prepare('SELECT name, args, push_state FROM ops WHERE id = ?').get(id) as { name: string; args: string; push_state: string | null };

describe('orders.ship', () => {
  it('ships, audits, and queues one frozen ship push per order in the command transaction', async () => {
    const [a, b] = [f.idOf(1), f.idOf(2)];
    const res = await f.call('orders.ship', { items: [{ id: a, carrierCode: 'ZTO', waybillNo: '731234567890' }, { id: b, carrierCode: 'SF', waybillNo: 'SF1234567890' }] }, f.as('packer'));
    expect(res).toEqual({ ok: true, value: { changed: 2, skipped: [] } });
    expect(orderRow(a)).toMatchObject({ stage: 'shipped', queue: 'shipped', carrier_code: 'ZTO', waybill_no: '731234567890' });
    expect(orderRow(a).shipped_at).toBeGreaterThan(T0);
    const rows = pushes();
    expect(rows.map((p) => [p.order_id, p.shop_id, p.kind, JSON.parse(p.payload), p.state, p.attempts])).toEqual([
      [a, f.shopId, 'ship', { kind: 'ship', carrierCode: 'ZTO', waybillNo: '731234567890' }, 'pending', 0],
      [b, f.shopId, 'ship', { kind: 'ship', carrierCode: 'SF', waybillNo: 'SF1234567890' }, 'pending', 0],
    ]);
    // Same op, due at once, created when the command ran.
    expect(new Set(rows.map((p) => p.op_id)).size).toBe(1);
    expect(rows[0]!.next_at).toBe(rows[0]!.created_at);
    const op = opOf(rows[0]!.op_id);
    expect(op.name).toBe('orders.ship');
    expect(op.push_state).toBe('pending');
    expect(JSON.parse(op.args).items.map((i: { id: string }) => i.id)).toEqual([a, b]);
    const audit = f.db.$client.prepare("SELECT entity_id, field, before, after FROM audit_log WHERE command = 'orders.ship' ORDER BY id").all();
    expect(audit).toEqual([
      { entity_id: a, field: 'stage', before: 'pending_review', after: 'shipped' },
      { entity_id: a, field: 'waybill', before: null, after: 'ZTO 731234567890' },
      { entity_id: b, field: 'stage', before: 'pending_review', after: 'shipped' },
      { entity_id: b, field: 'waybill', before: null, after: 'SF SF1234567890' },
    ]);
  });

  it('a failure inside the command leaves no order change, no push, no audit and no op', () => {
    const a = f.idOf(1);
    const before = { pushes: countRows(f.db, 'pushes'), audit: countRows(f.db, 'audit_log'), ops: countRows(f.db, 'ops') };
    // pushes rows are written after the order row: fail there.
    f.db.$client.exec(`CREATE TEMP TRIGGER fail_push BEFORE INSERT ON pushes BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    expect(() => shipOrders(f.ctx(), { items: [{ id: a, carrierCode: 'ZTO', waybillNo: '731234567890' }] })).toThrow(/disk full/);
    expect({ pushes: countRows(f.db, 'pushes'), audit: countRows(f.db, 'audit_log'), ops: countRows(f.db, 'ops') }).toEqual(before);
    expect(orderRow(a)).toMatchObject({ stage: 'pending_review', waybill_no: null });
    f.db.$client.exec('DROP TRIGGER fail_push');
    // And a failure after the push row (at the ops insert) rolls the push back too.
    f.db.$client.exec(`CREATE TEMP TRIGGER fail_op BEFORE INSERT ON ops BEGIN SELECT RAISE(ABORT, 'power cut'); END`);
    expect(() => shipOrders(f.ctx(), { items: [{ id: a, carrierCode: 'ZTO', waybillNo: '731234567890' }] })).toThrow(/power cut/);
    expect(countRows(f.db, 'pushes')).toBe(0);
    expect(orderRow(a).stage).toBe('pending_review');
  });

  it('skips with a reason: unpaid, closed, completed, held, after-sale, shipped elsewhere; same waybill is unchanged', () => {
    const ids = f.addOrders([
      platformOrder(10, { status: 'unpaid', paidAt: null }),
      platformOrder(11, { status: 'closed' }),
      platformOrder(12, { status: 'completed' }),
      platformOrder(13),
      platformOrder(14, { afterSale: 'requested' }),
      platformOrder(15, { afterSale: 'in_progress' }),
      platformOrder(16, { status: 'shipped' }),
      platformOrder(17),
      platformOrder(18, { afterSale: 'refunded' }),
    ]);
    const [unpaid, closed, completed, held, refundRequested, afterSale, platformShipped, shippedHere, refundDone] = ids as [string, ...string[]];
    holdOrders(f.ctx(), { ids: [held!], reason: '等通知' });
    shipOrders(f.ctx(), { items: [{ id: shippedHere!, carrierCode: 'YTO', waybillNo: 'YT100000001' }] });
    const items = [
      { id: unpaid, carrierCode: 'ZTO' as const, waybillNo: 'ZT000000001' },
      { id: closed!, carrierCode: 'ZTO' as const, waybillNo: 'ZT000000002' },
      { id: completed!, carrierCode: 'ZTO' as const, waybillNo: 'ZT000000003' },
      { id: held!, carrierCode: 'ZTO' as const, waybillNo: 'ZT000000004' },
      { id: refundRequested!, carrierCode: 'ZTO' as const, waybillNo: 'ZT000000005' },
      { id: afterSale!, carrierCode: 'ZTO' as const, waybillNo: 'ZT000000006' },
      { id: platformShipped!, carrierCode: 'ZTO' as const, waybillNo: 'ZT000000007' },
      { id: shippedHere!, carrierCode: 'YTO' as const, waybillNo: 'YT100000001' },
      { id: shippedHere!, carrierCode: 'YTO' as const, waybillNo: 'YT100000999' },
      { id: 'missing', carrierCode: 'ZTO' as const, waybillNo: 'ZT000000009' },
      { id: refundDone!, carrierCode: 'ZTO' as const, waybillNo: 'ZT000000010' },
    ];
    const result: BatchResult = shipOrders(f.ctx(), { items });
    expect(result.skipped).toEqual([
      { id: unpaid, reason: 'unpaid' },
      { id: closed, reason: 'closed' },
      { id: completed, reason: 'completed' },
      { id: held, reason: 'held' },
      { id: refundRequested, reason: 'after_sale' },
      { id: afterSale, reason: 'after_sale' },
      { id: platformShipped, reason: 'shipped' },
      { id: shippedHere, reason: 'unchanged' },
      { id: shippedHere, reason: 'shipped_other_waybill' },
      { id: 'missing', reason: 'not_found' },
    ]);
    // A refund that already completed (or was rejected) no longer blocks the parcel.
    expect(result.changed).toBe(1);
    expect(orderRow(refundDone!).stage).toBe('shipped');
    expect(orderRow(shippedHere!).waybill_no).toBe('YT100000001');
    expect(pushes().map((p) => p.order_id)).toEqual([shippedHere, refundDone]);
    for (const r of result.skipped) expect(SHIP_SKIP_REASONS[r.reason as keyof typeof SHIP_SKIP_REASONS]).toBeTruthy();
  });

  it('lets owner, operator and packer ship; service and finance may not', async () => {
    const a = f.idOf(1);
    const input = { items: [{ id: a, carrierCode: 'ZTO', waybillNo: '731234567890' }] };
    expect((await f.call('orders.ship', input, f.as('service'))).ok).toBe(false);
    expect((await f.call('orders.ship', input, f.as('finance'))).ok).toBe(false);
    const bad = await f.call('orders.ship', { items: [{ id: a, carrierCode: 'NOPE', waybillNo: '1' }] });
    expect(bad.ok).toBe(false);
    expect((await f.call('orders.ship', input, f.as('operator'))).ok).toBe(true);
  });
});

describe('memo pushes (orders.setFlag)', () => {
  it('carries the whole resulting memo and flag, and supersedes an older memo push that is still pending', () => {
    const a = f.idOf(1);
    setFlag(f.ctx(), { ids: [a], memo: '先发顺丰' });
    setFlag(f.ctx(), { ids: [a], flag: 2 });
    const rows = pushes(a);
    expect(rows.map((p) => [p.kind, JSON.parse(p.payload), p.state])).toEqual([
      ['memo', { kind: 'memo', memo: '先发顺丰', flag: 0 }, 'superseded'],
      ['memo', { kind: 'memo', memo: '先发顺丰', flag: 2 }, 'pending'],
    ]);
    expect(rows[0]!.done_at).not.toBeNull();
    expect(opOf(rows[0]!.op_id).push_state).toBe('superseded');
    expect(opOf(rows[1]!.op_id).push_state).toBe('pending');
  });

  it('never supersedes a memo push already sending, nor another order\'s, nor a ship push', () => {
    const [a, b] = [f.idOf(1), f.idOf(2)];
    shipOrders(f.ctx(), { items: [{ id: a, carrierCode: 'ZTO', waybillNo: '731234567890' }] });
    setFlag(f.ctx(), { ids: [a, b], memo: '一' });
    f.db.$client.prepare("UPDATE pushes SET state = 'sending' WHERE order_id = ? AND kind = 'memo'").run(a);
    setFlag(f.ctx(), { ids: [a], memo: '二' });
    expect(pushes(a).map((p) => [p.kind, p.state])).toEqual([
      ['ship', 'pending'],
      ['memo', 'sending'],
      ['memo', 'pending'],
    ]);
    expect(pushes(b).map((p) => p.state)).toEqual(['pending']);
  });

  it('an unchanged memo writes no push', () => {
    const a = f.idOf(1);
    setFlag(f.ctx(), { ids: [a], memo: '同一句' });
    setFlag(f.ctx(), { ids: [a], memo: '同一句' });
    expect(pushes(a)).toHaveLength(1);
  });
});

describe('ingest keeps what was done here until the platform has it', () => {
  const repull = (n: number, overrides: Parameters<typeof platformOrder>[1], at: number) =>
    ingestOrders(f.db, { shopId: f.shopId, platform: 'taobao', orders: [{ order: platformOrder(n, overrides), raw: {} }] }, at);

  it('a re-pull that still says "awaiting shipment" does not move a locally shipped order back', () => {
    const a = f.idOf(1);
    shipOrders(f.ctx(), { items: [{ id: a, carrierCode: 'ZTO', waybillNo: '731234567890' }] });
    const shippedAt = orderRow(a).shipped_at;
    const r = repull(1, { buyerMessage: '快点发', platformUpdatedAt: T0 + 10_000_000 }, T0 + 10_000_001);
    expect(r.updated).toBe(1);
    expect(orderRow(a)).toMatchObject({ stage: 'shipped', queue: 'shipped', status: 'awaiting_shipment', shipped_at: shippedAt, carrier_code: 'ZTO', waybill_no: '731234567890' });
    // And once the platform reports it shipped, it stays shipped with our waybill.
    repull(1, { status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS', platformUpdatedAt: T0 + 20_000_000 }, T0 + 20_000_001);
    expect(orderRow(a)).toMatchObject({ stage: 'shipped', status: 'shipped', shipped_at: shippedAt, waybill_no: '731234567890' });
  });

  it('keeps the local memo and flag while their push is pending or sending, and takes the platform\'s once it settled', () => {
    const a = f.idOf(1);
    setFlag(f.ctx(), { ids: [a], memo: '本地备注', flag: 3 });
    // The platform's copy changed for another reason before our push landed.
    repull(1, { sellerMemo: '平台旧备注', sellerFlag: 1, buyerMessage: 'x', platformUpdatedAt: T0 + 10_000_000 }, T0 + 10_000_001);
    expect(orderRow(a)).toMatchObject({ seller_memo: '本地备注', seller_flag: 3 });
    f.db.$client.prepare("UPDATE pushes SET state = 'sending' WHERE order_id = ?").run(a);
    repull(1, { sellerMemo: '平台旧备注', sellerFlag: 1, buyerMessage: 'y', platformUpdatedAt: T0 + 11_000_000 }, T0 + 11_000_001);
    expect(orderRow(a)).toMatchObject({ seller_memo: '本地备注', seller_flag: 3 });
    // Confirmed: the platform now has ours, and its later copies are the truth again.
    f.db.$client.prepare("UPDATE pushes SET state = 'confirmed' WHERE order_id = ?").run(a);
    repull(1, { sellerMemo: '平台上又改了', sellerFlag: 4, buyerMessage: 'z', platformUpdatedAt: T0 + 12_000_000 }, T0 + 12_000_001);
    expect(orderRow(a)).toMatchObject({ seller_memo: '平台上又改了', seller_flag: 4 });
    // Another order without a push takes the platform's memo as before.
    repull(2, { sellerMemo: '别的单', platformUpdatedAt: T0 + 12_000_000 }, T0 + 12_000_001);
    expect(orderRow(f.idOf(2)).seller_memo).toBe('别的单');
  });

  it('a pending ship push does not hold the memo: only memo pushes do', () => {
    const a = f.idOf(1);
    shipOrders(f.ctx(), { items: [{ id: a, carrierCode: 'ZTO', waybillNo: '731234567890' }] });
    repull(1, { sellerMemo: '平台备注', platformUpdatedAt: T0 + 10_000_000 }, T0 + 10_000_001);
    expect(orderRow(a).seller_memo).toBe('平台备注');
  });
});
