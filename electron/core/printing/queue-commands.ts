// The print queue's commands (docs/architecture.md#data-flow-rules, rule 4; docs/printing/queue.md):
// what people and the batch flow do to jobs — enqueue, retry, cancel, reprint, resolveUncertain, and
// the scan-back confirmation at 验货 — each through runCommand. The sender (queue-sender.ts) takes
// queued jobs to the printers.
//
// States: queued → sending → sent → confirmed, or failed (reason in words; nothing reached the
// printer, so a retry is safe), or uncertain (the printer may have the label: only a person can say
// whether it came out, so it is never sent again automatically). A failed or uncertain job holds its
// lane until a person retries, answers or cancels it.
import { REPRINT_ALLOWANCE } from '../../shared/reprint-limits.ts';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Role } from '../../shared/model.ts';
import { CREW } from '../../shared/roles.ts';
import { AppError } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import { DOC_TYPES, getJob, toJob, type JobRow, type JobState, type PrintJob, type ReprintMark } from './jobs.ts';
import { getPrinter, requireRole, type Printer } from './printers.ts';

export const enqueueJobSchema = z
  .object({
    printerId: z.string().min(1, '请选择打印机'),
    idemKey: z.string().trim().min(1, '打印任务缺少幂等键').max(300),
    docType: z.enum(DOC_TYPES, { error: '单据类型应为 waybill、pick_list、packing_slip 或 test' }),
    packageId: z.string().min(1).nullish(),
    orderId: z.string().min(1).nullish(),
    payload: z.record(z.string(), z.unknown()),
    batchId: z.string().min(1).nullish(),
    seq: z.number().int().min(1).nullish(),
    total: z.number().int().min(1).nullish(),
  })
  .strict()
  .refine((j) => j.seq == null || j.total == null || j.seq <= j.total, '序号不能大于总数');
export type EnqueueJob = z.input<typeof enqueueJobSchema>;

export interface EnqueueResult {
  job: PrintJob;
  /** false: a job with this idemKey already existed and is returned instead (nothing queued). */
  created: boolean;
}

/** Roles that may queue, retry, cancel and resolve print jobs (finance sees, does not print). */
const PRINTS: readonly Role[] = CREW;

/**
 * How many reprints each role may make of one package (or one document) on its own; beyond that an
 * owner or operator must do it. Infinity = no limit. Built from the one table of reprint allowances
 * (shared with the renderer, which shows what is left).
 */
export const REPRINT_LIMITS: Record<Role, number> = Object.fromEntries(
  Object.entries(REPRINT_ALLOWANCE).map(([role, n]) => [role, n ?? Infinity]),
) as Record<Role, number>;

const selectByIdem = (db: Db) => db.$client.prepare('SELECT * FROM print_jobs WHERE idem_key = ?');
const insertJob = (db: Db) =>
  db.$client.prepare(
    `INSERT INTO print_jobs (id, printer_id, idem_key, doc_type, package_id, order_id, payload, batch_id, seq, total,
       reprint_of, reprint_reason, state, attempts, created_by, created_at)
     VALUES (@id, @printerId, @idemKey, @docType, @packageId, @orderId, @payload, @batchId, @seq, @total,
       @reprintOf, @reprintReason, 'queued', 0, @createdBy, @createdAt)`,
  );

/**
 * Queues jobs in one transaction, in the given order. A job whose idemKey exists (queued before, or
 * earlier in this same call) is not queued again: the existing job is returned with created=false.
 */
