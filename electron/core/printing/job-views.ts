// Print jobs as the screens and the CLI read them (printJobs.list, print.batch, one job): each job
// with its printer's name, its order's platform number and its waybill, and a batch with its counts
// and the failed or uncertain jobs of others that hold its printers' lanes.
import type { PrintBatchView, PrintJobState, PrintJobView } from '../../shared/contract.ts';
import { PRINT_JOB_STATES } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { sqlIn } from '../db/chunk.ts';
import type { Db } from '../db/open.ts';
import { LANE_HOLDING_SQL, jobErrorOf, type JobRow } from './jobs.ts';

interface JobViewRow extends JobRow {
  printer_name: string;
  platform_order_id: string | null;
  waybill_no: string | null;
}

const JOB_VIEW_SQL = `SELECT j.*, pr.name AS printer_name, o.platform_order_id, pk.waybill_no
  FROM print_jobs j JOIN printers pr ON pr.id = j.printer_id
  LEFT JOIN orders o ON o.id = j.order_id LEFT JOIN packages pk ON pk.id = j.package_id`;

function toJobView(r: JobViewRow): PrintJobView {
  let payload: Record<string, unknown> = {};
  try {
    payload = JSON.parse(r.payload) as Record<string, unknown>;
  } catch {
    payload = {};
  }
  const mark = payload.reprint as { count?: unknown } | undefined;
  const payloadWaybill = typeof payload.waybillNo === 'string' ? payload.waybillNo : null;
  return {
    id: r.id,
    printerId: r.printer_id,
    printerName: r.printer_name,
    idemKey: r.idem_key,
    docType: r.doc_type as PrintJobView['docType'],
    packageId: r.package_id,
    orderId: r.order_id,
    platformOrderId: r.platform_order_id,
    waybillNo: payloadWaybill ?? r.waybill_no,
    batchId: r.batch_id,
    seq: r.seq,
    total: r.total,
    reprintOf: r.reprint_of,
    reprintReason: r.reprint_reason,
    reprintCount: typeof mark?.count === 'number' ? mark.count : null,
    state: r.state as PrintJobState,
    attempts: r.attempts,
    lastError: r.last_error,
    lastErrorWhy: jobErrorOf(r),
    createdBy: r.created_by,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    confirmedAt: r.confirmed_at,
  };
}

export function jobView(db: Db, id: string): PrintJobView {
  const row = db.$client.prepare<[string], JobViewRow>(`${JOB_VIEW_SQL} WHERE j.id = ?`).get(id);
  if (!row) throw reasonError('print_job.not_found', { jobId: id }, `No print job ${id}`);
  return toJobView(row);
}

/** printJobs.list: newest first, filtered by printer, states and batch. */
export function listJobViews(db: Db, f: { printerId?: string | undefined; states?: readonly string[] | undefined; batchId?: string | undefined; limit: number }): PrintJobView[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.printerId) (where.push('j.printer_id = ?'), args.push(f.printerId));
  if (f.batchId) (where.push('j.batch_id = ?'), args.push(f.batchId));
  if (f.states && f.states.length > 0) {
    const s = sqlIn('j.state', f.states);
    where.push(s.sql), args.push(...s.params);
  }
  const sql = `${JOB_VIEW_SQL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.created_at DESC, j.rowid DESC LIMIT ?`;
  return (db.$client.prepare(sql).all(...args, f.limit) as JobViewRow[]).map(toJobView);
}

/** print.batch: the batch's jobs in print order and how many are in each state. */
export function batchView(db: Db, batchId: string): PrintBatchView {
  const jobs = (db.$client.prepare(`${JOB_VIEW_SQL} WHERE j.batch_id = ? ORDER BY j.seq, j.created_at, j.rowid`).all(batchId) as JobViewRow[]).map(toJobView);
  if (jobs.length === 0) throw reasonError('print_batch.not_found', { batchId }, `No print batch ${batchId}, or it queued no labels`);
  const counts = Object.fromEntries(PRINT_JOB_STATES.map((s) => [s, 0])) as Record<PrintJobState, number>;
  for (const j of jobs) counts[j.state] += 1;
  const finished = counts.queued === 0 && counts.sending === 0;
  return { batchId, jobs, counts, finished, blockedBy: finished ? [] : lanesHeldFromOutside(db, batchId) };
}

/** Failed or uncertain jobs of other batches (or none) on the printers where this batch still has queued jobs, oldest first. */
function lanesHeldFromOutside(db: Db, batchId: string): PrintJobView[] {
  const rows = db.$client
    .prepare(
      `${JOB_VIEW_SQL} WHERE j.state IN ${LANE_HOLDING_SQL} AND j.batch_id IS NOT ?
         AND j.printer_id IN (SELECT DISTINCT printer_id FROM print_jobs WHERE batch_id = ? AND state = 'queued')
       ORDER BY j.created_at, j.rowid LIMIT 50`,
    )
    .all(batchId, batchId) as JobViewRow[];
  return rows.map(toJobView);
}
