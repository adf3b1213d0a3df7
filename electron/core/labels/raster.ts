// Raster backend: draws a composed label at the printer's dot pitch with Skia (@napi-rs/canvas) and
// thresholds it to the 1-bit bitmap the printer languages carry.
import { createRequire } from 'node:module';
import type { Canvas, Path2D, SKRSContext2D } from '@napi-rs/canvas';
import { createBitmap, type Bitmap } from './bitmap.ts';
import { loadLabelFonts, type FaceGlyphs, type LabelFontOptions, type LabelFonts } from './font.ts';
import { composeLabel, dotsPerMm, MM_PER_PT, sizeInDots, type DisplayList } from './layout.ts';
import { buildLabel, type LabelData, type LabelView, type TemplateId } from './templates.ts';

type Skia = typeof import('@napi-rs/canvas');
let skiaModule: Skia | null = null;

/**
 * @napi-rs/canvas, loaded on first use and without its system-font scan: on load it registers every
 * installed font (~110 ms with fonts-noto-cjk, the largest part of a cold first label), and labels never
 * use Skia's fonts — glyphs are filled from fontkit outlines (below). The variable is its documented
 * switch and is read only at load, so it is restored at once.
 */
function skia(): Skia {
  if (!skiaModule) {
    const before = process.env.DISABLE_SYSTEM_FONTS_LOAD;
    process.env.DISABLE_SYSTEM_FONTS_LOAD = '1';
    try {
      skiaModule = createRequire(import.meta.url)('@napi-rs/canvas') as Skia;
    } finally {
      if (before === undefined) delete process.env.DISABLE_SYSTEM_FONTS_LOAD;
      else process.env.DISABLE_SYSTEM_FONTS_LOAD = before;
    }
  }
  return skiaModule;
}

// Glyphs are drawn from the face's own outlines (fontkit), not through Skia's font loader: Skia takes
// the first face of a .ttc (the JP one), and the PDF backend draws these very outlines, so the two agree.
const glyphPaths = new WeakMap<FaceGlyphs, Map<number, { path: Path2D; advance: number }>>();

function glyphOutline(font: FaceGlyphs, id: number): { path: Path2D; advance: number } {
  let byId = glyphPaths.get(font);
  if (!byId) {
    byId = new Map();
    glyphPaths.set(font, byId);
  }
  let g = byId.get(id);
  if (!g) {
    const o = font.outline(id);
    g = { path: new (skia().Path2D)(o.svg), advance: o.advance };
    byId.set(id, g);
  }
  return g;
}

// One canvas per size is reused across labels: allocating a Skia surface per label costs more than drawing it.
const canvases = new Map<string, { canvas: Canvas; ctx: SKRSContext2D }>();

function surface(width: number, height: number): { canvas: Canvas; ctx: SKRSContext2D } {
  const key = `${width}x${height}`;
  let s = canvases.get(key);
  if (!s) {
    const canvas = skia().createCanvas(width, height);
    s = { canvas, ctx: canvas.getContext('2d') };
    canvases.set(key, s);
  }
  return s;
}

/** A printer's calibration: how far to move the whole label, in dots (right and down are positive). */
export interface DotOffset {
  x: number;
  y: number;
}

/** Draws the display list at its own dot pitch into a 1-bit bitmap (1 = black), moved by the printer's offset. */
export function rasterize(list: DisplayList, fonts: LabelFonts, offset: DotOffset = { x: 0, y: 0 }): Bitmap {
  const dpmm = list.dpmm;
  const ox = Math.round(offset.x);
  const oy = Math.round(offset.y);
  const { width, height } = sizeInDots(list, dpmm);
  const { ctx } = surface(width, height);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  for (const op of list.ops) {
    ctx.fillStyle = op.color === 'white' ? '#fff' : '#000';
    if (op.op === 'fill') {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      // Snapped ops are whole dots; rounding removes float dust so edges do not antialias.
      const x0 = Math.round(op.x * dpmm);
      const y0 = Math.round(op.y * dpmm);
      ctx.fillRect(x0 + ox, y0 + oy, Math.round((op.x + op.w) * dpmm) - x0, Math.round((op.y + op.h) * dpmm) - y0);
      continue;
    }
    const font = (op.weight === 'bold' ? fonts.bold : fonts.regular).glyphs;
    const scale = (op.sizePt * MM_PER_PT * dpmm) / font.unitsPerEm;
    let pen = op.x * dpmm + ox;
    const base = op.baseline * dpmm + oy;
    for (const id of op.glyphIds) {
      // Font units are y-up; the canvas is y-down. The half-dot shift samples outlines at pixel corners,
      // as 1-bit rasterisers (poppler's, printer firmware's) do, instead of Skia's pixel centres.
      ctx.setTransform(scale, 0, 0, -scale, pen - 0.5, base - 0.5);
      const g = glyphOutline(font, id);
      ctx.fill(g.path);
      pen += g.advance * scale;
    }
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const bm = createBitmap(width, height);
  const { stride, data } = bm;
  // Black where the antialiased coverage is at least half, as a 1-bit rasteriser samples pixel centres.
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    let p = y * width * 4;
    for (let x = 0; x < width; x++, p += 4) {
      if ((rgba[p] as number) < 128) data[row + (x >> 3)] = (data[row + (x >> 3)] as number) | (0x80 >> (x & 7));
    }
  }
  return bm;
}

export interface LabelRasterOptions {
  /** Default: settings.template, else 76x130. */
  template?: TemplateId;
  /** The carrier's template settings (labels/settings.ts): fields shown, block offsets, custom text. */
  settings?: LabelView & { template?: TemplateId };
  /** 203 (8 dots/mm) or 300 (11.81 dots/mm); default 203. */
  dpi?: number;
  fonts?: LabelFontOptions;
  offset?: DotOffset;
}

/** One label as the printer's bitmap. */
export function labelToBitmap(data: LabelData, opts: LabelRasterOptions = {}): Bitmap {
  const fonts = loadLabelFonts(opts.fonts);
  const template = opts.template ?? opts.settings?.template ?? '76x130';
  return rasterize(composeLabel(buildLabel(data, template, opts.settings), fonts, dotsPerMm(opts.dpi ?? 203)), fonts, opts.offset);
}

/** A PNG of a bitmap (black on white), for previews and the CLI. */
export function bitmapToPng(bm: Bitmap): Buffer {
  const rgba = new Uint8ClampedArray(bm.width * bm.height * 4);
  for (let y = 0; y < bm.height; y++) {
    for (let x = 0; x < bm.width; x++) {
      const black = ((bm.data[y * bm.stride + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
      const p = (y * bm.width + x) * 4;
      const v = black ? 0 : 255;
      rgba[p] = v;
      rgba[p + 1] = v;
      rgba[p + 2] = v;
      rgba[p + 3] = 255;
    }
  }
  const { createCanvas, ImageData } = skia();
  const canvas = createCanvas(bm.width, bm.height);
  canvas.getContext('2d').putImageData(new ImageData(rgba, bm.width, bm.height), 0, 0);
  return canvas.encodeSync('png');
}