export function enqueue(ctx: CoreContext, jobs: EnqueueJob[]): EnqueueResult[] {
  requireRole(ctx, PRINTS, '打印');
  const parsed = jobs.map((j, i) => {
    const r = enqueueJobSchema.safeParse(j);
    if (!r.success) throw new AppError('VALIDATION_FAILED', `第 ${i + 1} 个打印任务：${r.error.issues[0]?.message ?? '输入无效'}`, { index: i, issues: r.error.issues });
    return r.data;
  });
  if (parsed.length === 0) return [];
  const args = { jobs: parsed.map(({ payload: _payload, ...rest }) => rest) };
  return runCommand(ctx, 'print.enqueue', args, { tables: ['print_jobs'] }, (scope) => {
    const byIdem = selectByIdem(ctx.db);
    const insert = insertJob(ctx.db);
    const printers = new Map<string, Printer | null>();
    return parsed.map((j) => {
      const existing = byIdem.get(j.idemKey) as JobRow | undefined;
      if (existing) return { job: toJob(existing), created: false };
      if (!printers.has(j.printerId)) printers.set(j.printerId, getPrinter(ctx.db, j.printerId));
      if (!printers.get(j.printerId)) throw reasonError('printer.not_found', { printerId: j.printerId }, `No printer ${j.printerId}`);
      const id = uuidv7();
      insert.run({
        id,
        printerId: j.printerId,
        idemKey: j.idemKey,
        docType: j.docType,
        packageId: j.packageId ?? null,
        orderId: j.orderId ?? null,
        payload: JSON.stringify(j.payload),
        batchId: j.batchId ?? null,
        seq: j.seq ?? null,
        total: j.total ?? null,
        reprintOf: null,
        reprintReason: null,
        createdBy: ctx.actor.name,
        createdAt: scope.at,
      });
      scope.audit({ entity: 'print_job', entityId: id, field: 'state', after: 'queued' });
      return { job: getJob(ctx.db, id)!, created: true };
    });
  });
}

/** Queues a test page on a printer (a border, its name, language and DPI; printers.ts settings for the size). */
export function queueTestPrint(ctx: CoreContext, printerId: string): PrintJob {
  const [r] = enqueue(ctx, [{ printerId, idemKey: `test:${printerId}:${uuidv7()}`, docType: 'test', payload: { requestedBy: ctx.actor.name } }]);
  return r!.job;
}

function mustGetJob(db: Db, id: string): PrintJob {
  const job = getJob(db, id);
  if (!job) throw reasonError('print_job.not_found', { jobId: id }, `No print job ${id}`);
  return job;
}

function setState(ctx: CoreContext, job: PrintJob, to: JobState, scope: { at: number; audit: (e: { entity: string; entityId: string; field: string; before: unknown; after: unknown; reason?: string | null }) => void }, reason?: string): void {
  const extra = to === 'confirmed' ? ', confirmed_at = @at' : '';
  const changed = ctx.db.$client
    .prepare(`UPDATE print_jobs SET state = @to, last_error = CASE WHEN @to = 'queued' THEN NULL ELSE last_error END,
       last_error_reason = CASE WHEN @to = 'queued' THEN NULL ELSE last_error_reason END,
       last_error_details = CASE WHEN @to = 'queued' THEN NULL ELSE last_error_details END${extra} WHERE id = @id AND state = @from`)
    .run({ to, id: job.id, from: job.state, at: scope.at }).changes;
  if (changed !== 1) throw reasonError('print_job.changed', { jobId: job.id }, `Print job ${job.id} changed state meanwhile (expected ${job.state})`);
  scope.audit({ entity: 'print_job', entityId: job.id, field: 'state', before: job.state, after: to, reason: reason ?? null });
}

/** Sends a failed job again — the same job, rendered from the same payload, in its old place in the lane. */
export function retryJob(ctx: CoreContext, jobId: string): PrintJob {
  requireRole(ctx, PRINTS, '重试打印');
  return runCommand(ctx, 'print.retry', { jobId }, { tables: ['print_jobs'] }, (scope) => {
    const job = mustGetJob(ctx.db, jobId);
    if (job.state !== 'failed') throw reasonError('print_job.not_failed', { jobId, state: job.state }, `Only a failed print job is retried; ${jobId} is ${job.state}`);
    setState(ctx, job, 'queued', scope);
    return mustGetJob(ctx.db, jobId);
  });
}

