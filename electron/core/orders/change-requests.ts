// Price and quantity edits of an order line (改价/改数量) go through approval: a request waits as
// 'pending' and only an approver's decision applies it to the line and the order's amounts.
import { v7 as uuidv7 } from 'uuid';
import type { Actor, ApiParsedInput, ChangeRequestView } from '../../shared/contract.ts';
import { MAX_LINE_QUANTITY, MAX_ORDER_FEN } from '../../shared/limits.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CommandScope, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import type { Narrowed, StoredChangeRequest, StoredOrder, StoredOrderItem } from '../db/rows.ts';
import { settleOrders } from '../stock/reserve.ts';
import { refreshOrders } from './abnormal.ts';

type Kind = 'price' | 'quantity';

/** What the change_requests.payload column holds. */
interface Payload {
  lineNo: number;
  /** New unit price in fen, or new quantity. */
  value: number;
  /** The line's value when the request was made; approval refuses if the line moved since. */
  previous: number;
  /** The requester's user id: names can repeat, ids cannot (a requester may not approve their own). */
  requesterId: string;
}

/** SELECT_VIEW's row: the request and its order's platform number. */
type RequestRow = Narrowed<
  Pick<
    StoredChangeRequest,
    'id' | 'orderId' | 'kind' | 'payload' | 'reason' | 'requestedBy' | 'requestedAt' | 'state' | 'decidedBy' | 'decidedAt' | 'decisionNote'
  >,
  { kind: Kind; state: ChangeRequestView['state'] }
> &
  Pick<StoredOrder, 'platformOrderId'>;

type LineRow = Pick<StoredOrderItem, 'quantity' | 'unitPriceFen' | 'paidFen'>;

const SELECT_VIEW = `SELECT cr.id, cr.order_id AS orderId, o.platform_order_id AS platformOrderId, cr.kind, cr.payload,
  cr.reason, cr.requested_by AS requestedBy, cr.requested_at AS requestedAt, cr.state, cr.decided_by AS decidedBy,
  cr.decided_at AS decidedAt, cr.decision_note AS decisionNote
  FROM change_requests cr JOIN orders o ON o.id = cr.order_id`;

/** Newest first; the list is a work queue, so it is capped rather than paged. */
export const CHANGE_REQUEST_LIST_CAP = 500;

function toView(r: RequestRow): ChangeRequestView {
  const p = JSON.parse(r.payload) as Payload;
  return {
    id: r.id,
    orderId: r.orderId,
    platformOrderId: r.platformOrderId,
    kind: r.kind,
    lineNo: p.lineNo,
    value: p.value,
    previous: p.previous,
    reason: r.reason,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt,
    state: r.state,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    decisionNote: r.decisionNote,
  };
}

export function listChangeRequests(db: Db, input: ApiParsedInput<'changeRequests.list'>): ChangeRequestView[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.state) {
    where.push('cr.state = ?');
    params.push(input.state);
  }
  if (input.orderId) {
    where.push('cr.order_id = ?');
    params.push(input.orderId);
  }
  const sql = `${SELECT_VIEW} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY cr.requested_at DESC, cr.id DESC LIMIT ${CHANGE_REQUEST_LIST_CAP}`;
  return (db.$client.prepare(sql).all(...params) as RequestRow[]).map(toView);
}

function loadRequest(db: Db, id: string): { view: ChangeRequestView; payload: Payload } {
  const row = db.$client.prepare(`${SELECT_VIEW} WHERE cr.id = ?`).get(id) as RequestRow | undefined;
  if (!row) throw reasonError('change_request.not_found', { id }, `No change request with id ${id}`);
  return { view: toView(row), payload: JSON.parse(row.payload) as Payload };
}

const getRequest = (db: Db, id: string): ChangeRequestView => loadRequest(db, id).view;

const currentValue = (line: LineRow, kind: Kind) => (kind === 'price' ? line.unitPriceFen : line.quantity);


/**
 * The line and the order after the change stay within MAX_ORDER_FEN and MAX_LINE_QUANTITY: each
 * bound alone is checked by the contract, but a price times a quantity, or a line added to the rest
 * of the order, can still pass them. Checked when asked and again when approved.
 */
