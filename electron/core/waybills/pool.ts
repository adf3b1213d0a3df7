// Self-managed waybill pools (自有面单号段): add a number range or import numbers from an Excel or CSV
// file into a pool account. Every bad row is reported by its line (blank, duplicate in the file,
// already in a pool or on a package of the same carrier, wrong characters) — the first hundred by
// line, all of them counted; the import is one transaction and all-or-nothing, unless the caller
// asks to skip the bad rows. Files are read by the shared import reader (imports/), off this thread.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { WaybillImportProblem } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { BadRows } from '../imports/bad-rows.ts';
import type { ColumnSpec } from '../imports/header.ts';
import { MAX_FILE_BYTES, MAX_ROWS, mb } from '../imports/limits.ts';
import { readTableOffThread } from '../imports/off-thread.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import { getWaybillAccount, type WaybillAccountView } from './accounts.ts';

/** Letters and digits only, 6–32 long: every carrier's numbers fit; spaces, dashes and full-width characters do not. */
export const WAYBILL_NO = /^[A-Za-z0-9]{6,32}$/;
/** A range is one transaction; beyond this, add it in parts (a pool this size lasts any team months). */
export const MAX_RANGE = 1_000_000;
/** Rows per INSERT statement batch inside the import transaction (keeps the statement cache warm, nothing else). */
const LOOKUP_CHUNK = 500;

/** The API's reasons a line of numbers is bad, under the name the import uses. */
export type BadRowProblem = WaybillImportProblem;

export interface BadRow {
  /** 1-based line (CSV) or row (Excel) number in the file. */
  line: number;
  value: string;
  problem: BadRowProblem;
  /** An English sentence for logs and the CLI; the UI translates `problem`. */
  message: string;
}

export interface ImportReport {
  /** False when bad rows stopped the import (nothing was added). */
  imported: boolean;
  added: number;
  /** Rows read from the file that held a value or were blank between values. */
  rows: number;
  /** The first hundred bad rows, by line. */
  bad: BadRow[];
  /** Every bad row, counted: in all and by problem. */
  badTotal: number;
  badCounts: Partial<Record<BadRowProblem, number>>;
}

/** One value read from a file, with where it was. */
export interface NumberRow {
  line: number;
  value: string;
}

function poolAccount(db: Db, accountId: string): WaybillAccountView {
  const account = getWaybillAccount(db, accountId);
  if (!account) throw reasonError('waybill_account.not_found', { accountId }, `no waybill account ${accountId}`);
  if (account.kind !== 'pool') throw reasonError('waybill_account.not_pool', { name: account.name }, `waybill account "${account.name}" gets its numbers from its platform, not from a pool`);
  return account;
}

/**
 * Which of these numbers the carrier already has: in any pool account of the same carrier, or on a
 * package (packages_waybill_uq is unique per carrier, so a second copy could never be allocated).
 */
function existingNumbers(db: Db, carrierCode: string, numbers: readonly string[]): Set<string> {
  const client = db.$client;
  const accountIds = client
    .prepare<[string], { id: string }>("SELECT id FROM waybill_accounts WHERE carrier_code = ? AND kind = 'pool'")
    .all(carrierCode)
    .map((r) => r.id);
  const found = new Set<string>();
  // PK (account_id, waybill_no) and packages_waybill_uq (carrier_code, waybill_no) serve these lookups.
  const inPool = client.prepare<[string, string], { n: string }>(
    'SELECT waybill_no AS n FROM waybill_numbers WHERE account_id IN (SELECT value FROM json_each(?)) AND waybill_no IN (SELECT value FROM json_each(?))',
  );
  const onPackage = client.prepare<[string, string], { n: string }>(
    'SELECT waybill_no AS n FROM packages WHERE carrier_code = ? AND waybill_no IN (SELECT value FROM json_each(?))',
  );
  const ids = JSON.stringify(accountIds);
  for (let i = 0; i < numbers.length; i += LOOKUP_CHUNK) {
    const chunk = JSON.stringify(numbers.slice(i, i + LOOKUP_CHUNK));
    for (const r of inPool.all(ids, chunk)) found.add(r.n);
    for (const r of onPackage.all(carrierCode, chunk)) found.add(r.n);
  }
  return found;
}

