// Waybill accounts and self-managed pools on a real migrated SQLite file: adding accounts (platform
// ones refused for JD/Kuaishou shops, validation), number ranges (zero-padded, conflicts refused as
// a whole), and imports from CSV and Excel files with every bad row reported by its line — nothing
// imported while any row is bad, unless the caller skips them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { countRows, openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { accountForShop, addWaybillAccount, getWaybillAccount, listWaybillAccounts } from './accounts.ts';
import { cell, repeatedPart, row, SHEET_HEAD, SHEET_TAIL, workbook, WORKBOOK, WORKBOOK_RELS, zip } from '../../testkit/xlsx-fixture.ts';
import { addNumberRange, importNumbersFile, rangeNumbers, readNumbers } from './pool.ts';

const SENDER = { name: '王仓管', mobile: '13900001111', province: '浙江省', city: '杭州市', district: '余杭区', address: '仓前街道 88 号' };

let fx: Fixture;
let dir: string;
beforeEach(() => {
  fx = openFixture(0);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-pool-'));
});
afterEach(() => {
  fx.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const addShop = (id: string, platform: string) =>
  fx.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES (?, ?, ?, 'active', ?)").run(id, `${platform} 店`, platform, T0);

const pool = (name = '中通自有', carrierCode: 'ZTO' | 'YTO' = 'ZTO') => addWaybillAccount(fx.ctx(), { name, carrierCode, kind: 'pool' });

async function appError(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('waybill accounts', () => {
  it('adds pool and platform accounts through one command each (row + audit + ops), and lists them', () => {
    const opsBefore = countRows(fx.db, 'ops');
    const p = pool();
    const tb = addWaybillAccount(fx.ctx(), { name: '菜鸟中通', carrierCode: 'ZTO', kind: 'platform', shopId: fx.shopId, sender: SENDER, options: { needEncrypt: 'false' } });
    expect(countRows(fx.db, 'ops') - opsBefore).toBe(2);
    const audit = fx.db.$client.prepare("SELECT command, entity_id AS id FROM audit_log WHERE entity = 'waybill_account' ORDER BY at").all();
    expect(audit).toEqual([
      { command: 'waybills.addAccount', id: p.id },
      { command: 'waybills.addAccount', id: tb.id },
    ]);
    expect(listWaybillAccounts(fx.db).map((a) => [a.name, a.kind, a.pool])).toEqual([
      ['中通自有', 'pool', { free: 0, used: 0 }],
      ['菜鸟中通', 'platform', null],
    ]);
    expect(getWaybillAccount(fx.db, tb.id)?.settings).toEqual({ sender: SENDER, shopIds: [], options: { needEncrypt: 'false' } });
  });

  it('refuses platform accounts for JD shops (no documented waybill API) and incomplete input; takes Kuaishou ones', async () => {
    addShop('jd-1', 'jd');
    addShop('ks-1', 'kuaishou');
    const e = await appError(() => addWaybillAccount(fx.ctx(), { name: 'x', carrierCode: 'JD', kind: 'platform', shopId: 'jd-1', sender: SENDER }));
    expect(e.code).toBe('INVALID_STATE');
    expect(e.message).toMatch(/pool account/);
    expect(addWaybillAccount(fx.ctx(), { name: '快手中通', carrierCode: 'ZTO', kind: 'platform', shopId: 'ks-1', sender: SENDER }).shopId).toBe('ks-1');
    expect((await appError(() => addWaybillAccount(fx.ctx(), { name: 'x', carrierCode: 'ZTO', kind: 'platform', shopId: fx.shopId }))).code).toBe('VALIDATION_FAILED');
    expect((await appError(() => addWaybillAccount(fx.ctx(), { name: 'x', carrierCode: 'ZTO', kind: 'platform', shopId: 'nope', sender: SENDER }))).code).toBe('NOT_FOUND');
    expect(countRows(fx.db, 'waybill_accounts')).toBe(1); // the Kuaishou one
  });

  it('picks the account that lists a shop before the shop’s own platform account', () => {
    const own = addWaybillAccount(fx.ctx(), { name: '菜鸟', carrierCode: 'ZTO', kind: 'platform', shopId: fx.shopId, sender: SENDER });
    expect(accountForShop(fx.db, fx.shopId)?.id).toBe(own.id);
    const listed = addWaybillAccount(fx.ctx(), { name: '自有圆通', carrierCode: 'YTO', kind: 'pool', shopIds: [fx.shopId] });
    expect(accountForShop(fx.db, fx.shopId)?.id).toBe(listed.id);
    expect(accountForShop(fx.db, 'other')).toBeNull();
  });
});

describe('number ranges', () => {
  it('adds a zero-padded range in order and refuses an overlapping one as a whole unless asked to skip', async () => {
    const p = pool();
    expect(rangeNumbers({ prefix: 'ZT', start: 98, end: 101, width: 10 })).toEqual(['ZT0000000098', 'ZT0000000099', 'ZT0000000100', 'ZT0000000101']);
    expect(addNumberRange(fx.ctx(), p.id, { prefix: 'ZT', start: 1, end: 1000, width: 10 })).toEqual({ added: 1000, skipped: 0 });
    const e = await appError(() => addNumberRange(fx.ctx(), p.id, { prefix: 'ZT', start: 991, end: 1010, width: 10 }));
    expect(e.code).toBe('CONFLICT');
    expect(e.details).toMatchObject({ existing: 10 });
    expect(getWaybillAccount(fx.db, p.id)?.pool).toEqual({ free: 1000, used: 0 });
    // Another pool account of the same carrier cannot hold the same numbers either.
    const other = pool('中通二号');
    expect((await appError(() => addNumberRange(fx.ctx(), other.id, { prefix: 'ZT', start: 1, end: 5, width: 10 }))).code).toBe('CONFLICT');
    expect(addNumberRange(fx.ctx(), p.id, { prefix: 'ZT', start: 991, end: 1010, width: 10 }, { skipExisting: true })).toEqual({ added: 10, skipped: 10 });
    expect(getWaybillAccount(fx.db, p.id)?.pool).toEqual({ free: 1010, used: 0 });
  });

  it('validates the range and refuses platform accounts', async () => {
    const p = pool();
    expect((await appError(() => addNumberRange(fx.ctx(), p.id, { prefix: 'Z-', start: 1, end: 2, width: 8 }))).code).toBe('VALIDATION_FAILED');
    expect((await appError(() => addNumberRange(fx.ctx(), p.id, { prefix: 'ZT', start: 5, end: 1 }))).code).toBe('VALIDATION_FAILED');
    expect((await appError(() => addNumberRange(fx.ctx(), p.id, { prefix: '', start: 1, end: 9 }))).message).toMatch(/not a waybill number/);
    const tb = addWaybillAccount(fx.ctx(), { name: '菜鸟', carrierCode: 'ZTO', kind: 'platform', shopId: fx.shopId, sender: SENDER });
    expect((await appError(() => addNumberRange(fx.ctx(), tb.id, { prefix: 'ZT', start: 1, end: 9, width: 8 }))).code).toBe('INVALID_STATE');
    expect(countRows(fx.db, 'waybill_numbers')).toBe(0);
  });
});

describe('imports', () => {
  it('reports every bad CSV row by line and imports nothing, then imports the good rows when asked to skip', async () => {
    const p = pool();
    addNumberRange(fx.ctx(), p.id, { prefix: 'ZT', start: 1, end: 3, width: 10 }); // ZT0000000002 is already in the pool
    const file = path.join(dir, 'numbers.csv');
    fs.writeFileSync(file, ['\ufeff运单号', 'ZT7000000001', '', 'ZT7000000002', 'ZT7000000001', 'ZT0000000002', 'ZT 7000003', '中通7000004', 'ZT7000000005,备注', '  ZT7000000006  ', '', ''].join('\r\n'));
    const opsBefore = countRows(fx.db, 'ops');
    const report = await importNumbersFile(fx.ctx(), p.id, file);
    expect(report.imported).toBe(false);
    expect(report.added).toBe(0);
    expect(report.bad.map((b) => [b.line, b.problem])).toEqual([
      [3, 'blank'],
      [5, 'duplicate_in_file'],
      [6, 'already_in_pool'],
      [7, 'bad_characters'],
      [8, 'bad_characters'],
    ]);
    expect(report.bad[1]?.message).toMatch(/line 2/);
    expect(countRows(fx.db, 'waybill_numbers')).toBe(3);
    expect(countRows(fx.db, 'ops')).toBe(opsBefore); // no command ran
    const skipped = await importNumbersFile(fx.ctx(), p.id, file, { skipBad: true });
    expect(skipped).toMatchObject({ imported: true, added: 4 });
    const numbers = fx.db.$client.prepare('SELECT waybill_no AS n FROM waybill_numbers ORDER BY rowid').all() as { n: string }[];
    expect(numbers.slice(3).map((r) => r.n)).toEqual(['ZT7000000001', 'ZT7000000002', 'ZT7000000005', 'ZT7000000006']);
    expect(countRows(fx.db, 'ops')).toBe(opsBefore + 1);
  });

  it('reads an Excel sheet’s first column by row number, text and number cells, and refuses a number cell that lost its digits', async () => {
    const p = pool('圆通自有', 'YTO');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('面单');
    sheet.addRow(['面单号', '备注']);
    sheet.addRow(['YT1000000000001']);
    sheet.addRow([7700000000001]); // a number cell within 2^53: kept exactly
    sheet.addRow([]);
    sheet.addRow(['YT1000000000001']);
    sheet.addRow([12345678901234567890]); // past 2^53: Excel kept a float, not these digits
    sheet.addRow([{ richText: [{ text: 'YT10000' }, { text: '00000009' }] }]);
    const file = path.join(dir, 'numbers.xlsx');
    await book.xlsx.writeFile(file);
    const report = await importNumbersFile(fx.ctx(), p.id, file);
    expect(report.bad.map((b) => [b.line, b.problem])).toEqual([
      [4, 'blank'],
      [5, 'duplicate_in_file'],
      [6, 'bad_characters'],
    ]);
    expect(report.bad[2]?.value).toMatch(/digits lost/);
    expect(countRows(fx.db, 'waybill_numbers')).toBe(0);
    const ok = await importNumbersFile(fx.ctx(), p.id, file, { skipBad: true });
    expect(ok.added).toBe(3);
    expect((fx.db.$client.prepare('SELECT waybill_no AS n FROM waybill_numbers ORDER BY rowid').all() as { n: string }[]).map((r) => r.n)).toEqual([
      'YT1000000000001',
      '7700000000001',
      'YT1000000000009',
    ]);
  });

  it('treats a number already on a package of the same carrier as taken', async () => {
    fx.addOrders([platformOrder(1)]);
    const p = pool();
    fx.db.$client
      .prepare("INSERT INTO packages (id, order_id, seq, carrier_code, waybill_no, state, created_at) VALUES ('pk', ?, 1, 'ZTO', 'ZT5550000001', 'allocated', ?)")
      .run(fx.idOf(1), T0);
    const file = path.join(dir, 'a.csv');
    fs.writeFileSync(file, 'ZT5550000001\nZT5550000002\n');
    const report = await importNumbersFile(fx.ctx(), p.id, file);
    expect(report.bad).toEqual([expect.objectContaining({ line: 1, problem: 'already_in_pool' })]);
    expect((await readNumbers(Buffer.from('单号\nA\n'), 'a.csv')).map((r) => r.line)).toEqual([2]);
  });

  // Hostile and awkward files, through the API as the import dialog sends them.
  const upload = (accountId: string, fileName: string, bytes: Buffer, skipBad = false) =>
    fx.call('waybillAccounts.importNumbers', { accountId, fileName, base64: bytes.toString('base64'), skipBad });

  it('a sheet with one cell in row 1,048,576 is refused in one short sentence, not answered with a million blank rows', async () => {
    const p = pool();
    const file = workbook([row(1, cell('A1', '运单号')), row(2, cell('A2', 'ZT7000000001')), row(1_048_576, cell('A1048576', 'ZT7000000002'))]);
    const r = await upload(p.id, 'far.xlsx', file);
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', reason: 'import.too_many_rows', details: { fileName: 'far.xlsx', line: 1_048_576 }, message: expect.stringContaining('row 1,048,576 still has content') } });
    expect(JSON.stringify(r).length).toBeLessThan(1000);
    expect(countRows(fx.db, 'waybill_numbers')).toBe(0);
  });

  it('a zip bomb (450 MB of sheet XML in about 1 MB) is refused before it is unpacked', { timeout: 60_000 }, async () => {
    const p = pool();
    const sheet = await repeatedPart('xl/worksheets/sheet1.xml', SHEET_HEAD, '<row><c t="inlineStr"><is><t>ZT7000000001</t></is></c></row>', 7_000_000, SHEET_TAIL);
    const r = await upload(p.id, 'bomb.xlsx', zip([WORKBOOK, WORKBOOK_RELS, sheet]));
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', reason: 'import.part_too_large', message: expect.stringMatching(/unpacks to \d+ MB, over the 100 MB limit/) } });
  });

  it('lists the first hundred of 150,000 bad rows and counts them all: the answer stays small', { timeout: 60_000 }, async () => {
    const p = pool();
    const lines = ['运单号', ...Array.from({ length: 150_000 }, (_, i) => `中通${i}`), 'ZT7000000001'];
    const r = await upload(p.id, 'bad.csv', Buffer.from(lines.join('\r\n')));
    expect(r.ok).toBe(true);
    const report = (r as { value: { imported: boolean; bad: { line: number }[]; badTotal: number; badCounts: object; rows: number } }).value;
    expect(report).toMatchObject({ imported: false, rows: 150_001, badTotal: 150_000, badCounts: { bad_characters: 150_000 } });
    expect(report.bad.map((b) => b.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    expect(JSON.stringify(r).length).toBeLessThan(50_000);
    const skipped = await upload(p.id, 'bad.csv', Buffer.from(lines.join('\r\n')), true);
    expect(skipped).toMatchObject({ ok: true, value: { imported: true, added: 1, badTotal: 150_000 } });
  });

  it('reads a CSV saved by Excel on Chinese Windows (GBK) and a UTF-16 "Unicode text" file', async () => {
    const p = pool();
    const gbk = iconv.encode('快递单号,备注\r\nZT7000000001,中通 上午\r\nZT7000000002,下午\r\n', 'gbk');
    expect(await upload(p.id, '面单号.csv', gbk)).toMatchObject({ ok: true, value: { imported: true, added: 2, badTotal: 0 } });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('单号\t备注\r\nZT7000000003\t晚上\r\n', 'utf16le')]);
    expect(await upload(p.id, '面单号.txt', utf16)).toMatchObject({ ok: true, value: { imported: true, added: 1 } });
    const numbers = fx.db.$client.prepare('SELECT waybill_no AS n FROM waybill_numbers ORDER BY rowid').all() as { n: string }[];
    expect(numbers.map((r) => r.n)).toEqual(['ZT7000000001', 'ZT7000000002', 'ZT7000000003']);
  });
});

