// The one label layout model (boxes in mm) and its composition into a display list of filled
// rectangles and glyph runs, resolved for one dot pitch so the PDF and raster backends draw the same marks.
// The generic build: no Node- or browser-specific drawing, which labels do not need (we draw the bars).
import bwipjs from 'bwip-js/generic';
import { glyphRun, type FontWeight, type GlyphSource, type LabelFonts } from './font.ts';

/** Millimetres from the label's top-left corner; y grows downwards. */
interface Area {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TextBox extends Area {
  kind: 'text';
  text: string;
  /** Font size in points (1 pt = 25.4/72 mm). */
  sizePt: number;
  bold?: boolean;
  align?: 'left' | 'center' | 'right';
  valign?: 'top' | 'middle';
  /** Wrap by character (Chinese addresses have no spaces); default true. */
  wrap?: boolean;
  /** Lines beyond this are cut and the last kept line ends in "…". Default: as many as fit in h. */
  maxLines?: number;
  /** Line pitch as a multiple of the size; default 1.2. */
  lineHeight?: number;
  /** Shrink the size (down to minSizePt) until the text fits in maxLines. */
  fit?: boolean;
  minSizePt?: number;
  /** White text on a black box: marks that must not be missed (重打, 样张). */
  invert?: boolean;
}

export interface BarcodeBox extends Area {
  kind: 'barcode';
  /** Code128 data (the waybill number). */
  value: string;
}

/** A filled rectangle: rules and lines are thin ones. */
export interface RuleBox extends Area {
  kind: 'rule';
}

/** An outlined rectangle. */
export interface FrameBox extends Area {
  kind: 'frame';
  thickness: number;
}

export type LabelBox = TextBox | BarcodeBox | RuleBox | FrameBox;

export interface LabelLayout {
  widthMm: number;
  heightMm: number;
  boxes: LabelBox[];
}

export type Color = 'black' | 'white';

export interface FillOp {
  op: 'fill';
  x: number;
  y: number;
  w: number;
  h: number;
  color: Color;
}

/** One line of text: glyph ids from the face's character map (font.ts glyphRun), so both backends draw the same glyphs. */
export interface TextOp {
  op: 'text';
  x: number;
  /** Baseline, mm from the top. */
  baseline: number;
  sizePt: number;
  weight: FontWeight;
  color: Color;
  text: string;
  glyphIds: number[];
  widthMm: number;
}

export type DrawOp = FillOp | TextOp;

export interface DisplayList {
  widthMm: number;
  heightMm: number;
  /** Dots per mm the geometry was snapped to. */
  dpmm: number;
  ops: DrawOp[];
}

export const MM_PER_PT = 25.4 / 72;

/** Printer dot pitch: 203 dpi heads are 8 dots/mm exactly; 300 dpi heads 11.81. */
export function dotsPerMm(dpi: number): number {
  if (dpi === 203) return 8;
  if (dpi === 300) return 11.81;
  return dpi / 25.4;
}

/** Label size in dots at a pitch (76×130 mm at 8 dots/mm = 608×1040). */
export function sizeInDots(layout: { widthMm: number; heightMm: number }, dpmm: number): { width: number; height: number } {
  return { width: Math.round(layout.widthMm * dpmm), height: Math.round(layout.heightMm * dpmm) };
}

// Ideographic em box: CJK glyphs sit between 0.88 em above and 0.12 em below the baseline.
const ASCENT = 0.88;
const DESCENT = 0.12;
// Never start a line with closing punctuation (a light 禁则).
const NO_LINE_START = new Set([...'，。、；：？！）」』】》〉…,.;:?!)]}%']);

// Measured through the glyph store: the same ids and advances as the font, without parsing it when warm.
function faceFor(fonts: LabelFonts, bold: boolean | undefined): GlyphSource {
  return (bold ? fonts.bold : fonts.regular).glyphs;
}

/** Width of a string in mm at a size, from the face's advance widths (what pdf-lib writes into /W). */
export function textWidthMm(font: GlyphSource, text: string, sizePt: number): number {
  let units = 0;
  for (const g of glyphRun(font, text)) units += g.advanceWidth;
  return (units / font.unitsPerEm) * sizePt * MM_PER_PT;
}

function charWidthsMm(font: GlyphSource, chars: string[], sizePt: number): number[] {
  const k = (sizePt * MM_PER_PT) / font.unitsPerEm;
  return glyphRun(font, chars.join('')).map((g) => g.advanceWidth * k);
}

/**
 * Breaks text into lines no wider than widthMm, by character (Chinese has no spaces to break at);
 * explicit newlines are kept. Lines beyond maxLines are dropped and the last kept line ends in "…".
 * Returns the lines and whether anything was cut.
 */
export function wrapText(
  font: GlyphSource,
  text: string,
  sizePt: number,
  widthMm: number,
  maxLines = Infinity,
): { lines: string[]; truncated: boolean } {
  const lines: string[] = [];
  for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
    const chars = [...para];
    const widths = charWidthsMm(font, chars, sizePt);
    let line: string[] = [];
    let lineW = 0;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as string;
      const w = widths[i] as number;
      if (line.length > 0 && lineW + w > widthMm + 1e-9) {
        // Carry the previous character down so punctuation never opens a line.
        if (NO_LINE_START.has(c) && line.length > 1) {
          const carried = line.pop() as string;
          lines.push(line.join('').trimEnd());
          line = [carried];
          lineW = charWidthsMm(font, [carried], sizePt)[0] as number;
        } else {
          lines.push(line.join('').trimEnd());
          line = [];
          lineW = 0;
          if (c === ' ') continue;
        }
      }
      line.push(c);
      lineW += w;
    }
    lines.push(line.join(''));
  }
  if (lines.length <= maxLines) return { lines, truncated: false };
  const kept = lines.slice(0, Math.max(0, maxLines));
  if (kept.length > 0) {
    // Make room for the ellipsis on the last kept line.
    const ell = '…';
    let last = [...(kept[kept.length - 1] as string)];
    const ellW = textWidthMm(font, ell, sizePt);
    while (last.length > 0 && textWidthMm(font, last.join(''), sizePt) + ellW > widthMm) last.pop();
    kept[kept.length - 1] = last.join('') + ell;
  }
  return { lines: kept, truncated: true };
}

