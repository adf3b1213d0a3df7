// Layout and templates: character wrapping of Chinese addresses and the marks a packer must see.
import { describe, expect, it } from 'vitest';
import { loadLabelFonts } from './font.ts';
import { composeLabel, textWidthMm, wrapText, type TextOp } from './layout.ts';
import { sampleLabelData } from './sample-data.ts';
import { buildLabel, TEMPLATE_IDS, templateSize } from './templates.ts';

const fonts = loadLabelFonts();
const font = fonts.regular.font;
const LONG_ADDRESS = '新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市卡拉苏河口岸经济开发区丝路大道与亚欧北路交叉口东南角国际商贸城三期十七号楼二单元一千二百零三室';

function texts(ops: ReturnType<typeof composeLabel>['ops']): TextOp[] {
  return ops.filter((o): o is TextOp => o.op === 'text');
}

describe('wrapText', () => {
  it('wraps a Chinese address with no spaces by character, every line within the width, nothing lost', () => {
    const { lines, truncated } = wrapText(font, LONG_ADDRESS, 10, 60);
    expect(truncated).toBe(false);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join('')).toBe(LONG_ADDRESS);
    for (const line of lines) expect(textWidthMm(font, line, 10)).toBeLessThanOrEqual(60 + 1e-9);
    // Greedy: each line but the last is full (the next character would not have fit).
    for (let i = 0; i < lines.length - 1; i++) {
      const next = [...(lines[i + 1] as string)][0] as string;
      expect(textWidthMm(font, (lines[i] as string) + next, 10)).toBeGreaterThan(60);
    }
  });

  it('cuts at maxLines with an ellipsis that still fits', () => {
    const { lines, truncated } = wrapText(font, LONG_ADDRESS, 10, 60, 2);
    expect(truncated).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('…')).toBe(true);
    expect(textWidthMm(font, lines[1] as string, 10)).toBeLessThanOrEqual(60);
  });

  it('never starts a line with closing punctuation, keeps explicit newlines', () => {
    // Find a width where the comma would open the second line, then check it moved.
    const text = '收件人不在家时请放在小区门口的快递柜，谢谢配合';
    const comma = [...text].indexOf('，');
    const width = textWidthMm(font, [...text].slice(0, comma).join(''), 9) + 0.01;
    const { lines } = wrapText(font, text, 9, width);
    for (const line of lines.slice(1)) expect(line.startsWith('，')).toBe(false);
    expect(lines.join('')).toBe(text);
    expect(wrapText(font, '第一行\n第二行', 9, 100).lines).toEqual(['第一行', '第二行']);
  });
});

describe('templates', () => {
  it.each(TEMPLATE_IDS.map((t) => [t]))('%s: the long address wraps inside the receiver box, marks present', (template) => {
    const data = sampleLabelData({ receiver: { name: '买家', phone: '138****0000', address: LONG_ADDRESS }, seq: 12, total: 48, reprint: true });
    const layout = buildLabel(data, template);
    expect({ widthMm: layout.widthMm, heightMm: layout.heightMm }).toEqual(templateSize(template));
    const ops = texts(composeLabel(layout, fonts).ops);
    // Every text run stays on the label.
    for (const op of ops) {
      expect(op.x).toBeGreaterThanOrEqual(0);
      expect(op.x + op.widthMm).toBeLessThanOrEqual(layout.widthMm + 1e-6);
      expect(op.baseline).toBeLessThanOrEqual(layout.heightMm);
    }
    // The address is spread over several lines of the same box, which start with its beginning.
    const addressBox = layout.boxes.find((b) => b.kind === 'text' && b.text === LONG_ADDRESS);
    expect(addressBox).toBeDefined();
    const addrLines = ops.filter((o) => addressBox && Math.abs(o.x - addressBox.x) < 1e-9 && o.baseline > addressBox.y && o.baseline < addressBox.y + addressBox.h);
    expect(addrLines.length).toBeGreaterThanOrEqual(3);
    expect(LONG_ADDRESS.startsWith(addrLines.map((o) => o.text).join('').replace(/…$/, ''))).toBe(true);
    for (const o of addrLines) expect(o.x + o.widthMm).toBeLessThanOrEqual(addressBox!.x + addressBox!.w + 1e-6);
    // seq/total and the reprint mark, the reprint mark white on a black plate.
    expect(ops.some((o) => o.text === '12/48')).toBe(true);
    const reprint = ops.find((o) => o.text === '重打');
    expect(reprint?.color).toBe('white');
    expect(ops.some((o) => o.text.includes('重打 12/48'))).toBe(true);
    // The sort code is the largest text on the label.
    const sort = ops.find((o) => o.text === data.sortCode);
    expect(sort).toBeDefined();
    expect(Math.max(...ops.map((o) => o.sizePt))).toBe(sort!.sizePt);
  });

  it('a first print has no reprint mark; a label without a waybill says 样张 SAMPLE', () => {
    const first = texts(composeLabel(buildLabel(sampleLabelData()), fonts).ops);
    expect(first.some((o) => o.text.includes('重打'))).toBe(false);
    expect(first.some((o) => o.text.includes('样张'))).toBe(false);
    const sample = texts(composeLabel(buildLabel(sampleLabelData({ sample: true })), fonts).ops);
    expect(sample.find((o) => o.text === '样张 SAMPLE')?.color).toBe('white');
  });

  it('shrinks a long sort code to fit one line of its box', () => {
    const layout = buildLabel(sampleLabelData({ sortCode: '浙江杭州转运中心 西湖区文三路分部 771AG-07' }));
    const op = texts(composeLabel(layout, fonts).ops).find((o) => o.text.startsWith('浙江杭州'));
    expect(op).toBeDefined();
    expect(op!.sizePt).toBeLessThan(32);
    expect(op!.x + op!.widthMm).toBeLessThanOrEqual(74);
  });
});

describe('composeLabel', () => {
  it('one-line text too long even at its smallest size is cut with an ellipsis inside its box', () => {
    const layout = { widthMm: 50, heightMm: 20, boxes: [{ kind: 'text' as const, x: 2, y: 2, w: 30, h: 5, text: LONG_ADDRESS, sizePt: 9, wrap: false, fit: true, minSizePt: 8 }] };
    const [op] = texts(composeLabel(layout, fonts).ops);
    expect(op?.text.endsWith('…')).toBe(true);
    expect(op!.sizePt).toBe(8);
    expect(op!.x + op!.widthMm).toBeLessThanOrEqual(32 + 1e-9);
  });

  it('snaps rules and barcode bars to whole dots at the given pitch', () => {
    const layout = buildLabel(sampleLabelData());
    for (const dpmm of [8, 11.81]) {
      for (const op of composeLabel(layout, fonts, dpmm).ops) {
        if (op.op !== 'fill') continue;
        for (const v of [op.x, op.y, op.w, op.h]) expect(Math.abs(v * dpmm - Math.round(v * dpmm))).toBeLessThan(1e-6);
      }
    }
  });
});
