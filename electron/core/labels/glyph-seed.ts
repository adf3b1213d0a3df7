// A glyph seed: the character map, advances and outlines of the characters most labels carry, made at
// build time for each bundled face and shipped beside it (`<face>.otf.glyphs.json`). A station whose
// glyph store is still empty — a fresh install, a wiped cache — starts from the seed, so even its very
// first label is drawn without loading fontkit or parsing a face; characters outside it come from the
// face as usual and join the station's own store.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as fontkit from 'fontkit';

export const SEED_SUFFIX = '.glyphs.json';
// Bump when what a seed holds changes; older seeds are then ignored (and rebuilt by the build).
const SEED_FORMAT = 1;

export interface GlyphSeed {
  format: number;
  /** fontIdentity() of the face it was made from: a seed never applies to another file. */
  font: string;
  /** seedTextHash() of the characters it was made for: the build remakes a seed whose text changed. */
  text?: string;
  unitsPerEm: number;
  /** code point → [glyph id, advance] */
  cmap: Record<string, [number, number]>;
  /** glyph id → [SVG path in font units, advance] */
  outlines: Record<string, [string, number]>;
}

export const seedPathFor = (fontPath: string): string => `${fontPath}${SEED_SUFFIX}`;

/**
 * A single-face font file's identity without reading it whole: its size, and a hash of its table
 * directory (every table's own checksum, offset and length) with the whole-file checksum adjustment the
 * `head` table records. A font tool that rewrites any table changes its directory checksum even when it
 * leaves checkSumAdjustment stale. Null for collections (.ttc) and unreadable files.
 */
export function fontIdentity(fontPath: string): string | null {
  let fd: number;
  try {
    fd = fs.openSync(fontPath, 'r');
  } catch {
    return null;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const header = Buffer.alloc(12);
    if (fs.readSync(fd, header, 0, 12, 0) < 12 || header.toString('latin1', 0, 4) === 'ttcf') return null;
    const numTables = header.readUInt16BE(4);
    const dir = Buffer.alloc(16 * numTables);
    if (fs.readSync(fd, dir, 0, dir.length, 12) < dir.length) return null;
    for (let i = 0; i < numTables; i++) {
      if (dir.toString('latin1', i * 16, i * 16 + 4) !== 'head') continue;
      const adj = Buffer.alloc(4);
      if (fs.readSync(fd, adj, 0, 4, dir.readUInt32BE(i * 16 + 8) + 8) < 4) return null;
      return `${size}:${createHash('sha256').update(dir).update(adj).digest('hex').slice(0, 24)}`;
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** The face's seed, if one was made from this very file; anything else (missing, stale, damaged) is null. */
export function readGlyphSeed(fontPath: string): GlyphSeed | null {
  let seed: GlyphSeed;
  try {
    seed = JSON.parse(fs.readFileSync(seedPathFor(fontPath), 'utf8')) as GlyphSeed;
  } catch {
    return null;
  }
  if (seed.format !== SEED_FORMAT || !(seed.unitsPerEm > 0) || seed.font !== fontIdentity(fontPath)) return null;
  return seed;
}

/**
 * What a seed covers: the 3,755 characters of GB 2312 level 1 (the common Han characters), the names
 * of China's provinces, cities and districts (every address starts with them), ASCII, and the
 * punctuation and marks labels and buyer messages use.
 */
export function seedText(divisionNames: readonly string[]): string {
  const chars = new Set<string>();
  const gbk = new TextDecoder('gbk');
  // GB 2312 level 1 is rows 16–55: lead bytes 0xB0–0xD7, trail bytes 0xA1–0xFE (row 55 ends at 0xF9).
  for (let lead = 0xb0; lead <= 0xd7; lead++) {
    for (let trail = 0xa1; trail <= (lead === 0xd7 ? 0xf9 : 0xfe); trail++) chars.add(gbk.decode(Uint8Array.of(lead, trail)));
  }
  for (const name of divisionNames) for (const ch of name) chars.add(ch);
  for (let cp = 0x20; cp < 0x7f; cp++) chars.add(String.fromCharCode(cp));
  for (const ch of '，。、：；！？（）【】《》「」“”‘’—…·￥×÷±℃№①②③④⑤⑥⑦⑧⑨⑩★☆●○■□▲△◆◇→←↑↓') chars.add(ch);
  return [...chars].join('');
}

/** A short hash of a seed's characters, recorded in the seed. */
export const seedTextHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Makes the seed of one single-face font for `text` and writes it beside the font. */
export function writeGlyphSeed(fontPath: string, text: string): { file: string; glyphs: number; bytes: number } {
  const identity = fontIdentity(fontPath);
  if (!identity) throw new Error(`${fontPath}: not a single-face OpenType font`);
  const fk = createRequire(import.meta.url)('fontkit') as typeof fontkit;
  const font = fk.create(fs.readFileSync(fontPath)) as fontkit.Font;
  const seed: GlyphSeed = { format: SEED_FORMAT, font: identity, text: seedTextHash(text), unitsPerEm: font.unitsPerEm, cmap: {}, outlines: {} };
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    const g = font.glyphForCodePoint(cp);
    if (g.id === 0) continue; // not in the face: the station's own store learns what it draws instead
    seed.cmap[cp] = [g.id, g.advanceWidth];
    seed.outlines[g.id] ??= [g.path.toSVG(), g.advanceWidth];
  }
  const file = seedPathFor(fontPath);
  const json = JSON.stringify(seed);
  // Written aside and renamed: a station never reads half a seed.
  fs.writeFileSync(`${file}.tmp`, json);
  fs.renameSync(`${file}.tmp`, file);
  return { file, glyphs: Object.keys(seed.outlines).length, bytes: json.length };
}