function linesThatFit(box: TextBox, sizePt: number): number {
  const pitch = sizePt * MM_PER_PT * (box.lineHeight ?? 1.2);
  const byHeight = Math.max(1, Math.floor((box.h + 1e-9) / pitch));
  return Math.min(byHeight, box.maxLines ?? Infinity);
}

function composeText(box: TextBox, fonts: LabelFonts, dpmm: number, out: DrawOp[]): void {
  const font = faceFor(fonts, box.bold);
  const pad = box.invert ? Math.min(1, box.h * 0.1) : 0;
  const innerW = box.w - 2 * pad;
  let sizePt = box.sizePt;
  let wrapped: { lines: string[]; truncated: boolean };
  for (;;) {
    const max = box.wrap === false ? 1 : linesThatFit(box, sizePt);
    wrapped = box.wrap === false ? { lines: [box.text.replace(/\s*\n\s*/g, ' ')], truncated: false } : wrapText(font, box.text, sizePt, innerW, max);
    const tooWide = box.wrap === false && textWidthMm(font, wrapped.lines[0] ?? '', sizePt) > innerW;
    if (!box.fit || (!wrapped.truncated && !tooWide) || sizePt <= (box.minSizePt ?? 6)) break;
    sizePt = Math.max(box.minSizePt ?? 6, sizePt * 0.92);
  }
  // Still too wide at the smallest size: cut with an ellipsis rather than run off the label.
  if (box.wrap === false && textWidthMm(font, wrapped.lines[0] ?? '', sizePt) > innerW) wrapped = wrapText(font, wrapped.lines[0] ?? '', sizePt, innerW, 1);
  const sizeMm = sizePt * MM_PER_PT;
  const pitch = sizeMm * (box.lineHeight ?? 1.2);
  const lines = wrapped.lines.filter((l, i) => l !== '' || i < wrapped.lines.length - 1);
  const blockH = lines.length * pitch;
  const top = box.valign === 'middle' ? box.y + (box.h - blockH) / 2 : box.y;
  const color: Color = box.invert ? 'white' : 'black';
  const runs: TextOp[] = [];
  let maxW = 0;
  lines.forEach((line, i) => {
    const glyphs = glyphRun(font, line);
    let units = 0;
    for (const g of glyphs) units += g.advanceWidth;
    const widthMm = (units / font.unitsPerEm) * sizeMm;
    maxW = Math.max(maxW, widthMm);
    const x = box.align === 'center' ? box.x + (box.w - widthMm) / 2 : box.align === 'right' ? box.x + box.w - pad - widthMm : box.x + pad;
    const baseline = top + i * pitch + (pitch - (ASCENT + DESCENT) * sizeMm) / 2 + ASCENT * sizeMm;
    runs.push({ op: 'text', x, baseline, sizePt, weight: box.bold ? 'bold' : 'regular', color, text: line, glyphIds: glyphs.map((g) => g.id), widthMm });
  });
  if (box.invert) {
    // The black plate hugs the text (right- or centre-aligned like it), so a short mark stays compact.
    const plateW = Math.min(box.w, maxW + 2 * pad);
    const plateX = box.align === 'center' ? box.x + (box.w - plateW) / 2 : box.align === 'right' ? box.x + box.w - plateW : box.x;
    out.push(snapFill({ x: plateX, y: box.y, w: plateW, h: box.h }, dpmm, 'black'));
  }
  out.push(...runs);
}