/** Cancels a job that has not been delivered (queued, failed or uncertain); frees its lane. */
export function cancelJob(ctx: CoreContext, jobId: string, reason?: string): PrintJob {
  requireRole(ctx, PRINTS, '取消打印');
  return runCommand(ctx, 'print.cancel', { jobId, reason }, { tables: ['print_jobs'] }, (scope) => {
    const job = mustGetJob(ctx.db, jobId);
    if (!['queued', 'failed', 'uncertain'].includes(job.state)) throw reasonError('print_job.not_cancellable', { jobId, state: job.state }, `Print job ${jobId} is ${job.state} and cannot be cancelled`);
    setState(ctx, job, 'cancelled', scope, reason);
    return mustGetJob(ctx.db, jobId);
  });
}

/** Reprints so far of this package (or, for a document without a package, of this original job). */
function reprintCount(db: Db, original: PrintJob, rootId: string): number {
  const row = original.packageId
    ? db.$client.prepare('SELECT count(*) AS n FROM print_jobs WHERE package_id = ? AND reprint_of IS NOT NULL').get(original.packageId)
    : db.$client.prepare('SELECT count(*) AS n FROM print_jobs WHERE reprint_of = ?').get(rootId);
  return (row as { n: number }).n;
}

/**
 * `inPlace`: the reprint takes the original's place in the lane (its created_at, batch and seq), so
 * a label replaced after an uncertain send still comes out where the batch expects it.
 */
function insertReprint(ctx: CoreContext, scope: { at: number }, original: PrintJob, reason: string, idemKey: string | undefined, inPlace = false): PrintJob {
  const rootId = original.reprintOf ?? original.id;
  const count = reprintCount(ctx.db, original, rootId) + 1;
  const key = idemKey ?? `${original.idemKey}#reprint-${count}`;
  const existing = selectByIdem(ctx.db).get(key) as JobRow | undefined;
  if (existing) return toJob(existing);
  const { reprint: _old, ...basePayload } = original.payload;
  const mark: ReprintMark = { count, reason, of: rootId };
  const id = uuidv7();
  insertJob(ctx.db).run({
    id,
    printerId: original.printerId,
    idemKey: key,
    docType: original.docType,
    packageId: original.packageId,
    orderId: original.orderId,
    payload: JSON.stringify({ ...basePayload, reprint: mark }),
    batchId: original.batchId,
    seq: original.seq,
    total: original.total,
    reprintOf: rootId,
    reprintReason: reason,
    createdBy: ctx.actor.name,
    createdAt: inPlace ? original.createdAt : scope.at,
  });
  return mustGetJob(ctx.db, id);
}

export interface ReprintOptions {
  /** Makes a double-clicked reprint one reprint: the same key returns the same job. */
  idemKey?: string;
  /** Another printer than the original's (the original's is used by default). */
  printerId?: string;
}

/**
 * An explicit reprint of a delivered job — or of a cancelled one, the only way a cancelled label is
 * printed again (batch.ts refuses to queue it anew; a cancelled copy may have come out, so it is
 * marked too): a new job pointing at the original (reprint_of, reason),
 * its payload marked `reprint` so the label carries 重打 and the count. Counted per package and
 * limited by role (REPRINT_LIMITS); the waybill number is the original's — it is in the payload.
 */
export function reprint(ctx: CoreContext, jobId: string, reason: string, options: ReprintOptions = {}): PrintJob {
  requireRole(ctx, PRINTS, '重打');
  const why = reason.trim();
  if (why.length < 2) throw reasonError('reprint.reason_required', { minLength: 2 }, 'A reprint needs a reason of at least 2 characters');
  return runCommand(ctx, 'print.reprint', { jobId, reason: why, ...options }, { tables: ['print_jobs'] }, (scope) => {
    if (options.idemKey) {
      const existing = selectByIdem(ctx.db).get(options.idemKey) as JobRow | undefined;
      if (existing) return toJob(existing);
    }
    const original = mustGetJob(ctx.db, jobId);
    if (original.state !== 'sent' && original.state !== 'confirmed' && original.state !== 'cancelled') {
      const hint = original.state === 'uncertain' ? ' (confirm whether it printed first)' : original.state === 'failed' ? ' (retry it instead)' : '';
      throw reasonError('print_job.not_reprintable', { jobId, state: original.state }, `Only a sent, confirmed or cancelled print job is reprinted; ${jobId} is ${original.state}${hint}`);
    }
    const done = reprintCount(ctx.db, original, original.reprintOf ?? original.id);
    const limit = REPRINT_LIMITS[ctx.actor.role];
    if (done >= limit) {
      throw limit === 0
        ? reasonError('reprint.not_allowed', { role: ctx.actor.role }, `Role ${ctx.actor.role} may not reprint`)
        : reasonError('reprint.limit_reached', { reprints: done, limit }, `This package was reprinted ${done} times (the ${ctx.actor.role} limit is ${limit}); an owner or operator may reprint it again`);
    }
    const target = options.printerId ? getPrinter(ctx.db, options.printerId) : null;
    if (options.printerId && !target) throw reasonError('printer.not_found', { printerId: options.printerId }, `No printer ${options.printerId}`);
    const job = insertReprint(ctx, scope, target ? { ...original, printerId: target.id } : original, why, options.idemKey);
    scope.audit({ entity: 'print_job', entityId: job.id, field: 'reprint_of', after: job.reprintOf, reason: why });
    return job;
  });
}

