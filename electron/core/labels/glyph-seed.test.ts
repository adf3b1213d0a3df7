// Glyph seeds: made from a bundled face, they let a station with an empty glyph store draw its first
// label without parsing a face — the same pixels as without them — and a seed never applies to a font
// file it was not made from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bitmapsEqual } from './bitmap.ts';
import { BUNDLED_FONT_FILES, bundledFontDir, forgetLoadedFonts, loadLabelFonts, SYSTEM_REGULAR } from './font.ts';
import { fontIdentity, readGlyphSeed, seedPathFor, seedText, seedTextHash, writeGlyphSeed } from './glyph-seed.ts';
import type { GlyphStore } from './glyph-store.ts';
import { labelToBitmap } from './raster.ts';
import { sampleLabelData } from './sample-data.ts';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const env = { cache: process.env.SHOPFLEET_GLYPH_CACHE, fonts: process.env.SHOPFLEET_FONT_DIR };
const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
const misses = (s: unknown) => (s as GlyphStore).misses;

let fontDir: string;
let storeDir: string;
const regular = () => path.join(fontDir, BUNDLED_FONT_FILES.regular);
const bold = () => path.join(fontDir, BUNDLED_FONT_FILES.bold);

beforeAll(() => {
  fontDir = tmp('shopfleet-seed-fonts-');
  storeDir = tmp('shopfleet-seed-store-');
  for (const f of Object.values(BUNDLED_FONT_FILES)) fs.copyFileSync(path.join(bundledFontDir() as string, f), path.join(fontDir, f));
  process.env.SHOPFLEET_FONT_DIR = fontDir;
  process.env.SHOPFLEET_GLYPH_CACHE = storeDir;
});
afterAll(() => {
  forgetLoadedFonts();
  restore('SHOPFLEET_GLYPH_CACHE', env.cache);
  restore('SHOPFLEET_FONT_DIR', env.fonts);
  fs.rmSync(fontDir, { recursive: true, force: true });
  fs.rmSync(storeDir, { recursive: true, force: true });
});

