// The template settings honoured by the layout: hidden fields leave the label, offsets move exactly their
// block (seen in the printer's bitmap), the custom text prints the team's content.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CARRIER_LABEL_SETTINGS, type CarrierLabelSettings } from '../../shared/label-settings.ts';
import { blackCount, getPixel, type Bitmap } from './bitmap.ts';
import { loadLabelFonts } from './font.ts';
import { composeLabel, type TextOp } from './layout.ts';
import { labelToBitmap } from './raster.ts';
import { sampleLabelData } from './sample-data.ts';
import { buildLabel } from './templates.ts';

const fonts = loadLabelFonts();
const data = sampleLabelData();

function settings(over: Partial<CarrierLabelSettings> = {}): CarrierLabelSettings {
  return { ...structuredClone(DEFAULT_CARRIER_LABEL_SETTINGS), ...over };
}

function texts(s: CarrierLabelSettings): string[] {
  return composeLabel(buildLabel(data, s.template, s), fonts, 8)
    .ops.filter((o): o is TextOp => o.op === 'text')
    .map((o) => o.text);
}

/** Rows [y0, y1) of a bitmap as a comparable string. */
function rows(bm: Bitmap, y0: number, y1: number): string {
  let s = '';
  for (let y = y0; y < y1; y++) for (let x = 0; x < bm.width; x++) s += getPixel(bm, x, y);
  return s;
}

describe('buildLabel with template settings', () => {
  it('the default settings draw the same label as no settings at all', () => {
    const plain = labelToBitmap(data);
    const withDefaults = labelToBitmap(data, { settings: settings() });
    expect(Buffer.compare(Buffer.from(plain.data), Buffer.from(withDefaults.data))).toBe(0);
  });

  it('hiding the sender removes the 寄 block and its text; the goods take its height', () => {
    const shown = texts(settings());
    const hidden = texts(settings({ show: { ...DEFAULT_CARRIER_LABEL_SETTINGS.show, sender: false } }));
    expect(shown).toContain('寄');
    expect(hidden).not.toContain('寄');
    expect(hidden.some((t) => t.includes('杭州好物旗舰店'))).toBe(false);
    const itemsY = (s: CarrierLabelSettings) => buildLabel(data, s.template, s).boxes.find((b) => b.kind === 'text' && b.text === data.itemSummary)?.y ?? NaN;
    expect(itemsY(settings({ show: { ...DEFAULT_CARRIER_LABEL_SETTINGS.show, sender: false } }))).toBeLessThan(itemsY(settings()) - 8);
  });

  it('hiding the buyer message, the goods or the custom area takes them off the label', () => {
    const all = texts(settings({ customText: '易碎品 轻拿轻放' })).join('\n');
    expect(all).toContain('留言：');
    expect(all).toContain('易碎品');
    expect(all).toContain('纯棉短袖T恤');
    const none = texts(
      settings({ customText: '易碎品 轻拿轻放', show: { sender: true, itemSummary: false, buyerMessage: false, customText: false } }),
    ).join('\n');
    expect(none).not.toContain('留言：');
    expect(none).not.toContain('易碎品');
    expect(none).not.toContain('纯棉短袖T恤');
    // The receiver and the number always print.
    expect(none).toContain('王小明');
    expect(none).toContain(data.waybillNo);
  });

  it("the team's custom text replaces the caller's; an empty one keeps the caller's", () => {
    expect(texts(settings({ customText: '拆封前请验货' }))).toContain('拆封前请验货');
    expect(texts(settings({ customText: '拆封前请验货' }))).not.toContain('易碎品 轻拿轻放');
    expect(texts(settings({ customText: '' }))).toContain('易碎品 轻拿轻放');
  });

  it('an offset moves its block by exactly that many dots in the bitmap, and nothing else', () => {
    const base = labelToBitmap(data, { settings: settings() });
    // 5 mm down at 8 dots/mm = 40 dots.
    const moved = labelToBitmap(data, { settings: settings({ offsets: { barcode: { x: 0, y: 5 } } }) });
    const bar = buildLabel(data, '76x130').boxes.find((b) => b.kind === 'barcode');
    if (!bar) throw new Error('no barcode box');
    const y0 = Math.round(bar.y * 8);
    const y1 = Math.round((bar.y + bar.h) * 8);
    // The bars are at their new place, dot for dot (the rule under the number stays, so compare above it).
    expect(rows(moved, y0 + 40, y1 + 30)).toBe(rows(base, y0, y1 - 10));
    expect(blackCount(moved, { x: 0, y: y0, w: base.width, h: 40 })).toBe(0);
    // Everything above the barcode is untouched.
    expect(rows(moved, 0, y0)).toBe(rows(base, 0, y0));
    expect(blackCount(base)).not.toBe(blackCount(moved));
  });

  it('a sideways offset of the receiver moves its text right', () => {
    const s = settings({ offsets: { receiver: { x: 3, y: 0 } } });
    const at = (st: CarrierLabelSettings) =>
      composeLabel(buildLabel(data, st.template, st), fonts, 8).ops.find((o): o is TextOp => o.op === 'text' && o.text.startsWith('王小明'))?.x ?? NaN;
    expect(at(s) - at(settings())).toBeCloseTo(3, 6);
  });

  it('the template in the settings is the one drawn', () => {
    const bm = labelToBitmap(data, { settings: settings({ template: '100x150' }) });
    expect([bm.width, bm.height]).toEqual([800, 1200]);
  });
});
