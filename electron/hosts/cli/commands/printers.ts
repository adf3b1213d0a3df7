// `shopfleet printers add|list`, `shopfleet print jobs` and `shopfleet print labels`: configure a
// headless station's printers, read its print queue, and print a batch of waybill labels. Changes go
// through the API (validated, role-checked and audited as in the workbench) as the station owner or
// --user; refusals (bad URI, duplicate name) become exit code 1 with the message.
import { parseArgs } from 'node:util';
import type { Core } from '../../../core/app.ts';
import { AppError } from '../../../shared/result.ts';
import {
  LABEL_TEMPLATES,
  PRINT_JOB_STATES,
  PRINT_SORTS,
  PRINTER_LANGUAGES,
  type PrintBatchView,
  type PrintJobView,
  type PrintLabelsResult,
  type PrinterView,
  type PrintSort,
} from '../../../shared/contract.ts';
import { callOrThrow, orderNumbersOf, sessionFor, USER_OPTION } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { hasSelection, STATION_SELECTION_OPTIONS, selectedIds } from '../filter-args.ts';
import { openExistingStation, openOrCreateStation, openPrintingStation, withCore } from '../open-station.ts';
import { drainPrinters, laneHeldLines, laneHolders, unfinishedJobsOf } from './print-jobs.ts';
import { writeOut } from '../output.ts';
import { ApiFailure, UsageError } from '../usage.ts';

/** The most jobs `print jobs` shows: the API's bound on one printJobs.list. */
const PRINT_JOBS_MAX = 5000;

/** A printer by id or exact name (an id wins), as the API lists them. */
async function findPrinter(core: Core, idOrName: string): Promise<PrinterView> {
  const printers = await callOrThrow<PrinterView[]>(core, 'printers.list', {});
  const hit = printers.find((p) => p.id === idOrName) ?? printers.find((p) => p.name === idOrName);
  if (!hit) throw new UsageError(`no printer "${idOrName}" (see: shopfleet printers list --db FILE)`);
  return hit;
}

export async function printersAdd(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, name: { type: 'string' }, uri: { type: 'string' }, lang: { type: 'string' }, dpi: { type: 'string' }, documents: { type: 'string' }, ...USER_OPTION },
  });
  for (const flag of ['name', 'uri', 'lang'] as const) if (!values[flag]) throw new UsageError(`printers add needs --${flag}`);
  const lang = values.lang as string;
  if (!(PRINTER_LANGUAGES as readonly string[]).includes(lang)) throw new UsageError(`--lang must be one of: ${PRINTER_LANGUAGES.join(', ')}`);
  const dpi = values.dpi === undefined ? 203 : Number(values.dpi);
  if (dpi !== 203 && dpi !== 300) throw new UsageError('--dpi must be 203 or 300');
  const documents = values.documents ? values.documents.split(',').map((d) => d.trim()).filter(Boolean) : [];
  // Adding a printer may create the station database, as adding a shop does.
  return withCore(openOrCreateStation(values.db ?? defaultDbFile()), async (core) => {
    const printer = await (await sessionFor(core, values.user)).call<PrinterView>('printers.add', { name: values.name, uri: values.uri, lang, dpi, documents });
    await writeOut(`${printer.id}\n`);
    return 0;
  });
}

export async function printersList(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, json: { type: 'boolean', default: false } } });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const printers = await callOrThrow<PrinterView[]>(core, 'printers.list', {});
    if (values.json) await writeOut(`${JSON.stringify(printers, null, 2)}\n`);
    else {
      for (const p of printers) await writeOut(`${[p.id, p.name, p.uri, p.lang, `${p.dpi}dpi`, p.documents.join(',') || '-', p.paused ? 'paused' : 'active'].join('\t')}\n`);
      process.stderr.write(`${printers.length} printers\n`);
    }
    return 0;
  });
}

export async function printJobs(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, json: { type: 'boolean', default: false }, printer: { type: 'string' }, state: { type: 'string' }, batch: { type: 'string' }, limit: { type: 'string' } },
  });
  const states = values.state ? values.state.split(',').map((s) => s.trim()) : [];
  const bad = states.find((s) => !(PRINT_JOB_STATES as readonly string[]).includes(s));
  if (bad) throw new UsageError(`unknown --state "${bad}" (one of: ${PRINT_JOB_STATES.join(', ')})`);
  const limit = values.limit === undefined ? PRINT_JOBS_MAX : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > PRINT_JOBS_MAX) throw new UsageError(`--limit must be a whole number from 1 to ${PRINT_JOBS_MAX}`);
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    let printerId: string | undefined;
    if (values.printer) {
      printerId = (await findPrinter(core, values.printer)).id;
    }
    // The API answers newest first; the queue reads in print order.
    const input = { ...(printerId ? { printerId } : {}), ...(states.length ? { states } : {}), ...(values.batch ? { batchId: values.batch } : {}), limit };
    const jobs = (await callOrThrow<PrintJobView[]>(core, 'printJobs.list', input)).reverse();
    if (values.json) await writeOut(`${JSON.stringify(jobs, null, 2)}\n`);
    else {
      for (const j of jobs) {
        const marker = j.seq !== null ? `${j.seq}/${j.total ?? '?'}` : '-';
        await writeOut(`${[j.id, j.state, j.docType, marker, j.orderId ?? '-', j.reprintOf ? `重打(${j.reprintReason})` : '', j.lastError ?? ''].join('\t')}\n`);
      }
      process.stderr.write(`${jobs.length} jobs\n`);
    }
    return 0;
  });
}

