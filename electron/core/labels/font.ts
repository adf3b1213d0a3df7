// Loads the CJK faces labels are drawn with (one face per weight, picked out of a .ttc collection)
// and hands pdf-lib a fontkit that subsets them into a PDF poppler and printers can render.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as fontkit from 'fontkit';
import { AppError } from '../../shared/result.ts';
import { readGlyphSeed } from './glyph-seed.ts';
import { faceKey, glyphStoreDir, GlyphStore, type FaceGlyphs, type GlyphBackend, type GlyphSource } from './glyph-store.ts';

let fontkitModule: typeof fontkit | null = null;

/**
 * fontkit, loaded on first use: a process that prints no label (most CLI commands, a web host that has
 * not printed yet) never pays for it, and its CommonJS build loads ~40% faster than the ESM one (the
 * bench's cold first label counts this).
 */
function fontkitLib(): typeof fontkit {
  fontkitModule ??= createRequire(import.meta.url)('fontkit') as typeof fontkit;
  return fontkitModule;
}

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

/**
 * One face: its bytes (for pdf-lib) and the parsed font, both read on first use, and `glyphs` — the
 * character map, advances and outlines that layout and raster draw with, served from the on-disk glyph
 * store (glyph-store.ts) so a warm station never parses the font to print a label.
 */
export interface LoadedFace {
  readonly source: FaceSource;
  readonly bytes: Uint8Array;
  readonly font: fontkit.Font;
  readonly glyphs: FaceGlyphs;
  /** Whether the font file has been parsed in this process. */
  readonly parsed: boolean;
}

export interface LabelFonts {
  regular: LoadedFace;
  bold: LoadedFace;
}

/** The label faces ShopFleet ships (resources/fonts, made by scripts/build-label-fonts.sh from Noto Sans CJK SC). */
export const BUNDLED_FONT_FILES = { regular: 'NotoSansCJKsc-Label-Regular.otf', bold: 'NotoSansCJKsc-Label-Bold.otf' } as const;

/**
 * Where the bundled faces are: SHOPFLEET_FONT_DIR, else resources/fonts found upwards from this module
 * (the source tree, dist-cli/ and dist-electron/ in development), else the packaged app's resources
 * folder (electron-builder's extraResources; Electron sets process.resourcesPath in every process).
 * Null when none holds them, so the system faces below are tried.
 */
export function bundledFontDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    env.SHOPFLEET_FONT_DIR,
    ...[1, 2, 3].map((up) => path.resolve(here, ...Array<string>(up).fill('..'), 'resources', 'fonts')),
    resourcesPath ? path.join(resourcesPath, 'fonts') : undefined,
  ];
  return candidates.find((dir): dir is string => !!dir && fs.existsSync(path.join(dir, BUNDLED_FONT_FILES.regular))) ?? null;
}

// The fallback when the bundled faces are missing (a trimmed install): Debian/Ubuntu's fonts-noto-cjk
// ships only collections; the SC face draws the Simplified Chinese glyph forms (the JP face, first in
// the file, draws e.g. 直 and 骨 differently).
export const SYSTEM_REGULAR: FaceSource = {
  path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  postscriptName: 'NotoSansCJKsc-Regular',
};
export const SYSTEM_BOLD: FaceSource = {
  path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  postscriptName: 'NotoSansCJKsc-Bold',
};

/** The faces labels use unless told otherwise: the bundled ones (the same glyphs on every station and OS), else the system's. */
export function defaultFaces(dir: string | null = bundledFontDir()): { regular: FaceSource; bold: FaceSource } {
  if (!dir) return { regular: SYSTEM_REGULAR, bold: SYSTEM_BOLD };
  return { regular: { path: path.join(dir, BUNDLED_FONT_FILES.regular) }, bold: { path: path.join(dir, BUNDLED_FONT_FILES.bold) } };
}

/** The font paths from the environment, so a station (or CI) can point at a bundled font without code. */
export function fontOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LabelFontOptions {
  const opts: LabelFontOptions = {};
  if (env.SHOPFLEET_LABEL_FONT) opts.regular = { path: env.SHOPFLEET_LABEL_FONT, postscriptName: env.SHOPFLEET_LABEL_FONT_FACE };
  if (env.SHOPFLEET_LABEL_FONT_BOLD) opts.bold = { path: env.SHOPFLEET_LABEL_FONT_BOLD, postscriptName: env.SHOPFLEET_LABEL_FONT_BOLD_FACE };
  return opts;
}

/** The missing-font error, with the remedy for this operating system (only Linux has a package to install). */
export function missingFont(source: FaceSource, why: string, platform: NodeJS.Platform = process.platform): AppError {
  const system =
    platform === 'linux'
      ? 'else install the Debian/Ubuntu package fonts-noto-cjk (apt-get install fonts-noto-cjk), '
      : 'else reinstall ShopFleet (the fonts are part of the installer), ';
  return new AppError(
    'NOT_FOUND',
    `标签字体不可用 / label font unavailable: ${source.path}${source.postscriptName ? ` (${source.postscriptName})` : ''} — ${why}. ` +
      'ShopFleet ships its label fonts in resources/fonts (set SHOPFLEET_FONT_DIR to that folder if it moved); ' +
      system +
      'or set SHOPFLEET_LABEL_FONT (and SHOPFLEET_LABEL_FONT_FACE for a .ttc) to a CJK font file.',
    { path: source.path, face: source.postscriptName, ...(platform === 'linux' ? { package: 'fonts-noto-cjk' } : {}) },
  );
}

function readFace(source: FaceSource): Buffer {
  try {
    return fs.readFileSync(source.path);
  } catch (err) {
    throw missingFont(source, (err as NodeJS.ErrnoException).code ?? 'cannot read');
  }
}

