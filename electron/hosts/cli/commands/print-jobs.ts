// `shopfleet print answer|retry|cancel|reprint`: the print queue's actions on one job, through the
// API, then the job's printer drained in this process (when no other program sends this station's
// jobs) so the labels waiting behind it go out. Also the words every print command uses when a
// printer's lane is held: which label holds it, and the exact command that answers it.
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Core } from '../../../core/app.ts';
import { LANE_HOLDING_STATES, type PrintJobView, type PrinterView } from '../../../shared/contract.ts';
import { sessionFor, USER_OPTION, type Session } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openPrintingStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { UsageError } from '../usage.ts';

/** States in which a job has not printed and still may. */
export const UNFINISHED_STATES = ['queued', 'sending', 'failed', 'uncertain'] as const;
/** printJobs.list answers at most this many jobs per call (the contract's bound). */
const LIST_MAX = 5000;

/** A path as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** The --db part of a command to copy: the file the person used, made absolute. */
export const dbFlag = (dbFile: string): string => `--db ${shellWord(path.resolve(dbFile))}`;

/** Jobs of these orders that have not printed yet, on every printer, oldest first. */
export async function unfinishedJobsOf(session: Session, orderIds: ReadonlySet<string>): Promise<PrintJobView[]> {
  const printers = await session.call<PrinterView[]>('printers.list', {});
  const out: PrintJobView[] = [];
  for (const p of printers) {
    const jobs = await session.call<PrintJobView[]>('printJobs.list', { printerId: p.id, states: [...UNFINISHED_STATES], limit: LIST_MAX });
    if (jobs.length === LIST_MAX) process.stderr.write(`note: printer ${p.name} has more than ${LIST_MAX} unprinted jobs; only the newest ${LIST_MAX} were checked\n`);
    out.push(...jobs.filter((j) => j.orderId !== null && orderIds.has(j.orderId) && j.docType === 'waybill'));
  }
  // Print order: a lane sends oldest first, and a batch's labels share one time but carry their seq.
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.seq ?? 0) - (b.seq ?? 0));
}

/** The failed or uncertain jobs holding a printer's lane, oldest (the one in front) first. */
export async function laneHolders(session: Session, printerId: string): Promise<PrintJobView[]> {
  const jobs = await session.call<PrintJobView[]>('printJobs.list', { printerId, states: [...LANE_HOLDING_STATES], limit: 50 });
  return jobs.reverse();
}

const describeJob = (j: PrintJobView): string =>
  [`job ${j.id}`, j.platformOrderId ? `order ${j.platformOrderId}` : j.docType, j.seq !== null ? `${j.seq}/${j.total ?? '?'}` : null, j.waybillNo ? `waybill ${j.waybillNo}` : null]
    .filter(Boolean)
    .join(', ');

/**
 * What holds a printer's lane and the exact command that frees it, as lines for stderr.
 * `waiting`: labels of the command that wait behind it.
 */
export function laneHeldLines(holder: PrintJobView, waiting: number, dbFile: string): string[] {
  const db = dbFlag(dbFile);
  const behind = waiting > 0 ? ` ${waiting} label(s) wait behind it.` : '';
  if (holder.state === 'uncertain') {
    return [
      `printer ${holder.printerName}: its lane is held by an uncertain label (${describeJob(holder)}): it was being sent when the sending stopped, and whether it came out is not known.${behind}`,
      '  Look at the printer, then answer:',
      `    it came out:       shopfleet print answer ${db} --job ${holder.id} --printed`,
      `    it did not:        shopfleet print answer ${db} --job ${holder.id} --reprint`,
      '  The labels behind it are sent as soon as it is answered.',
    ];
  }
  return [
    `printer ${holder.printerName}: its lane is held by a failed label (${describeJob(holder)}): ${holder.lastError ?? 'failed'}.${behind}`,
    `  Fix the printer, then send it again:  shopfleet print retry ${db} --job ${holder.id}`,
    `  or give it up:                        shopfleet print cancel ${db} --job ${holder.id}`,
  ];
}

/** Drains the given printers in this process, when it sends this station's jobs. */
export async function drainPrinters(core: Core, printerIds: Iterable<string>): Promise<void> {
  for (const id of new Set(printerIds)) await core.printQueue.drain(id);
}

