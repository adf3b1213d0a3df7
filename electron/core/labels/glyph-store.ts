// What labels need of a face — its character map, advance widths and glyph outlines — remembered on
// disk between processes, so a cold process draws its first label without loading fontkit or parsing
// the 19 MB CJK collection (the CFF table alone takes ~60 ms per face). Misses go to the real face.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GlyphSeed } from './glyph-seed.ts';

/** One glyph as layout needs it (a fontkit Glyph has these too). */
export interface GlyphMetrics {
  id: number;
  advanceWidth: number;
}

/** The measuring and drawing interface both layout and raster use; fontkit.Font satisfies the first two members. */
export interface GlyphSource {
  readonly unitsPerEm: number;
  glyphForCodePoint(codePoint: number): GlyphMetrics;
}

export interface FaceGlyphs extends GlyphSource {
  /** The glyph's outline as an SVG path in font units (y up), and its advance. */
  outline(id: number): { svg: string; advance: number };
}

/** The real face, opened only on a miss. */
export interface GlyphBackend {
  unitsPerEm: number;
  glyphForCodePoint(cp: number): GlyphMetrics;
  outline(id: number): { svg: string; advance: number };
}

// Bump when what is stored or how outlines are made changes; old files are then ignored.
// 2: stores start from the face's glyph seed (glyph-seed.ts), so older, seedless files are dropped.
// 3: stores hold only what the face taught; the seed is read beside them, not copied into them.
const FORMAT = 3;
// Beyond the seed's 4,000 common glyphs, a few thousand rare ones is years of addresses; past this
// the file stops growing (it is parsed whole at every cold start).
const MAX_GLYPHS = 6_000;

interface StoreFile {
  format: number;
  key: string;
  unitsPerEm: number;
  /** code point → [glyph id, advance] */
  cmap: Record<string, [number, number]>;
  /** glyph id → [SVG path, advance] */
  outlines: Record<string, [string, number]>;
}

/** Where the store lives: SHOPFLEET_GLYPH_CACHE (a directory, or "off"), else the user's cache folder. */
export function glyphStoreDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env.SHOPFLEET_GLYPH_CACHE;
  if (v === 'off') return null;
  if (v) return v;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'ShopFleet', 'glyphs');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'ShopFleet', 'glyphs');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'shopfleet', 'glyphs');
}

/** The file's identity: path, face, size and modification time — a replaced font file is a new key. */
export function faceKey(fontPath: string, postscriptName: string | undefined, stat: fs.Stats): string {
  return `${path.resolve(fontPath)}\0${postscriptName ?? ''}\0${stat.size}\0${Math.round(stat.mtimeMs)}`;
}

const pendingFlush = new Set<GlyphStore>();
let exitHook = false;

function flushAll(): void {
  for (const s of pendingFlush) s.flush();
}

export class GlyphStore implements FaceGlyphs {
  private readonly file: string | null;
  /** What the real face taught this station (on disk between processes). */
  private data: StoreFile | null = null;
  /** The face's build-time seed, read once on first use (undefined: not yet read). */
  private seedFace: GlyphSeed | null | undefined;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  /** How many lookups went to the real face (tests and the bench read this). */
  misses = 0;

  constructor(
    private readonly key: string,
    dir: string | null,
    private readonly backend: () => GlyphBackend,
    /** The face's build-time seed, when it has one: consulted after the store, before the face. */
    private readonly seed: () => GlyphSeed | null = () => null,
  ) {
    this.file = dir ? path.join(dir, `${createHash('sha1').update(key).digest('hex').slice(0, 20)}.json`) : null;
    this.data = this.read();
  }

  /** True when the store or the seed knows this face: the caller may skip parsing the font. */
  get warm(): boolean {
    return (this.data !== null && Object.keys(this.data.cmap).length > 0) || this.seeded() !== null;
  }

  get unitsPerEm(): number {
    return this.data?.unitsPerEm ?? this.seeded()?.unitsPerEm ?? this.backend().unitsPerEm;
  }

  glyphForCodePoint(cp: number): GlyphMetrics {
    const hit = this.data?.cmap[cp] ?? this.seeded()?.cmap[cp];
    if (hit) return { id: hit[0], advanceWidth: hit[1] };
    this.misses++;
    const g = this.backend().glyphForCodePoint(cp);
    this.remember((d) => {
      d.cmap[cp] = [g.id, g.advanceWidth];
    });
    return { id: g.id, advanceWidth: g.advanceWidth };
  }

  outline(id: number): { svg: string; advance: number } {
    const hit = this.data?.outlines[id];
    if (hit) return { svg: hit[0], advance: hit[1] };
    const seeded = this.seeded()?.outline(id);
    if (seeded) return seeded;
    this.misses++;
    const o = this.backend().outline(id);
    this.remember((d) => {
      if (Object.keys(d.outlines).length < MAX_GLYPHS) d.outlines[id] = [o.svg, o.advance];
    });
    return o;
  }

  /** Writes what was learnt (atomically: a reader never sees half a file). Failures only cost speed. */
  flush(): void {
    pendingFlush.delete(this);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty || !this.file || !this.data) return;
    this.dirty = false;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(this.data));
      fs.renameSync(tmp, this.file);
    } catch {
      // A read-only home or a full disk: labels still print, the next process just parses the font again.
    }
  }

  private remember(write: (d: StoreFile) => void): void {
    this.data ??= { format: FORMAT, key: this.key, unitsPerEm: this.seeded()?.unitsPerEm ?? this.backend().unitsPerEm, cmap: {}, outlines: {} };
    write(this.data);
    if (!this.file) return;
    this.dirty = true;
    pendingFlush.add(this);
    // Soon after a batch of new glyphs, and at exit for a short CLI run; never keeps the process alive.
    this.timer ??= setTimeout(() => this.flush(), 1000).unref();
    if (!exitHook) {
      exitHook = true;
      process.once('exit', flushAll);
    }
  }

  private seeded(): GlyphSeed | null {
    if (this.seedFace === undefined) this.seedFace = this.seed();
    return this.seedFace;
  }

  private read(): StoreFile | null {
    if (!this.file) return null;
    try {
      const d = JSON.parse(fs.readFileSync(this.file, 'utf8')) as StoreFile;
      // A hash collision or an older format: start afresh.
      return d.format === FORMAT && d.key === this.key && d.unitsPerEm > 0 ? d : null;
    } catch {
      return null;
    }
  }
}