/** Code128 bar/space widths in modules (bwip-js encodes; it picks code sets A/B/C for the shortest symbol). */
export function code128Modules(value: string): number[] {
  const raw = bwipjs.raw({ bcid: 'code128', text: value });
  const first = raw[0];
  if (!first || !('sbs' in first)) throw new Error(`Code128 encoding failed for ${JSON.stringify(value)}`);
  return first.sbs;
}

// Code128 asks for a quiet zone of 10 modules each side.
const QUIET_MODULES = 10;

function composeBarcode(box: BarcodeBox, dpmm: number, out: DrawOp[]): void {
  const sbs = code128Modules(box.value);
  const modules = sbs.reduce((a, b) => a + b, 0);
  const x0 = Math.round(box.x * dpmm);
  const wDots = Math.round((box.x + box.w) * dpmm) - x0;
  // Whole dots per module: a bar that is not a whole number of dots scans badly (docs/labels.md#barcodes).
  const module = Math.max(1, Math.min(4, Math.floor(wDots / (modules + 2 * QUIET_MODULES))));
  let x = x0 + Math.max(0, Math.floor((wDots - modules * module) / 2));
  const y0 = Math.round(box.y * dpmm);
  const h = Math.round((box.y + box.h) * dpmm) - y0;
  sbs.forEach((width, i) => {
    // sbs alternates bar, space, bar, ... starting with a bar.
    if (i % 2 === 0) out.push({ op: 'fill', x: x / dpmm, y: y0 / dpmm, w: (width * module) / dpmm, h: h / dpmm, color: 'black' });
    x += width * module;
  });
}

/** Snaps a rectangle to the dot grid (at least one dot each way), so thin rules never vanish or blur. */
function snapFill(a: Area, dpmm: number, color: Color): FillOp {
  const x0 = Math.round(a.x * dpmm);
  const y0 = Math.round(a.y * dpmm);
  const x1 = Math.max(x0 + 1, Math.round((a.x + a.w) * dpmm));
  const y1 = Math.max(y0 + 1, Math.round((a.y + a.h) * dpmm));
  return { op: 'fill', x: x0 / dpmm, y: y0 / dpmm, w: (x1 - x0) / dpmm, h: (y1 - y0) / dpmm, color };
}

/**
 * Resolves a layout into marks for one dot pitch: text wrapped and fitted with the face's widths,
 * rules and barcode bars snapped to whole dots. Both backends draw this list and nothing else.
 */
export function composeLabel(layout: LabelLayout, fonts: LabelFonts, dpmm = 8): DisplayList {
  const ops: DrawOp[] = [];
  for (const box of layout.boxes) {
    switch (box.kind) {
      case 'text':
        if (box.text.trim() !== '') composeText(box, fonts, dpmm, ops);
        break;
      case 'barcode':
        composeBarcode(box, dpmm, ops);
        break;
      case 'rule':
        ops.push(snapFill(box, dpmm, 'black'));
        break;
      case 'frame': {
        const t = box.thickness;
        ops.push(snapFill({ x: box.x, y: box.y, w: box.w, h: t }, dpmm, 'black'));
        ops.push(snapFill({ x: box.x, y: box.y + box.h - t, w: box.w, h: t }, dpmm, 'black'));
        ops.push(snapFill({ x: box.x, y: box.y, w: t, h: box.h }, dpmm, 'black'));
        ops.push(snapFill({ x: box.x + box.w - t, y: box.y, w: t, h: box.h }, dpmm, 'black'));
        break;
      }
    }
  }
  return { widthMm: layout.widthMm, heightMm: layout.heightMm, dpmm, ops };
}
