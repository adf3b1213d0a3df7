// Records a package's trace events and keeps packages.tracking_state / last_trace_at / signed_at in
// step with them. Idempotent per (package, at, description) — the unique index tracking_events_uq —
// so pulling the same trace twice, or importing a CSV again, adds nothing.
import { v7 as uuidv7 } from 'uuid';
import { reasonError } from '../../shared/reasons.ts';
import { writeTx, type WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { EventBus } from '../api/events.ts';
import type { TraceStatus } from './status-words.ts';

export interface TraceEventInput {
  at: number;
  status: TraceStatus;
  description: string;
  location?: string | null;
}

export type TraceSource = 'platform' | 'csv';

export interface TraceWriteContext {
  db: Db;
  now: () => number;
  events?: EventBus;
}

export interface RecordResult {
  /** Events written by this call (duplicates of recorded ones are not counted). */
  added: number;
  trackingState: TraceStatus | 'none';
}

/** Statuses ranked for events at the very same millisecond: the later stage wins. */
const RANK: Record<TraceStatus, number> = { collected: 1, in_transit: 2, delivering: 3, exception: 4, signed: 5, returned: 6 };

function prepare(db: Db) {
  const c = db.$client;
  return {
    insert: c.prepare(
      `INSERT INTO tracking_events (id, package_id, at, status, description, location, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (package_id, at, description) DO NOTHING`,
    ),
    // tracking_events_package_idx (package_id, at) serves this.
    events: c.prepare<[string], { at: number; status: TraceStatus }>('SELECT at, status FROM tracking_events WHERE package_id = ? ORDER BY at DESC'),
    summary: c.prepare<[string, number, number | null, string]>('UPDATE packages SET tracking_state = ?, last_trace_at = ?, signed_at = ? WHERE id = ?'),
  };
}

/** Prepared once per connection: an import records thousands of packages in one transaction. */
const statements = new WeakMap<Db, ReturnType<typeof prepare>>();
function statementsFor(db: Db): ReturnType<typeof prepare> {
  let s = statements.get(db);
  if (!s) statements.set(db, (s = prepare(db)));
  return s;
}

/**
 * Inside the caller's transaction: insert the new events, then recompute the package's summary from
 * all its events (newest event decides the state; signed_at is the first signing, kept even if a
 * return follows so the scorecard still sees the delivery attempt).
 */
export function recordTraceIn(tx: WriteTx, packageId: string, events: readonly TraceEventInput[], source: TraceSource, now: number): RecordResult {
  const sql = statementsFor(tx);
  let added = 0;
  for (const e of events) added += sql.insert.run(uuidv7(), packageId, e.at, e.status, e.description.trim(), e.location ?? null, source, now).changes;
  const rows = sql.events.all(packageId);
  if (rows.length === 0) return { added, trackingState: 'none' };
  const lastAt = rows[0]!.at;
  let state = rows[0]!.status;
  for (const r of rows) {
    if (r.at !== lastAt) break;
    if (RANK[r.status] > RANK[state]) state = r.status;
  }
  let signedAt: number | null = null;
  for (const r of rows) if (r.status === 'signed') signedAt = r.at; // rows run newest first: the last seen is the first signing
  sql.summary.run(state, lastAt, signedAt, packageId);
  return { added, trackingState: state };
}

/**
 * Record one package's trace from a platform pull: its own short transaction, db.changed after.
 * Platform data comes in like the sync engine's: no ops row, as nothing leaves
 * the station because of it.
 */
export function recordTrace(ctx: TraceWriteContext, packageId: string, events: readonly TraceEventInput[], source: TraceSource = 'platform'): RecordResult {
  const exists = ctx.db.$client.prepare('SELECT 1 FROM packages WHERE id = ?').get(packageId);
  if (!exists) throw reasonError('package.not_found', { packageId }, `No package ${packageId}`);
  const now = ctx.now();
  const result = writeTx(ctx.db, (tx) => recordTraceIn(tx, packageId, events, source, now));
  if (result.added > 0) ctx.events?.emit('db.changed', { tables: ['tracking_events', 'packages'] });
  return result;
}
