import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../shared/contract.ts';
import { DEFAULT_EXPORT_COLUMNS, EXPORT_COLUMN_NAMES_ZH } from '../../shared/export-columns.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { holdOrders, setFlag, tagOrders } from './commands.ts';
import { fenToYuan } from '../../shared/money.ts';
import { formatShanghai } from '../../shared/time.ts';
import { EXPORT_HEADERS, exportOrders, writeExport } from './export.ts';
import { createTag } from './tags.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture(0);
});
afterEach(() => f.close());

async function readXlsx(base64: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  const width = sheet.getRow(1).cellCount;
  // ExcelJS drops trailing empty cells; pad so every row has one entry per column.
  sheet.eachRow((row) => rows.push(Array.from({ length: width }, (_, i) => row.getCell(i + 1).value ?? undefined)));
  return rows;
}

describe('money and time formatting', () => {
  it('turns fen into yuan with two decimals by integer arithmetic', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(10)).toBe('0.10');
    expect(fenToYuan(123456)).toBe('1234.56');
    expect(fenToYuan(-5)).toBe('-0.05');
    // 0.1 + 0.2 style float errors cannot appear: 9007199254740991 fen is still exact.
    expect(fenToYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('formats epoch ms in Asia/Shanghai', () => {
    expect(formatShanghai(T0)).toBe('2025-01-02 10:30:00');
    expect(formatShanghai(Date.UTC(2024, 11, 31, 16, 0, 0))).toBe('2025-01-01 00:00:00');
  });
});

describe('orders.export', () => {
  const columns = ['platformOrderId', 'shopName', 'status', 'receiverName', 'receiverAddress', 'items', 'outerSkuCodes', 'itemCount', 'paidYuan', 'shippingYuan', 'createdAt', 'paidAt', 'buyerMessage', 'sellerFlag', 'tags', 'holdReason', 'abnormal'] as const;

  function seed() {
    const ids = f.addOrders([
      platformOrder(1, { paidFen: 1, shippingFen: 0 }),
      platformOrder(2, { buyerMessage: '=HYPERLINK("http://evil")', paidFen: 100_010 }),
      platformOrder(3, { status: 'unpaid', paidAt: null }),
    ]);
    const vip = createTag(f.ctx(), { name: 'VIP' });
    tagOrders(f.ctx(), { ids: [ids[0]!], add: [vip.id], remove: [] });
    setFlag(f.ctx(), { ids: [ids[0]!], flag: 1 });
    holdOrders(f.ctx(), { ids: [ids[1]!], reason: '缺货' });
    return ids;
  }

  it('writes an xlsx with Chinese headers, yuan amounts and Shanghai times, rows in the given order', async () => {
    const ids = seed();
    const out = await exportOrders(f.db, { ids: [ids[1]!, ids[0]!, 'gone', ids[2]!], columns: [...columns], format: 'xlsx' }, T0);
    expect(out).toMatchObject({ mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', rowCount: 3, fileName: 'orders-20250102-103000.xlsx' });
    const rows = await readXlsx(out.base64);
    expect(rows[0]).toEqual(columns.map((c) => EXPORT_HEADERS[c]));
    expect(rows[0]).toContain('实付（元）');
    expect(rows.slice(1).map((r) => r[0])).toEqual(['P00000002', 'P00000001', 'P00000003']);
    const first = rows[2]!;
    expect(first).toEqual([
      'P00000001',
      '杭州女装旗舰店',
      '待发货',
      '张伟',
      '文三路 100 号 2 幢 301',
      expect.stringContaining('女装纯棉T恤'),
      'NZ-2301-BK-M, SOCK-01',
      3,
      0.01,
      0,
      '2025-01-02 10:30:01',
      '2025-01-02 10:31:01',
      undefined,
      '红旗',
      'VIP',
      undefined,
      undefined,
    ]);
    expect(rows[1]![8]).toBe(1000.1);
    expect(rows[1]![15]).toBe('缺货');
    expect(rows[1]![16]).toBe('有买家留言');
    expect(rows[3]![11]).toBeUndefined(); // unpaid: no pay time
  });

  it('writes a CSV with a UTF-8 BOM, exact two-decimal amounts, and defuses formula-looking text', async () => {
    const ids = seed();
    const out = await exportOrders(f.db, { ids, columns: [...columns], format: 'csv' }, T0);
    expect(out.mime).toBe('text/csv;charset=utf-8');
    const bytes = Buffer.from(out.base64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes.toString('utf8'), { bom: true }) as string[][];
    expect(records[0]).toEqual(columns.map((c) => EXPORT_HEADERS[c]));
    expect(records.length).toBe(4);
    expect(records[1]!.slice(7, 12)).toEqual(['3', '0.01', '0.00', '2025-01-02 10:30:01', '2025-01-02 10:31:01']);
    expect(records[2]![8]).toBe('1000.10');
    expect(records[2]![12]).toBe(`'=HYPERLINK("http://evil")`);
    expect(records[3]![11]).toBe('');
  });

  it('exports by filter in list order, and every column has a header', async () => {
    seed();
    const out = await exportOrders(f.db, { filter: { queue: 'pending_review' }, columns: [...EXPORT_COLUMNS], format: 'csv' }, T0);
    const records = parse(Buffer.from(out.base64, 'base64').toString('utf8'), { bom: true }) as string[][];
    expect(records[0]).toHaveLength(EXPORT_COLUMNS.length);
    expect(records[0]!.every((h) => /[\u4e00-\u9fff]/.test(h))).toBe(true);
    // Order 2 is held and order 3 unpaid: only order 1 is pending review.
    expect(out.rowCount).toBe(1);
    expect(records.slice(1).map((r) => r[0])).toEqual(['P00000001']);
  });

  it('heads each column with the name the export dialog shows for it', async () => {
    seed();
    const out = await exportOrders(f.db, { filter: {}, columns: [...EXPORT_COLUMNS], format: 'csv' }, T0);
    const [header] = parse(Buffer.from(out.base64, 'base64').toString('utf8'), { bom: true }) as string[][];
    expect(header).toEqual(EXPORT_COLUMNS.map((c) => EXPORT_COLUMN_NAMES_ZH[c]));
    expect(new Set(header).size).toBe(EXPORT_COLUMNS.length);
  });

  it('ships a whole address by default: province, city, district, town and street, each in its own column', async () => {
    const receiver = { name: '李娜', phone: '13900002222', province: '浙江省', city: '杭州市', district: '西湖区', town: '古荡街道', address: '文三路 100 号', cipher: null };
    const [id] = f.addOrders([platformOrder(7, { receiver })]);
    for (const c of ['receiverName', 'receiverPhone', 'receiverProvince', 'receiverCity', 'receiverDistrict', 'receiverTown', 'receiverAddress'] as const) {
      expect(DEFAULT_EXPORT_COLUMNS).toContain(c);
    }
    for (const format of ['csv', 'xlsx'] as const) {
      const out = await exportOrders(f.db, { ids: [id!], columns: [...DEFAULT_EXPORT_COLUMNS], format }, T0);
      const rows =
        format === 'csv'
          ? (parse(Buffer.from(out.base64, 'base64').toString('utf8'), { bom: true }) as unknown[][])
          : await readXlsx(out.base64);
      const cell = (c: (typeof DEFAULT_EXPORT_COLUMNS)[number]) => rows[1]![rows[0]!.indexOf(EXPORT_COLUMN_NAMES_ZH[c])];
      expect([cell('receiverProvince'), cell('receiverCity'), cell('receiverDistrict'), cell('receiverTown'), cell('receiverAddress')]).toEqual([
        '浙江省',
        '杭州市',
        '西湖区',
        '古荡街道',
        '文三路 100 号',
      ]);
    }
  });

  it('streams a large export to a file (writeExport, for the CLI)', async () => {
    const n = 5_000;
    f.addOrders(Array.from({ length: n }, (_, i) => platformOrder(i + 1, { paidFen: i })));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-export-'));
    try {
      for (const format of ['xlsx', 'csv'] as const) {
        const file = path.join(dir, `all.${format}`);
        const started = performance.now();
        const res = await writeExport(f.db, { filter: {}, columns: ['platformOrderId', 'paidYuan', 'outerSkuCodes', 'paidAt'], format }, file);
        console.info(`[bench] export ${n} rows as ${format}: ${(performance.now() - started).toFixed(0)} ms, ${fs.statSync(file).size} bytes`);
        expect(res.rowCount).toBe(n);
        if (format === 'csv') {
          const records = parse(fs.readFileSync(file, 'utf8'), { bom: true }) as string[][];
          expect(records).toHaveLength(n + 1);
          // Default list order is paid time, newest first: the last order (paid 49.99) leads.
          expect(records[1]).toEqual(['P00005000', '49.99', 'NZ-2301-BK-M, SOCK-01', formatShanghai(T0 + n * 1000 + 60_000)]);
        } else {
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.readFile(file);
          expect(wb.worksheets[0]!.rowCount).toBe(n + 1);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
