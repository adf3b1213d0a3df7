// The on-disk glyph store: a second "process" draws the same label without parsing the font, new
// characters fall back to the real face, and a damaged or foreign file is ignored. The faces are copies
// of the bundled ones without their glyph seeds (glyph-seed.test.ts covers those), so the first
// process here really starts from nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bitmapsEqual } from './bitmap.ts';
import { BUNDLED_FONT_FILES, bundledFontDir, forgetLoadedFonts, loadLabelFonts } from './font.ts';
import type { GlyphStore } from './glyph-store.ts';
import { labelToBitmap } from './raster.ts';
import { sampleLabelData } from './sample-data.ts';

let dir: string;
let fontDir: string;
const before = { cache: process.env.SHOPFLEET_GLYPH_CACHE, fonts: process.env.SHOPFLEET_FONT_DIR };
const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-glyphs-'));
  fontDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-fonts-'));
  for (const f of Object.values(BUNDLED_FONT_FILES)) fs.copyFileSync(path.join(bundledFontDir() as string, f), path.join(fontDir, f));
  process.env.SHOPFLEET_GLYPH_CACHE = dir;
  process.env.SHOPFLEET_FONT_DIR = fontDir;
  forgetLoadedFonts();
});
afterAll(() => {
  forgetLoadedFonts();
  restore('SHOPFLEET_GLYPH_CACHE', before.cache);
  restore('SHOPFLEET_FONT_DIR', before.fonts);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(fontDir, { recursive: true, force: true });
});

const misses = (s: unknown) => (s as GlyphStore).misses;

describe('glyph store', () => {
  it('a fresh process with a warm store draws the same label without parsing either face', () => {
    const data = sampleLabelData();
    const cold = loadLabelFonts();
    expect(cold.regular.parsed).toBe(true);
    const first = labelToBitmap(data);
    forgetLoadedFonts(); // flushes the store, then acts as a new process
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(2);

    const warm = loadLabelFonts();
    expect(warm.regular.parsed).toBe(false);
    const again = labelToBitmap(data);
    expect(bitmapsEqual(first, again)).toBe(true);
    expect([warm.regular.parsed, warm.bold.parsed]).toEqual([false, false]);
    expect(misses(warm.regular.glyphs) + misses(warm.bold.glyphs)).toBe(0);
  });

  it('characters not seen before come from the real face and draw exactly as without a store', () => {
    forgetLoadedFonts();
    const data = sampleLabelData({ receiver: { name: '鑫淼龘', phone: '139****0001', address: '内蒙古自治区鄂尔多斯市康巴什区' } });
    const fonts = loadLabelFonts();
    const withStore = labelToBitmap(data);
    expect(misses(fonts.regular.glyphs) + misses(fonts.bold.glyphs)).toBeGreaterThan(0);
    expect(fonts.bold.parsed || fonts.regular.parsed).toBe(true);

    process.env.SHOPFLEET_GLYPH_CACHE = 'off';
    forgetLoadedFonts();
    const without = labelToBitmap(data);
    process.env.SHOPFLEET_GLYPH_CACHE = dir;
    expect(bitmapsEqual(withStore, without)).toBe(true);
  });

  it('ignores a damaged store file and parses the font instead', () => {
    forgetLoadedFonts();
    for (const f of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, f), '{"format":1,"key":"x"');
    const fonts = loadLabelFonts();
    expect(fonts.regular.parsed).toBe(true);
    const bm = labelToBitmap(sampleLabelData());
    expect(bm.width).toBe(608);
  });
});
