// The API face of pick lists and packing slips: render one as a file (pickList.render,
// packingSlips.render), queue one on a printer (print.pickList, print.packingSlips), and turn a queued
// job back into the printer's bytes (renderPickListJob, called by the print queue's render).
import { v7 as uuidv7 } from 'uuid';
import type { PrintDocQueued, RenderedDocument } from '../../shared/contract.ts';
import type { Role } from '../../shared/model.ts';
import { CREW } from '../../shared/roles.ts';
import { reasonError } from '../../shared/reasons.ts';
import type { CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import type { LabelFontOptions } from '../labels/font.ts';
import { PrintFailure } from '../printing/failure.ts';
import type { PrintJob } from '../printing/jobs.ts';
import { getPrinter, listPrinters, requireRole, type Printer } from '../printing/printers.ts';
import { enqueue } from '../printing/queue-commands.ts';
import { packingSlipsEscpos, pickListEscpos } from './escpos.ts';
import { buildPackingSlips } from './packing-slip.ts';
import { packingSlipsPdf, pickListPdf } from './pdf.ts';
import { buildPickList, resolveOrderIds } from './picklist.ts';
import type { ReceiptWidth } from './receipt-text.ts';

export type PickDocType = 'pick_list' | 'packing_slip';
export type PickDocFormat = 'pdf' | 'escpos';

/** Who may queue them: the roles that print (the queue's own check; finance sees, does not print). */
const PRINTS: readonly Role[] = CREW;

export interface RenderDocInput {
  ids: string[];
  format: PickDocFormat;
  width?: ReceiptWidth | undefined;
}

const NAMES: Record<PickDocType, { en: string; file: string }> = {
  pick_list: { en: 'pick list', file: 'picklist' },
  packing_slip: { en: 'packing slip', file: 'packing-slips' },
};

/** The document's bytes. `at` is the time printed on a pick list (a job passes its creation time, so a retry prints the same bytes). */
export async function renderDocBytes(db: Db, docType: PickDocType, input: RenderDocInput, at: number, fonts?: LabelFontOptions): Promise<Uint8Array> {
  const width = input.width ?? 80;
  if (docType === 'pick_list') {
    const list = buildPickList(db, input.ids, at);
    return input.format === 'pdf' ? pickListPdf(list, { fonts }) : pickListEscpos(list, { width });
  }
  const slips = buildPackingSlips(db, input.ids);
  return input.format === 'pdf' ? packingSlipsPdf(slips, { fonts }) : packingSlipsEscpos(slips, { width });
}

/** "picklist-20261123-1805.pdf": ASCII, so it survives HTTP headers and any file system. */
function fileName(docType: PickDocType, format: PickDocFormat, at: number): string {
  // Asia/Shanghai is UTC+8 all year (no daylight saving since 1991).
  const t = new Date(at + 8 * 3600_000).toISOString();
  const stamp = `${t.slice(0, 10).replaceAll('-', '')}-${t.slice(11, 13)}${t.slice(14, 16)}`;
  return `${NAMES[docType].file}-${stamp}.${format === 'pdf' ? 'pdf' : 'bin'}`;
}

/** pickList.render / packingSlips.render: the document as a file, base64. */
export async function renderDoc(db: Db, docType: PickDocType, input: RenderDocInput, now: number): Promise<RenderedDocument> {
  const bytes = await renderDocBytes(db, docType, input, now);
  return {
    fileName: fileName(docType, input.format, now),
    mime: input.format === 'pdf' ? 'application/pdf' : 'application/octet-stream',
    base64: Buffer.from(bytes).toString('base64'),
  };
}

/** Receipt paper from the printer's configured width: up to 60 mm is 58 mm stock, anything wider 80 mm. */
function receiptWidth(printer: Printer): ReceiptWidth {
  const w = printer.settings.widthMm;
  return w !== undefined && w <= 60 ? 58 : 80;
}

function docFormat(printer: Printer): PickDocFormat | null {
  if (printer.lang === 'escpos') return 'escpos';
  if (printer.lang === 'pdf') return 'pdf';
  return null;
}

/**
 * What a pick_list / packing_slip job's payload holds: the orders, and the bytes rendered when it was
 * queued for its printer's format and width (the print service sends a payload's base64 as is, so a
 * retry sends the same bytes even if an order changed since).
 */
interface DocPayload {
  ids: string[];
  format: PickDocFormat;
  width: ReceiptWidth;
  base64: string;
}

function payloadIds(job: PrintJob): string[] {
  const ids = (job.payload as Partial<DocPayload>).ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string')) {
    throw new PrintFailure('render_failed', `任务 ${job.id} 没有订单列表`);
  }
  return ids;
}

