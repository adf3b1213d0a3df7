// The persistent print queue (docs/architecture.md#data-flow-rules, rule 4; docs/printing/queue.md).
// Commands put jobs in (enqueue, retry, cancel, reprint, resolveUncertain) through runCommand;
// PrintQueue sends them: one serial lane per printer, jobs of a lane in the order they were queued, printers in parallel.
//
// States: queued → sending → sent → confirmed, or failed (reason in words; nothing reached the
// printer, so a retry is safe). 'sending' is committed before the first byte leaves, so a crash
// mid-send leaves a job that says so: on start it becomes 'uncertain' and waits for a person
// (resolveUncertain) — it is never sent again automatically. So does a job whose link broke after its
// bytes began to leave (PrintFailure.maybeDelivered) or whose printer reported a problem once it had
// the label: the printer may have it, and only a person can see whether it came out.
// A failed or uncertain job holds its lane (later labels must not overtake it, and a printer that
// swallows labels must not swallow the whole batch) until a person retries, answers or cancels it.
import { REPRINT_ALLOWANCE } from '../../shared/reprint-limits.ts';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Role } from '../../shared/model.ts';
import { CREW } from '../../shared/roles.ts';
import { redact } from '../../shared/redact.ts';
import { AppError } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { EventBus } from '../api/events.ts';
import type { Db } from '../db/open.ts';
import { FAILURE_REASONS, PrintFailure, failureFromError } from './failure.ts';
import { DOC_TYPES, getJob, LANE_HOLDING_SQL, toJob, type JobRow, type JobState, type PrintJob, type ReprintMark } from './jobs.ts';
import { getPrinter, listPrinters, requireRole, type Printer } from './printers.ts';
import type { PrinterTransport } from './transports/transport.ts';
import type { PrinterStatus } from './status.ts';
import { takeQueueLock, type QueueLock } from './queue-lock.ts';
import { testPageBytes } from './test-page.ts';

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
    .prepare(`UPDATE print_jobs SET state = @to, last_error = CASE WHEN @to = 'queued' THEN NULL ELSE last_error END${extra} WHERE id = @id AND state = @from`)
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

// ---------------------------------------------------------------------------------------------
// The sender

export interface PrintQueueOptions {
  db: Db;
  events: EventBus;
  now: () => number;
  /** The job's bytes in the printer's language; the label encoders plug in here. Must be deterministic (retry = same bytes). */
  render: (job: PrintJob, printer: Printer) => Promise<Buffer>;
  transportFor: (printer: Printer) => PrinterTransport;
  /**
   * Send timeout when the printer's settings name none (default 20 s;
   * docs/printing/transports.md#tcp-9100-every-os).
   */
  timeoutMs?: number;
  /** One status query's timeout (default 3 s). */
  statusTimeoutMs?: number;
  /** How long to wait for a bidirectional printer to finish printing before leaving the job 'sent' (default 30 s). */
  confirmWithinMs?: number;
  /** Poll interval while the printer reports "printing" (default 300 ms). */
  pollMs?: number;
  /** Every state change the sender makes, for logs and the crash test's markers. */
  onTransition?: (job: PrintJob, to: JobState, detail?: string) => void;
}

interface Lane {
  running: Promise<void> | null;
  again: boolean;
}

