// `shopfleet printers add|list` and `shopfleet print jobs`: configure a headless station's printers
// and read its print queue. Printer commands run as the station owner through the core's audited
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
