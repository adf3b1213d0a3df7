// `shopfleet printers add|list`, `shopfleet print jobs` and `shopfleet print labels`: configure a
// headless station's printers, read its print queue, and print a batch of waybill labels. Printer commands run as the station owner through the core's audited
// commands; AppErrors (bad URI, duplicate name) become exit code 1 with the message.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CoreContext } from '../../core/api/command.ts';
import { HybridClock } from '../../core/api/hlc.ts';
import { createCore, type Core } from '../../core/app.ts';
import { JOB_STATES, listJobs, type JobState } from '../../core/printing/jobs.ts';
import { addPrinter, findPrinter, listPrinters } from '../../core/printing/printers.ts';
import { PRINTER_LANGS, type PrinterLang } from '../../core/printing/status.ts';
import { AppError } from '../../shared/result.ts';
import { LABEL_TEMPLATES, PRINT_SORTS, type PrintBatchView, type PrintLabelsResult, type PrintSort } from '../../shared/contract.ts';
import { QUEUES } from '../../shared/model.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { ApiFailure, UsageError } from '../usage.ts';

const ownerCtx = (core: Core): CoreContext => ({ db: core.db, actor: core.defaultActor, events: core.events, clock: new HybridClock('cli', Date.now), now: Date.now });

/** Runs a core command and turns its refusal into exit code 1 with the (Chinese) message. */
function orFail<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AppError) throw new ApiFailure(err.code, `${name}: ${err.code} — ${err.message}`);
    throw err;
  }
}

export async function printersAdd(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, name: { type: 'string' }, uri: { type: 'string' }, lang: { type: 'string' }, dpi: { type: 'string' }, documents: { type: 'string' } },
  });
  for (const flag of ['name', 'uri', 'lang'] as const) if (!values[flag]) throw new UsageError(`printers add needs --${flag}`);
  const lang = values.lang as string;
  if (!(PRINTER_LANGS as readonly string[]).includes(lang)) throw new UsageError(`--lang must be one of: ${PRINTER_LANGS.join(', ')}`);
  const dpi = values.dpi === undefined ? 203 : Number(values.dpi);
  if (dpi !== 203 && dpi !== 300) throw new UsageError('--dpi must be 203 or 300');
  const documents = values.documents ? values.documents.split(',').map((d) => d.trim()).filter(Boolean) : [];
  // Adding a printer may create the station database, as adding a shop does.
  const file = path.resolve(values.db ?? defaultDbFile());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return withCore(createCore({ dbFile: file, demo: false, sync: false }), async (core) => {
    const printer = orFail('printers add', () => addPrinter(ownerCtx(core), { name: values.name as string, uri: values.uri as string, lang: lang as PrinterLang, dpi, documents: documents as never }));
    await writeOut(`${printer.id}\n`);
    return 0;
  });
}

export async function printersList(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, json: { type: 'boolean', default: false } } });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const printers = listPrinters(core.db);
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
  const bad = states.find((s) => !(JOB_STATES as readonly string[]).includes(s));
  if (bad) throw new UsageError(`unknown --state "${bad}" (one of: ${JOB_STATES.join(', ')})`);
  const limit = values.limit === undefined ? 10_000 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    let printerId: string | undefined;
    if (values.printer) {
      const p = findPrinter(core.db, values.printer);
      if (!p) throw new UsageError(`no printer "${values.printer}" (see: shopfleet printers list --db FILE)`);
      printerId = p.id;
    }
    const jobs = listJobs(core.db, { printerId, states: states as JobState[], batchId: values.batch, limit });
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

/** Our order ids for --orders: each an order id, or a platform order number unique at this station. */
function resolveOrderRefs(core: Core, refs: string[]): { ids: string[]; unknown: string[] } {
  const byId = core.db.$client.prepare('SELECT id FROM orders WHERE id = ?');
  const byNo = core.db.$client.prepare('SELECT id FROM orders WHERE platform_order_id = ? LIMIT 2');
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const ref of refs) {
    const hit = byId.get(ref) as { id: string } | undefined;
    const byNumber = hit ? [] : (byNo.all(ref) as { id: string }[]);
    if (hit) ids.push(hit.id);
    else if (byNumber.length === 1) ids.push((byNumber[0] as { id: string }).id);
    else unknown.push(ref);
  }
  return { ids, unknown };
}

/**
 * `shopfleet print labels`: the batch print flow headless — pre-checks, packages, waybills as
 * needed, label jobs in the chosen order, then the queue drained in this process. Exit 1 when any
 * order was not printed, each named with its reason on stderr.
 */
