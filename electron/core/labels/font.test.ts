// The label faces: ShopFleet's own (resources/fonts) by default, found from the source tree, a bundle or
// SHOPFLEET_FONT_DIR; the system collection as the fallback; and the errors that say what to install.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { BUNDLED_FONT_FILES, bundledFontDir, defaultFaces, loadLabelFonts, missingFont, SYSTEM_BOLD, SYSTEM_REGULAR } from './font.ts';

const REPO_FONTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/fonts');
// .ci/run installs fonts-noto-cjk: in CI a missing font fails these tests rather than skipping them.
const hasSystemNoto = (fs.existsSync(SYSTEM_REGULAR.path) && fs.existsSync(SYSTEM_BOLD.path)) || !!process.env.CI;

describe('bundled label fonts', () => {
  it('are found in resources/fonts from the source tree, and SHOPFLEET_FONT_DIR points elsewhere', () => {
    expect(bundledFontDir({})).toBe(REPO_FONTS);
    expect(bundledFontDir({ SHOPFLEET_FONT_DIR: '/nonexistent' })).toBe(REPO_FONTS);
    const moved = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'shopfleet-fonts-'));
    try {
      fs.copyFileSync(path.join(REPO_FONTS, BUNDLED_FONT_FILES.regular), path.join(moved, BUNDLED_FONT_FILES.regular));
      expect(bundledFontDir({ SHOPFLEET_FONT_DIR: moved })).toBe(moved);
    } finally {
      fs.rmSync(moved, { recursive: true, force: true });
    }
  });

  it('are what labels use by default; without them the system collection is the fallback', () => {
    const fonts = loadLabelFonts();
    expect(fonts.regular.source.path).toBe(path.join(REPO_FONTS, BUNDLED_FONT_FILES.regular));
    expect(fonts.bold.source.path).toBe(path.join(REPO_FONTS, BUNDLED_FONT_FILES.bold));
    expect(fonts.regular.font.postscriptName).toBe('NotoSansCJKsc-Regular');
    expect(fonts.bold.font.postscriptName).toBe('NotoSansCJKsc-Bold');
    expect(defaultFaces(null)).toEqual({ regular: SYSTEM_REGULAR, bold: SYSTEM_BOLD });
  });

  it('draw what a Chinese waybill carries, rare name characters included, in both weights', () => {
    // 䶮 (Extension A) and 𠮷 (Extension B) appear in real names; ℃ № ① ★ × ￥ in goods and messages.
    const text = '浙江省杭州市西湖区文一西路998号 张三 138****5678 䶮𠮷 ℃№①★×￥（）【】，。、：；！？ABCxyz αβ Дд ─│';
    for (const face of [loadLabelFonts().regular, loadLabelFonts().bold]) {
      const missing = [...text].filter((ch) => ch.trim() && face.font.glyphForCodePoint(ch.codePointAt(0) as number).id === 0);
      expect(missing, face.source.path).toEqual([]);
    }
  });

  it('draw every character GBK can encode — kana, bopomofo, pinyin tones, ㎏ ㎡, small forms — in both weights', () => {
    // What platforms and old ERP exports carry is GBK at most: walk every double-byte code.
    const gbk = new TextDecoder('gbk');
    const chars = new Set<number>();
    for (let lead = 0x81; lead <= 0xfe; lead += 1) {
      for (let trail = 0x40; trail <= 0xfe; trail += 1) {
        if (trail === 0x7f) continue;
        const ch = gbk.decode(new Uint8Array([lead, trail]));
        const cp = ch.codePointAt(0) as number;
        // Unassigned codes decode to U+FFFD; the user-defined areas map to the Private Use Area.
        if (ch.length === 1 && cp !== 0xfffd && !(cp >= 0xe000 && cp <= 0xf8ff)) chars.add(cp);
      }
    }
    expect(chars.size).toBeGreaterThan(21_000);
    // ≒ (U+2252) is the one GBK character Noto Sans CJK SC itself does not draw.
    const notInNoto = [0x2252];
    for (const face of [loadLabelFonts().regular, loadLabelFonts().bold]) {
      const missing = [...chars].filter((cp) => !notInNoto.includes(cp) && face.font.glyphForCodePoint(cp).id === 0);
      expect(missing.map((cp) => String.fromCodePoint(cp)).join(''), face.source.path).toBe('');
    }
  });

  it.skipIf(!hasSystemNoto)('draw the Simplified Chinese glyph forms, outline for outline the same as Noto Sans CJK SC', () => {
    // 直 and 骨 are drawn differently by the JP face (first in the collection) — the SC forms are the point.
    const system = fontkit.create(fs.readFileSync(SYSTEM_REGULAR.path), SYSTEM_REGULAR.postscriptName) as fontkit.Font;
    const ours = loadLabelFonts().regular.font;
    for (const ch of '直骨浙江省杭州市') {
      const cp = ch.codePointAt(0) as number;
      expect(ours.glyphForCodePoint(cp).path.toSVG(), ch).toBe(system.glyphForCodePoint(cp).path.toSVG());
      expect(ours.glyphForCodePoint(cp).advanceWidth).toBe(system.glyphForCodePoint(cp).advanceWidth);
    }
  });
});

describe('font errors', () => {
  it('a missing font is a NOT_FOUND error naming where fonts come from and the package to install', () => {
    try {
      loadLabelFonts({ regular: { path: '/nonexistent/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('NOT_FOUND');
      expect((err as AppError).message).toContain('resources/fonts');
      if (process.platform === 'linux') expect((err as AppError).message).toContain('fonts-noto-cjk');
    }
  });

  it('names the Linux package only on Linux; elsewhere the installer is the remedy', () => {
    const face = { path: 'C:\\ShopFleet\\resources\\fonts\\NotoSansCJKsc-Label-Regular.otf' };
    expect(missingFont(face, 'ENOENT', 'linux').message).toContain('apt-get install fonts-noto-cjk');
    for (const platform of ['win32', 'darwin'] as const) {
      const err = missingFont(face, 'ENOENT', platform);
      expect(err.message).not.toContain('apt-get');
      expect(err.message).toContain('reinstall ShopFleet');
      expect(err.details).not.toHaveProperty('package');
    }
  });

  it.skipIf(!hasSystemNoto)('a collection needs a face name', () => {
    expect(() => loadLabelFonts({ regular: { path: SYSTEM_REGULAR.path } })).toThrow(/collection: name a face/);
  });
});