/**
 * The bytes of a queued pick_list or packing_slip job for its printer: ESC/POS at the printer's paper
 * width, or a PDF for a spooler printer. Deterministic for a job (the pick list's time is the job's
 * creation time). Label printers cannot take these: render_failed.
 */
export async function renderPickListJob(db: Db, job: PrintJob, printer: Printer, fonts?: LabelFontOptions): Promise<Buffer> {
  if (job.docType !== 'pick_list' && job.docType !== 'packing_slip') throw new PrintFailure('render_failed', `不是拣货单或发货单任务（${job.docType}）`);
  const format = docFormat(printer);
  if (!format) throw new PrintFailure('render_failed', `${printer.name} is a ${printer.lang} label printer and cannot print a ${NAMES[job.docType].en}`);
  const width = receiptWidth(printer);
  const p = job.payload as Partial<DocPayload>;
  // The bytes made at queue time, when they suit this printer (a reprint may go to another one).
  if (typeof p.base64 === 'string' && p.format === format && (format === 'pdf' || p.width === width)) return Buffer.from(p.base64, 'base64');
  try {
    return Buffer.from(await renderDocBytes(db, job.docType, { ids: payloadIds(job), format, width }, job.createdAt, fonts));
  } catch (err) {
    if (err instanceof PrintFailure) throw err;
    throw new PrintFailure('render_failed', err instanceof Error ? err.message : String(err));
  }
}

export interface QueueDocInput {
  ids: string[];
  printerId?: string | undefined;
  requestId?: string | undefined;
}

/** The named printer, or the first unpaused one assigned to this document type that can print it. */
function choosePrinter(db: Db, docType: PickDocType, printerId: string | undefined): Printer {
  const what = NAMES[docType].en;
  if (printerId) {
    const p = getPrinter(db, printerId);
    if (!p) throw reasonError('printer.not_found', { printerId }, `No printer ${printerId}`);
    if (!docFormat(p)) {
      throw reasonError('printer.not_for_documents', { printerId, name: p.name, lang: p.lang, doc: docType }, `${p.name} is a ${p.lang} label printer and cannot print a ${what}; choose an ESC/POS or PDF printer`);
    }
    return p;
  }
  const assigned = listPrinters(db).filter((p) => p.documents.includes(docType) && docFormat(p));
  const chosen = assigned.find((p) => !p.paused) ?? assigned[0];
  if (!chosen) throw reasonError('printer.none_for_documents', { doc: docType }, `No ESC/POS or PDF printer is assigned to the ${what} yet`);
  return chosen;
}

/**
 * print.pickList / print.packingSlips: one job for the whole set of orders, in the chosen printer's
 * lane, its bytes rendered now (outside any transaction) for that printer and kept in the payload.
 */
export async function queueDoc(ctx: CoreContext, docType: PickDocType, input: QueueDocInput, fonts?: LabelFontOptions): Promise<PrintDocQueued> {
  requireRole(ctx, PRINTS, `print a ${NAMES[docType].en}`);
  const ids = resolveOrderIds(ctx.db, input.ids);
  const printer = choosePrinter(ctx.db, docType, input.printerId);
  const idemKey = `${docType}:${input.requestId ? `req:${input.requestId}` : uuidv7()}`;
  const format = docFormat(printer) as PickDocFormat;
  const width = receiptWidth(printer);
  const bytes = await renderDocBytes(ctx.db, docType, { ids, format, width }, ctx.now(), fonts);
  const payload: DocPayload = { ids, format, width, base64: Buffer.from(bytes).toString('base64') };
  const [r] = enqueue(ctx, [{ printerId: printer.id, idemKey, docType, orderId: ids.length === 1 ? ids[0] : null, payload: { ...payload } }]);
  const { job, created } = r as { job: PrintJob; created: boolean };
  return { jobId: job.id, printerId: job.printerId, printerName: getPrinter(ctx.db, job.printerId)?.name ?? printer.name, created };
}
