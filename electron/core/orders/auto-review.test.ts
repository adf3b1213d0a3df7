import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { readStationSettings, updateStationSettings } from '../station/settings.ts';
import { AUTO_REVIEW_COMMAND, AUTO_REVIEW_REASON, autoReviewAfterIngest, autoReviewOrders, AUTO_REVIEW_ACTOR } from './auto-review.ts';
import { requestChange } from './change-requests.ts';
import { addNote, holdOrders } from './commands.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture(0);
});
afterEach(() => f.close());

const queueOf = (id: string) => (f.db.$client.prepare('SELECT queue FROM orders WHERE id = ?').get(id) as { queue: string }).queue;
const opsNamed = (name: string) => f.db.$client.prepare('SELECT actor, args FROM ops WHERE name = ?').all(name) as { actor: string; args: string }[];
const deps = () => ({ db: f.db, events: f.events, now: () => Date.now() });

/** One clean order and one of each kind a person must look at, keyed by why. */
function seedMixed(): Record<string, string> {
  const receiver = platformOrder(1).receiver;
  const orders = {
    clean: platformOrder(1),
    cleanToo: platformOrder(2, { sellerMemo: '' }),
    unpaid: platformOrder(3, { status: 'unpaid', platformStatus: 'WAIT_BUYER_PAY', paidAt: null }),
    buyerMessage: platformOrder(4, { buyerMessage: '请发顺丰' }),
    incompleteAddress: platformOrder(5, { receiver: { ...receiver, district: '' } }),
    refundRequested: platformOrder(6, { afterSale: 'requested' }),
    refundRefused: platformOrder(7, { afterSale: 'rejected' }),
    sellerMemo: platformOrder(8, { sellerMemo: '改发白色' }),
    sellerFlag: platformOrder(9, { sellerFlag: 1 }),
    presale: platformOrder(10, { orderType: 'presale', presaleDepositFen: 500, presaleBalanceFen: 4000 }),
    held: platformOrder(11),
    teamNote: platformOrder(12),
    pendingChange: platformOrder(13),
    shipped: platformOrder(14, { status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS' }),
    unmatchedSku: platformOrder(15, { items: [{ ...platformOrder(15).items[0]!, outerSkuCode: 'NOT-IN-CATALOGUE' }] }),
  };
  const keys = Object.keys(orders) as (keyof typeof orders)[];
  const ids = f.addOrders(keys.map((k) => orders[k]));
  const byKey = Object.fromEntries(keys.map((k, i) => [k, ids[i]!])) as Record<keyof typeof orders, string>;
  holdOrders(f.ctx(), { ids: [byKey.held], reason: '等买家确认颜色' });
  addNote(f.ctx(), { id: byKey.teamNote, body: '仓库：这单和上一单一起发' });
  requestChange(f.ctx(), { id: byKey.pendingChange, lineNo: 1, kind: 'price', value: 1500, reason: '客服改价' });
  return byKey;
}

describe('auto-review of clean orders', () => {
  it('is off on a station that never turned it on: ingest leaves every order in 待审核 and writes no op', () => {
    const ids = seedMixed();
    expect(readStationSettings(f.db).autoReviewClean).toBe(false);
    expect(autoReviewAfterIngest(deps(), Object.values(ids))).toBe(0);
    expect(queueOf(ids.clean!)).toBe('pending_review');
    expect(opsNamed(AUTO_REVIEW_COMMAND)).toEqual([]);
  });

  it('moves only paid orders with nothing to look at, in one command with an audit row per order naming the rule', () => {
    const ids = seedMixed();
    updateStationSettings(f.ctx(), { autoReviewClean: true });
    // Switching on swept the queue already; put the clean ones back to see the ingest step do it.
    f.db.$client.prepare("UPDATE orders SET stage = 'pending_review' WHERE id IN (?, ?)").run(ids.clean, ids.cleanToo);
    f.db.$client.prepare('DELETE FROM ops WHERE name = ?').run(AUTO_REVIEW_COMMAND);
    f.db.$client.prepare('DELETE FROM audit_log WHERE command = ?').run(AUTO_REVIEW_COMMAND);

    expect(autoReviewAfterIngest(deps(), Object.values(ids))).toBe(2);
    const queues = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, queueOf(id)]));
    expect(queues).toEqual({
      clean: 'awaiting_print',
      cleanToo: 'awaiting_print',
      unpaid: 'unpaid',
      buyerMessage: 'pending_review',
      incompleteAddress: 'pending_review',
      refundRequested: 'after_sale',
      refundRefused: 'pending_review',
      sellerMemo: 'pending_review',
      sellerFlag: 'pending_review',
      presale: 'pending_review',
      held: 'held',
      teamNote: 'pending_review',
      pendingChange: 'pending_review',
      shipped: 'shipped',
      unmatchedSku: 'pending_review',
    });
    const ops = opsNamed(AUTO_REVIEW_COMMAND);
    expect(ops).toHaveLength(1);
    expect(ops[0]!.actor).toBe(AUTO_REVIEW_ACTOR.name);
    expect((JSON.parse(ops[0]!.args) as { ids: string[] }).ids.sort()).toEqual([ids.clean, ids.cleanToo].sort());
    const audits = f.db.$client
      .prepare('SELECT entity_id AS id, actor, field, before, after, reason FROM audit_log WHERE command = ? ORDER BY entity_id')
      .all(AUTO_REVIEW_COMMAND);
    expect(audits).toEqual(
      [ids.clean, ids.cleanToo].sort().map((id) => ({ id, actor: '自动审单', field: 'stage', before: 'pending_review', after: 'awaiting_print', reason: AUTO_REVIEW_REASON })),
    );
  });

  it('does nothing for orders that are not clean, and no empty command when none is', () => {
    const ids = seedMixed();
    updateStationSettings(f.ctx(), { autoReviewClean: true });
    const opsBefore = opsNamed(AUTO_REVIEW_COMMAND).length;
    expect(autoReviewAfterIngest(deps(), [ids.buyerMessage!, ids.sellerMemo!, ids.held!])).toBe(0);
    expect(autoReviewOrders(f.ctx(AUTO_REVIEW_ACTOR), [ids.clean!]).reviewed).toEqual([]); // already reviewed
    expect(opsNamed(AUTO_REVIEW_COMMAND)).toHaveLength(opsBefore);
  });

  it('turned on in the settings, sweeps what already waits in 待审核; turned off, leaves new orders alone', () => {
    const ids = seedMixed();
    const after = updateStationSettings(f.ctx(), { autoReviewClean: true });
    expect(after).toMatchObject({ autoReviewClean: true, demoStation: false });
    expect(queueOf(ids.clean!)).toBe('awaiting_print');
    expect(queueOf(ids.buyerMessage!)).toBe('pending_review');
    // The switch is audited under the person, the sweep under the rule.
    expect(f.db.$client.prepare("SELECT actor, field, before, after FROM audit_log WHERE command = 'station.updateSettings'").all()).toEqual([
      { actor: '店主', field: 'autoReviewClean', before: 'false', after: 'true' },
    ]);
    expect(opsNamed(AUTO_REVIEW_COMMAND).map((o) => o.actor)).toEqual(['自动审单']);

    updateStationSettings(f.ctx(), { autoReviewClean: false });
    const [fresh] = f.addOrders([platformOrder(40)]);
    expect(autoReviewAfterIngest(deps(), [fresh!])).toBe(0);
    expect(queueOf(fresh!)).toBe('pending_review');
  });

  it('judges an order as it stands: one paid after it arrived is reviewed on the ingest that says so', () => {
    updateStationSettings(f.ctx(), { autoReviewClean: true });
    const [id] = f.addOrders([platformOrder(50, { status: 'unpaid', platformStatus: 'WAIT_BUYER_PAY', paidAt: null })]);
    expect(autoReviewAfterIngest(deps(), [id!])).toBe(0);
    f.addOrders([platformOrder(50, { platformUpdatedAt: platformOrder(50).platformUpdatedAt + 60_000 })]);
    expect(autoReviewAfterIngest(deps(), [id!])).toBe(1);
    expect(queueOf(id!)).toBe('awaiting_print');
  });
});
