// One call from label data to the bytes a label printer takes: layout → raster at the printer's DPI → language.
import { loadLabelFonts, type LabelFontOptions } from './font.ts';
import { encodeBitmap, type PrinterLang } from './encode.ts';
import { composeLabel, dotsPerMm } from './layout.ts';
import { rasterize, type DotOffset } from './raster.ts';
import { buildLabel, templateSize, type LabelData, type LabelView, type TemplateId } from './templates.ts';

export interface LabelBytesOptions {
  lang: PrinterLang;
  /** 203 or 300. */
  dpi: number;
  /** Default: settings.template, else 76x130. */
  template?: TemplateId;
  /** The carrier's template settings (labelSettingsFor(getLabelSettings(db), carrierCode)). */
  settings?: LabelView & { template?: TemplateId };
  copies?: number;
  gapMm?: number;
  fonts?: LabelFontOptions;
  /** The printer's calibration offset in dots (printers.settings). */
  offset?: DotOffset;
}

export function labelBytes(data: LabelData, opts: LabelBytesOptions): Buffer {
  const template = opts.template ?? opts.settings?.template ?? '76x130';
  const fonts = loadLabelFonts(opts.fonts);
  const bitmap = rasterize(composeLabel(buildLabel(data, template, opts.settings), fonts, dotsPerMm(opts.dpi)), fonts, opts.offset);
  return encodeBitmap(opts.lang, bitmap, { ...templateSize(template), gapMm: opts.gapMm }, opts.copies ?? 1);
}
