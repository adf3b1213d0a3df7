// Test-only: the connection a core opened on its station, for a test that sets up or reads back
// rows no API method covers. Product code has no such handle (Core has no db): it calls the API.
import type { Core } from '../core/app.ts';
import type { Db } from '../core/db/open.ts';
import { STATION_DB_FOR_TESTS } from '../core/db/station-db-key.ts';

export function testDbOf(core: Core): Db {
  const db = (core as Core & { readonly [STATION_DB_FOR_TESTS]?: Db })[STATION_DB_FOR_TESTS];
  if (!db) throw new Error('testDbOf: this core was not made by createCore');
  return db;
}
