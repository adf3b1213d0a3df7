// The printing domain of the API: printers, the print queue and batch label printing.
// Handlers: electron/core/printing/api.ts.
import { z } from 'zod';
import { ALL_ROLES, CREW, MANAGERS } from '../roles.ts';
import { LABEL_TEMPLATE_IDS, type LabelTemplateId } from '../label-templates.ts';
import { lineText } from '../text-guard.ts';
import type { StoredError } from '../stored-error.ts';
import { enumList, id, ids, optionalLine, reason } from './common.ts';
import { type MethodDecl, out } from './define.ts';

// Shapes the printers page, the print queue and the batch dialog share.
export const PRINTER_LANGUAGES = ['tspl', 'zpl', 'escpos', 'pdf'] as const;
export type PrinterLanguage = (typeof PRINTER_LANGUAGES)[number];
export const PRINTER_DOCUMENT_TYPES = ['waybill', 'pick_list', 'packing_slip'] as const;
export type PrinterDocumentType = (typeof PRINTER_DOCUMENT_TYPES)[number];
export const PRINT_JOB_STATES = ['queued', 'sending', 'sent', 'confirmed', 'failed', 'uncertain', 'cancelled'] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];
/** A job in one of these holds its printer's lane: nothing after it prints until a person acts (queue-sender.ts nextJob). */
export const LANE_HOLDING_STATES = ['failed', 'uncertain'] as const satisfies readonly PrintJobState[];
/** The label sizes (label-templates.ts), under the name the printing methods use. */
export const LABEL_TEMPLATES = LABEL_TEMPLATE_IDS;
export type LabelTemplate = LabelTemplateId;
/** The order a batch prints in (and so the seq/total each label carries). */
export const PRINT_SORTS = ['sku', 'shop', 'paidAt', 'province'] as const;
export type PrintSort = (typeof PRINT_SORTS)[number];
/** Why an order may not print in a batch (print.precheck, print.labels). */
export const PRINT_PROBLEMS = [
  'not_found',
  'unpaid',
  'closed',
  'shipped',
  'held',
  'refund_requested',
  'address_incomplete',
  'pending_review',
  'already_printed',
] as const;
export type PrintProblem = (typeof PRINT_PROBLEMS)[number];

/**
 * A printer's settings: the keys the core knows, typed and ranged (printing/printers.ts checks them
 * again), plus at most a few flat extras (a string, number or boolean each) — never a nested tree.
 */
const printerSettingScalar = z.union([z.string().max(200, 'at most 200 characters'), z.number().min(-1e9).max(1e9), z.boolean(), z.null()], {
  error: 'a printer setting is a text, a number or true/false',
});
/** The printer settings the core knows, typed and ranged: the API's input and the core's stored settings use this one list. */
export const printerSettingFields = {
  /** Calibration: shift the whole label by this many dots (right/down positive). */
  offsetXDots: z.number().int().min(-400).max(400),
  offsetYDots: z.number().int().min(-400).max(400),
  /** Label stock size and gap, for the SIZE/GAP header and the test page. */
  widthMm: z.number().min(20).max(220),
  heightMm: z.number().min(10).max(400),
  gapMm: z.number().min(0).max(20),
  /** The whole send must finish within this (docs/printing/transports.md#tcp-9100-every-os: 10–20 s). */
  timeoutMs: z.number().int().min(1000).max(120_000),
  /** Ask the printer for its status before and after each job (bidirectional links only; default true). */
  statusQuery: z.boolean(),
};
export const PRINTER_DPIS = [203, 300] as const;
const printerSettingsInput = z
  .object({ ...printerSettingFields, template: z.enum(LABEL_TEMPLATES) })
  .partial()
  .catchall(printerSettingScalar)
  .superRefine((v, ctx) => {
    const keys = Object.keys(v);
    if (keys.length > 32) ctx.addIssue({ code: 'custom', message: 'at most 32 printer settings' });
    for (const k of keys) if (k.length > 64) ctx.addIssue({ code: 'custom', path: [k.slice(0, 64)], message: 'a setting name is at most 64 characters' });
  });
const printerFieldsSchema = {
  name: lineText(z.string().trim().min(1, '请填写打印机名称').max(40, '打印机名称最多 40 个字')),
  uri: lineText(z.string().trim().min(1, '请填写打印机地址').max(300, '打印机地址最多 300 个字符')),
  lang: z.enum(PRINTER_LANGUAGES, { error: '打印语言应为 tspl、zpl、escpos 或 pdf' }),
  dpi: z.number({ error: '分辨率应为 203 或 300 dpi' }).int().min(203, '分辨率应为 203 或 300 dpi').max(300, '分辨率应为 203 或 300 dpi').refine((d) => d === 203 || d === 300, '分辨率应为 203 或 300 dpi'),
  documents: z.array(z.enum(PRINTER_DOCUMENT_TYPES)).max(PRINTER_DOCUMENT_TYPES.length, '单据类型有重复'),
  settings: printerSettingsInput,
};
export const printerAddSchema = z
  .object({ ...printerFieldsSchema, dpi: printerFieldsSchema.dpi.default(203), documents: printerFieldsSchema.documents.default([]), settings: printerSettingsInput.default({}) })
  .strict();
