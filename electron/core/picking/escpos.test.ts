// ESC/POS pick lists and packing slips, read back byte by byte: commands interpreted and stripped,
// text GB18030-decoded; lines fit the paper (CJK counted double), Chinese mode is on, nothing leaks.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeEscpos, receiptDocuments } from './escpos-decode.ts';
import { packingSlipsEscpos, pickListEscpos } from './escpos.ts';
import { buildPackingSlips } from './packing-slip.ts';
import { pickFixture } from '../../testkit/picking-fixtures.ts';
import { buildPickList, type PickList } from './picklist.ts';
import { columns, leftRight, RECEIPT_COLUMNS, wrapColumns } from './receipt-text.ts';

const AT = Date.UTC(2026, 10, 23, 10, 5); // 18:05 in Shanghai

describe('receipt text', () => {
  it('counts GB18030 multi-byte characters as two columns and wraps and pads by columns', () => {
    expect(columns('A-02 女装')).toBe(5 + 4);
    expect(columns('𠮷')).toBe(2);
    expect(wrapColumns('一二三四五六七', 6)).toEqual(['一二三', '四五六', '七']);
    expect(wrapColumns('ab一二', 3)).toEqual(['ab', '一', '二']);
    // × is a GB character: two columns.
    expect(leftRight('合计', '×3', 10)).toEqual(['合计   ×3']);
    expect(leftRight('一二三四五', '×12', 12)).toEqual(['一二三四五', '        ×12']);
  });
});

describe('pickListEscpos', () => {
  it('58 mm: the lines a picker reads, in order, each within 32 columns, in Chinese mode', () => {
    const { db, ids } = pickFixture();
    const bytes = pickListEscpos(buildPickList(db, ids, AT), { width: 58 });
    // Starts with ESC @ and FS & (Chinese mode) before any text; the decoder refuses GB bytes outside it.
    expect([...bytes.subarray(0, 4)]).toEqual([0x1b, 0x40, 0x1c, 0x26]);
    const r = decodeEscpos(bytes);
    expect(r.lines.map((l) => l.text)).toEqual([
      '拣货单',
      '2026-11-23 18:05',
      '3 单 · 6 种 · 18 件',
      '='.repeat(32),
      'A-02-2  TZ-100               ×3',
      '  夏季三件套 组合A',
      '  【组合装】1 单',
      '-'.repeat(32),
      'A-02-10  NZ-2301-BK-M        ×7',
      '  女装纯棉T恤 黑色;M',
      '  3 单',
      '-'.repeat(32),
      'A-02-10  NZ-2301-BK-M        ×1',
      '  女装纯棉T恤 黑色;M',
      '  【赠品】1 单',
      '-'.repeat(32),
      'B-01-01  B-SKU               ×5',
      '  棉袜 白色',
      '  1 单',
      '-'.repeat(32),
      '无储位  GIFT-BAG             ×1',
      '  帆布袋',
      '  【赠品】1 单',
      '-'.repeat(32),
      '无储位  （无编码）           ×1',
      '  手工皂',
      '  1 单',
      '-'.repeat(32),
      '合计             6 种 18 件 3 单',
    ]);
    for (const l of r.lines) expect(columns(l.text)).toBeLessThanOrEqual(32);
    // The title is centred, bold, double width and height; the SKU lines are bold; the quantities sit flush right.
    expect(r.lines[0]).toMatchObject({ align: 'center', bold: true, widthMul: 2, heightMul: 2 });
    expect(r.lines[4]).toMatchObject({ align: 'left', bold: true, widthMul: 1 });
    expect(r.lines[5]?.bold).toBe(false);
    expect(r.cutsAfter).toEqual([r.lines.length]);
  });

  it('80 mm: 48 columns; a long title wraps under its indent; rare characters survive the round trip', () => {
    const list: PickList = {
      generatedAt: AT,
      orderCount: 1,
      totalQuantity: 12,
      lines: [
        { outerSkuCode: 'LONG-1', title: '超长标题'.repeat(8), skuName: '颜色分类：𠮷野家限定款;尺码：XL', location: '货架A-01', kind: 'normal', quantity: 12, orderCount: 1 },
      ],
    };
    const r = decodeEscpos(pickListEscpos(list));
    const texts = r.lines.map((l) => l.text);
    expect(texts[4]).toBe(`货架A-01  LONG-1${' '.repeat(48 - columns('货架A-01  LONG-1') - columns('×12'))}×12`);
    const goods = texts.slice(5, texts.indexOf('  1 单'));
    expect(goods.length).toBeGreaterThan(1);
    for (const g of goods) {
      expect(g.startsWith('  ')).toBe(true);
      expect(columns(g)).toBeLessThanOrEqual(48);
    }
    expect(goods.map((g) => g.slice(2)).join('')).toBe(`${'超长标题'.repeat(8)} 颜色分类：𠮷野家限定款;尺码：XL`);
  });
});

describe('packingSlipsEscpos', () => {
  it('one slip per order, each ended by a cut, with receiver as stored, items, totals in yuan, message and memo', () => {
    const { db, ids } = pickFixture();
    const bytes = packingSlipsEscpos(buildPackingSlips(db, ids), { width: 80 });
    const r = decodeEscpos(bytes);
    const docs = receiptDocuments(r);
    expect(docs).toHaveLength(3);
    expect(r.cutsAfter).toHaveLength(3);
    const third = docs[2] as string[];
    expect(third.slice(0, 7)).toEqual([
      '发货单',
      '店铺：甲店',
      '订单号：3000000000000003',
      '付款时间：2025-01-02 10:31',
      '买家：tb_镕镕',
      '收件人：王* 139****8888',
      '地址：广东省深圳市南山区粤海街道科技园南区1栋',
    ]);
    expect(third).toContain('女装纯棉T恤 黑色;M');
    expect(third).toContain(`  NZ-2301-BK-M${' '.repeat(48 - 14 - columns('×4  ￥79.96'))}×4  ￥79.96`);
    const totals = third.filter((l) => /^(件数|商品金额|运费|优惠|实付)/.test(l)).map((l) => l.replace(/ +/g, ' '));
    expect(totals).toEqual(['件数 10', '商品金额 ￥139.96', '运费 ￥10.00', '优惠 -￥5.00', '实付 ￥144.96']);
    // The buyer's ESC byte became a space; their line break stays a line break.
    expect(third.slice(-3)).toEqual(['买家留言：请周末送', '别敲门 @', '卖家备注：已备注：加急']);
    expect(docs[1]).toContain('【组合装】夏季三件套 组合A');
    expect(docs[1]).toContain('【赠品】女装纯棉T恤 黑色;M');
    for (const l of r.lines) expect(columns(l.text)).toBeLessThanOrEqual(RECEIPT_COLUMNS[80] / l.widthMul);
  });

  it('sends text as GB18030, never UTF-8', () => {
    const { db, ids } = pickFixture();
    const bytes = packingSlipsEscpos(buildPackingSlips(db, [ids[0]]), { width: 58 });
    expect(bytes.includes(iconv.encode('发货单', 'gb18030'))).toBe(true);
    expect(bytes.includes(Buffer.from('发货单', 'utf8'))).toBe(false);
  });
});
