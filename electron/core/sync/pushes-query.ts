// pushes.list and pushes.retry: the push-back outbox as people see it (pending, failed and
// conflicting push-backs with their last error) and the audited way to send one again.
import type { ApiParsedInput, PushState, PushView } from '../../shared/contract.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import { storedErrorOf } from '../../shared/stored-error.ts';
import { syncOpPushStates } from './push-state.ts';

/** A row as read: the view's identifying fields as they are, the rest still raw. */
interface ListRow extends Pick<PushView, 'id' | 'orderId' | 'platformOrderId' | 'shopId' | 'shopName' | 'platform' | 'kind'> {
  payload: string;
  state: PushState;
  attempts: number;
  nextAt: number;
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorKind: string | null;
  lastErrorReason: string | null;
  lastErrorDetails: string | null;
  createdAt: number;
  doneAt: number | null;
}

/** Newest first. A state filter rides pushes_state_idx, a shop filter pushes_shop_idx, an order pushes_order_idx. */
export function listPushes(db: Db, input: ApiParsedInput<'pushes.list'>): PushView[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.states && input.states.length > 0) {
    where.push('p.state IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(input.states));
  }
  if (input.shopId) {
    where.push('p.shop_id = ?');
    params.push(input.shopId);
  }
  if (input.orderId) {
    where.push('p.order_id = ?');
    params.push(input.orderId);
  }
  params.push(input.limit);
  const rows = db.$client
    .prepare(
      `SELECT p.id, p.order_id AS orderId, o.platform_order_id AS platformOrderId, p.shop_id AS shopId, s.name AS shopName,
              s.platform, p.kind, p.payload, p.state, p.attempts, p.next_at AS nextAt, p.last_error AS lastError,
              p.last_error_code AS lastErrorCode, p.last_error_kind AS lastErrorKind, p.last_error_reason AS lastErrorReason,
              p.last_error_details AS lastErrorDetails,
              p.created_at AS createdAt, p.done_at AS doneAt
         FROM pushes p JOIN orders o ON o.id = p.order_id JOIN shops s ON s.id = p.shop_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY p.created_at DESC, p.id DESC LIMIT ?`,
    )
    .all(...params) as ListRow[];
  return rows.map(({ payload, lastErrorCode, lastErrorKind, lastErrorReason, lastErrorDetails, ...r }) => {
    // The stored payload repeats kind (it is the PushRequest minus platformOrderId); the view keeps content only.
    const { kind: _kind, ...content } = JSON.parse(payload) as Record<string, unknown>;
    return { ...r, payload: content as PushView['payload'], lastErrorWhy: storedErrorOf(r.lastError, lastErrorCode, lastErrorKind, lastErrorReason, lastErrorDetails) };
  });
}

/**
 * Send failed or conflicting push-backs again: back to pending, due now, with the same frozen
 * content (a conflict retried after the platform was corrected confirms; otherwise it conflicts
 * again). Audited per push, with its own ops row; other states are left alone and not counted.
 */
export function retryPushes(ctx: CoreContext, input: ApiParsedInput<'pushes.retry'>): { requeued: number } {
  const client = ctx.db.$client;
  const ids = [...new Set(input.ids)];
  const select = client.prepare<[string], { id: string; opId: string; orderId: string; state: string }>(
    'SELECT id, op_id AS opId, order_id AS orderId, state FROM pushes WHERE id IN (SELECT value FROM json_each(?))',
  );
  const requeue = client.prepare<[number, string]>(
    `UPDATE pushes SET state = 'pending', next_at = ?, done_at = NULL WHERE id = ? AND state IN ('failed', 'conflict')`,
  );
  const requeued: string[] = [];
  return runCommand(ctx, 'pushes.retry', { ids: requeued }, { tables: ['pushes'] }, (scope) => {
    const ops = new Set<string>();
    for (const p of select.all(JSON.stringify(ids))) {
      if (p.state !== 'failed' && p.state !== 'conflict') continue;
      requeue.run(scope.at, p.id);
      ops.add(p.opId);
      requeued.push(p.id);
      // On the order's timeline, where people look for "did the platform get it?"; the op's args name the push ids.
      scope.audit({ entity: 'order', entityId: p.orderId, field: 'push', before: p.state, after: 'pending', reason: `push ${p.id}` });
    }
    syncOpPushStates(scope.tx, ops);
    return { requeued: requeued.length };
  });
}
