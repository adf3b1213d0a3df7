// The shared import reader against hostile and awkward files made here, byte by byte: a zip bomb
// (a sheet that unpacks to 450 MB from well under 1 MB), the same bomb with a directory that lies
// about its size, a lone cell in Excel's last row, a CSV of a hundred thousand bad rows, GBK and
// UTF-16 exports from Excel, a workbook under a .csv name. Each is refused in words or read within
// bounds, in a worker thread — the thread that answers the UI only waits.
import { threadId } from 'node:worker_threads';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { BadRows } from './bad-rows.ts';
import { mapHeader, type ColumnSpec } from './header.ts';
import { MAX_ROWS, XLSX_LIMITS, mb } from './limits.ts';
import { readTableOffThread } from './off-thread.ts';
import { readTable } from './table.ts';
import { decodeText, guessDelimiter } from './text.ts';
import { cell, repeatedPart, row, SHEET_HEAD, SHEET_TAIL, workbook, WORKBOOK, WORKBOOK_RELS, zip } from '../../testkit/xlsx-fixture.ts';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const NUMBERS: ColumnSpec<'no'> = { fields: { no: '^(运单号|单号)$' }, required: ['no'], order: ['no'], header: 'if-named' };

/** ~450 MB of sheet XML: the same row, millions of times (deflate makes it about 1 MB). */
let bombPart: ReturnType<typeof repeatedPart> | null = null;
const bomb = async (claimedSize?: number) => {
  // Rows of empty cells: nothing is kept from them, so only the byte count can stop a read of this.
  bombPart ??= repeatedPart('xl/worksheets/sheet1.xml', SHEET_HEAD, '<row><c t="inlineStr"><is><t> </t></is></c><c><v></v></c></row>', 7_000_000, SHEET_TAIL);
  return { ...(await bombPart), ...(claimedSize === undefined ? {} : { claimedSize }) };
};