/**
 * `shopfleet print labels`: the batch print flow headless — pre-checks, packages, waybills as
 * needed, label jobs in the chosen order, then the queue drained in this process. Exit 1 while any
 * label of the command is unprinted: each order named with its reason on stderr, and a printer
 * whose lane is held by an uncertain or failed label named with the command that answers it.
 */
export async function printLabelsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...STATION_SELECTION_OPTIONS,
      ...USER_OPTION,
      printer: { type: 'string' },
      template: { type: 'string' },
      sort: { type: 'string' },
      account: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.printer) throw new UsageError('print labels needs --printer ID|NAME');
  if (!hasSelection(values)) throw new UsageError('print labels needs the orders: --orders ID,ID,... or filter flags (e.g. --queue awaiting_print)');
  if (values.template && !(LABEL_TEMPLATES as readonly string[]).includes(values.template)) throw new UsageError(`--template must be one of: ${LABEL_TEMPLATES.join(', ')}`);
  const sortBy = (values.sort ?? 'paidAt') as PrintSort;
  if (!(PRINT_SORTS as readonly string[]).includes(sortBy)) throw new UsageError(`--sort must be one of: ${PRINT_SORTS.join(', ')}`);
  const dbFile = values.db ?? defaultDbFile();
  // Which printer and orders, decided before taking the station's print queue: a mistyped order
  // number is a usage error even while another program prints.
  const target = await withCore(openExistingStation(dbFile), async (core) => {
    const printer = await findPrinter(core, values.printer as string);
    return { printer, ids: await selectedIds(core, values, { command: 'print labels', required: true }) };
  });
  const { printer, ids } = target;
  if (ids.length === 0) {
    process.stderr.write('no orders to print\n');
    return 0;
  }
  // The print queue runs in this process (it takes the station's print-queue lock: refused while the app prints,
  // since this command reports what it printed).
  const open = openPrintingStation(dbFile, { strict: true })
    .then((o) => o.core)
    .catch((err: unknown) => {
      if (err instanceof AppError) throw new ApiFailure(err.code, `print labels: ${err.code} — ${err.message}`);
      throw err;
    });
  return withCore(open, async (core) => {
    const session = await sessionFor(core, values.user);
    const off = core.on('print.progress', (p) => process.stderr.write(`${p.phase === 'allocate' ? '取号' : '排队'} ${p.done}/${p.total}\n`));
    let result: PrintLabelsResult;
    try {
      result = await session.call<PrintLabelsResult>('print.labels', {
        ids,
        printerId: printer.id,
        sortBy,
        skipProblems: true,
        ...(values.template ? { template: values.template } : {}),
        ...(values.account ? { accountId: values.account } : {}),
      });
    } finally {
      off();
    }
    // This command's labels not yet printed: the ones just queued and any an earlier run left behind
    // (after a crash mid-batch they wait on their printer, perhaps behind an uncertain one).
    const ours = new Set(ids);
    const before = await unfinishedJobsOf(session, ours);
    await drainPrinters(core, [printer.id, ...before.map((j) => j.printerId)]);
    const after = await unfinishedJobsOf(session, ours);
    const stillUnprinted = new Set(after.map((j) => j.id));
    const printedNow = before.filter((j) => !stillUnprinted.has(j.id));
    // Every job this command touched, in its final state, for the listing.
    const batchIds = new Set([...before, ...after].map((j) => j.batchId).filter((b): b is string => b !== null));
    const views = new Map<string, PrintJobView>();
    for (const b of batchIds) {
      const r = await core.call('print.batch', { batchId: b }, session.actor);
      if (r.ok) for (const j of (r.value as PrintBatchView).jobs) views.set(j.id, j);
    }
    const listed = [...before, ...after.filter((j) => !before.some((b) => b.id === j.id))].map((j) => views.get(j.id) ?? j);
    const waiting = (j: PrintJobView) => (j.state === 'queued' ? '排在打印机前面的任务后面，未发送' : j.state);
    const problems = [
      ...result.failed,
      ...after.map((j) => ({ id: j.orderId ?? j.id, code: `job_${j.state}`, reason: j.lastError ?? waiting(j) })),
    ];
    const numberOf = await orderNumbersOf(session, problems.map((p) => p.id));
    // Printers on which labels of this command wait: what holds each lane, and how to free it.
    const held: string[] = [];
    const heldBy: PrintJobView[] = [];
    for (const printerId of new Set(after.map((j) => j.printerId))) {
      const [holder] = await laneHolders(session, printerId);
      if (!holder) continue;
      heldBy.push(holder);
      held.push(...laneHeldLines(holder, after.filter((j) => j.printerId === printerId && j.id !== holder.id).length, dbFile));
    }
    if (values.json) await writeOut(`${JSON.stringify({ ...result, printed: printedNow.length, problems, heldBy }, null, 2)}\n`);
    else for (const j of listed) await writeOut(`${[j.orderId, j.platformOrderId, `${j.seq}/${j.total}`, j.waybillNo, j.state].join('\t')}\n`);
    for (const p of problems) process.stderr.write(`${p.id}\t${numberOf.get(p.id) ?? '-'}\t${p.code}\t${p.reason}\n`);
    for (const line of held) process.stderr.write(`${line}\n`);
    process.stderr.write(`batch ${result.batchId}: ${printedNow.length} printed, ${result.alreadyQueued} queued before, ${problems.length} not printed\n`);
    return problems.length > 0 ? 1 : 0;
  });
}
