// SKU files through the API on a real station: .xlsx and CSV in UTF-8 (with and without BOM) and
// GBK as Excel saves it, Chinese and English headers; a bad row refuses the whole file with its line,
// field and why, and leaves the catalogue exactly as it was; a dry run reports and writes nothing;
// the export imports back unchanged; the template's headers are what the import reads.
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { SkuImportResult, SkuView, StockFile } from '../../shared/contract.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';
import { cell, row, workbook } from '../../testkit/xlsx-fixture.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
const HEADER = '商家编码,商品名称,规格,条码,成本价(元),重量(克),储位,安全库存,预警库存';
const count = (fx: Fixture, table: string): number => (fx.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
/** Everything the catalogue holds, to compare before and after a refused import. */
const snapshot = (fx: Fixture) => ({
  skus: fx.db.$client.prepare('SELECT * FROM skus ORDER BY id').all(),
  barcodes: fx.db.$client.prepare('SELECT * FROM sku_barcodes ORDER BY barcode').all(),
  products: fx.db.$client.prepare('SELECT * FROM products ORDER BY id').all(),
  ops: count(fx, 'ops'),
});

async function importFile(fx: Fixture, fileName: string, bytes: Buffer | string, dryRun = false): Promise<SkuImportResult> {
  return ok(await fx.call('skus.import', { fileName, base64: b64(bytes), dryRun }));
}
const sku = async (fx: Fixture, code: string): Promise<SkuView> => (ok(await fx.call('skus.list', { q: code })) as SkuView[]).find((s) => s.code === code)!;

describe('skus.import', () => {
  it('reads a GBK CSV as Excel saves it, adds new SKUs and changes existing ones', async () => {
    const fx = (f = openFixture());
    const csv = `${HEADER}\r\nNEW-01,保温杯,500ml 白色,6901234567892；6901234567893,25.5,350,B-02-01,2,8\r\nSOCK-01,棉袜,均码,,4.2,,A-09,,\r\n`;
    const r = await importFile(fx, 'skus.csv', iconv.encode(csv, 'gbk'));
    expect(r).toMatchObject({ rows: 2, added: 1, updated: 1, unchanged: 0, badCount: 0, committed: true });
    expect(r.changes).toEqual([
      { line: 2, code: 'NEW-01', action: 'add', fields: [] },
      { line: 3, code: 'SOCK-01', action: 'update', fields: ['costYuan', 'location'] },
    ]);
    expect(await sku(fx, 'NEW-01')).toMatchObject({
      title: '保温杯',
      spec: '500ml 白色',
      barcodes: ['6901234567892', '6901234567893'],
      costFen: 2550,
      weightG: 350,
      location: 'B-02-01',
      safetyStock: 2,
      lowStockThreshold: 8,
    });
    // Blank cells left the existing SKU's other fields alone.
    expect(await sku(fx, 'SOCK-01')).toMatchObject({ title: '棉袜', spec: '均码', costFen: 420, location: 'A-09', safetyStock: 0 });
    // The first barcode is also where the packing scan looks.
    expect(fx.db.$client.prepare("SELECT barcode FROM skus WHERE outer_sku_code = 'NEW-01'").get()).toEqual({ barcode: '6901234567892' });
  });

  it('reads UTF-8 with a BOM and English headers in any order', async () => {
    const fx = (f = openFixture());
    // The header names the columns, so the order of the file does not matter.
    const r = await importFile(fx, 'skus.csv', '\ufeffSafety stock,Outer code,Title,Cost price (yuan),Barcode\n3,EN-1,Mug,9.90,111222333\n');
    expect(r).toMatchObject({ added: 1, committed: true });
    expect(await sku(fx, 'EN-1')).toMatchObject({ title: 'Mug', costFen: 990, safetyStock: 3, barcodes: ['111222333'] });
  });

  it('a header with nothing under it is refused by reason, and so is a file that is not a table', async () => {
    const fx = (f = openFixture());
    expect(await fx.call('skus.import', { fileName: 'skus.csv', base64: b64('商家编码,商品名称\n'), dryRun: false })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', reason: 'import.no_rows', details: { fileName: 'skus.csv' } },
    });
    expect(await fx.call('skus.import', { fileName: 'skus.csv', base64: b64('a\u0000b'), dryRun: false })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', reason: 'import.not_text', details: { fileName: 'skus.csv' } },
    });
  });

  it('reads an .xlsx', async () => {
    const fx = (f = openFixture());
    const names = HEADER.split(',');
    const cols = 'ABCDEFGHI';
    const xlsx = workbook([
      row(1, ...names.map((n, i) => cell(`${cols[i]}1`, n))),
      row(2, ...['XL-1', '数据线', '1米', '', '3', '20', '', '0', '5'].map((v, i) => cell(`${cols[i]}2`, v))),
    ]);
    const r = await importFile(fx, 'skus.xlsx', xlsx);
    expect(r).toMatchObject({ added: 1, committed: true });
    expect(await sku(fx, 'XL-1')).toMatchObject({ title: '数据线', costFen: 300, weightG: 20, lowStockThreshold: 5 });
  });

  it('a bad row refuses the whole file: each named by line, field and problem, nothing half-imported', async () => {
    const fx = (f = openFixture());
    ok(await fx.call('skus.add', { code: 'HAS-BC', title: '已有条码', barcodes: ['999'] }));
    const before = snapshot(fx);
    const csv = [
      HEADER,
      'OK-1,好的一行,,,1,,,,',
      ',没有编码,,,,,,,',
      'NEW-2,,,,,,,,',
      'OK-1,重复,,,,,,,',
      'BAD-COST,成本错,,,十元,,,,',
      'BAD-SAFE,库存错,,,,,,-1,',
      'BC-TAKEN,条码被占,,999,,,,,',
      'BC-A,条码重复A,,777,,,,,',
      'BC-B,条码重复B,,777,,,,,',
      `LONG,${'长'.repeat(201)},,,,,,,`,
    ].join('\n');
    const r = await importFile(fx, 'bad.csv', csv);
    expect(r.committed).toBe(false);
    expect(r.badCount).toBe(8);
    expect(r.bad.map((b) => [b.line, b.field, b.problem])).toEqual([
      [3, 'code', 'missing'],
      [4, 'title', 'missing'],
      [5, 'code', 'duplicate_in_file'],
      [6, 'costYuan', 'invalid_number'],
      [7, 'safetyStock', 'invalid_number'],
      [8, 'barcodes', 'barcode_taken'],
      [10, 'barcodes', 'barcode_repeated'],
      [11, 'title', 'too_long'],
    ]);
    expect(snapshot(fx)).toEqual(before);
  });

  it('a dry run reports what would be added and changed and writes nothing', async () => {
    const fx = (f = openFixture());
    const before = snapshot(fx);
    const r = await importFile(fx, 'skus.csv', `${HEADER}\nDRY-1,新品,,,,,,,\nSOCK-01,棉袜,,,,,,4,\nNZ-2301-BK-M,女装纯棉T恤,,,,,,,\n`, true);
    expect(r).toMatchObject({ dryRun: true, committed: false, added: 1, updated: 1, unchanged: 1 });
    expect(r.changes.map((c) => [c.code, c.action, c.fields])).toEqual([
      ['DRY-1', 'add', []],
      ['SOCK-01', 'update', ['safetyStock']],
    ]);
    expect(snapshot(fx)).toEqual(before);
  });

  it('the export imports back unchanged, and the template is a file the import reads', async () => {
    const fx = (f = openFixture());
    ok(await fx.call('skus.add', { code: 'RT-1', title: '往返, "引号"', spec: '大', barcodes: ['1', '2'], costFen: 1234, weightG: 50, location: 'C-1', safetyStock: 1, lowStockThreshold: 3 }));
    const file = ok(await fx.call('skus.export', {})) as StockFile;
    expect(file.fileName).toMatch(/^skus-\d{8}\.csv$/);
    const bytes = Buffer.from(file.base64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const back = await importFile(fx, file.fileName, bytes, true);
    expect(back).toMatchObject({ rows: 3, added: 0, updated: 0, unchanged: 3, badCount: 0 });
    const template = ok(await fx.call('skus.template', {})) as StockFile;
    expect(Buffer.from(template.base64, 'base64').toString('utf8')).toContain(HEADER);
    const t = await importFile(fx, template.fileName, Buffer.from(template.base64, 'base64'), true);
    expect(t).toMatchObject({ added: 1, badCount: 0 });
  });

  it('reads, exports and templates the lead time (到货周期), and refuses one that is not whole days', async () => {
    const fx = (f = openFixture());
    ok(await fx.call('skus.add', { code: 'LT-1', title: '保温杯', leadTimeDays: 4 }));
    expect(await sku(fx, 'LT-1')).toMatchObject({ leadTimeDays: 4 });
    // Chinese and English headers, with or without the unit; a blank cell keeps what the SKU had.
    const r = await importFile(fx, 'lt.csv', '商家编码,商品名称,到货周期(天)\nLT-1,,12\nLT-2,新杯,\n');
    expect(r).toMatchObject({ added: 1, updated: 1, badCount: 0, committed: true });
    expect(r.changes[0]).toEqual({ line: 2, code: 'LT-1', action: 'update', fields: ['leadTimeDays'] });
    expect(await sku(fx, 'LT-1')).toMatchObject({ leadTimeDays: 12 });
    expect((await sku(fx, 'LT-2')).leadTimeDays).toBe(7);
    const en = await importFile(fx, 'lt.csv', 'Outer code,Lead time (days)\nLT-2,3\n');
    expect(en).toMatchObject({ updated: 1, committed: true });
    expect(await sku(fx, 'LT-2')).toMatchObject({ leadTimeDays: 3 });
    const bad = await importFile(fx, 'lt.csv', '商家编码,到货周期\nLT-1,2.5\nLT-2,400\n');
    expect(bad).toMatchObject({ badCount: 2, committed: false });
    expect(bad.bad.map((b) => [b.line, b.field, b.problem])).toEqual([
      [2, 'leadTimeDays', 'invalid_number'],
      [3, 'leadTimeDays', 'invalid_number'],
    ]);
    // The export carries the column (so an edited export sets lead times), and so does the template.
    const text = Buffer.from((ok(await fx.call('skus.export', {})) as StockFile).base64, 'base64').toString('utf8');
    expect(text.split('\r\n')[0]).toBe(`\ufeff${HEADER},到货周期(天)`);
    expect(text).toMatch(/\r\nLT-1,保温杯,.*,12\r\n/);
    const template = Buffer.from((ok(await fx.call('skus.template', {})) as StockFile).base64, 'base64').toString('utf8');
    expect(template).toContain(`${HEADER},到货周期(天)`);
  });
});
