// A4 pick lists and packing slips through the labels' PDF backend, checked the way a reader sees them:
// pdftotext (poppler) must give back the Chinese text, page by page, and pdftoppm must render the pages.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { MM_PER_PT } from '../labels/layout.ts';
import { buildPackingSlips } from './packing-slip.ts';
import { packingSlipsPdf, pickListPdf } from './pdf.ts';
import { pickFixture } from '../../testkit/picking-fixtures.ts';
import { buildPickList, type PickList } from './picklist.ts';

const AT = Date.UTC(2026, 10, 23, 10, 5);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'picking-pdf-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The text of each page, whitespace runs squeezed to one space per line. */
function pdfPages(bytes: Uint8Array, name: string): string[][] {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, bytes);
  const run = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).not.toMatch(/error|invalid/i);
  return run.stdout
    .split('\f')
    .slice(0, -1)
    .map((page) =>
      page
        .split('\n')
        .map((l) => l.trim().replace(/\s+/g, ' '))
        .filter((l) => l !== ''),
    );
}

describe('pickListPdf', () => {
  it('an A4 page with the title block and one row per line, Chinese intact, in pick order', async () => {
    const { db, ids } = pickFixture();
    const bytes = await pickListPdf(buildPickList(db, ids, AT));
    const doc = await PDFDocument.load(bytes);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width * MM_PER_PT), Math.round(height * MM_PER_PT)]).toEqual([210, 297]);
    const [page, ...more] = pdfPages(bytes, 'picklist');
    expect(more).toHaveLength(0);
    expect(page).toEqual([
      '拣货单',
      '生成时间 2026-11-23 18:05 订单 3 单 商品 6 种 合计 18 件',
      '序号 储位 商家编码 商品 / 规格 数量 订单数',
      '1 A-02-2 TZ-100 【组合装】夏季三件套 组合A 3 1',
      '2 A-02-10 NZ-2301-BK-M 女装纯棉T恤 黑色;M 7 3',
      '3 A-02-10 NZ-2301-BK-M 【赠品】女装纯棉T恤 黑色;M 1 1',
      '4 B-01-01 B-SKU 棉袜 白色 5 1',
      '5 无储位 GIFT-BAG 【赠品】帆布袋 1 1',
      '6 无储位 （无编码） 手工皂 1 1',
      '合计：6 种 18 件 3 单',
      '拣货单 第 1 / 1 页',
    ]);
  });

  it('a long list breaks into pages, each repeating the column header and numbered; it renders', async () => {
    const list: PickList = {
      generatedAt: AT,
      orderCount: 150,
      totalQuantity: 150 * 2,
      lines: Array.from({ length: 150 }, (_, i) => ({
        outerSkuCode: `SKU-${String(i + 1).padStart(3, '0')}`,
        title: i % 10 === 0 ? '加长的商品标题用来测试一格之内的换行与行高是否正确计算'.repeat(2) : `商品${i + 1}`,
        skuName: '规格',
        location: `A-${Math.floor(i / 10) + 1}-${(i % 10) + 1}`,
        kind: 'normal' as const,
        quantity: 2,
        orderCount: 1,
      })),
    };
    const bytes = await pickListPdf(list);
    const pages = pdfPages(bytes, 'long');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((p, i) => {
      expect(p).toContain('序号 储位 商家编码 商品 / 规格 数量 订单数');
      expect(p[p.length - 1]).toBe(`拣货单 第 ${i + 1} / ${pages.length} 页`);
    });
    // Every row once, in order, across the pages.
    const rows = pages.flat().filter((l) => /^\d+ A-\d+-\d+ SKU-\d{3}/.test(l));
    expect(rows.map((l) => l.split(' ')[0])).toEqual(list.lines.map((_, i) => String(i + 1)));
    expect(pages[pages.length - 1]).toContain('合计：150 种 300 件 150 单');

    const run = spawnSync('pdftoppm', ['-r', '30', '-mono', '-f', '1', '-l', '1', path.join(dir, 'long.pdf'), path.join(dir, 'long')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/invalid|error/i);
  });
});

describe('packingSlipsPdf', () => {
  it('one page per order: shop, order no., masked receiver, items with kinds, totals in yuan, message and memo', async () => {
    const { db, ids } = pickFixture();
    const pages = pdfPages(await packingSlipsPdf(buildPackingSlips(db, ids)), 'slips');
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p[0])).toEqual(['发货单', '发货单', '发货单']);
    const third = pages[2] as string[];
    expect(third).toEqual([
      '发货单',
      '店铺：甲店 订单号：3000000000000003',
      '买家：tb_镕镕 付款时间：2025-01-02 10:31',
      '收件人：王* 139****8888',
      '地址：广东省深圳市南山区粤海街道科技园南区1栋',
      '商品 / 规格 商家编码 单价 数量 金额',
      '女装纯棉T恤 黑色;M NZ-2301-BK-M ¥19.99 4 ¥79.96',
      '手工皂 ¥15.00 1 ¥15.00',
      '棉袜 白色 B-SKU ¥9.00 5 ¥45.00',
      '件数 10',
      '商品金额 ¥139.96',
      '运费 ¥10.00',
      '优惠 -¥5.00',
      '实付 ¥144.96',
      '买家留言：请周末送',
      '别敲门 @',
      '卖家备注：已备注：加急',
      '发货单 第 3 / 3 页',
    ]);
    expect(pages[1]).toContain('【组合装】夏季三件套 组合A TZ-100 ¥59.00 3 ¥177.00');
    expect(pages[1]).toContain('【赠品】女装纯棉T恤 黑色;M NZ-2301-BK-M ¥0.00 1 ¥0.00');
  });

  it('an order with many lines continues on a page that repeats its order number and the item header', async () => {
    const { db, ids } = pickFixture();
    const [slip] = buildPackingSlips(db, [ids[0]]);
    const many = { ...slip!, items: Array.from({ length: 70 }, (_, i) => ({ ...slip!.items[0]!, title: `第${i + 1}款商品` })) };
    const pages = pdfPages(await packingSlipsPdf([many]), 'many');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages[1]?.[0]).toBe('发货单（续） 订单号：3000000000000001');
    expect(pages[1]?.[1]).toBe('商品 / 规格 商家编码 单价 数量 金额');
    const items = pages.flat().filter((l) => /^第\d+款商品/.test(l));
    expect(items).toHaveLength(70);
  });
});