export const printerPatchSchema = z.object(printerFieldsSchema).partial().strict();

/** A printer as the printers page shows it. */
export interface PrinterView {
  id: string;
  name: string;
  /** tcp://HOST:9100 | usb:/dev/usb/lp0 | cups:QUEUE | spooler:NAME | component:NAME */
  uri: string;
  lang: PrinterLanguage;
  dpi: number;
  documents: PrinterDocumentType[];
  /** Calibration offsets (offsetXDots/offsetYDots), stock size (widthMm/heightMm/gapMm), timeoutMs, statusQuery, template. */
  settings: Record<string, unknown>;
  paused: boolean;
  createdAt: number;
  /**
   * Failed and uncertain jobs on this printer. Any one of them holds the printer's lane — nothing
   * after it prints — until a person retries, cancels or answers it (queue-sender.ts nextJob).
   */
  held: { failed: number; uncertain: number };
}

/** A folder printer's newest output files, newest first (printing/folder-output.ts). */
export interface PrinterOutputView {
  printerId: string;
  dir: string;
  files: {
    jobId: string;
    fileName: string;
    /** png: the label as printed; pdf; or the printer's own commands (tspl/zpl/escpos) kept as sent. */
    kind: 'png' | 'pdf' | 'tspl' | 'zpl' | 'escpos';
    bytes: number;
    writtenAt: number;
    docType: string | null;
    orderId: string | null;
    platformOrderId: string | null;
    waybillNo: string | null;
    /** The file itself for png and pdf (null for the rest, and for very large files). */
    base64: string | null;
  }[];
}

/** The printer's answer: 'status' over a bidirectional link, 'one_way' when the link cannot answer, 'unreachable' with the reason. */
export interface PrinterStatusView {
  kind: 'status' | 'one_way' | 'unreachable';
  /** null when the printer could not be asked. */
  ready: boolean | null;
  printing: boolean;
  /** paper_out, head_open, paper_jam, ribbon_out, paused, cover_open, overheat, printer_error (status), or the failure reason (unreachable). */
  problems: string[];
  /** In Chinese, for display. */
  words: string;
}

/** A printer found on this machine (CUPS queues, /dev/usb/lp* devices, Windows printers), not yet necessarily added. */
export interface DiscoveredPrinter {
  uri: string;
  name: string;
  source: 'cups' | 'usb' | 'spooler';
  /** The CUPS device URI, the device file, or a Windows printer's driver and port. */
  detail: string;
  /** The language its name or driver suggests (Gprinter → tspl, Zebra → zpl, …); null when nothing does. */
  lang: PrinterLanguage | null;
  /** Id of the printer already added with this URI, else null. */
  printerId: string | null;
}

export interface PrintJobView {
  id: string;
  printerId: string;
  printerName: string;
  idemKey: string;
  docType: PrinterDocumentType | 'test';
  packageId: string | null;
  orderId: string | null;
  platformOrderId: string | null;
  waybillNo: string | null;
  batchId: string | null;
  seq: number | null;
  total: number | null;
  reprintOf: string | null;
  reprintReason: string | null;
  /** 1, 2, … for reprints (the 重打 count printed on the label); null for originals. */
  reprintCount: number | null;
  state: PrintJobState;
  attempts: number;
  /** English, for logs and the CLI. */
  lastError: string | null;
  /** The same failure with its reason and details (electron/shared/stored-error.ts), which the screen words. */
  lastErrorWhy: StoredError | null;
  createdBy: string;
  createdAt: number;
  sentAt: number | null;
  confirmedAt: number | null;
}

/** One order before a batch: what stops it, and orders of the same buyer and receiver it could be merged with. */
export interface PrintPrecheck {
  id: string;
  ok: boolean;
  problems: PrintProblem[];
  /** Same shop, same queue, same buyer and receiver (name, phone, address): candidates to merge before printing. */
  mergeCandidates: string[];
  /** The order's package already has a waybill number (nothing will be allocated for it). */
  hasWaybill: boolean;
}

export interface PrintLabelsResult {
  batchId: string;
  /** Jobs queued by this call. */
  queued: number;
  /** Packages whose label was queued before (same package + waybill): not queued again. */
  alreadyQueued: number;
  /** Orders not queued: a stable code (a PrintProblem, no_account, pool_exhausted, refused, platform_error, …) and the reason in words. */
  failed: { id: string; code: string; reason: string }[];
}

export interface PrintBatchView {
  batchId: string;
  /** Jobs in the batch, in print order (seq). */
  jobs: PrintJobView[];
  counts: Record<PrintJobState, number>;
  /** Nothing left queued or sending. */
  finished: boolean;
  /**
   * Failed or uncertain jobs from outside this batch (an earlier batch, a pick list, a test page)
   * holding the lane of a printer this batch still waits on, oldest first: the batch prints nothing
   * more there until a person deals with them.
   */
  blockedBy: PrintJobView[];
}