/**
 * Check rows (they are trimmed first) and sort them into good numbers and bad rows. Trailing blank
 * lines at the end of a file are not rows; blank lines between values are reported.
 */
export function checkRows(db: Db, carrierCode: string, rows: readonly NumberRow[]): { good: NumberRow[]; bad: BadRows<BadRow, BadRowProblem>; rows: number } {
  let last = rows.length - 1;
  while (last >= 0 && (rows[last] as NumberRow).value.trim() === '') last -= 1;
  const kept = rows.slice(0, last + 1);
  const bad = new BadRows<BadRow, BadRowProblem>();
  const push = (b: BadRow) => bad.add(b, b.problem);
  const firstLine = new Map<string, number>();
  const candidates: NumberRow[] = [];
  for (const row of kept) {
    const value = row.value.trim();
    if (value === '') {
      push({ line: row.line, value, problem: 'blank', message: 'The row is blank.' });
    } else if (!WAYBILL_NO.test(value)) {
      push({ line: row.line, value: value.slice(0, 64), problem: 'bad_characters', message: 'A waybill number is 6–32 letters and digits (no spaces, dashes or full-width characters).' });
    } else if (firstLine.has(value)) {
      push({ line: row.line, value, problem: 'duplicate_in_file', message: `The same number is on line ${firstLine.get(value)}.` });
    } else {
      firstLine.set(value, row.line);
      candidates.push({ line: row.line, value });
    }
  }
  const existing = existingNumbers(db, carrierCode, candidates.map((c) => c.value));
  const good: NumberRow[] = [];
  for (const c of candidates) {
    if (existing.has(c.value)) push({ line: c.line, value: c.value, problem: 'already_in_pool', message: `The carrier already has this number (in a pool or on a package).` });
    else good.push(c);
  }
  return { good, bad, rows: kept.length };
}

/** Insert checked numbers in one command transaction. */
function insertNumbers(ctx: CoreContext, account: WaybillAccountView, command: string, args: Record<string, unknown>, numbers: readonly string[]): void {
  const client = ctx.db.$client;
  runCommand(ctx, command, { accountId: account.id, ...args }, { tables: ['waybill_numbers'] }, (scope) => {
    const insert = client.prepare('INSERT INTO waybill_numbers (account_id, waybill_no, package_id, added_at) VALUES (?, ?, NULL, ?)');
    for (const n of numbers) insert.run(account.id, n, scope.at);
    scope.audit({ entity: 'waybill_account', entityId: account.id, field: 'pool', after: { added: numbers.length, first: numbers[0] ?? null, last: numbers.at(-1) ?? null } });
  });
}

/** Add checked rows to a pool account: all-or-nothing unless skipBad. */
export function importNumbers(ctx: CoreContext, accountId: string, rows: readonly NumberRow[], opts: { skipBad?: boolean; source?: string } = {}): ImportReport {
  const account = poolAccount(ctx.db, accountId);
  const { good, bad, rows: count } = checkRows(ctx.db, account.carrierCode, rows);
  const { listed, total, byProblem } = bad.report();
  const report = { rows: count, bad: listed, badTotal: total, badCounts: byProblem };
  if (total > 0 && !opts.skipBad) return { imported: false, added: 0, ...report };
  // The audit names the skipped rows by count and the first lines, not a list as long as the file.
  if (good.length > 0) insertNumbers(ctx, account, 'waybills.importNumbers', { source: opts.source ?? null, added: good.length, skipped: total, skippedLines: listed.map((b) => b.line) }, good.map((g) => g.value));
  return { imported: true, added: good.length, ...report };
}

export interface NumberRange {
  /** Letters/digits before the running number, e.g. 'ZT' (may be empty). */
  prefix: string;
  start: number;
  end: number;
  /** Zero-pad the running number to this many digits (default: the digits of `end`). */
  width?: number;
}

