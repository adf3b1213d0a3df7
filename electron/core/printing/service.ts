// The print queue as a running service: a PrintQueue wired to the label renderer and the printers'
// transports, marking packages printed as their labels are delivered. The background worker hosts one
// (background/worker.ts, 'print' service) for a station file; app.ts runs one inline for ':memory:' and tests.
import { AppError } from '../../shared/result.ts';
import type { Actor } from '../../shared/contract.ts';
import type { CoreContext } from '../api/command.ts';
import type { EventBus } from '../api/events.ts';
import type { HybridClock } from '../api/hlc.ts';
import { createStationClock } from '../station/clock.ts';
import type { Db } from '../db/open.ts';
import { labelDataForOrder } from '../labels/order-label.ts';
import { labelsToPdf } from '../labels/pdf.ts';
import { labelBytes } from '../labels/print-bytes.ts';
import { sampleLabelData } from '../labels/sample-data.ts';
import { getLabelSettings } from '../labels/settings.ts';
import { labelSettingsFor } from '../../shared/label-settings.ts';
import { isTemplateId, type TemplateId } from '../labels/templates.ts';
import { shipOnPrint } from '../packing/ship-on-print.ts';
import { renderPickListJob } from '../picking/render.ts';
import { signedInActor } from '../hub/identity-local.ts';
import { markDeliveredPrinted } from './mark-printed.ts';
import { componentJobBytes } from './components/documents.ts';
import type { PrintJob } from './jobs.ts';
import type { Printer } from './printers.ts';
import { PrintQueue, type PrintQueueOptions } from './queue-sender.ts';
import { transportForUri } from './transports/for-printer.ts';
import type { PrinterTransport } from './transports/transport.ts';
import { SYSTEM_ACTOR_NAMES } from '../../shared/hub/system-actors.ts';

/** Who marks packages printed: the queue itself, on behalf of whoever queued the job (named in the job). */
const QUEUE_ACTOR: Actor = { userId: 'print-queue', name: SYSTEM_ACTOR_NAMES.printQueue, role: 'owner' };

/**
 * On a station joined to a team hub the queue's marks go out as the person signed in there: the hub
 * knows the team's people, not this station's queue, and would refuse them (docs/team-hub.md#mutators).
 */
const queueActor = (db: Db): Actor => signedInActor(db) ?? QUEUE_ACTOR;

/**
 * The template: the batch's explicit choice, else the carrier's own 面单模板 setting, else the stock the
 * printer is set up with, else the team's default template (labels/settings.ts).
 */
function templateOf(job: PrintJob, printer: Printer, carrierOwn: TemplateId | undefined, teamDefault: TemplateId): TemplateId {
  for (const asked of [job.payload.template, carrierOwn, printer.settings.template]) {
    if (typeof asked === 'string' && isTemplateId(asked)) return asked;
  }
  return teamDefault;
}

/**
 * A job's bytes. Waybill labels are drawn from the order and package as stored, at the printer's
 * DPI and calibration offset, in its language (PDF printers get a one-page PDF through their
 * spooler). The number printed must be the one the job was queued for: a package whose number
 * changed since is refused, never printed under the old job's idemKey. Other documents carry
 * their bytes (base64) in the payload, rendered when queued, so a retry sends the same bytes.
 */
export async function renderJob(db: Db, job: PrintJob, printer: Printer): Promise<Buffer> {
  // A platform print component draws the label itself from the platform's (encrypted) print data.
  if (printer.uri.startsWith('component:')) return componentJobBytes(db, job);
  if (job.docType === 'waybill') {
    if (!job.orderId) throw new AppError('INVALID_STATE', '面单任务缺少订单');
    const packageSeq = typeof job.payload.packageSeq === 'number' ? job.payload.packageSeq : undefined;
    const data = labelDataForOrder(db, job.orderId, {
      ...(packageSeq !== undefined ? { packageSeq } : {}),
      ...(job.seq !== null ? { seq: job.seq } : {}),
      ...(job.total !== null ? { total: job.total } : {}),
      reprint: job.payload.reprint !== undefined,
    });
    if (data.sample) throw new AppError('INVALID_STATE', '包裹还没有面单号，不能打印正式面单');
    if (typeof job.payload.waybillNo === 'string' && job.payload.waybillNo !== data.waybillNo) {
      throw new AppError('CONFLICT', `包裹的面单号已从 ${job.payload.waybillNo} 变为 ${data.waybillNo}；请重新打印这个订单`);
    }
    // The carrier's label settings: fields shown, block offsets, custom text (and maybe its template).
    const all = getLabelSettings(db);
    const settings = labelSettingsFor(all, data.carrierCode);
    const carrierOwn = data.carrierCode && data.carrierCode in all.carriers ? settings.template : undefined;
    const template = templateOf(job, printer, carrierOwn, all.default.template);
    if (printer.lang === 'pdf') return Buffer.from(await labelsToPdf([data], { template, dpi: printer.dpi, settings }));
    return labelBytes(data, {
      lang: printer.lang,
      dpi: printer.dpi,
      template,
      settings,
      offset: { x: printer.settings.offsetXDots ?? 0, y: printer.settings.offsetYDots ?? 0 },
      ...(printer.settings.gapMm !== undefined ? { gapMm: printer.settings.gapMm } : {}),
    });
  }
  // Laid out again for this printer's language and paper, so a reprint on another printer fits it.
  if (job.docType === 'pick_list' || job.docType === 'packing_slip') return renderPickListJob(db, job, printer);
  if (typeof job.payload.base64 === 'string') return Buffer.from(job.payload.base64, 'base64');
  throw new AppError('INVALID_STATE', `没有 ${job.docType} 单据的内容（任务应带 base64 字节）`);
}

