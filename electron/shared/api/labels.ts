// Label templates (面单模板) and previews rendered as the printer gets them.
// Handlers: electron/core/labels/api.ts.
import { z } from 'zod';
import { CARRIER_CODES, type CarrierCode } from '../carriers.ts';
import { carrierLabelSettingsSchema, LABEL_TEMPLATE_IDS, type LabelSettings, labelSettingsTargetSchema, type LabelTemplateId } from '../label-settings.ts';
import { ALL_ROLES, MANAGERS } from '../roles.ts';
import { id } from './common.ts';
import { type MethodDecl, out } from './define.ts';

/** A label preview: the PNG of exactly the bitmap the printer would get. */
export interface LabelPreview {
  pngBase64: string;
  widthPx: number;
  heightPx: number;
  template: LabelTemplateId;
  dpi: number;
  /** No waybill yet (or a made-up sample): the label carries 样张/SAMPLE. */
  sample: boolean;
  /** The carrier whose settings were used (null: the default). */
  carrierCode: CarrierCode | null;
  /** The package's waybill number (null on a sample). */
  waybillNo: string | null;
}

export interface LabelPdf {
  base64: string;
  fileName: string;
  template: LabelTemplateId;
  sample: boolean;
  waybillNo: string | null;
}

export const labelsMethods = {
  /** The label template settings (面单模板): the default and each carrier's own. */
  'labels.settings': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['meta'],
    input: z.object({}).strict(),
    output: out<LabelSettings>(),
  },
  /** Set one carrier's label settings (or the default); settings null = that carrier follows the default again. */
  'labels.updateSettings': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ carrier: labelSettingsTargetSchema, settings: carrierLabelSettingsSchema.nullable() }).strict(),
    output: out<LabelSettings>(),
  },
  /**
   * A label as the printer gets it (the 1-bit raster at its DPI) as a PNG: an order's, or a 样张 sample.
   * settings = unsaved edits for a live preview; printerId applies that printer's DPI and calibration offset.
   */
  'labels.preview': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['meta', 'orders', 'order_items', 'packages', 'printers'],
    input: z
      .object({
        orderId: id.optional(),
        carrierCode: z.enum(CARRIER_CODES).optional(),
        template: z.enum(LABEL_TEMPLATE_IDS).optional(),
        settings: carrierLabelSettingsSchema.optional(),
        dpi: z.union([z.literal(203), z.literal(300)], { error: 'dpi must be 203 or 300' }).optional(),
        printerId: id.optional(),
        /** Which of the order's packages (1, 2, …); default the first with a waybill number. */
        packageSeq: z.number().int().min(1, 'package numbers start at 1').max(999, 'at most 999 packages per order').optional(),
        /** Render as a reprint (the 重打 mark). */
        reprint: z.boolean().optional(),
      })
      .strict(),
    output: out<LabelPreview>(),
  },
  /** The same label as a vector PDF (pdf-lib, CJK subset): an order's, or a sample. */
  'labels.previewPdf': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['meta', 'orders', 'order_items', 'packages'],
    input: z
      .object({
        orderId: id.optional(),
        sample: z.literal(true).optional(),
        carrierCode: z.enum(CARRIER_CODES).optional(),
        template: z.enum(LABEL_TEMPLATE_IDS).optional(),
        settings: carrierLabelSettingsSchema.optional(),
        dpi: z.union([z.literal(203), z.literal(300)], { error: 'dpi must be 203 or 300' }).optional(),
        /** Which of the order's packages (1, 2, …); default the first with a waybill number. */
        packageSeq: z.number().int().min(1, 'package numbers start at 1').max(999, 'at most 999 packages per order').optional(),
        /** Render as a reprint (the 重打 mark). */
        reprint: z.boolean().optional(),
      })
      .strict()
      .refine((v) => (v.orderId !== undefined) !== (v.sample === true), 'pass an orderId or sample: true (not both)'),
    output: out<LabelPdf>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type LabelsMethod = keyof typeof labelsMethods;
