// Opens a station database for a one-shot CLI command: no demo team, no sync scheduler,
// so a listing or export never changes what it reads.
import fs from 'node:fs';
import path from 'node:path';
import { createCore, type Core } from '../../core/app.ts';
import { AppError } from '../../shared/result.ts';
import { UsageError } from './usage.ts';
import { sandboxDemo } from '../../sandbox/index.ts';

function existing(dbFile: string): string {
  const file = path.resolve(dbFile);
  if (!fs.existsSync(file)) throw new UsageError(`No database at ${file} (make one with: shopfleet demo --db ${dbFile} --orders 1000)`);
  return file;
}

/**
 * The one place the CLI builds a core. No demo team and no background sync: a command runs what it
 * asks for through the API and exits. The demo is injected so a station holding demo shops still
 * pulls them on `shopfleet sync`. `print`: this process sends the station's print jobs.
 */
function openStation(file: string, opts: { print?: boolean } = {}): Promise<Core> {
  return createCore({ dbFile: file, demo: false, demoProvider: sandboxDemo, sync: false, ...(opts.print ? { print: true } : {}) });
}

export async function openExistingStation(dbFile: string): Promise<Core> {
  return openStation(existing(dbFile));
}

/** Opens a station, creating its database (and folder) when there is none: adding the first shop or printer. */
export async function openOrCreateStation(dbFile: string): Promise<Core> {
  const file = path.resolve(dbFile);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return openStation(file);
}

/**
 * Opens a station to send its print jobs in this process. One process sends a station's jobs (the
 * print-queue lock): when the desktop app or the web host holds it, `strict` refuses (the caller
 * must report what it printed), else the station opens without sending (`sends: false`) and the
 * program holding the lock sends what this command queues or frees.
 */
export async function openPrintingStation(dbFile: string, opts: { strict?: boolean } = {}): Promise<{ core: Core; sends: boolean }> {
  const file = existing(dbFile);
  try {
    return { core: await openStation(file, { print: true }), sends: true };
  } catch (err) {
    const heldElsewhere = err instanceof AppError && typeof (err.details as { lockFile?: unknown } | undefined)?.lockFile === 'string';
    if (!heldElsewhere || opts.strict) throw err;
    return { core: await openStation(file), sends: false };
  }
}

/** Run a command against a core and always close it, so WAL is checkpointed and the process can exit. */
export async function withCore<T>(open: Promise<Core>, body: (core: Core) => Promise<T>): Promise<T> {
  const core = await open;
  try {
    return await body(core);
  } finally {
    await core.close();
  }
}
