// Whether the station database can be used, said in words a person can act on. At start: SQLite's
// quick check (whole file up to a size, the bookkeeping tables beyond it) and a write probe that is
// rolled back; at any time: SQLite's and the file system's errors about a damaged file, a read-only
// file or a full disk become DB_DAMAGED, DB_READ_ONLY or DISK_FULL, naming the file and the backups.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/result.ts';

/**
 * Files up to this size get the full quick check at every start (about 0.6 s for 64 MB on a busy
 * laptop disk). Larger ones are checked table by table for the small tables the station cannot
 * start without; a damaged page elsewhere is reported as DB_DAMAGED when something reads it.
 */
export const FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024;

/** Tables every start reads or writes; always checked, whatever the file's size. */
const ESSENTIAL_TABLES = ['meta', 'shops', 'printers', 'sync_cursors', '__drizzle_migrations'];

/** Below this much free space a station cannot sync a day's orders: refuse to start rather than fail halfway. */
export const MIN_FREE_BYTES = 4 * 1024 * 1024;

/** Backups beside the database (`<file>.bak-<schema>`, made before each upgrade), newest first. */
export function backupsOf(file: string): string[] {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(`${base}.bak-`))
    .map((n) => path.join(dir, n))
    .map((p) => ({ p, at: safeMtime(p) }))
    .sort((a, b) => b.at - a.at)
    .map((x) => x.p);
}

const safeMtime = (p: string): number => {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return 0;
  }
};

/** "The station database /path/x.db", or just "The station database" when the caller does not know the file. */
const named = (file: string | null): string => (file === null ? 'The station database' : `The station database ${path.resolve(file)}`);

function restoreAdvice(file: string | null): string {
  if (file === null) return 'Close ShopFleet, keep the damaged file, and copy the newest backup beside it (<database>.bak-*) over it; orders since that backup come back from the platforms at the next sync.';
  const backups = backupsOf(file);
  const name = path.basename(file);
  if (backups.length === 0) {
    return `No backup of it was found beside it (${name}.bak-*): keep the damaged file, and move it aside to start an empty station, then connect the shops again (orders come back from the platforms for the days they keep).`;
  }
  return `Close ShopFleet, keep the damaged file (rename it to ${name}.damaged), and copy the newest backup, ${backups[0]}, to ${path.resolve(file)}; orders since that backup come back from the platforms at the next sync.`;
}

export function damaged(file: string | null, why: string): AppError {
  return new AppError('DB_DAMAGED', `${named(file)} is damaged (${why}). ${restoreAdvice(file)}`, {
    file: file === null ? null : path.resolve(file),
    backups: file === null ? [] : backupsOf(file),
    why,
  });
}

export function readOnly(file: string | null, why: string): AppError {
  return new AppError(
    'DB_READ_ONLY',
    `${named(file)} cannot be written (${why}). Give your user write access to the file and its folder, or move the station to a writable disk, then start ShopFleet again.`,
    { file: file === null ? null : path.resolve(file), why },
  );
}

export function diskFull(file: string | null, why: string): AppError {
  const free = file === null ? null : freeBytes(file);
  const left = free === null ? '' : `; ${Math.floor(free / 1024)} KB left`;
  return new AppError(
    'DISK_FULL',
    `The disk holding ${named(file).replace('The station', 'the station')} is full (${why}${left}). Free some space on it, then try again; nothing was lost.`,
    { file: file === null ? null : path.resolve(file), why, freeBytes: free },
  );
}

