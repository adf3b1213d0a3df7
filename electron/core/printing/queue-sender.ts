// The print queue's sender (docs/printing/queue.md): takes queued jobs to the printers, one serial
// lane per printer, jobs of a lane in the order they were queued, printers in parallel. The commands
// that put jobs in and answer for them are in queue-commands.ts; the running service that wires the
// sender to the label renderer and the transports is service.ts.
//
// States: queued → sending → sent → confirmed, or failed (reason in words; nothing reached the
// printer, so a retry is safe). 'sending' is committed before the first byte leaves, so a crash
// mid-send leaves a job that says so: on start it becomes 'uncertain' and waits for a person
// (resolveUncertain) — it is never sent again automatically. So does a job whose link broke after its
// bytes began to leave (PrintFailure.maybeDelivered) or whose printer reported a problem once it had
// the label: the printer may have it, and only a person can see whether it came out.
// A failed or uncertain job holds its lane (later labels must not overtake it, and a printer that
// swallows labels must not swallow the whole batch) until a person retries, answers or cancels it.
import type { EventBus } from '../api/events.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { FAILURE_LOG_WORDS, PrintFailure, failureFromError, storedFailure, type JobFailureReason } from './failure.ts';
import { LANE_HOLDING_SQL, toJob, type JobRow, type JobState, type PrintJob } from './jobs.ts';
import { getPrinter, listPrinters, type Printer } from './printers.ts';
import type { PrinterTransport } from './transports/transport.ts';
import type { PrinterStatus } from './status.ts';
import { takeQueueLock, type QueueLock } from './queue-lock.ts';
import { testPageBytes } from './test-page.ts';

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
  const detail = [...more.map((p) => FAILURE_LOG_WORDS[p]), ...(note ? [note] : [])].join('; ');
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
    // The sender settles its jobs outside any command, each write in its own short transaction.
    const uncertain = writeTx(this.o.db, (tx) =>
      tx.$client
        .prepare(`UPDATE print_jobs SET state = 'uncertain', last_error = ?, last_error_reason = 'print_job.interrupted', last_error_details = ? WHERE state = 'sending'`)
        .run(`the station stopped while sending (found ${new Date(at).toISOString()}); the printer may or may not have the label: check whether it printed`, JSON.stringify({ at })),
    ).changes;
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
    const changed = writeTx(this.o.db, (tx) => tx.$client.prepare(sql).run({ ...set, to, from, id: job.id })).changes === 1;
    if (changed) {
      this.o.events.emit('db.changed', { tables: ['print_jobs'] });
      this.o.onTransition?.(job, to, detail);
    }
    return changed;
  }

  /** Failed: stored with its reason (`not_sent` when the printer said no before anything left). */
  private fail(job: PrintJob, from: JobState, failure: PrintFailure, reason: JobFailureReason = 'print_job.failed'): void {
    // A spooler's or component's words can carry a printer URI with a password in it (storedFailure redacts).
    const set = storedFailure(reason, failure);
    this.transition(job, from, 'failed', set, set.last_error);
  }

  /** The printer may have the label: a person answers (resolveUncertain) — an automatic resend could print it twice. */
  private unsure(job: PrintJob, from: JobState, reason: 'print_job.maybe_delivered' | 'print_job.problem_after_send', failure: PrintFailure): void {
    const set = storedFailure(reason, failure);
    this.transition(job, from, 'uncertain', set, set.last_error);
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
        this.fail(job, 'queued', problemFailure(before, before.detail), 'print_job.not_sent');
        return true;
      }
    }
    // Committed before the first byte leaves: a crash from here on leaves the job 'sending' → 'uncertain'.
    if (!this.transition(job, 'queued', 'sending', { attempts: job.attempts + 1, last_error: null, last_error_reason: null, last_error_details: null })) return true;
    try {
      await transport.send(bytes, { timeoutMs: printer.settings.timeoutMs ?? this.o.timeoutMs ?? 20_000, title: `${job.docType}-${job.id}`, jobId: job.id });
    } catch (err) {
      const f = failureFromError(err);
      if (f.maybeDelivered) this.unsure(job, 'sending', 'print_job.maybe_delivered', f);
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

        // The label is in the printer (or a component's task failed at the printer): it may come out
        // once the problem is fixed, half of it may be out already, or it may be lost — a person looks.
        this.unsure(job, 'sent', 'print_job.problem_after_send', problemFailure(after, after.detail));
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