export const printingMethods = {
  'printers.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['printers', 'print_jobs'],
    input: z.object({}).strict(),
    output: out<PrinterView[]>(),
  },
  'printers.add': {
    kind: 'command',
    roles: MANAGERS,
    input: printerAddSchema,
    output: out<PrinterView>(),
  },
  'printers.update': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ id, patch: printerPatchSchema }).strict(),
    output: out<PrinterView>(),
  },
  /** Only a printer that has never printed (its jobs are the history); pause it otherwise. */
  'printers.remove': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ id }).strict(),
    output: out<{ removed: true }>(),
  },
  /** A packer must be able to stop a lane at once (paper jam, wrong stock). */
  'printers.setPaused': {
    kind: 'command',
    roles: CREW,
    input: z.object({ id, paused: z.boolean(), reason: optionalLine(200) }).strict(),
    output: out<PrinterView>(),
  },
  'printers.testPrint': {
    kind: 'command',
    roles: CREW,
    input: z.object({ id }).strict(),
    output: out<PrintJobView>(),
  },
  /** Asks the printer over its own link when that link is bidirectional (TSPL/ESC-POS/ZPL status). */
  'printers.status': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['printers'],
    input: z.object({ id }).strict(),
    output: out<PrinterStatusView>(),
  },
  /** CUPS queues (`lpstat -e`, `lpstat -v`) where CUPS is installed, and /dev/usb/lp* device files — nothing else (no network scan). */
  'printers.discover': {
    kind: 'query',
    roles: MANAGERS,
    reads: ['printers'],
    input: z.object({}).strict(),
    output: out<DiscoveredPrinter[]>(),
  },
  /** A folder printer's newest labels, with the pictures, for the on-screen preview (labels carry buyers' addresses: not finance). */
  'printers.output': {
    kind: 'query',
    roles: CREW,
    reads: ['print_jobs'],
    input: z.object({ id, limit: z.number().int().min(1).max(20).default(6) }).strict(),
    output: out<PrinterOutputView>(),
  },
  /** Newest first. */
  'printJobs.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['print_jobs', 'printers', 'packages'],
    input: z
      .object({
        printerId: id.optional(),
        states: enumList(PRINT_JOB_STATES).optional(),
        batchId: id.optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    output: out<PrintJobView[]>(),
  },
  'printJobs.retry': {
    kind: 'command',
    roles: CREW,
    input: z.object({ id }).strict(),
    output: out<PrintJobView>(),
  },
  'printJobs.cancel': {
    kind: 'command',
    roles: CREW,
    input: z.object({ id, reason: optionalLine(200) }).strict(),
    output: out<PrintJobView>(),
  },
  /** An explicit reprint (same waybill, marked 重打): needs a reason; counted and limited by role. */
  'printJobs.reprint': {
    kind: 'command',
    roles: CREW,
    input: z.object({ id, reason: lineText(z.string().trim().min(2, '重打需要填写原因（至少 2 个字）').max(200, '原因最多 200 个字')), printerId: id.optional(), idemKey: z.string().trim().min(1).max(200).optional() }).strict(),
    output: out<PrintJobView>(),
  },
  /** A job a crash left 'uncertain': 'printed' confirms it, 'reprint' queues a marked reprint. */
  'printJobs.resolveUncertain': {
    kind: 'command',
    roles: CREW,
    input: z.object({ id, resolution: z.enum(['printed', 'reprint']) }).strict(),
    output: out<PrintJobView>(),
  },
  /** Before a batch: what stops each order from printing, and orders it could be merged with. */
  'print.precheck': {
    kind: 'query',
    roles: CREW,
    reads: ['orders', 'order_items', 'packages', 'print_jobs'],
    input: z.object({ ids: z.array(id).min(1, 'select at least one order').max(20_000) }).strict(),
    output: out<PrintPrecheck[]>(),
  },
  /**
   * The batch print flow: pre-checks → packages → waybills (with print.progress) → one job per
   * package in the chosen order with seq/total. Re-running it on the same orders prints nothing
   * twice and allocates nothing twice; skipProblems=false refuses the batch while any order has a problem.
   */
  'print.labels': {
    kind: 'command',
    roles: CREW,
    input: z
      .object({
        ids: z.array(id).min(1, 'select at least one order').max(20_000),
        printerId: id,
        sortBy: z.enum(PRINT_SORTS).default('paidAt'),
        template: z.enum(LABEL_TEMPLATES).optional(),
        accountId: id.optional(),
        skipProblems: z.boolean().default(true),
      })
      .strict(),
    output: out<PrintLabelsResult>(),
  },
  'print.batch': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['print_jobs', 'packages'],
    input: z.object({ batchId: id }).strict(),
    output: out<PrintBatchView>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type PrintingMethod = keyof typeof printingMethods;
