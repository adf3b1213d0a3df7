// The order commands of the workbench (mark read, tag, flag/memo, hold, release, close, review,
// edit address, add note): each one runCommand transaction with its rows, audit and ops row.
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedInput, BatchResult, NoteView } from '../../shared/contract.ts';
import type { SellerFlag } from '../../shared/model.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CommandScope, type CoreContext } from '../api/command.ts';
import { chunked } from '../db/chunk.ts';
import type { StoredOrder } from '../db/rows.ts';
import { settleOrders } from '../stock/reserve.ts';
import { refreshOrders } from './abnormal.ts';
import { mentionsColumn } from '../tasks/mentions.ts';
import { stationName } from '../tasks/tasks.ts';

/**
 * Why a batch skipped an order: a stable machine code (the UI translates it) and an English
 * sentence for logs, the CLI and anyone reading a raw result.
 */
export const SKIP_REASONS = {
  not_found: 'No order with this id exists at this station.',
  unchanged: 'The order already has the requested value; nothing to change.',
  already_held: 'The order is already on hold.',
  not_held: 'The order is not on hold.',
  already_closed: 'The order is already closed.',
  shipped: 'The order has already shipped.',
  completed: 'The order is already completed.',
  closed: 'The order is closed.',
  unpaid: 'The order is not paid yet.',
  after_sale: 'The order has an open refund or after-sale request.',
  held: 'The order is on hold; release it first.',
  not_pending_review: 'The order is not waiting for review.',
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

/**
 * Ids per SQL statement. Ids travel as one JSON array parameter (json_each), so a chunk costs one
 * bound variable; chunking keeps each statement's working set small for 200k-id batches.
 */
export const ID_CHUNK = 5000;

/** The columns batch commands decide on. */
type OrderState = Pick<StoredOrder, 'id' | 'shopId' | 'status' | 'stage' | 'queue' | 'holdReason' | 'isRead' | 'sellerFlag' | 'sellerMemo'>;

const STATE_SQL = `SELECT id, shop_id AS shopId, status, stage, queue, hold_reason AS holdReason, is_read AS isRead,
  seller_flag AS sellerFlag, seller_memo AS sellerMemo
  FROM orders WHERE id IN (SELECT value FROM json_each(?))`;

/** Orders past the point where local edits make sense, and why. */
function finished(o: OrderState): SkipReason | null {
  if (o.status === 'closed') return 'closed';
  if (o.status === 'completed') return 'completed';
  if (o.status === 'shipped' || o.stage === 'shipped') return 'shipped';
  return null;
}

interface BatchSpec {
  name: string;
  ids: readonly string[];
  /** Op arguments besides the ids; the op records only the ids that actually changed. */
  args: Record<string, unknown>;
  tables: string[];
  /** Called once per chunk before its orders are applied (to preload related rows). */
  onChunk?: (ids: string[]) => void;
  /** Apply the change to one order, or return why it was skipped. */
  apply: (order: OrderState, scope: CommandScope) => SkipReason | null;
  /** Called once with every changed order, in the transaction, after they are all applied. */
  afterAll?: (changedIds: string[], scope: CommandScope) => void;
}

function runBatch(ctx: CoreContext, spec: BatchSpec): BatchResult {
  const client = ctx.db.$client;
  const unique = [...new Set(spec.ids)];
  // runCommand serialises args when it writes the op row at the end of the transaction, so the
  // op carries exactly the orders this command changed (what the outbox and the hub replay).
  const changedIds: string[] = [];
  const args = { ...spec.args, ids: changedIds };
  return runCommand(ctx, spec.name, args, { tables: spec.tables }, (scope) => {
    const select = client.prepare(STATE_SQL);
    const skipped: BatchResult['skipped'] = [];
    for (const chunk of chunked(unique, ID_CHUNK)) {
      const found = new Map((select.all(JSON.stringify(chunk)) as OrderState[]).map((o) => [o.id, o]));
      spec.onChunk?.(chunk);
      for (const id of chunk) {
        const order = found.get(id);
        const reason = order ? spec.apply(order, scope) : 'not_found';
        if (reason) skipped.push({ id, reason });
        else changedIds.push(id);
      }
    }
    if (changedIds.length > 0) spec.afterAll?.(changedIds, scope);
    return { changed: changedIds.length, skipped };
  });
}

export function markRead(ctx: CoreContext, input: ApiParsedInput<'orders.markRead'>): BatchResult {
  const value = input.read ? 1 : 0;
  const update = ctx.db.$client.prepare('UPDATE orders SET is_read = ? WHERE id = ?');
  return runBatch(ctx, {
    name: 'orders.markRead',
    ids: input.ids,
    args: { read: input.read },
    tables: ['orders'],
    apply: (o, scope) => {
      if (o.isRead === value) return 'unchanged';
      update.run(value, o.id);
      scope.audit({ entity: 'order', entityId: o.id, field: 'is_read', before: o.isRead === 1, after: input.read });
      return null;
    },
  });
}

export function tagOrders(ctx: CoreContext, input: ApiParsedInput<'orders.tag'>): BatchResult {
  const client = ctx.db.$client;
  const wanted = [...new Set([...input.add, ...input.remove])];
  const known = client
    .prepare('SELECT id, name FROM tags WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(wanted)) as { id: string; name: string }[];
  const names = new Map(known.map((t) => [t.id, t.name]));
  const missing = wanted.filter((id) => !names.has(id));
  if (missing.length) throw reasonError('tag.not_found', { tagIds: missing }, `Unknown tag id(s): ${missing.join(', ')}`);
  const both = input.add.filter((id) => input.remove.includes(id));
  if (both.length) throw reasonError('tag.add_and_remove', { tagIds: both }, `A tag cannot be added and removed at once: ${both.join(', ')}`);

  const current = new Map<string, Set<string>>();
  const allNames = new Map<string, string>();
  const loadTags = client.prepare(
    `SELECT ot.order_id AS orderId, t.id AS tagId, t.name AS name FROM order_tags ot JOIN tags t ON t.id = ot.tag_id
     WHERE ot.order_id IN (SELECT value FROM json_each(?))`,
  );
  const insert = client.prepare('INSERT OR IGNORE INTO order_tags (order_id, tag_id) VALUES (?, ?)');
  const remove = client.prepare('DELETE FROM order_tags WHERE order_id = ? AND tag_id = ?');
  const touch = client.prepare('UPDATE orders SET local_updated_at = ? WHERE id = ?');
  const nameList = (ids: Iterable<string>) => [...ids].map((id) => allNames.get(id) ?? names.get(id) ?? id).sort();

  return runBatch(ctx, {
    name: 'orders.tag',
    ids: input.ids,
    args: { add: input.add, remove: input.remove },
    tables: ['orders', 'order_tags'],
    onChunk: (ids) => {
      current.clear();
      for (const r of loadTags.all(JSON.stringify(ids)) as { orderId: string; tagId: string; name: string }[]) {
        allNames.set(r.tagId, r.name);
        let set = current.get(r.orderId);
        if (!set) current.set(r.orderId, (set = new Set()));
        set.add(r.tagId);
      }
    },
    apply: (o, scope) => {
      const before = current.get(o.id) ?? new Set<string>();
      const adds = input.add.filter((t) => !before.has(t));
      const removes = input.remove.filter((t) => before.has(t));
      if (adds.length === 0 && removes.length === 0) return 'unchanged';
      for (const t of adds) insert.run(o.id, t);
      for (const t of removes) remove.run(o.id, t);
      touch.run(scope.at, o.id);
      const after = new Set([...before, ...adds].filter((t) => !removes.includes(t)));
      scope.audit({ entity: 'order', entityId: o.id, field: 'tags', before: nameList(before), after: nameList(after) });
      return null;
    },
  });
}

/** Seller flag and memo live on the platform: a change is a push-back the outbox sends. */
export function setFlag(ctx: CoreContext, input: ApiParsedInput<'orders.setFlag'>): BatchResult {
  const client = ctx.db.$client;
  const setFlagSql = client.prepare('UPDATE orders SET seller_flag = ?, local_updated_at = ? WHERE id = ?');
  const setMemoSql = client.prepare('UPDATE orders SET seller_memo = ?, local_updated_at = ? WHERE id = ?');
  // An empty memo clears it, as on the platforms' own seller backends.
  const memo = input.memo === undefined ? undefined : input.memo === null || input.memo.trim() === '' ? null : input.memo;
  return runBatch(ctx, {
    name: 'orders.setFlag',
    ids: input.ids,
    args: { flag: input.flag, memo },
    tables: ['orders'],
    apply: (o, scope) => {
      const flagChanges = input.flag !== undefined && input.flag !== o.sellerFlag;
      const memoChanges = memo !== undefined && memo !== o.sellerMemo;
      if (!flagChanges && !memoChanges) return 'unchanged';
      if (flagChanges) {
        setFlagSql.run(input.flag, scope.at, o.id);
        scope.audit({ entity: 'order', entityId: o.id, field: 'seller_flag', before: o.sellerFlag, after: input.flag });
      }
      if (memoChanges) {
        setMemoSql.run(memo, scope.at, o.id);
        scope.audit({ entity: 'order', entityId: o.id, field: 'seller_memo', before: o.sellerMemo, after: memo });
      }
      // Platform memo APIs set memo and flag together (TOP trade.memo.update takes both), so the
      // push carries the order's whole resulting pair, never just the field that changed.
      scope.pushToPlatform({
        orderId: o.id,
        shopId: o.shopId,
        request: {
          kind: 'memo',
          memo: memoChanges ? (memo ?? null) : o.sellerMemo,
          flag: (flagChanges ? input.flag! : o.sellerFlag) as SellerFlag,
        },
      });
      return null;
    },
  });
}

export function holdOrders(ctx: CoreContext, input: ApiParsedInput<'orders.hold'>): BatchResult {
  const update = ctx.db.$client.prepare('UPDATE orders SET hold_reason = ?, local_updated_at = ? WHERE id = ?');
  return runBatch(ctx, {
    name: 'orders.hold',
    ids: input.ids,
    args: { reason: input.reason },
    tables: ['orders'],
    apply: (o, scope) => {
      const done = finished(o);
      if (done) return done;
      if (o.holdReason !== null) return 'already_held';
      update.run(input.reason, scope.at, o.id);
      scope.audit({ entity: 'order', entityId: o.id, field: 'hold_reason', before: null, after: input.reason, reason: input.reason });
      return null;
    },
  });
}

export function releaseOrders(ctx: CoreContext, input: ApiParsedInput<'orders.release'>): BatchResult {
  const update = ctx.db.$client.prepare('UPDATE orders SET hold_reason = NULL, local_updated_at = ? WHERE id = ?');
  return runBatch(ctx, {
    name: 'orders.release',
    ids: input.ids,
    args: {},
    tables: ['orders'],
    apply: (o, scope) => {
      if (o.holdReason === null) return 'not_held';
      update.run(scope.at, o.id);
      scope.audit({ entity: 'order', entityId: o.id, field: 'hold_reason', before: o.holdReason, after: null });
      return null;
    },
  });
}

/** Closing is local: platforms do not let a seller close a paid order, so nothing is pushed. */
export function closeOrders(ctx: CoreContext, input: ApiParsedInput<'orders.close'>): BatchResult {
  const update = ctx.db.$client.prepare("UPDATE orders SET status = 'closed', close_reason = ?, local_updated_at = ? WHERE id = ?");
  return runBatch(ctx, {
    name: 'orders.close',
    ids: input.ids,
    args: { reason: input.reason },
    tables: ['orders', 'stock_reservations', 'stock_dirty'],
    // A closed order's held units go back, first to the orders waiting in 缺货.
    afterAll: (ids, scope) => settleOrders(scope.tx, ids, scope.at, { actor: ctx.actor.name, opId: scope.opId }),
    apply: (o, scope) => {
      if (o.status === 'closed') return 'already_closed';
      const done = finished(o);
      if (done) return done;
      update.run(input.reason, scope.at, o.id);
      scope.audit({ entity: 'order', entityId: o.id, field: 'status', before: o.status, after: 'closed', reason: input.reason });
      scope.audit({ entity: 'order', entityId: o.id, field: 'close_reason', before: null, after: input.reason, reason: input.reason });
      return null;
    },
  });
}

/** Review (审单) moves an order from pending review to awaiting print; only from that queue. */
export function reviewOrders(ctx: CoreContext, input: ApiParsedInput<'orders.review'>): BatchResult {
  const update = ctx.db.$client.prepare("UPDATE orders SET stage = 'awaiting_print', local_updated_at = ? WHERE id = ?");
  const blockedBy: Record<string, SkipReason> = {
    unpaid: 'unpaid',
    after_sale: 'after_sale',
    held: 'held',
    shipped: 'shipped',
    completed: 'completed',
    closed: 'closed',
  };
  return runBatch(ctx, {
    name: 'orders.review',
    ids: input.ids,
    args: {},
    tables: ['orders'],
    apply: (o, scope) => {
      if (o.queue !== 'pending_review') return blockedBy[o.queue] ?? 'not_pending_review';
      update.run(scope.at, o.id);
      scope.audit({ entity: 'order', entityId: o.id, field: 'stage', before: o.stage, after: 'awaiting_print' });
      return null;
    },
  });
}

const RECEIVER_COLUMNS = {
  name: 'receiver_name',
  phone: 'receiver_phone',
  province: 'receiver_province',
  city: 'receiver_city',
  district: 'receiver_district',
  town: 'receiver_town',
  address: 'receiver_address',
} as const;
type ReceiverField = keyof typeof RECEIVER_COLUMNS;

/**
 * Customer service corrects a receiver address. Each changed field is audited; the order is
 * marked as locally edited (receiver_edited_at) so the next platform pull keeps the correction;
 * abnormal flags and the search document are recomputed in the same transaction.
 */
export function editAddress(ctx: CoreContext, input: ApiParsedInput<'orders.editAddress'>): BatchResult {
  const client = ctx.db.$client;
  const fields = Object.keys(RECEIVER_COLUMNS) as ReceiverField[];
  const select = client.prepare(
    `SELECT ${fields.map((f) => `${RECEIVER_COLUMNS[f]} AS ${f}`).join(', ')} FROM orders WHERE id = ?`,
  );
  const update = client.prepare(
    `UPDATE orders SET ${fields.map((f) => `${RECEIVER_COLUMNS[f]} = @${f}`).join(', ')},
       receiver_edited_at = @at, local_updated_at = @at WHERE id = @id`,
  );
  const receiver = { ...input.receiver, town: input.receiver.town === '' ? null : input.receiver.town };
  return runBatch(ctx, {
    name: 'orders.editAddress',
    ids: [input.id],
    args: { receiver, reason: input.reason ?? null },
    tables: ['orders'],
    apply: (o, scope) => {
      const done = finished(o);
      if (done) return done;
      const before = select.get(o.id) as Record<ReceiverField, string | null>;
      const changed = fields.filter((f) => before[f] !== receiver[f]);
      if (changed.length === 0) return 'unchanged';
      update.run({ ...receiver, at: scope.at, id: o.id });
      for (const f of changed) {
        scope.audit({ entity: 'order', entityId: o.id, field: RECEIVER_COLUMNS[f], before: before[f], after: receiver[f], reason: input.reason ?? null });
      }
      refreshOrders(scope.tx, [o.id]);
      return null;
    },
  });
}

/** Internal notes for the warehouse: never sent to the platform (unlike the seller memo). */
export function addNote(ctx: CoreContext, input: ApiParsedInput<'orders.addNote'>): NoteView {
  const client = ctx.db.$client;
  return runCommand(ctx, 'orders.addNote', input, { tables: ['order_notes'] }, (scope) => {
    const exists = client.prepare('SELECT 1 FROM orders WHERE id = ?').get(input.id);
    if (!exists) throw reasonError('order.not_found', { id: input.id }, `No order with id ${input.id}`);
    const note: NoteView = { id: uuidv7(), author: ctx.actor.name, body: input.body, createdAt: scope.at };
    // `@名字` is resolved now, against the people the team has today (docs/team-hub.md#notes-and-tasks).
    client
      .prepare('INSERT INTO order_notes (id, order_id, author, body, created_at, mentions, station) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(note.id, input.id, note.author, note.body, note.createdAt, mentionsColumn(ctx.db, note.body), stationName(ctx.db));
    scope.audit({ entity: 'order', entityId: input.id, field: 'note', before: null, after: input.body });
    return note;
  });
}
