// Auto-review (自动审单) of clean orders: when the station turns it on, a paid order nobody needs to
// look at — no abnormal reason, not held, no refund ever asked, nothing written on it by the seller
// or the team, not a presale — moves from 待审核 to 待打单 by itself, as the anchors' (聚水潭, 快麦)
// review rules do. It runs right after each sync ingest over the orders that ingest changed, and
// over the whole 待审核 queue when the switch is turned on. Each run is one command: the stage
// changes, an audit row per order naming the rule, and one ops row.
import type { Actor } from '../../shared/contract.ts';
import type { CoreContext } from '../api/command.ts';
import { runCommand } from '../api/command.ts';
import type { EventBus } from '../api/events.ts';
import type { HybridClock } from '../api/hlc.ts';
import { createStationClock } from '../station/clock.ts';
import type { Db } from '../db/open.ts';
import { readStationSettings } from '../station/settings.ts';
import { SYSTEM_ACTOR_NAMES } from '../../shared/hub/system-actors.ts';

/** Who reviews: the rule itself, named in the audit log and the order timeline. */
export const AUTO_REVIEW_ACTOR: Actor = { userId: 'auto-review', name: SYSTEM_ACTOR_NAMES.autoReview, role: 'owner' };

export const AUTO_REVIEW_COMMAND = 'orders.autoReview';

/**
 * What "clean" means, condition by condition (names for tests and people; the SQL is the truth).
 * Any one failing leaves the order for a person.
 */
export const CLEAN_CONDITIONS = {
  /** Waiting in 待审核: not held, no open after-sale, not shipped, completed or closed. */
  waitingForReview: "o.queue = 'pending_review' AND o.stage = 'pending_review'",
  /** Paid and waiting for shipment on the platform. */
  paid: "o.status = 'awaiting_shipment' AND o.paid_at IS NOT NULL",
  /** No refund or after-sale ever asked (a refused one may come back). */
  noRefund: "o.after_sale = 'none'",
  /** No abnormal reason: address complete, phone possible, every line matched, no buyer message. */
  noAbnormal: 'o.abnormal_flags = 0',
  /** The seller wrote nothing on it: a memo or a flag is an instruction someone must read. */
  noSellerMemo: "coalesce(o.seller_memo, '') = '' AND o.seller_flag = 0",
  /** A presale ships on its own date, not as soon as it is paid. */
  notPresale: "o.order_type = 'normal'",
  /** Has something to pack. */
  hasItems: 'o.item_count > 0',
  /** Nobody on the team left a note on it. */
  noTeamNote: 'NOT EXISTS (SELECT 1 FROM order_notes n WHERE n.order_id = o.id)',
  /** No price or quantity change waiting for a decision. */
  noPendingChange: "NOT EXISTS (SELECT 1 FROM change_requests c WHERE c.order_id = o.id AND c.state = 'pending')",
} as const;

const CLEAN_SQL = Object.values(CLEAN_CONDITIONS)
  .map((c) => `(${c})`)
  .join(' AND ');

/** Why the audit log says the order moved. */
export const AUTO_REVIEW_REASON = '自动审单：已付款、无异常、无退款、无备注的订单';

/** Ids looked at per statement (one JSON parameter each). */
const CHUNK = 500;

/** Which of these orders are clean right now. */
export function cleanOrderIds(db: Db, ids: readonly string[]): string[] {
  const select = db.$client.prepare<[string], { id: string }>(`SELECT o.id FROM orders o WHERE o.id IN (SELECT value FROM json_each(?)) AND ${CLEAN_SQL}`);
  const out: string[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) for (const r of select.all(JSON.stringify(unique.slice(i, i + CHUNK)))) out.push(r.id);
  return out;
}

/**
 * Move the clean ones among `ids` (all of 待审核 for 'pending') to 待打单 in one command. Decides
 * and writes inside the command's transaction, so an order changed between a look and the write is
 * judged as it stands. Writes nothing (no ops row) when no order qualifies.
 */
export function autoReviewOrders(ctx: CoreContext, ids: readonly string[] | 'pending'): { reviewed: string[] } {
  const client = ctx.db.$client;
  const candidates =
    ids === 'pending'
      ? client.prepare<[], { id: string }>("SELECT id FROM orders WHERE queue = 'pending_review'").all().map((r) => r.id)
      : [...new Set(ids)];
  // A cheap look outside the command first: most syncs change no clean order, and those write nothing.
  if (cleanOrderIds(ctx.db, candidates).length === 0) return { reviewed: [] };
  const reviewed: string[] = [];
  const args = { rule: 'clean', ids: reviewed };
  runCommand(ctx, AUTO_REVIEW_COMMAND, args, { tables: ['orders'] }, (scope) => {
    const update = client.prepare<[number, string]>("UPDATE orders SET stage = 'awaiting_print', local_updated_at = ? WHERE id = ? AND stage = 'pending_review'");
    for (const id of cleanOrderIds(ctx.db, candidates)) {
      if (update.run(scope.at, id).changes !== 1) continue;
      reviewed.push(id);
      scope.audit({ entity: 'order', entityId: id, field: 'stage', before: 'pending_review', after: 'awaiting_print', reason: AUTO_REVIEW_REASON });
    }
  });
  return { reviewed };
}

export interface AutoReviewDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  /** The station's clock (station/clock.ts); a station clock on this connection when not given. */
  clock?: HybridClock | undefined;
}

/**
 * The step the sync engine runs after each ingest: when the station's switch is on, review the clean
 * orders among those the ingest inserted or updated. Returns how many moved.
 */
export function autoReviewAfterIngest(deps: AutoReviewDeps, changedIds: readonly string[]): number {
  if (changedIds.length === 0 || !readStationSettings(deps.db).autoReviewClean) return 0;
  const ctx: CoreContext = { db: deps.db, events: deps.events, now: deps.now, actor: AUTO_REVIEW_ACTOR, clock: deps.clock ?? createStationClock(deps.db, deps.now) };
  return autoReviewOrders(ctx, changedIds).reviewed.length;
}