function assertWithinLimits(kind: Kind, value: number, line: LineRow, orderGoodsFen: number): void {
  const quantity = kind === 'quantity' ? value : line.quantity;
  const unitPriceFen = kind === 'price' ? value : line.unitPriceFen;
  if (quantity > MAX_LINE_QUANTITY) throw reasonError('change_request.quantity_too_large', { max: MAX_LINE_QUANTITY }, `value: a quantity is at most ${MAX_LINE_QUANTITY}`);
  const lineFen = unitPriceFen * quantity;
  if (lineFen > MAX_ORDER_FEN) {
    const [yuan, maxYuan] = [lineFen / 100, MAX_ORDER_FEN / 100];
    throw reasonError('change_request.line_too_large', { yuan, maxYuan }, `value: the line would come to ¥${yuan}; a line is at most ¥${maxYuan}`);
  }
  const goodsFen = orderGoodsFen - line.unitPriceFen * line.quantity + lineFen;
  if (goodsFen > MAX_ORDER_FEN && goodsFen > orderGoodsFen) {
    const [yuan, maxYuan] = [goodsFen / 100, MAX_ORDER_FEN / 100];
    throw reasonError('change_request.order_too_large', { yuan, maxYuan }, `value: the order's goods would come to ¥${yuan}; an order is at most ¥${maxYuan}`);
  }
}

function assertEditable(status: string, stage: string, orderId: string): void {
  if (status === 'closed' || status === 'completed' || status === 'shipped' || stage === 'shipped') {
    const now = stage === 'shipped' ? 'shipped' : status;
    throw reasonError('change_request.order_locked', { orderId, status: now }, `Order ${orderId} is ${now}; its lines can no longer change`);
  }
}

export function requestChange(ctx: CoreContext, input: ApiParsedInput<'orders.requestChange'>): ChangeRequestView {
  const client = ctx.db.$client;
  const id = uuidv7();
  runCommand(ctx, 'orders.requestChange', { ...input, requestId: id }, { tables: ['change_requests'] }, (scope) => {
    const order = client.prepare('SELECT status, stage, goods_fen AS goodsFen FROM orders WHERE id = ?').get(input.id) as
      | Pick<StoredOrder, 'status' | 'stage' | 'goodsFen'>
      | undefined;
    if (!order) throw reasonError('order.not_found', { id: input.id }, `No order with id ${input.id}`);
    assertEditable(order.status, order.stage, input.id);
    const line = client
      .prepare('SELECT quantity, unit_price_fen AS unitPriceFen, paid_fen AS paidFen FROM order_items WHERE order_id = ? AND line_no = ?')
      .get(input.id, input.lineNo) as LineRow | undefined;
    if (!line) throw reasonError('order.no_line', { id: input.id, lineNo: input.lineNo }, `Order ${input.id} has no line ${input.lineNo}`);
    if (input.kind === 'quantity' && input.value < 1) {
      throw reasonError('change_request.quantity_too_small', { min: 1 }, 'value: a quantity must be at least 1');
    }
    assertWithinLimits(input.kind, input.value, line, order.goodsFen);
    const previous = currentValue(line, input.kind);
    if (previous === input.value) {
      throw reasonError('change_request.unchanged', { lineNo: input.lineNo, kind: input.kind }, `value: line ${input.lineNo} already has this ${input.kind}`);
    }
    const open = client
      .prepare("SELECT id FROM change_requests WHERE order_id = ? AND kind = ? AND state = 'pending' AND json_extract(payload, '$.lineNo') = ?")
      .get(input.id, input.kind, input.lineNo) as { id: string } | undefined;
    if (open) {
      throw reasonError(
        'change_request.pending_exists',
        { lineNo: input.lineNo, kind: input.kind, requestId: open.id },
        `Line ${input.lineNo} already has a pending ${input.kind} change; decide that one first`,
      );
    }
    const payload: Payload = { lineNo: input.lineNo, value: input.value, previous, requesterId: ctx.actor.userId };
    client
      .prepare(
        `INSERT INTO change_requests (id, order_id, kind, payload, reason, requested_by, requested_at, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`,
      )
      .run(id, input.id, input.kind, JSON.stringify(payload), input.reason, ctx.actor.name, scope.at);
    scope.audit({
      entity: 'order',
      entityId: input.id,
      field: `change_request.${input.kind}`,
      before: { lineNo: input.lineNo, value: previous },
      after: { lineNo: input.lineNo, value: input.value, state: 'pending' },
      reason: input.reason,
    });
  });
  return getRequest(ctx.db, id);
}

/** Appended to the reason of the audit rows an approved change writes. */
export const LOCAL_ONLY_NOTE = '（仅本地记录：平台没有改价/改数量接口，请同时在平台后台修改）';

const isRequester = (payload: Payload, actor: Actor): boolean => payload.requesterId === actor.userId;

/**
 * Approve or reject a pending request. Approval rewrites the line and moves the order's goods and
 * paid amounts by the line's difference, keeping the line's discount (goods − paid) in fen as it was.
 * Nothing is pushed to the platform (no platform API for it): see LOCAL_ONLY_NOTE.
 */