async function jobAction(
  argv: string[],
  command: string,
  extra: NonNullable<ParseArgsConfig['options']>,
  check: (values: Record<string, unknown>) => void,
  act: (session: Session, jobId: string, values: Record<string, unknown>) => Promise<PrintJobView>,
): Promise<number> {
  const values = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, job: { type: 'string' }, ...USER_OPTION, ...extra } }).values as Record<string, unknown>;
  if (typeof values.job !== 'string' || values.job.trim() === '') throw new UsageError(`${command} needs --job ID (see: shopfleet print jobs --db FILE)`);
  check(values);
  const dbFile = (values.db as string | undefined) ?? defaultDbFile();
  const { core: open, sends } = await openPrintingStation(dbFile);
  return withCore(Promise.resolve(open), async (core) => {
    const session = await sessionFor(core, values.user as string | undefined);
    const job = await act(session, values.job as string, values);
    const before = await session.call<PrintJobView[]>('printJobs.list', { printerId: job.printerId, states: ['queued'], limit: LIST_MAX });
    if (sends) await drainPrinters(core, [job.printerId]);
    else process.stderr.write('another program sends this station\'s print jobs (the desktop app or the web host): it sends them now\n');
    const after = await session.call<PrintJobView[]>('printJobs.list', { printerId: job.printerId, states: ['queued'], limit: LIST_MAX });
    const final = (await session.call<PrintJobView[]>('printJobs.list', { printerId: job.printerId, limit: LIST_MAX })).find((j) => j.id === job.id) ?? job;
    await writeOut(`${[final.id, final.state, final.platformOrderId ?? final.docType, final.waybillNo ?? '-', final.lastError ?? ''].join('\t')}\n`);
    if (sends) {
      const stillQueued = new Set(after.map((j) => j.id));
      const sent = before.filter((j) => j.id !== final.id && !stillQueued.has(j.id)).length;
      if (sent > 0) process.stderr.write(`${sent} label(s) waiting behind it on ${final.printerName} were sent\n`);
      if (after.length > 0) {
        const [holder] = await laneHolders(session, job.printerId);
        if (holder) for (const line of laneHeldLines(holder, after.length, dbFile)) process.stderr.write(`${line}\n`);
        return 1;
      }
    }
    return final.state === 'failed' || final.state === 'uncertain' ? 1 : 0;
  });
}

export const printAnswer = (argv: string[]): Promise<number> =>
  jobAction(
    argv,
    'print answer',
    { printed: { type: 'boolean', default: false }, reprint: { type: 'boolean', default: false } },
    (v) => {
      if (v.printed === v.reprint) throw new UsageError('print answer needs --printed (it came out) or --reprint (it did not), one of them');
    },
    (s, id, v) => s.call<PrintJobView>('printJobs.resolveUncertain', { id, resolution: v.printed ? 'printed' : 'reprint' }),
  );

export const printRetry = (argv: string[]): Promise<number> => jobAction(argv, 'print retry', {}, () => undefined, (s, id) => s.call<PrintJobView>('printJobs.retry', { id }));

export const printCancel = (argv: string[]): Promise<number> =>
  jobAction(
    argv,
    'print cancel',
    { reason: { type: 'string' } },
    () => undefined,
    (s, id, v) => s.call<PrintJobView>('printJobs.cancel', { id, ...(v.reason ? { reason: v.reason } : {}) }),
  );

export const printReprint = (argv: string[]): Promise<number> =>
  jobAction(
    argv,
    'print reprint',
    { reason: { type: 'string' }, printer: { type: 'string' } },
    (v) => {
      if (typeof v.reason !== 'string' || v.reason.trim() === '') throw new UsageError('print reprint needs --reason TEXT (why it is printed again)');
    },
    async (s, id, v) => {
      let printerId: string | undefined;
      if (typeof v.printer === 'string') {
        const printers = await s.call<PrinterView[]>('printers.list', {});
        const p = printers.find((x) => x.id === v.printer) ?? printers.find((x) => x.name === v.printer);
        if (!p) throw new UsageError(`no printer "${v.printer}" (see: shopfleet printers list --db FILE)`);
        printerId = p.id;
      }
      return s.call<PrintJobView>('printJobs.reprint', { id, reason: v.reason, ...(printerId ? { printerId } : {}) });
    },
  );