export async function printLabelsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      db: { type: 'string' },
      orders: { type: 'string' },
      status: { type: 'string' },
      printer: { type: 'string' },
      template: { type: 'string' },
      sort: { type: 'string' },
      account: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.printer) throw new UsageError('print labels needs --printer ID|NAME');
  if (!values.orders === !values.status) throw new UsageError('print labels needs --orders ID,ID,... or --status QUEUE (e.g. awaiting_print), not both');
  if (values.status && !(QUEUES as readonly string[]).includes(values.status)) throw new UsageError(`--status must be a queue: ${QUEUES.join(', ')}`);
  if (values.template && !(LABEL_TEMPLATES as readonly string[]).includes(values.template)) throw new UsageError(`--template must be one of: ${LABEL_TEMPLATES.join(', ')}`);
  const sortBy = (values.sort ?? 'paidAt') as PrintSort;
  if (!(PRINT_SORTS as readonly string[]).includes(sortBy)) throw new UsageError(`--sort must be one of: ${PRINT_SORTS.join(', ')}`);
  const file = path.resolve(values.db ?? defaultDbFile());
  if (!fs.existsSync(file)) throw new UsageError(`No database at ${file}`);
  // The print queue runs in this process (it takes the station's print-queue lock: refused while the app prints).
  const open = createCore({ dbFile: file, demo: false, sync: false, print: true }).catch((err: unknown) => {
    if (err instanceof AppError) throw new ApiFailure(err.code, `print labels: ${err.code} — ${err.message}`);
    throw err;
  });
  return withCore(open, async (core) => {
    const printer = findPrinter(core.db, values.printer as string);
    if (!printer) throw new UsageError(`no printer "${values.printer}" (see: shopfleet printers list --db FILE)`);
    let ids: string[];
    if (values.orders) {
      const refs = values.orders.split(',').map((s) => s.trim()).filter(Boolean);
      const r = resolveOrderRefs(core, refs);
      if (r.unknown.length > 0) throw new UsageError(`unknown order(s): ${r.unknown.join(', ')}`);
      ids = r.ids;
    } else {
      const r = await core.call('orders.ids', { filter: { queue: values.status }, sort: { field: 'paidAt', dir: 'asc' } });
      if (!r.ok) throw new ApiFailure(r.error.code, `orders.ids: ${r.error.message}`);
      ids = (r.value as { ids: string[] }).ids;
    }
    if (ids.length === 0) {
      process.stderr.write('no orders to print\n');
      return 0;
    }
    const off = core.on('print.progress', (p) => process.stderr.write(`${p.phase === 'allocate' ? '取号' : '排队'} ${p.done}/${p.total}\n`));
    const res = await core.call('print.labels', {
      ids,
      printerId: printer.id,
      sortBy,
      skipProblems: true,
      ...(values.template ? { template: values.template } : {}),
      ...(values.account ? { accountId: values.account } : {}),
    });
    off();
    if (!res.ok) throw new ApiFailure(res.error.code, `print labels: ${res.error.code} — ${res.error.message}`);
    const result = res.value as PrintLabelsResult;
    await core.printQueue.drain(printer.id);
    const batch = result.queued > 0 ? await core.call('print.batch', { batchId: result.batchId }) : null;
    const jobs = batch?.ok ? (batch.value as PrintBatchView).jobs : [];
    const problems = [
      ...result.failed,
      ...jobs
        .filter((j) => j.state !== 'sent' && j.state !== 'confirmed')
        .map((j) => ({ id: j.orderId ?? j.id, code: `job_${j.state}`, reason: j.lastError ?? (j.state === 'queued' ? '排在失败的任务后面，未发送' : j.state) })),
    ];
    const printed = jobs.filter((j) => j.state === 'sent' || j.state === 'confirmed').length;
    const numberOf = core.db.$client.prepare('SELECT platform_order_id AS no FROM orders WHERE id = ?');
    if (values.json) await writeOut(`${JSON.stringify({ ...result, printed, problems }, null, 2)}\n`);
    else for (const j of jobs) await writeOut(`${[j.orderId, j.platformOrderId, `${j.seq}/${j.total}`, j.waybillNo, j.state].join('\t')}\n`);
    for (const p of problems) process.stderr.write(`${p.id}\t${(numberOf.get(p.id) as { no: string } | undefined)?.no ?? '-'}\t${p.code}\t${p.reason}\n`);
    process.stderr.write(`batch ${result.batchId}: ${printed} printed, ${result.alreadyQueued} queued before, ${problems.length} not printed\n`);
    return problems.length > 0 ? 1 : 0;
  });
}