/** The printer's problems as one failure: the first names the reason, the rest go in the detail. */
function problemFailure(status: PrinterStatus, note?: string): PrintFailure {
  const [first, ...more] = status.problems;
  const detail = [...more.map((p) => FAILURE_REASONS[p]), ...(note ? [note] : [])].join('、');
  return new PrintFailure(first ?? 'printer_error', detail || undefined);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PrintQueue {
  private readonly lanes = new Map<string, Lane>();
  private started = false;
  private unsubscribe: (() => void) | null = null;
  private lock: QueueLock | null = null;

  constructor(private readonly o: PrintQueueOptions) {}

  /**
   * Marks jobs a previous run left in 'sending' as 'uncertain' (their bytes may or may not have
   * reached the printer), then starts every lane and follows db.changed for new work.
   */
  start(): { uncertain: number } {
    if (this.started) return { uncertain: 0 };
    const client = this.o.db.$client;
    // Throws when another live process is sending from this database (queue-lock.ts).
    this.lock = takeQueueLock(client.name);
    this.started = true;
    const at = this.o.now();
    const uncertain = client
      .prepare(`UPDATE print_jobs SET state = 'uncertain', last_error = ? WHERE state = 'sending'`)
      .run(`程序在发送途中中断（${new Date(at).toISOString()}），不知道打印机是否收到；请确认是否已打印`).changes;
    if (uncertain > 0) this.o.events.emit('db.changed', { tables: ['print_jobs'] });
    this.unsubscribe = this.o.events.on('db.changed', ({ tables }) => {
      if (tables.includes('print_jobs') || tables.includes('printers')) this.wakeAll();
    });
    this.wakeAll();
    return { uncertain };
  }

  /** Stops taking new jobs; resolves when every lane has finished the job in hand. */
  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await Promise.all([...this.lanes.values()].map((l) => l.running));
    this.lock?.release();
    this.lock = null;
  }

  /** Resolves when the lane (or every lane) has nothing it can send: empty, paused, or held by a failed or uncertain job. */
  async drain(printerId?: string): Promise<void> {
    const ids = printerId ? [printerId] : listPrinters(this.o.db).map((p) => p.id);
    for (const id of ids) this.wake(id);
    for (;;) {
      const busy = ids.map((id) => this.lanes.get(id)?.running).filter((p): p is Promise<void> => !!p);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  private wakeAll(): void {
    for (const p of listPrinters(this.o.db)) this.wake(p.id);
  }

  private wake(printerId: string): void {
    if (!this.started) return;
    let lane = this.lanes.get(printerId);
    if (!lane) this.lanes.set(printerId, (lane = { running: null, again: false }));
    if (lane.running) {
      lane.again = true;
      return;
    }
    const l = lane;
    let run: Promise<void> | null = null;
    run = (async () => {
      // Yield before the first step: a step emits db.changed synchronously (the job going to
      // 'sending'), and the wake that follows must find this lane running rather than start a second
      // run whose end would clear `running` while this one is still sending (drain returned early).
      await Promise.resolve();
      try {
        do {
          l.again = false;
          while (this.started && (await this.step(printerId)));
        } while (this.started && l.again);
      } finally {
        if (l.running === run) l.running = null;
      }
    })();
    l.running = run;
  }

  /** The next job this lane may send, or null (paused, held by a failed or uncertain job, or empty). */
  private nextJob(printerId: string): { job: PrintJob; printer: Printer } | null {
    const printer = getPrinter(this.o.db, printerId);
    if (!printer || printer.paused) return null;
    const client = this.o.db.$client;
    // print_jobs_lane_idx (printer_id, state, created_at) serves both. Jobs of one enqueue share
    // created_at; batch and seq put an in-place reprint (resolveUncertain) back where its original was.
    if (client.prepare(`SELECT 1 FROM print_jobs WHERE printer_id = ? AND state IN ${LANE_HOLDING_SQL} LIMIT 1`).get(printerId)) return null;
    const row = client
      .prepare(`SELECT * FROM print_jobs WHERE printer_id = ? AND state = 'queued' ORDER BY created_at, batch_id, seq, rowid LIMIT 1`)
      .get(printerId) as JobRow | undefined;
    return row ? { job: toJob(row), printer } : null;
  }

  /** One transition in its own short transaction; false when the job was changed by someone else meanwhile. */
  private transition(job: PrintJob, from: JobState, to: JobState, set: Record<string, unknown> = {}, detail?: string): boolean {
    const cols = Object.keys(set);
    // A pause that landed while the job was being rendered still stops it from going out.
    const notPaused = to === 'sending' ? ' AND NOT EXISTS (SELECT 1 FROM printers WHERE id = print_jobs.printer_id AND paused = 1)' : '';
    const sql = `UPDATE print_jobs SET state = @to${cols.map((c) => `, ${c} = @${c}`).join('')} WHERE id = @id AND state = @from${notPaused}`;
    const changed = this.o.db.$client.prepare(sql).run({ ...set, to, from, id: job.id }).changes === 1;
    if (changed) {
      this.o.events.emit('db.changed', { tables: ['print_jobs'] });
      this.o.onTransition?.(job, to, detail);
    }
    return changed;
  }

  private fail(job: PrintJob, from: JobState, failure: PrintFailure | string): void {
    // A spooler's or component's words can carry a printer URI with a password in it.
    const text = redact(typeof failure === 'string' ? failure : failure.message);
    this.transition(job, from, 'failed', { last_error: text }, text);
  }

  /** The printer may have the label: a person answers (resolveUncertain) — an automatic resend could print it twice. */
  private unsure(job: PrintJob, from: JobState, words: string): void {
    const text = redact(words);
    this.transition(job, from, 'uncertain', { last_error: text }, text);
  }

  /** Sends one job; true when the lane should look for the next one. */
  private async step(printerId: string): Promise<boolean> {
    const next = this.nextJob(printerId);
    if (!next) return false;
    const { job, printer } = next;
    let bytes: Buffer;
    try {
      bytes = job.docType === 'test' ? testPageBytes(printer) : await this.o.render(job, printer);
    } catch (err) {
      this.fail(job, 'queued', new PrintFailure('render_failed', (err as Error)?.message ?? String(err)));
      return true;
    }
    let transport: PrinterTransport;
    try {
      transport = this.o.transportFor(printer);
    } catch (err) {
      this.fail(job, 'queued', failureFromError(err));
      return true;
    }
    const statusTimeoutMs = this.o.statusTimeoutMs ?? 3000;
    const askStatus = transport.status && printer.settings.statusQuery !== false ? transport.status.bind(transport) : null;
    // Pre-flight on bidirectional links: a printer out of paper or unreachable gets nothing.
    if (askStatus) {
      let before: PrinterStatus | null = null;
      try {
        before = await askStatus({ timeoutMs: statusTimeoutMs });
      } catch (err) {
        const f = failureFromError(err);
        // A printer that is there but does not answer status queries still gets the job.
        if (f.reason !== 'timeout' && f.reason !== 'closed_early') {
          this.fail(job, 'queued', f);
          return true;
        }
      }
      if (before && !before.ready) {
        this.fail(job, 'queued', problemFailure(before, [before.detail, '发送前检查，未发送'].filter(Boolean).join('，')));
        return true;
      }
    }
    // Committed before the first byte leaves: a crash from here on leaves the job 'sending' → 'uncertain'.
    if (!this.transition(job, 'queued', 'sending', { attempts: job.attempts + 1, last_error: null })) return true;
    try {
      await transport.send(bytes, { timeoutMs: printer.settings.timeoutMs ?? this.o.timeoutMs ?? 20_000, title: `${job.docType}-${job.id}`, jobId: job.id });
    } catch (err) {
      const f = failureFromError(err);
      if (f.maybeDelivered) this.unsure(job, 'sending', `发送中断，打印机可能已收到（${f.message}）；请确认是否已打印`);
      else this.fail(job, 'sending', f);
      return true;
    }
    this.transition(job, 'sending', 'sent', { sent_at: this.o.now() });
    if (!askStatus) {
      // One-way links cannot say more than "delivered"; that is as far as confirmation goes.
      this.transition(job, 'sent', 'confirmed', { confirmed_at: this.o.now() });
      return true;
    }
    const deadline = Date.now() + (this.o.confirmWithinMs ?? 30_000);
    for (;;) {
      let after: PrinterStatus;
      try {
        after = await askStatus({ timeoutMs: statusTimeoutMs });
      } catch {
        return true; // delivered; the printer just would not say more — stays 'sent'
      }
      if (!after.ready) {
        const problem = problemFailure(after, after.detail).message;
        // The label is in the printer (or a component's task failed at the printer): it may come out
        // once the problem is fixed, half of it may be out already, or it may be lost — a person looks.
        this.unsure(job, 'sent', `已送达打印机，但${problem}；请确认是否已打印`);
        return true;
      }
      if (!after.printing) {
        this.transition(job, 'sent', 'confirmed', { confirmed_at: this.o.now() });
        return true;
      }
      if (Date.now() >= deadline) return true;
      await sleep(this.o.pollMs ?? 300);
    }
  }
}