describe('xlsx: sizes are checked before reading and enforced while reading', () => {
  it('refuses a zip bomb from its directory, before inflating anything, in words', { timeout: 60_000 }, async () => {
    const sheet = await bomb();
    const file = zip([WORKBOOK, WORKBOOK_RELS, sheet]);
    expect(sheet.size).toBeGreaterThan(400 * 1024 * 1024);
    expect(file.length).toBeLessThan(2 * 1024 * 1024);
    const err = await refusal(readTable(file, 'numbers.xlsx', { columns: NUMBERS }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.reason).toBe('import.part_too_large');
    expect(err.message).toMatch(/unpacks to 4\d\d MB, over the 100 MB limit/);
    expect(err.details).toMatchObject({ part: 'xl/worksheets/sheet1.xml', max: mb(XLSX_LIMITS.sheetBytes), size: expect.stringMatching(/^4\d\d MB$/) });
  });

  it('a lone cell in row 1,048,576 is refused at once with the row named, not read as a million blank rows', async () => {
    const file = workbook([row(1, cell('A1', '运单号')), row(2, cell('A2', 'ZT7000000001')), row(1_048_576, cell('A1048576', 'x'))]);
    expect(file.length).toBeLessThan(8 * 1024);
    const err = await refusal(readTable(file, 'far.xlsx', { columns: NUMBERS }));
    expect(err).toMatchObject({ reason: 'import.too_many_rows', details: { fileName: 'far.xlsx', maxRows: 200_000, line: 1_048_576 } });
    expect(err.message).toContain('more than 200,000 rows (row 1,048,576 still has content)');
    expect(err.message.length).toBeLessThan(300);
  });

  it('reads the kept columns only, shared and inline strings, numbers, blank rows between values', async () => {
    const sst = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>单号</t></si><si><r><t>YT10000</t></r><r><t>00000009</t></r><rPh><t>ignored</t></rPh></si></sst>';
    const { part } = await import('../../testkit/xlsx-fixture.ts');
    const sheet = [
      row(1, '<c r="A1"><v>1</v></c>', '<c r="B1" t="s"><v>0</v></c>'),
      row(2, '<c r="A2" t="inlineStr"><is><t>note</t></is></c>', '<c r="B2" t="s"><v>1</v></c>'),
      row(4, '<c r="B4"><v>7700000000001</v></c>'),
      row(5, '<c r="B5"><v>1.2345678901234567E+19</v></c>'),
    ];
    const file = zip([WORKBOOK, WORKBOOK_RELS, part('xl/sharedStrings.xml', sst), part('xl/worksheets/sheet1.xml', SHEET_HEAD + sheet.join('') + SHEET_TAIL)]);
    const t = await readTable(file, 'n.xlsx', { columns: NUMBERS });
    expect(t.header).toEqual({ columns: { no: 1 }, isHeader: true });
    expect(t.rows).toEqual([
      { line: 2, cells: ['YT1000000000009'] },
      { line: 3, cells: [] },
      { line: 4, cells: ['7700000000001'] },
      { line: 5, cells: [expect.stringContaining('digits lost')] },
    ]);
  });
});

describe('CSV and text exports', () => {
  it('detects GBK (Excel on Chinese Windows), UTF-8 with BOM and UTF-16 "Unicode text"', async () => {
    const gbk = iconv.encode('运单号,备注\r\nZT7000000001,中通快递\r\n', 'gbk');
    expect(decodeText(gbk)).toEqual({ text: '运单号,备注\r\nZT7000000001,中通快递\r\n', encoding: 'gb18030' });
    const t = await readTable(gbk, 'numbers.csv', { columns: NUMBERS });
    expect(t).toMatchObject({ encoding: 'gb18030', rows: [{ line: 2, cells: ['ZT7000000001'] }] });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('单号\t备注\r\nZT7000000002\t圆通\r\n', 'utf16le')]);
    expect(guessDelimiter('单号\t备注\r\n')).toBe('\t');
    expect(await readTable(utf16, 'numbers.txt', { columns: NUMBERS })).toMatchObject({ encoding: 'utf-16le', rows: [{ line: 2, cells: ['ZT7000000002'] }] });
    expect((await readTable(Buffer.from('\ufeff单号\nZT7000000003\n'), 'a.csv', { columns: NUMBERS })).rows).toEqual([{ line: 2, cells: ['ZT7000000003'] }]);
  });

  it('finds the column by its header anywhere in the first row; without a header reads the first column', async () => {
    const t = await readTable(Buffer.from('备注,运单号\nx,ZT7000000001\n'), 'a.csv', { columns: NUMBERS });
    expect(t.rows).toEqual([{ line: 2, cells: ['ZT7000000001'] }]);
    const bare = await readTable(Buffer.from('ZT7000000001,x\n\nZT7000000002\n\n\n'), 'a.csv', { columns: NUMBERS });
    expect(bare.rows).toEqual([
      { line: 1, cells: ['ZT7000000001'] },
      { line: 2, cells: [] },
      { line: 3, cells: ['ZT7000000002'] },
    ]);
    expect(mapHeader(['时间', '单号'], NUMBERS)).toEqual({ columns: { no: 1 }, isHeader: true });
  });

  it('caps the rows, and refuses a workbook named .csv, a binary file and an unclosed quote in words', async () => {
    const over = Buffer.from(['单号', ...Array.from({ length: MAX_ROWS + 1 }, (_, i) => `ZT${7_000_000_000 + i}`)].join('\n'));
    expect(await refusal(readTable(over, 'big.csv', { columns: NUMBERS }))).toMatchObject({ reason: 'import.too_many_rows', details: { maxRows: MAX_ROWS, line: MAX_ROWS + 2 } });
    const atCap = Buffer.from(['单号', ...Array.from({ length: MAX_ROWS }, (_, i) => `ZT${7_000_000_000 + i}`)].join('\n'));
    expect((await readTable(atCap, 'big.csv', { columns: NUMBERS })).rows).toHaveLength(MAX_ROWS);
    expect(await refusal(readTable(workbook([row(1, cell('A1', 'x'))]), 'numbers.csv'))).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'import.xlsx_named_csv', details: { fileName: 'numbers.csv' } });
    expect(await refusal(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1]), 'old.csv'))).toMatchObject({ reason: 'import.old_xls', details: { fileName: 'old.csv' } });
    expect(await refusal(readTable(Buffer.from('a\u0000b'), 'x.csv'))).toMatchObject({ reason: 'import.not_text', details: { fileName: 'x.csv' } });
    const unclosed = await refusal(readTable(Buffer.from('单号\n"ZT1\nZT2\n'), 'x.csv'));
    expect(unclosed).toMatchObject({ reason: 'import.bad_csv', details: { fileName: 'x.csv', why: expect.any(String) }, message: expect.stringContaining('x.csv is not a readable CSV') });
    expect(await refusal(readTable(Buffer.from('单号\n'), 'x.xlsx'))).toMatchObject({ reason: 'import.not_xlsx', details: { fileName: 'x.xlsx' } });
    expect(await refusal(readTable(Buffer.from('x'), 'x.pdf'))).toMatchObject({ reason: 'import.unsupported_type', details: { fileName: 'x.pdf', ext: '.pdf' } });
    expect(await refusal(readTable(Buffer.alloc(0), 'x.csv'))).toMatchObject({ reason: 'import.empty', details: { fileName: 'x.csv' } });
    expect(await refusal(readTable(Buffer.from('PK\u0003\u0004 not really a zip'), 'x.xlsx'))).toMatchObject({ reason: 'import.damaged', details: { why: 'no zip directory' } });
    // Core messages are English (the CLI prints them); the words a person reads come from the reason.
    for (const e of [unclosed]) expect(e.message.replace(/单号|ZT\d/g, '')).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('bad rows', () => {
  it('lists the first hundred by line and counts every one', () => {
    const bad = new BadRows<{ line: number }, 'a' | 'b'>();
    for (let line = 5000; line >= 1; line -= 1) bad.add({ line }, line % 2 ? 'a' : 'b');
    const r = bad.report();
    expect(r.listed.map((x) => x.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(r).toMatchObject({ total: 5000, byProblem: { a: 2500, b: 2500 } });
  });
});

describe('off the UI thread', () => {
  it('reads in a worker thread; this thread keeps running its timers meanwhile', { timeout: 60_000 }, async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => row(i + 2, cell(`A${i + 2}`, `ZT${7_000_000_000 + i}`), cell(`B${i + 2}`, '备注'.repeat(10))));
    const file = workbook([row(1, cell('A1', '运单号')), ...rows]);
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    try {
      const { table, threadId: reader } = await readTableOffThread(file, 'numbers.xlsx', { columns: NUMBERS });
      expect(reader).not.toBe(threadId);
      expect(table.rows).toHaveLength(100_000);
      expect(table.rows[99_999]).toEqual({ line: 100_001, cells: ['ZT7000099999'] });
    } finally {
      clearInterval(ticker);
    }
    expect(ticks).toBeGreaterThanOrEqual(3);
  });

  it('a bomb whose directory under-states its size is stopped while inflating, at the limit, in the worker', { timeout: 60_000 }, async () => {
    const file = zip([WORKBOOK, WORKBOOK_RELS, await bomb(4096)]);
    const err = await refusal(readTableOffThread(file, 'numbers.xlsx', { columns: NUMBERS }));
    // The reason survives the worker's reply.
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'import.part_inflates_too_large', details: { part: 'xl/worksheets/sheet1.xml', max: '100 MB' } });
  });

  it('a read that needs more memory than the worker may have, or more time, is refused in words', { timeout: 60_000 }, async () => {
    // Every cell of 100,000 wide rows kept: far more than a 48 MB heap holds.
    const wide = Buffer.from(Array.from({ length: 100_000 }, (_, i) => Array.from({ length: 40 }, (_, c) => `v${i}-${c}`).join(',')).join('\n'));
    const oom = await refusal(readTableOffThread(wide, 'wide.csv', {}, { heapMb: 48 }));
    expect(oom).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'import.read_out_of_memory', details: { fileName: 'wide.csv', heapMb: 48 } });
    const slow = await refusal(readTableOffThread(Buffer.from('单号\nZT7000000001\n'), 'a.csv', {}, { timeoutMs: 1 }));
    expect(slow).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'import.read_timeout', details: { fileName: 'a.csv', seconds: 1 } });
  });
});