export interface PrintServiceOptions {
  db: Db;
  events: EventBus;
  now: () => number;
  /** The station's clock (station/clock.ts); a station clock on this connection when not given. */
  clock?: HybridClock | undefined;
  transportFor?: (printer: Printer) => PrinterTransport;
  /** Overrides of the queue's timing knobs (tests). */
  queue?: Partial<Pick<PrintQueueOptions, 'timeoutMs' | 'statusTimeoutMs' | 'confirmWithinMs' | 'pollMs' | 'onTransition'>>;
}

export interface PrintService {
  /** Recovers 'sending' jobs as 'uncertain', marks delivered labels printed, starts the lanes. */
  start(): { uncertain: number };
  stop(): Promise<void>;
  /** Resolves when no lane has anything it can send. */
  drain(printerId?: string): Promise<void>;
  /** Starts the lanes on new work without waiting for them. */
  wake(): void;
}

export function createPrintService(o: PrintServiceOptions): PrintService {
  const queueCtx: CoreContext = { db: o.db, actor: QUEUE_ACTOR, events: o.events, clock: o.clock ?? createStationClock(o.db, o.now), now: o.now };
  const mark = (packageIds?: string[]) => {
    const ctx: CoreContext = { ...queueCtx, actor: queueActor(o.db) };
    try {
      markDeliveredPrinted(ctx, packageIds);
      // A station that tells the platform "shipped" when the label is out does it here (a no-op otherwise).
      if (packageIds) shipOnPrint(ctx, packageIds);
    } catch (err) {
      // The label is out; marking is retried at the next start, so log and carry on sending.
      console.error('[print] marking printed failed', err);
    }
  };
  const printerUri = o.db.$client.prepare<[string], { uri: string }>('SELECT uri FROM printers WHERE id = ?');
  const viaComponent = (printerId: string) => printerUri.get(printerId)?.uri.startsWith('component:') ?? false;
  const queue = new PrintQueue({
    db: o.db,
    events: o.events,
    now: o.now,
    render: (job, printer) => renderJob(o.db, job, printer),
    transportFor: o.transportFor ?? ((p) => transportForUri(p.uri, p.lang)),
    ...o.queue,
    onTransition: (job, to, detail) => {
      // Delivered is printed as far as the station can know on a one-way link. A print component
      // only accepted the task at 'sent' and reports the real outcome: wait for its 'confirmed'.
      if (job.docType === 'waybill' && job.packageId && to === (viaComponent(job.printerId) ? 'confirmed' : 'sent')) mark([job.packageId]);
      o.queue?.onTransition?.(job, to, detail);
    },
  });
  let started = false;
  return {
    start: () => {
      const r = queue.start();
      started = true;
      mark();
      // Warm the label engine while the station is idle (libraries, font faces, the glyph cache), so
      // the first label a packer prints comes out as fast as the hundredth. Best effort.
      const warm = setTimeout(() => {
        try {
          labelBytes(sampleLabelData(), { lang: 'tspl', dpi: 203 });
        } catch (err) {
          console.error('[print] label engine warm-up failed (the first label will be slower)', err);
        }
      }, 0);
      warm.unref();
      return r;
    },
    stop: async () => {
      started = false;
      await queue.stop();
    },
    drain: (printerId) => (started ? queue.drain(printerId) : Promise.resolve()),
    wake: () => {
      if (started) void queue.drain().catch((err: unknown) => console.error('[print] drain failed', err));
    },
  };
}