/** The numbers of a range, in order. */
export function rangeNumbers(range: NumberRange): string[] {
  const { prefix, start, end } = range;
  if (!/^[A-Za-z0-9]*$/.test(prefix)) throw reasonError('waybill_pool.bad_prefix', { prefix }, 'prefix: letters and digits only');
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw reasonError('waybill_pool.bad_range', { start, end }, 'start..end: whole numbers with 0 ≤ start ≤ end');
  }
  if (end - start + 1 > MAX_RANGE) throw reasonError('waybill_pool.range_too_large', { max: MAX_RANGE }, `a range holds at most ${MAX_RANGE} numbers; add it in parts`);
  const width = range.width ?? String(end).length;
  if (String(end).length > width) throw reasonError('waybill_pool.width_too_small', { width, end }, `width ${width} is too small for ${end}`);
  const out: string[] = [];
  for (let n = start; n <= end; n += 1) out.push(`${prefix}${String(n).padStart(width, '0')}`);
  const bad = out.find((n) => !WAYBILL_NO.test(n));
  if (bad !== undefined) throw reasonError('waybill_pool.bad_number', { number: bad }, `"${bad}" is not a waybill number (6–32 letters and digits)`);
  return out;
}

/**
 * Add a number range (prefix + start..end, zero-padded) to a pool account. Refused as a whole when
 * any number is already the carrier's (CONFLICT, with how many and the first few) unless
 * skipExisting, which adds the rest.
 */
export function addNumberRange(ctx: CoreContext, accountId: string, range: NumberRange, opts: { skipExisting?: boolean } = {}): { added: number; skipped: number } {
  const account = poolAccount(ctx.db, accountId);
  const numbers = rangeNumbers(range);
  const existing = existingNumbers(ctx.db, account.carrierCode, numbers);
  if (existing.size > 0 && !opts.skipExisting) {
    const sample = [...existing].slice(0, 5);
    throw reasonError('waybill_pool.numbers_taken', { existing: existing.size, sample }, `${existing.size} of these numbers are already the carrier's (e.g. ${sample.join(', ')}); nothing was added`);
  }
  const fresh = numbers.filter((n) => !existing.has(n));
  if (fresh.length > 0) insertNumbers(ctx, account, 'waybills.addRange', { ...range, added: fresh.length }, fresh);
  return { added: fresh.length, skipped: existing.size };
}

// ------------------------------------------------------------------------------------------------
// Files

/** Header texts a first row may carry instead of a number; any column may hold them (else the first column is read). */
export const NUMBER_COLUMNS: ColumnSpec<'waybillNo'> = {
  fields: { waybillNo: '^(运单号|面单号|快递单号|单号|waybill(\\s*(no|number))?|tracking(\\s*(no|number))?)$' },
  required: ['waybillNo'],
  order: ['waybillNo'],
  header: 'if-named',
};

/** The numbers of an .xlsx (first sheet) or .csv/.txt file (any encoding Excel saves), one per row, read off this thread. */
export async function readNumbers(bytes: Uint8Array, fileName: string): Promise<NumberRow[]> {
  const { table } = await readTableOffThread(bytes, fileName, { columns: NUMBER_COLUMNS, maxRows: MAX_ROWS });
  return table.rows.map((r) => ({ line: r.line, value: r.cells[0] ?? '' }));
}

/** Read numbers from a .xlsx or .csv file on disk. */
export async function readNumbersFile(file: string): Promise<NumberRow[]> {
  const size = (await fs.stat(file)).size;
  if (size > MAX_FILE_BYTES) {
    const fileName = path.basename(file);
    throw reasonError('file.too_large', { fileName, size: mb(size), max: mb(MAX_FILE_BYTES) }, `${fileName} is ${mb(size)}, over the ${mb(MAX_FILE_BYTES)} limit; split it into several files`);
  }
  return readNumbers(await fs.readFile(file), path.basename(file));
}

/** Import numbers from a file's bytes into a pool account (see importNumbers): how the API takes an upload. */
export async function importNumbersBytes(ctx: CoreContext, accountId: string, fileName: string, bytes: Uint8Array, opts: { skipBad?: boolean } = {}): Promise<ImportReport> {
  // The account is checked before the file is read: a wrong account is answered at once.
  poolAccount(ctx.db, accountId);
  const rows = await readNumbers(bytes, fileName);
  return importNumbers(ctx, accountId, rows, { ...opts, source: fileName });
}

/** Import a file's numbers into a pool account (see importNumbers). */
export async function importNumbersFile(ctx: CoreContext, accountId: string, file: string, opts: { skipBad?: boolean } = {}): Promise<ImportReport> {
  poolAccount(ctx.db, accountId);
  const rows = await readNumbersFile(file);
  return importNumbers(ctx, accountId, rows, { ...opts, source: path.basename(file) });
}
