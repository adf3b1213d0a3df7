// Loads the CJK faces labels are drawn with (one face per weight, picked out of a .ttc collection)
// and hands pdf-lib a fontkit that subsets them into a PDF poppler and printers can render.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import { AppError } from '../../shared/result.ts';

export type FontWeight = 'regular' | 'bold';

/** Where a face lives: a font file (a .ttc collection or a single-face .otf/.ttf) and, for a collection, its PostScript name. */
export interface FaceSource {
  path: string;
  postscriptName?: string;
}

export interface LabelFontOptions {
  regular?: FaceSource;
  /** Missing bold falls back to the regular face: labels stay printable, the sort code is just thinner. */
  bold?: FaceSource;
}

/** One loaded face: its bytes (for pdf-lib) and the parsed font (for measuring and for raster outlines). */
export interface LoadedFace {
  source: FaceSource;
  bytes: Uint8Array;
  font: fontkit.Font;
}

export interface LabelFonts {
  regular: LoadedFace;
  bold: LoadedFace;
}

// Debian/Ubuntu's fonts-noto-cjk ships only collections; the SC face draws the Simplified Chinese
// glyph forms (the JP face, first in the file, draws e.g. 直 and 骨 differently).
export const DEFAULT_REGULAR: FaceSource = {
  path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  postscriptName: 'NotoSansCJKsc-Regular',
};
export const DEFAULT_BOLD: FaceSource = {
  path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  postscriptName: 'NotoSansCJKsc-Bold',
};

/** The font paths from the environment, so a station (or CI) can point at a bundled font without code. */
export function fontOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LabelFontOptions {
  const opts: LabelFontOptions = {};
  if (env.SHOPFLEET_LABEL_FONT) opts.regular = { path: env.SHOPFLEET_LABEL_FONT, postscriptName: env.SHOPFLEET_LABEL_FONT_FACE };
  if (env.SHOPFLEET_LABEL_FONT_BOLD) opts.bold = { path: env.SHOPFLEET_LABEL_FONT_BOLD, postscriptName: env.SHOPFLEET_LABEL_FONT_BOLD_FACE };
  return opts;
}

function missingFont(source: FaceSource, why: string): AppError {
  return new AppError(
    'NOT_FOUND',
    `标签字体不可用 / label font unavailable: ${source.path}${source.postscriptName ? ` (${source.postscriptName})` : ''} — ${why}. ` +
      'Install the Debian/Ubuntu package fonts-noto-cjk (apt-get install fonts-noto-cjk), ' +
      'or set SHOPFLEET_LABEL_FONT (and SHOPFLEET_LABEL_FONT_FACE for a .ttc) to a CJK font file.',
    { path: source.path, face: source.postscriptName, package: 'fonts-noto-cjk' },
  );
}

/** Opens one face; a collection without a named face is refused rather than guessed. */
function openFace(source: FaceSource): LoadedFace {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(source.path);
  } catch (err) {
    throw missingFont(source, (err as NodeJS.ErrnoException).code ?? 'cannot read');
  }
  let font: fontkit.Font | fontkit.FontCollection | null;
  try {
    font = fontkit.create(bytes, source.postscriptName);
  } catch (err) {
    throw missingFont(source, `not a font (${(err as Error).message})`);
  }
  if (!font) throw missingFont(source, 'face not found in the collection');
  if ('fonts' in font) throw missingFont(source, `a collection: name a face, one of ${font.fonts.map((f) => f.postscriptName).join(', ')}`);
  return { source, bytes, font };
}

const cache = new Map<string, LoadedFace>();

function cachedFace(source: FaceSource): LoadedFace {
  const key = `${source.path}\0${source.postscriptName ?? ''}`;
  let face = cache.get(key);
  if (!face) {
    face = openFace(source);
    cache.set(key, face);
  }
  return face;
}

/**
 * The faces labels use, parsed once per process (parsing the 19 MB collection header and tables is the
 * slow part of the first label). Throws NOT_FOUND naming fonts-noto-cjk when the regular face is missing.
 */
export function loadLabelFonts(opts: LabelFontOptions = fontOptionsFromEnv()): LabelFonts {
  const regular = cachedFace(opts.regular ?? DEFAULT_REGULAR);
  let bold = regular;
  try {
    bold = cachedFace(opts.bold ?? (opts.regular ? opts.regular : DEFAULT_BOLD));
  } catch {
    // Bold is a nicety; see LabelFontOptions.bold.
  }
  return { regular, bold };
}

const glyphCache = new WeakMap<fontkit.Font, Map<number, fontkit.Glyph>>();

/**
 * The glyphs of a string by the face's character map alone, one per code point, memoised per face.
 * Labels need no shaping (no complex scripts, no ligatures wanted), and fontkit's full layout of a CJK
 * face is slow; both backends and pdf-lib (see pdfFontkit) use this, so they always draw the same glyphs.
 */
export function glyphRun(font: fontkit.Font, text: string): fontkit.Glyph[] {
  let byCp = glyphCache.get(font);
  if (!byCp) {
    byCp = new Map();
    glyphCache.set(font, byCp);
  }
  const out: fontkit.Glyph[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    let g = byCp.get(cp);
    if (!g) {
      g = font.glyphForCodePoint(cp);
      byCp.set(cp, g);
    }
    out.push(g);
  }
  return out;
}

/**
 * A fontkit for pdf-lib's registerFontkit: pdf-lib hands it the face's bytes, and it returns the face we
 * already chose. pdf-lib 1.17 calls `subset.encodeStream()`, which fontkit 2 removed; fontkit 1's CFF
 * subsets do not render in poppler (pdf-lib#1232), so we use fontkit 2 and give its subset the
 * stream pdf-lib expects (printing.md §4.4).
 */
export function pdfFontkit(faces: LoadedFace[]): { create(bytes: Uint8Array): fontkit.Font } {
  return {
    create(bytes: Uint8Array): fontkit.Font {
      const face = faces.find((f) => f.bytes === bytes || (f.bytes.length === bytes.length && Buffer.compare(f.bytes, bytes) === 0));
      // A fresh parse per document: pdf-lib mutates nothing, but subsets must not share state across documents.
      const font = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), face?.source.postscriptName) as fontkit.Font;
      // pdf-lib encodes and measures text through layout(); give it the same unshaped run the raster draws.
      (font as { layout: (text: string) => { glyphs: fontkit.Glyph[] } }).layout = (text: string) => ({ glyphs: glyphRun(font, text) });
      const makeSubset = font.createSubset.bind(font);
      (font as { createSubset: () => fontkit.Subset }).createSubset = () => {
        const subset = makeSubset();
        (subset as fontkit.Subset & { encodeStream: () => EventEmitter }).encodeStream = () => {
          const stream = new EventEmitter();
          setImmediate(() => {
            try {
              stream.emit('data', subset.encode());
              stream.emit('end');
            } catch (err) {
              stream.emit('error', err);
            }
          });
          return stream;
        };
        return subset;
      };
      return font;
    },
  };
}
