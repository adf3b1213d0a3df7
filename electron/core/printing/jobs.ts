// Print job rows as the rest of the core sees them, and the read queries over them (by lane, by
// package, for the CLI). Writes live in queue-commands.ts (the commands) and queue-sender.ts (PrintQueue's transitions as it sends).
import { LANE_HOLDING_STATES, PRINT_JOB_STATES, type PrintJobState } from '../../shared/contract.ts';
import { sqlIn } from '../db/chunk.ts';
import type { Db } from '../db/open.ts';
import { storedErrorOf, type StoredError } from '../../shared/stored-error.ts';

/** The API's list of print job states, under the name the queue uses. */
export const JOB_STATES = PRINT_JOB_STATES;
export type JobState = PrintJobState;
export const DOC_TYPES = ['waybill', 'pick_list', 'packing_slip', 'test'] as const;
export type DocType = (typeof DOC_TYPES)[number];

/** What a reprint adds to the original's payload, so the label prints a 重打 mark with its count. */
export interface ReprintMark {
  /** 1 for the first reprint of this package (or document), 2 for the second, ... */
  count: number;
  reason: string;
  /** The original job's id. */
  of: string;
}

export interface PrintJob {
  id: string;
  printerId: string;
  idemKey: string;
  docType: DocType;
  packageId: string | null;
  orderId: string | null;
  /** What to render; a reprint's carries `reprint: ReprintMark`. */
  payload: Record<string, unknown>;
  batchId: string | null;
  seq: number | null;
  total: number | null;
  reprintOf: string | null;
  reprintReason: string | null;
  state: JobState;
  attempts: number;
  /** English, for logs and the CLI. */
  lastError: string | null;
  /** The same failure with its reason and details, which the screen words. */
  lastErrorWhy: StoredError | null;
  createdBy: string;
  createdAt: number;
  sentAt: number | null;
  confirmedAt: number | null;
}

export interface JobRow {
  id: string;
  printer_id: string;
  idem_key: string;
  doc_type: string;
  package_id: string | null;
  order_id: string | null;
  payload: string;
  batch_id: string | null;
  seq: number | null;
  total: number | null;
  reprint_of: string | null;
  reprint_reason: string | null;
  state: string;
  attempts: number;
  last_error: string | null;
  last_error_reason: string | null;
  last_error_details: string | null;
  created_by: string;
  created_at: number;
  sent_at: number | null;
  confirmed_at: number | null;
}

/** A job's stored failure (no code of its own: a job's failure is not a refusal of a call). */
export const jobErrorOf = (r: Pick<JobRow, 'last_error' | 'last_error_reason' | 'last_error_details'>): StoredError | null =>
  storedErrorOf(r.last_error, null, null, r.last_error_reason, r.last_error_details);

export const toJob = (r: JobRow): PrintJob => ({
  id: r.id,
  printerId: r.printer_id,
  idemKey: r.idem_key,
  docType: r.doc_type as DocType,
  packageId: r.package_id,
  orderId: r.order_id,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  batchId: r.batch_id,
  seq: r.seq,
  total: r.total,
  reprintOf: r.reprint_of,
  reprintReason: r.reprint_reason,
  state: r.state as JobState,
  attempts: r.attempts,
  lastError: r.last_error,
  lastErrorWhy: jobErrorOf(r),
  createdBy: r.created_by,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  confirmedAt: r.confirmed_at,
});

export function getJob(db: Db, id: string): PrintJob | null {
  const row = db.$client.prepare('SELECT * FROM print_jobs WHERE id = ?').get(id) as JobRow | undefined;
  return row ? toJob(row) : null;
}

export interface JobFilter {
  printerId?: string;
  states?: JobState[];
  batchId?: string;
  packageId?: string;
  /** Newest first when listing history; default 500. */
  limit?: number;
}

/** Jobs in lane order (created_at, then insertion order) — the order they print in. */
export function listJobs(db: Db, filter: JobFilter = {}): PrintJob[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.printerId) (where.push('printer_id = ?'), args.push(filter.printerId));
  if (filter.batchId) (where.push('batch_id = ?'), args.push(filter.batchId));
  if (filter.packageId) (where.push('package_id = ?'), args.push(filter.packageId));
  if (filter.states && filter.states.length > 0) {
    const s = sqlIn('state', filter.states);
    where.push(s.sql), args.push(...s.params);
  }
  const sql = `SELECT * FROM print_jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, rowid LIMIT ?`;
  return (db.$client.prepare(sql).all(...args, filter.limit ?? 500) as JobRow[]).map(toJob);
}

/** LANE_HOLDING_STATES as an SQL list, for `state IN ${...}`. */
export const LANE_HOLDING_SQL = `(${LANE_HOLDING_STATES.map((s) => `'${s}'`).join(', ')})`;

/** Failed and uncertain jobs per printer (print_jobs_lane_idx): each one holds its printer's lane until a person acts. */
export function laneHolds(db: Db): Map<string, { failed: number; uncertain: number }> {
  const rows = db.$client
    .prepare(`SELECT printer_id, state, count(*) AS n FROM print_jobs WHERE state IN ${LANE_HOLDING_SQL} GROUP BY printer_id, state`)
    .all() as { printer_id: string; state: 'failed' | 'uncertain'; n: number }[];
  const out = new Map<string, { failed: number; uncertain: number }>();
  for (const r of rows) {
    const h = out.get(r.printer_id) ?? { failed: 0, uncertain: 0 };
    h[r.state] = r.n;
    out.set(r.printer_id, h);
  }
  return out;
}

/**
 * The idempotency key of a waybill label (docs/printing/queue.md#failure-modes: package + waybill + copy): the same
 * package with the same number is one job however often a batch is retried; a new number (a
 * re-allocated waybill) or a second copy is a new label.
 */
export function waybillLabelKey(packageId: string, waybillNo: string, copy = 1): string {
  return `waybill:${packageId}:${waybillNo}:${copy}`;
}
