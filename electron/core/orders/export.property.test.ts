// Buyer-typed text can never become a spreadsheet formula, whatever it starts with: every
// formula-start character (ASCII and fullwidth, after any leading blanks) in every text field of
// the order, through every export column, in CSV (neutralised with a leading ') and xlsx (never a
// formula cell).
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../shared/contract.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { exportOrders } from './export.ts';

/** What Excel, WPS and LibreOffice treat as the start of a formula once leading blanks are skipped. */
const STARTS = ['=', '+', '-', '@', '＝', '＋', '－', '＠', '\t', '\r'];
const BLANKS = ['', ' ', '  ', '\u3000', '\u00a0', '\t'];
const looksLikeFormula = (cell: string) => /^[\s\u3000\u00a0]*[=+\-@＝＋－＠]/.test(cell) || /^[\t\r]/.test(cell);

const payload = fc
  .tuple(fc.constantFrom(...BLANKS), fc.constantFrom(...STARTS), fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n"]/g, '')))
  .map(([blank, start, rest]) => `${blank}${start}HYPERLINK("http://x")${rest}`);

let f: Fixture;
let seq = 0;
beforeAll(() => {
  f = openFixture(0);
});
afterAll(() => f.close());

/** One order whose every buyer- or seller-typed text field carries the payload. */
function orderCarrying(text: string): string {
  seq += 1;
  const base = platformOrder(10_000 + seq);
  const [id] = f.addOrders([
    {
      ...base,
      buyerNick: text,
      buyerMessage: text,
      sellerMemo: text,
      receiver: { ...base.receiver, name: text, phone: text, province: text, city: text, district: text, town: text, address: text },
      items: base.items.map((i) => ({ ...i, title: text, skuName: text, outerSkuCode: text })),
    },
  ]);
  return id!;
}

describe('export never writes a formula', () => {
  it('CSV: every text cell starting like a formula is neutralised', async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (text) => {
        const id = orderCarrying(text);
        const out = await exportOrders(f.db, { ids: [id], columns: [...EXPORT_COLUMNS], format: 'csv' }, Date.now());
        const rows = parse(Buffer.from(out.base64, 'base64').toString('utf8'), { bom: true, relax_column_count: true }) as string[][];
        const body = rows.slice(1).flat();
        // The payload did reach the file (else the check below proves nothing).
        expect(body.some((c) => c.includes('HYPERLINK'))).toBe(true);
        for (const cell of body) {
          if (looksLikeFormula(cell)) expect(cell, JSON.stringify(cell)).toMatch(/^'/);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('xlsx: no cell is a formula, and the text arrives unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (text) => {
        const id = orderCarrying(text);
        const out = await exportOrders(f.db, { ids: [id], columns: [...EXPORT_COLUMNS], format: 'xlsx' }, Date.now());
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(Buffer.from(out.base64, 'base64') as unknown as ArrayBuffer);
        let carried = 0;
        wb.worksheets[0]!.eachRow((row) =>
          row.eachCell((cell) => {
            expect(cell.type, `${cell.address}: ${JSON.stringify(cell.value)}`).not.toBe(ExcelJS.ValueType.Formula);
            expect(cell.formula).toBeUndefined();
            if (typeof cell.value === 'string' && cell.value.includes('HYPERLINK')) carried += 1;
          }),
        );
        expect(carried).toBeGreaterThan(0);
      }),
      { numRuns: 20 },
    );
  });
});
