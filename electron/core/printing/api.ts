// The printing part of the API (electron/shared/api/printing.ts: printers.*, printJobs.*, print.*),
// mapped onto the core modules that do the work. handlers.ts spreads these into its table.
import type { Actor, PrinterStatusView, PrinterView, PrintingMethod } from '../../shared/contract.ts';
import type { CoreContext } from '../api/command.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { reasonError } from '../../shared/reasons.ts';
import { printLabels } from './batch.ts';
import { batchView, jobView, listJobViews } from './job-views.ts';
import { precheckOrders } from './precheck.ts';
import { discoverPrinters } from './discover.ts';
import { printerOutput } from './folder-output.ts';
import { laneHolds } from './jobs.ts';
import { addPrinter, getPrinter, listPrinters, removePrinter, setPrinterPaused, updatePrinter, type Printer } from './printers.ts';
import { printerStatusOf } from './printer-status.ts';
import { cancelJob, queueTestPrint, reprint, resolveUncertain, retryJob } from './queue-commands.ts';

export interface PrintingHandlerDeps {
  ctx: (actor: Actor) => CoreContext;
  secretCipher?: SecretCipher | undefined;
  /** Adapters for platform waybill accounts (tests); default the platform registry. */
  adapterFor?: ((shop: ShopRecord) => PlatformAdapter) | undefined;
}

const NOT_HELD = { failed: 0, uncertain: 0 };
const view = (p: Printer, holds: Map<string, PrinterView['held']>): PrinterView => ({ ...p, settings: p.settings as Record<string, unknown>, held: holds.get(p.id) ?? NOT_HELD });
/** One printer as the UI sees it, with what holds its lane. */
const viewOne = (ctx: CoreContext, p: Printer): PrinterView => view(p, laneHolds(ctx.db));

function mustPrinter(ctx: CoreContext, id: string): Printer {
  const p = getPrinter(ctx.db, id);
  if (!p) throw reasonError('printer.not_found', { printerId: id }, `No printer ${id}`);
  return p;
}

export function printingHandlers(d: PrintingHandlerDeps): Pick<Handlers, PrintingMethod> {
  const extra = { ...(d.secretCipher ? { secretCipher: d.secretCipher } : {}), ...(d.adapterFor ? { adapterFor: d.adapterFor } : {}) };
  return {
    'printers.list': (_i, actor) => {
      const { db } = d.ctx(actor);
      const holds = laneHolds(db);
      return listPrinters(db).map((p) => view(p, holds));
    },
    'printers.add': (input, actor) => {
      const ctx = d.ctx(actor);
      return viewOne(ctx, addPrinter(ctx, input as never));
    },
    'printers.update': (input, actor) => {
      const ctx = d.ctx(actor);
      return viewOne(ctx, updatePrinter(ctx, input.id, input.patch as never));
    },
    'printers.remove': (input, actor) => {
      removePrinter(d.ctx(actor), input.id);
      return { removed: true as const };
    },
    'printers.setPaused': (input, actor) => {
      const ctx = d.ctx(actor);
      return viewOne(ctx, setPrinterPaused(ctx, input.id, input.paused, input.reason));
    },
    'printers.testPrint': (input, actor) => {
      const ctx = d.ctx(actor);
      return jobView(ctx.db, queueTestPrint(ctx, input.id).id);
    },
    'printers.status': async (input, actor): Promise<PrinterStatusView> => {
      const r = await printerStatusOf(mustPrinter(d.ctx(actor), input.id));
      if (r.kind === 'status') return { kind: 'status', ready: r.status.ready, printing: r.status.printing, problems: r.status.problems, words: r.words };
      if (r.kind === 'one_way') return { kind: 'one_way', ready: null, printing: false, problems: [], words: r.words };
      return { kind: 'unreachable', ready: null, printing: false, problems: [r.reason], words: r.words };
    },
    'printers.discover': (_i, actor) => discoverPrinters(d.ctx(actor).db),
    'printers.output': (input, actor) => printerOutput(d.ctx(actor).db, input.id, input.limit),
    'printJobs.list': (input, actor) => listJobViews(d.ctx(actor).db, input),
    'printJobs.retry': (input, actor) => {
      const ctx = d.ctx(actor);
      return jobView(ctx.db, retryJob(ctx, input.id).id);
    },
    'printJobs.cancel': (input, actor) => {
      const ctx = d.ctx(actor);
      return jobView(ctx.db, cancelJob(ctx, input.id, input.reason).id);
    },
    'printJobs.reprint': (input, actor) => {
      const ctx = d.ctx(actor);
      const opts = { ...(input.printerId ? { printerId: input.printerId } : {}), ...(input.idemKey ? { idemKey: input.idemKey } : {}) };
      return jobView(ctx.db, reprint(ctx, input.id, input.reason, opts).id);
    },
    'printJobs.resolveUncertain': (input, actor) => {
      const ctx = d.ctx(actor);
      return jobView(ctx.db, resolveUncertain(ctx, input.id, input.resolution).id);
    },
    'print.precheck': (input, actor) => precheckOrders(d.ctx(actor).db, input.ids),
    'print.labels': (input, actor) =>
      printLabels({ ...d.ctx(actor), ...extra }, { ids: input.ids, printerId: input.printerId, sortBy: input.sortBy, template: input.template, accountId: input.accountId, skipProblems: input.skipProblems }),
    'print.batch': (input, actor) => batchView(d.ctx(actor).db, input.batchId),
  };
}
