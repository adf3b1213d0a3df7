import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchResult } from '../../shared/contract.ts';
import { countRows, openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import {
  addNote,
  closeOrders,
  editAddress,
  holdOrders,
  markRead,
  releaseOrders,
  reviewOrders,
  setFlag,
  SKIP_REASONS,
  tagOrders,
} from './commands.ts';
import { createTag } from './tags.ts';

interface AuditRow {
  command: string;
  entity_id: string;
  field: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
  op_id: string;
  actor: string;
}
interface OpRow {
  id: string;
  name: string;
  args: string;
  push_state: string | null;
  actor: string;
}

let f: Fixture;
beforeEach(() => {
  f = openFixture(5);
});
afterEach(() => f.close());

const order = (id: string) =>
  f.db.$client.prepare('SELECT * FROM orders WHERE id = ?').get(id) as Record<string, unknown> & {
    queue: string;
    hold_reason: string | null;
    status: string;
    stage: string;
  };
const audits = (command: string) => f.db.$client.prepare('SELECT * FROM audit_log WHERE command = ? ORDER BY id').all(command) as AuditRow[];
const ops = (name: string) => f.db.$client.prepare('SELECT * FROM ops WHERE name = ? ORDER BY id').all(name) as OpRow[];

describe('batch commands write rows, one audit per order per field, and one op', () => {
  it('hold: sets the reason, audits each order, records one op with the changed ids', () => {
    const [a, b] = [f.idOf(1), f.idOf(2)];
    const result = holdOrders(f.ctx(), { ids: [a, b], reason: '地址待确认' });
    expect(result).toEqual({ changed: 2, skipped: [] });
    expect(order(a).hold_reason).toBe('地址待确认');
    expect(order(a).queue).toBe('held');
    const rows = audits('orders.hold');
    expect(rows.map((r) => [r.entity_id, r.field, r.before, r.after, r.reason])).toEqual([
      [a, 'hold_reason', null, '地址待确认', '地址待确认'],
      [b, 'hold_reason', null, '地址待确认', '地址待确认'],
    ]);
    const [op, ...more] = ops('orders.hold');
    expect(more).toHaveLength(0);
    expect(op!.push_state).toBeNull();
    expect(JSON.parse(op!.args)).toEqual({ reason: '地址待确认', ids: [a, b] });
    expect(rows.every((r) => r.op_id === op!.id && r.actor === '店主')).toBe(true);
  });

  it('hold skips already-held, unknown and duplicate ids with stable reason codes', () => {
    const [a, b] = [f.idOf(1), f.idOf(2)];
    holdOrders(f.ctx(), { ids: [a], reason: '缺货' });
    const result = holdOrders(f.ctx(), { ids: [a, b, 'nope', b], reason: '再次挂起' });
    expect(result).toEqual({ changed: 1, skipped: [{ id: a, reason: 'already_held' }, { id: 'nope', reason: 'not_found' }] });
    expect(order(a).hold_reason).toBe('缺货');
    expect(SKIP_REASONS.already_held).toMatch(/already on hold/);
    const op = ops('orders.hold')[1]!;
    expect(JSON.parse(op.args).ids).toEqual([b]);
  });

  it('release clears the hold and skips orders that are not held', () => {
    const [a, b] = [f.idOf(1), f.idOf(2)];
    holdOrders(f.ctx(), { ids: [a], reason: '缺货' });
    expect(releaseOrders(f.ctx(), { ids: [a, b] })).toEqual({ changed: 1, skipped: [{ id: b, reason: 'not_held' }] });
    expect(order(a).hold_reason).toBeNull();
    expect(order(a).queue).toBe('pending_review');
    expect(audits('orders.release').map((r) => [r.field, r.before, r.after])).toEqual([['hold_reason', '缺货', null]]);
  });

  it('close sets status closed with its reason; shipped and closed orders are skipped', () => {
    const [shipped] = f.addOrders([platformOrder(50, { status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS' })]);
    const a = f.idOf(1);
    const result = closeOrders(f.ctx(), { ids: [a, shipped!], reason: '买家要求取消' });
    expect(result).toEqual({ changed: 1, skipped: [{ id: shipped, reason: 'shipped' }] });
    expect(order(a)).toMatchObject({ status: 'closed', close_reason: '买家要求取消', queue: 'closed' });
    expect(closeOrders(f.ctx(), { ids: [a], reason: 'again' }).skipped).toEqual([{ id: a, reason: 'already_closed' }]);
    expect(audits('orders.close').map((r) => [r.field, r.before, r.after])).toEqual([
      ['status', 'awaiting_shipment', 'closed'],
      ['close_reason', null, '买家要求取消'],
    ]);
  });

  it('review moves pending orders to awaiting print and says why others were skipped', () => {
    const [unpaid] = f.addOrders([platformOrder(60, { status: 'unpaid', platformStatus: 'WAIT_BUYER_PAY', paidAt: null })]);
    const [a, held, reviewed] = [f.idOf(1), f.idOf(2), f.idOf(3)];
    holdOrders(f.ctx(), { ids: [held], reason: '缺货' });
    reviewOrders(f.ctx(), { ids: [reviewed] });
    const result = reviewOrders(f.ctx(), { ids: [a, held, reviewed, unpaid!] });
    expect(result.changed).toBe(1);
    expect(result.skipped).toEqual([
      { id: held, reason: 'held' },
      { id: reviewed, reason: 'not_pending_review' },
      { id: unpaid, reason: 'unpaid' },
    ]);
    expect(order(a)).toMatchObject({ stage: 'awaiting_print', queue: 'awaiting_print' });
  });

  it('markRead toggles is_read and skips unchanged orders', () => {
    const [a, b] = [f.idOf(1), f.idOf(2)];
    expect(markRead(f.ctx(), { ids: [a], read: true }).changed).toBe(1);
    expect(markRead(f.ctx(), { ids: [a, b], read: true })).toEqual({ changed: 1, skipped: [{ id: a, reason: 'unchanged' }] });
    expect(markRead(f.ctx(), { ids: [a], read: false }).changed).toBe(1);
    expect(order(a).is_read).toBe(0);
    expect(order(b).is_read).toBe(1);
  });

  it('setFlag changes flag and memo as platform push-backs, auditing each field', () => {
    const [a, b] = [f.idOf(1), f.idOf(2)];
    setFlag(f.ctx(), { ids: [b], flag: 1 });
    const result = setFlag(f.ctx(), { ids: [a, b], flag: 1, memo: '加急' });
    expect(result).toEqual({ changed: 2, skipped: [] });
    expect(order(a)).toMatchObject({ seller_flag: 1, seller_memo: '加急' });
    const rows = audits('orders.setFlag').slice(1);
    expect(rows.map((r) => [r.entity_id, r.field, r.before, r.after])).toEqual([
      [a, 'seller_flag', '0', '1'],
      [a, 'seller_memo', null, '加急'],
      [b, 'seller_memo', null, '加急'],
    ]);
    // The second command's memo push for b carries b's whole memo and flag: it supersedes the first, unsent one.
    expect(ops('orders.setFlag').map((o) => o.push_state)).toEqual(['superseded', 'pending']);
    expect(setFlag(f.ctx(), { ids: [a], flag: 1, memo: '加急' }).skipped).toEqual([{ id: a, reason: 'unchanged' }]);
    // An empty memo clears it.
    setFlag(f.ctx(), { ids: [a], memo: '' });
    expect(order(a).seller_memo).toBeNull();
  });

  it('tag adds and removes tags, audits the tag names, and refuses unknown tags', () => {
    const [a, b] = [f.idOf(1), f.idOf(2)];
    const vip = createTag(f.ctx(), { name: 'VIP' });
    const gift = createTag(f.ctx(), { name: '送赠品' });
    expect(tagOrders(f.ctx(), { ids: [a, b], add: [vip.id, gift.id], remove: [] })).toEqual({ changed: 2, skipped: [] });
    expect(tagOrders(f.ctx(), { ids: [a, b], add: [vip.id], remove: [gift.id] })).toEqual({ changed: 2, skipped: [] });
    expect(tagOrders(f.ctx(), { ids: [a], add: [vip.id], remove: [gift.id] }).skipped).toEqual([{ id: a, reason: 'unchanged' }]);
    const tagsOf = (id: string) =>
      (f.db.$client.prepare('SELECT tag_id FROM order_tags WHERE order_id = ?').all(id) as { tag_id: string }[]).map((r) => r.tag_id);
    expect(tagsOf(a)).toEqual([vip.id]);
    const last = audits('orders.tag').filter((r) => r.entity_id === a).at(-1)!;
    expect([last.before, last.after]).toEqual([JSON.stringify(['VIP', '送赠品']), JSON.stringify(['VIP'])]);
    expect(() => tagOrders(f.ctx(), { ids: [a], add: ['missing-tag'], remove: [] })).toThrow(/Unknown tag/);
  });

  it('editAddress audits each changed field, marks the order edited and recomputes abnormal flags', () => {
    const [bad] = f.addOrders([
      platformOrder(70, { receiver: { ...platformOrder(70).receiver, phone: '123', address: '无' } }),
    ]);
    expect(order(bad!).abnormal_flags).not.toBe(0);
    const receiver = { name: '李娜', phone: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', town: null, address: '文一西路 969 号' };
    const result = editAddress(f.ctx(), { id: bad!, receiver, reason: '买家来电更正' });
    expect(result).toEqual({ changed: 1, skipped: [] });
    const row = order(bad!);
    expect(row).toMatchObject({ receiver_name: '李娜', receiver_phone: '13912345678', receiver_address: '文一西路 969 号', abnormal_flags: 0 });
    expect(row.receiver_edited_at).toEqual(expect.any(Number));
    expect(audits('orders.editAddress').map((r) => [r.field, r.before, r.after, r.reason])).toEqual([
      ['receiver_name', '张伟', '李娜', '买家来电更正'],
      ['receiver_phone', '123', '13912345678', '买家来电更正'],
      ['receiver_address', '无', '文一西路 969 号', '买家来电更正'],
    ]);
    expect(editAddress(f.ctx(), { id: bad!, receiver }).skipped).toEqual([{ id: bad, reason: 'unchanged' }]);
  });

  it('addNote stores the note with its author and audits it', () => {
    const a = f.idOf(1);
    const note = addNote(f.ctx(), { id: a, body: '发顺丰' });
    expect(note).toMatchObject({ author: '店主', body: '发顺丰' });
    expect(countRows(f.db, 'order_notes')).toBe(1);
    expect(() => addNote(f.ctx(), { id: 'nope', body: 'x' })).toThrow(/No order/);
    expect(countRows(f.db, 'order_notes')).toBe(1);
  });

  it('announces the tables it wrote in db.changed after commit', () => {
    const seen: string[][] = [];
    f.events.on('db.changed', (e) => seen.push(e.tables));
    holdOrders(f.ctx(), { ids: [f.idOf(1)], reason: '缺货' });
    expect(seen).toEqual([['orders', 'audit_log', 'ops']]);
  });
});

describe('atomicity', () => {
  it('a failure mid-batch leaves no rows, no audit and no op behind', () => {
    const ids = [1, 2, 3, 4, 5].map((n) => f.idOf(n));
    const failing = ids[3]!;
    // A real SQLite failure on the 4th order's UPDATE, after three orders were already written.
    f.db.$client.exec(`CREATE TEMP TRIGGER fail_hold BEFORE UPDATE OF hold_reason ON orders
      WHEN NEW.id = '${failing}' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const before = { audit: countRows(f.db, 'audit_log'), ops: countRows(f.db, 'ops') };
    const seen: unknown[] = [];
    f.events.on('db.changed', (e) => seen.push(e));
    expect(() => holdOrders(f.ctx(), { ids, reason: '缺货' })).toThrow(/disk on fire/);
    const held = f.db.$client.prepare('SELECT count(*) AS n FROM orders WHERE hold_reason IS NOT NULL').get() as { n: number };
    expect(held.n).toBe(0);
    expect({ audit: countRows(f.db, 'audit_log'), ops: countRows(f.db, 'ops') }).toEqual(before);
    expect(seen).toEqual([]);
  });
});

describe('large batches', () => {
  // How fast is the benchmark's business (`npm run bench`: batch_hold_10k_ms); here, that it is one transaction.
  it('holds 10,000 orders in one transaction', () => {
    const more = Array.from({ length: 10_000 }, (_, i) => platformOrder(1000 + i));
    const ids = f.addOrders(more);
    const result: BatchResult = holdOrders(f.ctx(), { ids, reason: '批量挂起' });
    expect(result.changed).toBe(10_000);
    expect(ops('orders.hold')).toHaveLength(1);
    expect(audits('orders.hold')).toHaveLength(10_000);
  });
});
