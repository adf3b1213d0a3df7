// A glyph seed: the character map, advances and outlines of the characters most labels carry, made at
// build time for each bundled face and shipped beside it (`<face>.otf.glyphs`). The glyph store
// looks in it after the station's own store, so even a fresh install's very first label is drawn
// without loading fontkit or parsing a face; characters outside it come from the face as usual and
// join the station's own store.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as fontkit from 'fontkit';

export const SEED_SUFFIX = '.glyphs';
// Bump when what a seed holds changes; older seeds are then ignored (and rebuilt by the build).
// 3: a JSON header line, then the outlines' SVG paths as raw ASCII (was one JSON object per glyph).
const SEED_FORMAT = 3;

/**
 * A seed file is one line of JSON — the character map, and the outlines' glyph ids, advances and
 * end offsets — then the outlines' SVG paths back to back as ASCII bytes. Parsing the two faces'
 * 2.8 MB of JSON took ~90 ms of a cold process's first label; the header is 100 KB, the rest is read
 * as bytes, and a path is cut out of them only when a label draws that glyph.
 */
interface SeedHeader {
  format: number;
  font: string;
  text?: string;
  unitsPerEm: number;
  cmap: Record<string, [number, number]>;
  ids: number[];
  advances: number[];
  /** Where each glyph's path ends, counted in bytes from the first byte after the header line. */
  ends: number[];
}

/** A face's seed as the glyph store uses it. */
export interface GlyphSeed {
  /** fontIdentity() of the face it was made from: a seed never applies to another file. */
  font: string;
  /** seedTextHash() of the characters it was made for: the build remakes a seed whose text changed. */
  text?: string;
  unitsPerEm: number;
  /** code point → [glyph id, advance] */
  cmap: Record<string, [number, number]>;
  /** How many outlines it holds. */
  glyphs: number;
  /** The glyph's outline (SVG path in font units, y up) and advance, or null when the seed lacks it. */
  outline(id: number): { svg: string; advance: number } | null;
}

function seedOf(h: SeedHeader, bytes: Buffer, base: number): GlyphSeed {
  let index: Map<number, number> | null = null;
  return {
    font: h.font,
    ...(h.text !== undefined ? { text: h.text } : {}),
    unitsPerEm: h.unitsPerEm,
    cmap: h.cmap,
    glyphs: h.ids.length,
    outline(id) {
      index ??= new Map(h.ids.map((g, i) => [g, i]));
      const i = index.get(id);
      if (i === undefined) return null;
      return { svg: bytes.toString('latin1', base + (i === 0 ? 0 : (h.ends[i - 1] as number)), base + (h.ends[i] as number)), advance: h.advances[i] as number };
    },
  };
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
  let bytes: Buffer;
  let h: SeedHeader;
  let base: number;
  try {
    bytes = fs.readFileSync(seedPathFor(fontPath));
    const nl = bytes.indexOf(0x0a);
    if (nl < 0) return null;
    h = JSON.parse(bytes.toString('utf8', 0, nl)) as SeedHeader;
    base = nl + 1;
  } catch {
    return null;
  }
  if (h.format !== SEED_FORMAT || !(h.unitsPerEm > 0) || h.font !== fontIdentity(fontPath)) return null;
  const n = Array.isArray(h.ids) ? h.ids.length : -1;
  // A short or padded file (an interrupted copy) is no seed: the paths must end exactly at the file's end.
  if (!Array.isArray(h.advances) || !Array.isArray(h.ends) || h.advances.length !== n || h.ends.length !== n || (n > 0 ? h.ends[n - 1] : 0) !== bytes.length - base) return null;
  if (typeof h.cmap !== 'object' || h.cmap === null || h.ends.some((e, i) => !(e >= (i === 0 ? 0 : (h.ends[i - 1] as number))))) return null; // a blank glyph (space) has an empty path
  return seedOf(h, bytes, base);
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
  const seed: SeedHeader = { format: SEED_FORMAT, font: identity, text: seedTextHash(text), unitsPerEm: font.unitsPerEm, cmap: {}, ids: [], advances: [], ends: [] };
  const paths: string[] = [];
  const seen = new Set<number>();
  let end = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    const g = font.glyphForCodePoint(cp);
    if (g.id === 0) continue; // not in the face: the station's own store learns what it draws instead
    seed.cmap[cp] = [g.id, g.advanceWidth];
    if (seen.has(g.id)) continue;
    seen.add(g.id);
    const svg = g.path.toSVG();
    // Offsets count bytes: SVG paths are plain ASCII (commands, digits, signs, points, spaces).
    if (!/^[\x20-\x7e]*$/.test(svg)) throw new Error(`${fontPath}: glyph ${g.id} has a non-ASCII path`);
    seed.ids.push(g.id);
    seed.advances.push(g.advanceWidth);
    paths.push(svg);
    seed.ends.push((end += svg.length));
  }
  const file = seedPathFor(fontPath);
  const content = Buffer.concat([Buffer.from(`${JSON.stringify(seed)}\n`, 'utf8'), Buffer.from(paths.join(''), 'latin1')]);
  // Written aside and renamed: a station never reads half a seed.
  fs.writeFileSync(`${file}.tmp`, content);
  fs.renameSync(`${file}.tmp`, file);
  return { file, glyphs: seed.ids.length, bytes: content.length };
}