describe('fontIdentity', () => {
  it("is the file's size and a hash of its table checksums; a collection or a missing file has none", () => {
    const id = fontIdentity(regular());
    expect(id).toMatch(new RegExp(`^${fs.statSync(regular()).size}:[0-9a-f]{24}$`));
    // A byte-identical copy is the same face; one table rewritten (its directory checksum changed, the
    // head's whole-file adjustment left stale, as a careless tool would) is not.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-identity-'));
    try {
      const bytes = fs.readFileSync(regular());
      fs.writeFileSync(path.join(dir, 'same.otf'), bytes);
      expect(fontIdentity(path.join(dir, 'same.otf'))).toBe(id);
      const edited = Buffer.from(bytes);
      edited.writeUInt32BE((edited.readUInt32BE(12 + 4) + 1) >>> 0, 12 + 4); // first table's checksum
      fs.writeFileSync(path.join(dir, 'edited.otf'), edited);
      expect(fontIdentity(path.join(dir, 'edited.otf'))).not.toBe(id);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(fontIdentity(bold())).not.toBe(id);
    expect(fontIdentity('/nonexistent.otf')).toBeNull();
    if (fs.existsSync(SYSTEM_REGULAR.path)) expect(fontIdentity(SYSTEM_REGULAR.path)).toBeNull();
  });
});

describe('seedText', () => {
  it('holds GB 2312 level 1, the division names given, ASCII and label punctuation', () => {
    const text = seedText(['鄂尔多斯市', '康巴什区']);
    expect(text).toContain('啊'); // the first character of level 1
    expect(text).toContain('座'); // and its last
    expect(text).not.toContain('亍'); // level 2 starts here: not in the seed unless a name uses it
    for (const ch of '鄂尔多斯市康巴什区AZaz09-#（）×') expect(text).toContain(ch);
    expect(new Set(text).size).toBe([...text].length);
  });
});

describe('a seeded store', () => {
  it('draws the first label of an empty store without parsing a face, pixel for pixel as the font draws it', () => {
    // The reference: no seed, no store — everything from the faces.
    process.env.SHOPFLEET_GLYPH_CACHE = 'off';
    forgetLoadedFonts();
    const data = sampleLabelData();
    const reference = labelToBitmap(data);

    const text = seedText([]) + '浙江省杭州市西湖区余杭区';
    for (const f of [regular(), bold()]) {
      const made = writeGlyphSeed(f, text);
      expect(made.file).toBe(seedPathFor(f));
      expect(made.glyphs).toBeGreaterThan(3700);
      expect(readGlyphSeed(f)?.font).toBe(fontIdentity(f));
      // The build keeps a seed only for the same characters: another text is another hash.
      expect(readGlyphSeed(f)?.text).toBe(seedTextHash(text));
      expect(seedTextHash(`${text}龘`)).not.toBe(seedTextHash(text));
    }

    process.env.SHOPFLEET_GLYPH_CACHE = storeDir;
    forgetLoadedFonts();
    const fonts = loadLabelFonts();
    expect([fonts.regular.parsed, fonts.bold.parsed]).toEqual([false, false]);
    const seeded = labelToBitmap(data);
    expect(bitmapsEqual(seeded, reference)).toBe(true);
    // Only the sample's characters outside the seed went to the faces.
    const outside = new Set([...JSON.stringify(data)].filter((ch) => !text.includes(ch)));
    expect(misses(fonts.regular.glyphs) + misses(fonts.bold.glyphs)).toBeLessThanOrEqual(4 * outside.size);
  });

  it("what the faces taught joins the station's store beside the seed", () => {
    forgetLoadedFonts();
    const fonts = loadLabelFonts();
    labelToBitmap(sampleLabelData({ receiver: { name: '龘', phone: '139****0001', address: '内蒙古自治区' } }));
    expect(misses(fonts.regular.glyphs) + misses(fonts.bold.glyphs)).toBeGreaterThan(0);
    forgetLoadedFonts(); // flushes
    const stored = fs.readdirSync(storeDir).map((f) => JSON.parse(fs.readFileSync(path.join(storeDir, f), 'utf8')) as { cmap: Record<string, unknown> });
    // The receiver's name is bold: that face learnt 龘; the seed's 啊 stays in the seed, not copied.
    const learnt = stored.find((s) => s.cmap['40856']);
    expect(learnt).toBeDefined();
    expect(learnt?.cmap['21834']).toBeUndefined();
  });

  it('is ignored for any other font file, even of the same name', () => {
    // A seed is a JSON header line, then the outlines' bytes.
    const bytes = fs.readFileSync(seedPathFor(regular()));
    const nl = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.toString('utf8', 0, nl)) as { font: string };
    const rest = bytes.subarray(nl);
    // Cut short (an interrupted copy): not a seed.
    fs.writeFileSync(seedPathFor(regular()), bytes.subarray(0, bytes.length - 10));
    expect(readGlyphSeed(regular())).toBeNull();
    fs.writeFileSync(seedPathFor(regular()), bytes);
    expect(readGlyphSeed(regular())?.outline(readGlyphSeed(regular())?.cmap['21834']?.[0] ?? -1)?.svg).toMatch(/^M/);
    fs.writeFileSync(seedPathFor(regular()), Buffer.concat([Buffer.from(JSON.stringify({ ...header, font: '1:00000000' })), rest]));
    expect(readGlyphSeed(regular())).toBeNull();
    fs.rmSync(storeDir, { recursive: true, force: true });
    fs.mkdirSync(storeDir);
    forgetLoadedFonts();
    const fonts = loadLabelFonts();
    expect(fonts.regular.parsed).toBe(true);
    expect(fonts.bold.parsed).toBe(false);
    fs.writeFileSync(seedPathFor(regular()), '{"format":1,');
    expect(readGlyphSeed(regular())).toBeNull();
  });
});