/**
 * The operator's answer for an 'uncertain' job (a crash or a broken link mid-send, or a printer
 * problem after it had the label): 'printed' (the label is there → confirmed), or 'reprint' (it is
 * not → the job is closed and a reprint of it is queued in its place in the lane, marked 重打
 * because the first copy may yet surface). The second is not held to the reprint limit: it replaces
 * a label that, as far as anyone knows, never came out. Either answer releases the lane.
 */
export function resolveUncertain(ctx: CoreContext, jobId: string, answer: 'printed' | 'reprint'): PrintJob {
  requireRole(ctx, PRINTS, '处理状态不明的打印任务');
  return runCommand(ctx, 'print.resolveUncertain', { jobId, answer }, { tables: ['print_jobs'] }, (scope) => {
    const job = mustGetJob(ctx.db, jobId);
    if (job.state !== 'uncertain') throw reasonError('print_job.not_uncertain', { jobId, state: job.state }, `Print job ${jobId} is ${job.state}, not uncertain`);
    if (answer === 'printed') {
      setState(ctx, job, 'confirmed', scope, '操作员确认已打印');
      return mustGetJob(ctx.db, jobId);
    }
    setState(ctx, job, 'cancelled', scope, '状态不明，操作员安排重打');
    const again = insertReprint(ctx, scope, job, '发送中断，状态不明，操作员确认未打出', undefined, true);
    scope.audit({ entity: 'print_job', entityId: again.id, field: 'reprint_of', after: again.reprintOf, reason: again.reprintReason });
    return again;
  });
}

/**
 * Scan-back (docs/printing/queue.md#failure-modes: "operator scan-back ... the most reliable in packing"):
 * the packer scanned this package's waybill off its label at 验货, so a label exists. When exactly one waybill
 * job of the package could have printed it and the queue could not be sure it did (uncertain, or sent without
 * a confirmation), that job is confirmed. With another copy that may be the one on the parcel — confirmed, or
 * cancelled after its bytes began to leave (an uncertain label replaced by a reprint) — which one came out is
 * not known, and they stay for the operator. Runs inside the caller's command.
 */
export function confirmWaybillByScan(ctx: CoreContext, packageId: string): PrintJob | null {
  const candidates = ctx.db.$client
    .prepare<[string], JobRow>(
      `SELECT * FROM print_jobs WHERE package_id = ? AND doc_type = 'waybill'
         AND (state IN ('uncertain', 'sent', 'confirmed') OR (state = 'cancelled' AND attempts > 0))`,
    )
    .all(packageId)
    .map(toJob);
  const [job] = candidates;
  if (candidates.length !== 1 || !job || (job.state !== 'uncertain' && job.state !== 'sent')) return null;
  return runCommand(ctx, 'print.confirmByScan', { jobId: job.id, packageId }, { tables: ['print_jobs'] }, (scope) => {
    setState(ctx, job, 'confirmed', scope, '验货时扫到了这张面单');
    return mustGetJob(ctx.db, job.id);
  });
}