/** Free bytes for an unprivileged user on the disk holding `file` (or its folder), null when unknown. */
export function freeBytes(file: string): number | null {
  const dir = path.dirname(path.resolve(file));
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

const DAMAGED_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB', 'SQLITE_IOERR_SHORT_READ']);

/**
 * What an error from SQLite or the file system means for this database, as an AppError; null when
 * it is about something else. `file` is the database it happened on (null: a call that does not know).
 */
export function describeDatabaseError(err: unknown, file: string | null): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as (Error & { code?: unknown; path?: string }) | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = e?.message ?? String(err);
  if (file === null) {
    // A call on an open database: only SQLite's own verdicts, nothing from the file system to look at.
    if (DAMAGED_CODES.has(code)) return damaged(null, message);
    if (code === 'SQLITE_FULL') return diskFull(null, message);
    if (code.startsWith('SQLITE_READONLY')) return readOnly(null, message);
    return null;
  }
  if (DAMAGED_CODES.has(code) || (code.startsWith('SQLITE_') && /malformed|not a database/i.test(message))) return damaged(file, message);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return diskFull(file, message);
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return readOnly(file, message);
  if (code === 'EACCES' || code === 'EPERM') return readOnly(file, message);
  if (code === 'ENOENT' && (e as { syscall?: string }).syscall === 'mkdir') {
    // Node's recursive mkdir reports a read-only parent as ENOENT.
    const parent = nearestExisting(path.dirname(path.resolve(file)));
    if (parent !== null && !writable(parent)) return readOnly(file, `its folder cannot be created: ${parent} is not writable`);
  }
  // SQLite cannot make the -wal and -shm files beside the database in a folder it cannot write.
  if (code.startsWith('SQLITE_CANTOPEN') && !canWriteFolder(file)) return readOnly(file, `${message}: its folder is not writable`);
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
    // A write that failed for want of space shows as an I/O error on some file systems (tmpfs, shm).
    const free = freeBytes(file);
    if (free !== null && free < MIN_FREE_BYTES) return diskFull(file, message);
  }
  return null;
}

const canWriteFolder = (file: string): boolean => writable(path.dirname(path.resolve(file)));

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    return false;
  }
  // access() answers from the mode bits; a read-only mount says so only through statfs flags or a write.
  try {
    const probe = path.join(dir, `.shopfleet-write-probe-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}

function nearestExisting(dir: string): string | null {
  let d = dir;
  for (;;) {
    if (fs.existsSync(d)) return d;
    const up = path.dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/** Refuse to start on a disk with less than MIN_FREE_BYTES free (when the OS says). */
export function checkFreeSpace(file: string): void {
  const free = freeBytes(file);
  if (free !== null && free < MIN_FREE_BYTES) throw diskFull(file, `less than ${MIN_FREE_BYTES / 1024 / 1024} MB free`);
}

/** SQLite's quick check: the whole file when small, else the essential tables. Throws DB_DAMAGED. */
export function quickCheck(client: Database.Database, file: string, fullCheckMaxBytes = FULL_CHECK_MAX_BYTES): void {
  const size = file === ':memory:' ? 0 : safeSize(file);
  const targets: (string | null)[] = size <= fullCheckMaxBytes ? [null] : existingTables(client, ESSENTIAL_TABLES);
  for (const table of targets) {
    const rows = client.pragma(table === null ? 'quick_check(5)' : `quick_check("${table}")`) as { quick_check: string }[];
    const problems = rows
      .flatMap((r) => r.quick_check.split('\n'))
      .map((line) => line.trim())
      .filter((line) => line !== 'ok' && line !== '' && !line.startsWith('*** in database'));
    if (problems.length > 0) throw damaged(file, `SQLite's quick check found: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`);
  }
}

const safeSize = (file: string): number => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

function existingTables(client: Database.Database, names: string[]): string[] {
  const have = new Set(
    (client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
  );
  return names.filter((n) => have.has(n));
}

/**
 * A write that is rolled back: proves the file, its WAL and its folder take writes now, not at the
 * first order of the day. Throws DB_READ_ONLY / DISK_FULL via describeDatabaseError.
 */
export function probeWrite(client: Database.Database): void {
  client.exec('BEGIN IMMEDIATE');
  try {
    client.exec('CREATE TABLE IF NOT EXISTS _write_probe (x); INSERT INTO _write_probe VALUES (1);');
  } finally {
    // A failed write may have ended the transaction already.
    if (client.inTransaction) client.exec('ROLLBACK');
  }
}
