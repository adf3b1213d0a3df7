// Runs one state change the house way (docs/architecture.md#data-flow-rules, rule 1): rows, audit
// entries and exactly one ops row in a single synchronous SQLite transaction; db.changed after commit.
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../shared/contract.ts';
import { writeTx, type ReadDb, type WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { appendOp } from '../db/ops.ts';
import type { PushRequest } from '../platforms/contract.ts';
import { syncOpPushStates } from '../sync/push-state.ts';
import type { EventBus } from './events.ts';
import type { HybridClock } from './hlc.ts';

export interface CoreContext {
  /** For reading; a command writes through its scope's tx. */
  db: ReadDb;
  actor: Actor;
  events: EventBus;
  clock: HybridClock;
  now: () => number;
}

export interface AuditEntry {
  entity: string;
  entityId: string;
  field?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export interface CommandScope {
  /** The command's write transaction: every write of the command goes through it. */
  readonly tx: WriteTx;
  readonly opId: string;
  readonly at: number;
  audit(entry: AuditEntry): void;
  /**
   * Queue a platform push-back (ship, memo/flag) for one order: a pushes row in this transaction,
   * its content frozen here (the outbox sends exactly it), and the op marked push_state 'pending'.
   * A memo push supersedes the order's older memo pushes not yet sent (never one already sending).
   */
  pushToPlatform(p: PushToPlatform): void;
}

/** One order's push-back as a command queues it; the outbox adds the platform order id when it sends. */
export interface PushToPlatform {
  orderId: string;
  shopId: string;
  request: PushPayload;
}

/** A PushRequest without platformOrderId: what pushes.payload holds (kind travels in its own column too). */
export type PushPayload = PushRequest extends infer R ? (R extends unknown ? Omit<R, 'platformOrderId'> : never) : never;


export interface CommandOptions {
  /** Tables the command writes, announced in db.changed after commit. */
  tables: string[];
}

const asText = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));

export function runCommand<T>(ctx: CoreContext, name: string, args: unknown, options: CommandOptions, body: (scope: CommandScope) => T): T {
  const client = ctx.db.$client;
  const opId = uuidv7();
  const at = ctx.now();
  let push = false;
  const result = writeTx(ctx.db, (tx) => {
    const audits: AuditEntry[] = [];
    /** Ops whose memo pushes this command superseded: their push_state is recomputed before commit. */
    const supersededOps = new Set<string>();
    let pushSql: ReturnType<typeof pushStatements> | null = null;
    const scope: CommandScope = {
      tx,
      opId,
      at,
      audit: (entry) => audits.push(entry),
      // Runs inside this transaction (body is called here), so the rows commit or roll back with it.
      pushToPlatform: (p) => {
        pushSql ??= pushStatements(client);
        if (p.request.kind === 'memo') {
          // A memo push carries the order's whole memo and flag, so an older unsent one is obsolete.
          // One already 'sending' is left alone: it may be on the wire, and it will land before ours.
          for (const old of pushSql.pendingMemos.all(p.orderId)) {
            pushSql.supersede.run(at, old.id);
            supersededOps.add(old.opId);
          }
        }
        pushSql.insert.run(uuidv7(), opId, p.orderId, p.shopId, p.request.kind, JSON.stringify(p.request), at, at);
        push = true;
      },
    };
    const value = body(scope);
    if (audits.length > 0) {
      const insertAudit = auditStatement(client);
      for (const a of audits) {
        insertAudit.run(
          uuidv7(),
          at,
          ctx.actor.name,
          name,
          a.entity,
          a.entityId,
          a.field ?? null,
          asText(a.before),
          asText(a.after),
          a.reason ?? null,
          opId,
        );
      }
    }
    appendOp(tx, { id: opId, at, clock: ctx.clock, actor: ctx.actor.name, name, args, pushState: push ? 'pending' : null });
    supersededOps.delete(opId);
    if (supersededOps.size > 0) syncOpPushStates(tx, supersededOps);
    return value;
  });
  const tables = [...options.tables, 'audit_log', 'ops'];
  if (push && !tables.includes('pushes')) tables.push('pushes');
  ctx.events.emit('db.changed', { tables });
  return result;
}

const auditStatements = new WeakMap<Db['$client'], ReturnType<typeof prepareAudit>>();

function prepareAudit(client: Db['$client']) {
  return client.prepare(
    `INSERT INTO audit_log (id, at, actor, command, entity, entity_id, field, before, after, reason, op_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
}

/** Prepared once per connection, like the ops insert: a batch command writes thousands of entries. */
function auditStatement(client: Db['$client']) {
  let st = auditStatements.get(client);
  if (!st) {
    st = prepareAudit(client);
    auditStatements.set(client, st);
  }
  return st;
}

function pushStatements(client: Db['$client']) {
  return {
    insert: client.prepare(
      `INSERT INTO pushes (id, op_id, order_id, shop_id, kind, payload, state, attempts, next_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
    ),
    // pushes_order_idx (order_id, kind, created_at) serves this.
    pendingMemos: client.prepare<[string], { id: string; opId: string }>(
      `SELECT id, op_id AS opId FROM pushes WHERE order_id = ? AND kind = 'memo' AND state = 'pending'`,
    ),
    supersede: client.prepare<[number, string]>(`UPDATE pushes SET state = 'superseded', done_at = ? WHERE id = ? AND state = 'pending'`),
  };
}
