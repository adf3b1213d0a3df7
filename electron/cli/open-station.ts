// Opens an existing station database for a one-shot CLI command: no demo team, no sync scheduler,
// so a listing or export never changes what it reads.
import fs from 'node:fs';
import path from 'node:path';
import { createCore, type Core } from '../core/app.ts';
import { UsageError } from './usage.ts';

export async function openExistingStation(dbFile: string): Promise<Core> {
  const file = path.resolve(dbFile);
  if (!fs.existsSync(file)) throw new UsageError(`No database at ${file} (make one with: shopfleet demo --db ${dbFile} --orders 1000)`);
  return createCore({ dbFile: file, demo: false, sync: false });
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
