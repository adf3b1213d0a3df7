// The label template settings (面单模板) as data: per carrier, which template, which optional fields
// show, the custom text and the offsets of the movable blocks. Shared so the contract, the core that
// renders labels and the settings page validate the same shape.
import { z } from 'zod';
import { CARRIER_CODES, type CarrierCode } from './carriers.ts';
import { LABEL_TEMPLATE_IDS } from './label-templates.ts';
import { lineText } from './text-guard.ts';

export { LABEL_TEMPLATE_IDS, type LabelTemplateId } from './label-templates.ts';

/** Fields a team may leave off its labels (sort code, barcode, receiver and seq/total always print). */
export const LABEL_OPTIONAL_FIELDS = ['sender', 'itemSummary', 'buyerMessage', 'customText'] as const;
export type LabelOptionalField = (typeof LABEL_OPTIONAL_FIELDS)[number];

/** Blocks that can be nudged on the label, e.g. to clear a pre-printed logo on the stock. */
export const LABEL_BLOCKS = ['sortCode', 'barcode', 'receiver', 'sender', 'itemSummary', 'buyerMessage', 'customText'] as const;
export type LabelBlock = (typeof LABEL_BLOCKS)[number];

/** A block may move at most this far (mm) each way: enough to dodge a logo, not enough to leave the label. */
export const MAX_BLOCK_OFFSET_MM = 30;
export const MAX_CUSTOM_TEXT = 60;

const offsetMm = z
  .number({ error: '偏移应为数字（毫米）' })
  .finite()
  .min(-MAX_BLOCK_OFFSET_MM, `偏移不能小于 -${MAX_BLOCK_OFFSET_MM} 毫米`)
  .max(MAX_BLOCK_OFFSET_MM, `偏移不能大于 ${MAX_BLOCK_OFFSET_MM} 毫米`);

export const blockOffsetSchema = z.object({ x: offsetMm, y: offsetMm }).strict();
export type BlockOffset = z.infer<typeof blockOffsetSchema>;

/** One carrier's label: the template and what it shows where. */
export const carrierLabelSettingsSchema = z
  .object({
    template: z.enum(LABEL_TEMPLATE_IDS, { error: `模板应为 ${LABEL_TEMPLATE_IDS.join('、')}` }),
    show: z.object({ sender: z.boolean(), itemSummary: z.boolean(), buyerMessage: z.boolean(), customText: z.boolean() }).strict(),
    /** The custom area's content (e.g. 易碎品 轻拿轻放), printed when show.customText is on. */
    customText: lineText(z.string().max(MAX_CUSTOM_TEXT, `自定义内容最多 ${MAX_CUSTOM_TEXT} 个字`)),
    offsets: z.partialRecord(z.enum(LABEL_BLOCKS), blockOffsetSchema),
  })
  .strict();
export type CarrierLabelSettings = z.infer<typeof carrierLabelSettingsSchema>;

/** The whole setting: a default, and the carriers that differ from it. */
export const labelSettingsSchema = z
  .object({
    default: carrierLabelSettingsSchema,
    carriers: z.partialRecord(z.enum(CARRIER_CODES), carrierLabelSettingsSchema),
  })
  .strict();
export type LabelSettings = z.infer<typeof labelSettingsSchema>;

/** Which settings an edit targets: the default, or one carrier's own. */
export const labelSettingsTargetSchema = z.union([z.literal('default'), z.enum(CARRIER_CODES)]);
export type LabelSettingsTarget = 'default' | CarrierCode;

export const DEFAULT_CARRIER_LABEL_SETTINGS: CarrierLabelSettings = {
  template: '76x130',
  show: { sender: true, itemSummary: true, buyerMessage: true, customText: true },
  customText: '',
  offsets: {},
};

export const DEFAULT_LABEL_SETTINGS: LabelSettings = { default: DEFAULT_CARRIER_LABEL_SETTINGS, carriers: {} };

/** The settings a carrier's labels use: its own when it has them, else the default. */
export function labelSettingsFor(settings: LabelSettings, carrierCode: string | null | undefined): CarrierLabelSettings {
  if (carrierCode && carrierCode in settings.carriers) {
    const own = settings.carriers[carrierCode as CarrierCode];
    if (own) return own;
  }
  return settings.default;
}
