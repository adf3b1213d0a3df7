// Label previews for the template settings page and the order drawer: the exact 1-bit bitmap a printer
// would get (PNG), or the vector PDF — for an order as stored or a 样张 sample, with saved or unsaved settings.
import { CARRIERS, type CarrierCode } from '../../shared/carriers.ts';
import type { LabelPdf, LabelPreview } from '../../shared/contract.ts';
import { labelSettingsFor, type CarrierLabelSettings, type LabelTemplateId } from '../../shared/label-settings.ts';
import { reasonError } from '../../shared/reasons.ts';
import type { Db } from '../db/open.ts';
import { getPrinter } from '../printing/printers.ts';
import { labelDataForOrder } from './order-label.ts';
import { labelsToPdf } from './pdf.ts';
import { bitmapToPng, labelToBitmap } from './raster.ts';
import { sampleLabelData } from './sample-data.ts';
import { getLabelSettings } from './settings.ts';
import type { LabelData } from './templates.ts';

export interface LabelPreviewInput {
  orderId?: string | undefined;
  carrierCode?: CarrierCode | undefined;
  template?: LabelTemplateId | undefined;
  /** Unsaved edits; default the saved settings of the label's carrier. */
  settings?: CarrierLabelSettings | undefined;
  dpi?: 203 | 300 | undefined;
  /** Render at this printer's DPI with its calibration offset. */
  printerId?: string | undefined;
  packageSeq?: number | undefined;
  reprint?: boolean | undefined;
}

interface Resolved {
  data: LabelData;
  carrierCode: CarrierCode | null;
  settings: CarrierLabelSettings;
  template: LabelTemplateId;
}

function carrierOf(code: string | null | undefined): CarrierCode | null {
  return CARRIERS.find((c) => c.code === code)?.code ?? null;
}

function resolve(db: Db, input: LabelPreviewInput): Resolved {
  let data: LabelData;
  if (input.orderId !== undefined) {
    data = labelDataForOrder(db, input.orderId, { ...(input.packageSeq !== undefined ? { packageSeq: input.packageSeq } : {}), ...(input.reprint ? { reprint: true } : {}) });
  } else {
    const carrier = CARRIERS.find((c) => c.code === input.carrierCode);
    // The sample's own custom text is dropped: the page shows what the settings print, nothing else.
    data = sampleLabelData({ sample: true, customText: '', carrierCode: carrier?.code ?? null, ...(carrier ? { carrierName: carrier.zh } : {}) });
  }
  // An explicit carrier wins (previewing another carrier's settings on a real order).
  const carrierCode = input.carrierCode ?? carrierOf(data.carrierCode);
  const settings = input.settings ?? labelSettingsFor(getLabelSettings(db), carrierCode);
  return { data, carrierCode, settings, template: input.template ?? settings.template };
}

export function previewLabel(db: Db, input: LabelPreviewInput): LabelPreview {
  const r = resolve(db, input);
  let offset = { x: 0, y: 0 };
  let printerDpi: number | undefined;
  if (input.printerId !== undefined) {
    const printer = getPrinter(db, input.printerId);
    if (!printer) throw reasonError('printer.not_found', { printerId: input.printerId }, `No printer ${input.printerId}`);
    offset = { x: printer.settings.offsetXDots ?? 0, y: printer.settings.offsetYDots ?? 0 };
    printerDpi = printer.dpi;
  }
  const dpi = input.dpi ?? printerDpi ?? 203;
  const bitmap = labelToBitmap(r.data, { template: r.template, dpi, settings: r.settings, offset });
  return {
    pngBase64: bitmapToPng(bitmap).toString('base64'),
    widthPx: bitmap.width,
    heightPx: bitmap.height,
    template: r.template,
    dpi,
    sample: r.data.sample === true,
    carrierCode: r.carrierCode,
    waybillNo: r.data.sample ? null : r.data.waybillNo,
  };
}

export async function previewLabelPdf(db: Db, input: Omit<LabelPreviewInput, 'printerId'>): Promise<LabelPdf> {
  const r = resolve(db, input);
  const pdf = await labelsToPdf([r.data], { template: r.template, settings: r.settings, ...(input.dpi !== undefined ? { dpi: input.dpi } : {}) });
  const name = r.data.sample ? 'sample' : r.data.waybillNo.replace(/[^A-Za-z0-9-]/g, '');
  const sample = r.data.sample === true;
  return { base64: Buffer.from(pdf).toString('base64'), fileName: `label-${name}-${r.template}.pdf`, template: r.template, sample, waybillNo: sample ? null : r.data.waybillNo };
}
