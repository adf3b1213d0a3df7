// `shopfleet demo`'s builder: fills a station file with the simulated world's history of orders, as
// a platform's backfill would have brought them. It is the sandbox writing its world into a station
// (through order ingest, as a pull does), not a command anyone runs on a station's data, so it
// opens the file itself; the caller has already opened the station once, through the core, so the
// file is migrated and set up (its owner, its clock, its one-time markers) before the orders arrive.
import { openDatabase } from '../../core/db/open.ts';
import { buildDemoDatabase, type BuildDemoOptions, type BuildDemoResult } from './bulk.ts';

export async function buildDemoStation(dbFile: string, options: BuildDemoOptions): Promise<BuildDemoResult> {
  const db = openDatabase(dbFile);
  try {
    return await buildDemoDatabase(db, options);
  } finally {
    db.$client.close();
  }
}
