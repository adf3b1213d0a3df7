// Pick lists (拣货单) and packing slips (发货单): rendered as files or queued on a printer.
// Handlers: electron/core/picking/api.ts.
import { z } from 'zod';
import type { Queue } from '../model.ts';
import { CREW } from '../roles.ts';
import { lineText } from '../text-guard.ts';
import { id, ids } from './common.ts';
import { type MethodDecl, out } from './define.ts';

/** Pick lists and packing slips: which orders, as what. ESC/POS width is the receipt paper (58 or 80 mm; default 80). */
export const printDocRenderSchema = z
  .object({
    ids: z.array(id).min(1, 'select at least one order').max(5000, 'at most 5,000 orders per document'),
    format: z.enum(['pdf', 'escpos'], { error: 'format must be pdf or escpos' }),
    width: z.union([z.literal(58), z.literal(80)], { error: 'receipt width must be 58 or 80 (mm)' }).optional(),
  })
  .strict();

/** Queueing a pick list / packing slips on a printer; without printerId, the printer assigned to that document type. */
export const printDocQueueSchema = z
  .object({
    ids: z.array(id).min(1, 'select at least one order').max(5000, 'at most 5,000 orders per document'),
    printerId: id.optional(),
    /** The caller's id for this request: the same requestId again returns the job already queued. */
    requestId: lineText(z.string().trim().min(1).max(100)).optional(),
  })
  .strict();

/** A rendered document to save or print: the file's bytes as base64. */
export interface RenderedDocument {
  fileName: string;
  /** application/pdf, or application/octet-stream for ESC/POS bytes. */
  mime: string;
  base64: string;
}

/** A pick list or packing slips put in a printer's queue. */
export interface PrintDocQueued {
  jobId: string;
  printerId: string;
  printerName: string;
  /** false: this requestId was queued before; that job is returned and nothing new is queued. */
  created: boolean;
}

export const documentsMethods = {
  /** A pick list (拣货单) for orders: lines aggregated by outer SKU code, sorted by location; A4 PDF or ESC/POS bytes for a 58/80 mm receipt printer. */
  'pickList.render': {
    kind: 'query',
    roles: CREW,
    reads: ['orders', 'order_items', 'skus'],
    input: printDocRenderSchema,
    output: out<RenderedDocument>(),
  },
  /** Packing slips (发货单), one per order, receiver as stored (masked); A4 PDF or ESC/POS bytes. */
  'packingSlips.render': {
    kind: 'query',
    roles: CREW,
    reads: ['orders', 'order_items'],
    input: printDocRenderSchema,
    output: out<RenderedDocument>(),
  },
  /** Queue a pick list on a printer (default: the one assigned to pick lists). requestId makes a retried call queue nothing new. */
  'print.pickList': {
    kind: 'command',
    roles: CREW,
    input: printDocQueueSchema,
    output: out<PrintDocQueued>(),
  },
  /** Queue packing slips on a printer (default: the one assigned to packing slips). */
  'print.packingSlips': {
    kind: 'command',
    roles: CREW,
    input: printDocQueueSchema,
    output: out<PrintDocQueued>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type DocumentsMethod = keyof typeof documentsMethods;
