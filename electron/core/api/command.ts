// Runs one state change the house way (DESIGN.md, data flow rule 1 and convention 4): rows, audit
// entries and exactly one ops row in a single synchronous SQLite transaction; db.changed after commit.
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../shared/contract.ts';
import type { Db } from '../db/open.ts';
import type { EventBus } from './events.ts';
import type { HybridClock } from './hlc.ts';

export interface CoreContext {
  db: Db;
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
  readonly opId: string;
  readonly at: number;
  audit(entry: AuditEntry): void;
  /** Mark the op as a platform push-back (memo, flag, ship): the outbox sends it later. */
  pushToPlatform(): void;
}

export interface CommandOptions {
  /** Tables the command writes, announced in db.changed after commit. */
  tables: string[];
}

const asText = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));

export function runCommand<T>(ctx: CoreContext, name: string, args: unknown, options: CommandOptions, body: (scope: CommandScope) => T): T {
  const client = ctx.db.$client;
  const opId = uuidv7();
  const at = ctx.now();
  const audits: AuditEntry[] = [];
  let push = false;
  const scope: CommandScope = {
    opId,
    at,
    audit: (entry) => audits.push(entry),
    pushToPlatform: () => {
      push = true;
    },
  };
  const insertAudit = client.prepare(
    `INSERT INTO audit_log (id, at, actor, command, entity, entity_id, field, before, after, reason, op_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOp = client.prepare(
    `INSERT INTO ops (id, at, hlc, actor, name, args, push_state) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const result = client.transaction(() => {
    const value = body(scope);
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
    insertOp.run(opId, at, ctx.clock.next(), ctx.actor.name, name, JSON.stringify(args), push ? 'pending' : null);
    return value;
  }).immediate();
  ctx.events.emit('db.changed', { tables: [...options.tables, 'audit_log', 'ops'] });
  return result;
}