/** Parses one face; a collection without a named face is refused rather than guessed. */
function parseFace(source: FaceSource, bytes: Buffer): fontkit.Font {
  let font: fontkit.Font | fontkit.FontCollection | null;
  try {
    font = fontkitLib().create(bytes, source.postscriptName);
  } catch (err) {
    throw missingFont(source, `not a font (${(err as Error).message})`);
  }
  if (!font) throw missingFont(source, 'face not found in the collection');
  if ('fonts' in font) throw missingFont(source, `a collection: name a face, one of ${font.fonts.map((f) => f.postscriptName).join(', ')}`);
  return font;
}

class Face implements LoadedFace {
  private fileBytes: Buffer | null = null;
  private parsedFont: fontkit.Font | null = null;
  readonly glyphs: GlyphStore;

  constructor(
    readonly source: FaceSource,
    storeKey: string,
  ) {
    const face = (): GlyphBackend => {
      const font = this.font;
      return {
        unitsPerEm: font.unitsPerEm,
        glyphForCodePoint: (cp) => font.glyphForCodePoint(cp),
        outline: (id) => {
          const g = font.getGlyph(id);
          return { svg: g.path.toSVG(), advance: g.advanceWidth };
        },
      };
    };
    // Seeds are made for the bundled single-face fonts (scripts/build-glyph-seeds.ts), never for a collection.
    const seed = () => (source.postscriptName ? null : readGlyphSeed(source.path));
    this.glyphs = new GlyphStore(storeKey, glyphStoreDir(), face, seed);
  }

  get bytes(): Buffer {
    this.fileBytes ??= readFace(this.source);
    return this.fileBytes;
  }

  get font(): fontkit.Font {
    this.parsedFont ??= parseFace(this.source, this.bytes);
    return this.parsedFont;
  }

  get parsed(): boolean {
    return this.parsedFont !== null;
  }
}

const cache = new Map<string, LoadedFace>();
let defaults: { regular: FaceSource; bold: FaceSource } | null = null;

function cachedFace(source: FaceSource): LoadedFace {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source.path);
  } catch (err) {
    throw missingFont(source, (err as NodeJS.ErrnoException).code ?? 'cannot read');
  }
  // The file's size and mtime are in the key: a font replaced under a running station is opened afresh.
  const key = faceKey(source.path, source.postscriptName, stat);
  let face = cache.get(key);
  if (!face) {
    const f = new Face(source, key);
    // Without a stored map the face is parsed now, so a wrong path or face fails here, not mid-batch.
    if (!f.glyphs.warm) void f.font;
    face = f;
    cache.set(key, face);
  }
  return face;
}

/** Forgets the faces parsed in this process (tests use it to act as a fresh process). */
export function forgetLoadedFonts(): void {
  for (const f of cache.values()) (f.glyphs as GlyphStore).flush();
  cache.clear();
  defaults = null;
}

/**
 * The faces labels use, parsed once per process (parsing a face's CFF table is the slow part of a
 * first label when the glyph store has nothing yet). Throws NOT_FOUND, saying where fonts come from,
 * when the regular face is missing.
 */
export function loadLabelFonts(opts: LabelFontOptions = fontOptionsFromEnv()): LabelFonts {
  // Looked up once: labels are drawn one by one, and the folder does not move under a running station.
  const fallback = () => (defaults ??= defaultFaces());
  const regular = cachedFace(opts.regular ?? fallback().regular);
  let bold = regular;
  try {
    bold = cachedFace(opts.bold ?? opts.regular ?? fallback().bold);
  } catch {
    // Bold is a nicety; see LabelFontOptions.bold.
  }
  return { regular, bold };
}

const glyphCache = new WeakMap<object, Map<number, unknown>>();

/**
 * The glyphs of a string by the face's character map alone, one per code point, memoised per face.
 * Labels need no shaping (no complex scripts, no ligatures wanted), and fontkit's full layout of a CJK
 * face is slow; both backends and pdf-lib (see pdfFontkit) use this, so they always draw the same glyphs.
 */
export function glyphRun<G>(font: { glyphForCodePoint(cp: number): G }, text: string): G[] {
  let byCp = glyphCache.get(font) as Map<number, G> | undefined;
  if (!byCp) {
    byCp = new Map();
    glyphCache.set(font, byCp as Map<number, unknown>);
  }
  const out: G[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    let g = byCp.get(cp);
    if (g === undefined) {
      g = font.glyphForCodePoint(cp);
      byCp.set(cp, g);
    }
    out.push(g);
  }
  return out;
}

export type { FaceGlyphs, GlyphSource };

/**
 * A fontkit for pdf-lib's registerFontkit: pdf-lib hands it the face's bytes, and it returns the face we
 * already chose. pdf-lib 1.17 calls `subset.encodeStream()`, which fontkit 2 removed; fontkit 1's CFF
 * subsets do not render in poppler (pdf-lib#1232), so we use fontkit 2 and give its subset the
 * stream pdf-lib expects (docs/labels.md#cjk-fonts-in-pdfs).
 */
export function pdfFontkit(faces: LoadedFace[]): { create(bytes: Uint8Array): fontkit.Font } {
  return {
    create(bytes: Uint8Array): fontkit.Font {
      const face = faces.find((f) => f.bytes === bytes || (f.bytes.length === bytes.length && Buffer.compare(f.bytes, bytes) === 0));
      // A fresh parse per document: pdf-lib mutates nothing, but subsets must not share state across documents.
      const font = fontkitLib().create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), face?.source.postscriptName) as fontkit.Font;
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