export function decideChangeRequest(ctx: CoreContext, input: ApiParsedInput<'changeRequests.decide'>): ChangeRequestView {
  const client = ctx.db.$client;
  runCommand(ctx, 'changeRequests.decide', input, { tables: ['change_requests', 'orders', 'order_items', 'stock_reservations', 'stock_dirty'] }, (scope) => {
    const { view: request, payload } = loadRequest(ctx.db, input.id);
    if (request.state !== 'pending') {
      throw reasonError('change_request.already_decided', { id: input.id, state: request.state }, `Change request ${input.id} was already ${request.state}`);
    }
    if (isRequester(payload, ctx.actor)) {
      throw reasonError('change_request.own_request', { requestId: input.id }, 'A change request must be decided by someone other than its requester');
    }
    const state = input.approve ? 'approved' : 'rejected';
    const note = input.note ?? null;
    if (input.approve) applyChange(ctx, scope, request);
    client
      .prepare('UPDATE change_requests SET state = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?')
      .run(state, ctx.actor.name, scope.at, note, input.id);
    scope.audit({
      entity: 'order',
      entityId: request.orderId,
      field: `change_request.${request.kind}`,
      before: 'pending',
      after: state,
      reason: note,
    });
  });
  return getRequest(ctx.db, input.id);
}

function applyChange(ctx: CoreContext, scope: CommandScope, request: ChangeRequestView): void {
  const client = ctx.db.$client;
  const order = client
    .prepare('SELECT status, stage, goods_fen AS goodsFen, paid_fen AS paidFen, item_count AS itemCount FROM orders WHERE id = ?')
    .get(request.orderId) as { status: string; stage: string; goodsFen: number; paidFen: number; itemCount: number };
  assertEditable(order.status, order.stage, request.orderId);
  const line = client
    .prepare('SELECT quantity, unit_price_fen AS unitPriceFen, paid_fen AS paidFen FROM order_items WHERE order_id = ? AND line_no = ?')
    .get(request.orderId, request.lineNo) as LineRow | undefined;
  if (!line) {
    const details = { requestId: request.id, platformOrderId: request.platformOrderId, lineNo: request.lineNo };
    throw reasonError('change_request.line_gone', details, `Order ${request.platformOrderId} no longer has line ${request.lineNo}`);
  }
  if (currentValue(line, request.kind) !== request.previous) {
    const now = currentValue(line, request.kind);
    throw reasonError(
      'change_request.line_changed',
      { requestId: request.id, lineNo: request.lineNo, previous: request.previous, now },
      `Line ${request.lineNo} changed since the request (was ${request.previous}, now ${now}); reject it and ask again`,
    );
  }
  // Requests stored before these limits existed are checked here too: approval is where money moves.
  assertWithinLimits(request.kind, request.value, line, order.goodsFen);
  const quantity = request.kind === 'quantity' ? request.value : line.quantity;
  const unitPriceFen = request.kind === 'price' ? request.value : line.unitPriceFen;
  const lineDiscount = line.unitPriceFen * line.quantity - line.paidFen;
  const linePaid = Math.max(0, unitPriceFen * quantity - lineDiscount);
  const goodsFen = order.goodsFen + unitPriceFen * quantity - line.unitPriceFen * line.quantity;
  const paidFen = Math.max(0, order.paidFen + linePaid - line.paidFen);
  const itemCount = order.itemCount + quantity - line.quantity;

  client
    .prepare('UPDATE order_items SET quantity = ?, unit_price_fen = ?, paid_fen = ? WHERE order_id = ? AND line_no = ?')
    .run(quantity, unitPriceFen, linePaid, request.orderId, request.lineNo);
  client
    .prepare('UPDATE orders SET goods_fen = ?, paid_fen = ?, item_count = ?, local_updated_at = ? WHERE id = ?')
    .run(goodsFen, paidFen, itemCount, scope.at, request.orderId);

  // No platform (docs/platforms/common.md#which-apis-exist) offers a seller API to change an order's price or
  // quantity, so nothing is pushed: the change is recorded here only, and the audit says the platform's back
  // office must be changed too (before payment for a price, which is the only time a platform allows it).
  const reason = `${request.reason}${LOCAL_ONLY_NOTE}`;
  const audit = (field: string, before: number, after: number) => {
    if (before !== after) scope.audit({ entity: 'order', entityId: request.orderId, field, before, after, reason });
  };
  const prefix = `items[${request.lineNo}]`;
  audit(`${prefix}.quantity`, line.quantity, quantity);
  audit(`${prefix}.unit_price_fen`, line.unitPriceFen, unitPriceFen);
  audit(`${prefix}.paid_fen`, line.paidFen, linePaid);
  audit('goods_fen', order.goodsFen, goodsFen);
  audit('paid_fen', order.paidFen, paidFen);
  audit('item_count', order.itemCount, itemCount);
  refreshOrders(scope.tx, [request.orderId]);
  // A new quantity holds a new number of units (or waits in 缺货 for them).
  settleOrders(scope.tx, [request.orderId], scope.at, { actor: ctx.actor.name, opId: scope.opId });
}
