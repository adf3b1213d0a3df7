// The station's one hybrid logical clock (docs/sync.md#the-hybrid-logical-clock). Its node id is the station's persistent
// id, made once and kept in the meta table, so the team hub can tell stations apart and order their
// soft-field writes; it is seeded from the ops log, so a restart with the wall clock set back never
// issues a timestamp below one already written.
//
// The background worker thread (and a CLI process on the same file) has a clock of its own with the same
// node id. That is safe because no ops row takes a timestamp from a clock's memory alone: issueHlc
// runs inside the write transaction and first observes the newest row already stored. SQLite lets
// one writer at a time hold that transaction, so every clock sharing the file issues strictly after
// every row committed before it — equal timestamps from two clocks cannot happen.
import { v7 as uuidv7 } from 'uuid';
import { HybridClock } from '../api/hlc.ts';
import type { WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';

export const STATION_ID_KEY = 'station.id';

/**
 * The station's persistent id (a UUIDv7), created the first time it is asked for. Insert-or-keep,
 * so two connections asking at once agree on one id. A read-only database without one gets a
 * transient id: it writes no ops, so nothing carries it.
 */
export function stationId(db: Db): string {
  const client = db.$client;
  const read = () => client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(STATION_ID_KEY)?.value;
  const stored = read();
  if (stored) return stored;
  if (client.readonly) return uuidv7();
  client.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(STATION_ID_KEY, uuidv7());
  return read()!;
}

/** The greatest timestamp in the ops log (one scan, at start: legacy rows may be in any order). */
export function latestStoredHlc(db: Db): string | null {
  return db.$client.prepare<[], { hlc: string | null }>('SELECT max(hlc) AS hlc FROM ops').get()?.hlc ?? null;
}

/** The station's clock for one connection: its id as node, seeded past every stored timestamp. */
export function createStationClock(db: Db, now: () => number = Date.now): HybridClock {
  const clock = new HybridClock(stationId(db), now);
  const latest = latestStoredHlc(db);
  if (latest !== null) clock.observe(latest);
  return clock;
}

const newestStatements = new WeakMap<Db['$client'], { get(): { hlc: string | null } | undefined }>();

/** meta key: the greatest timestamp this station has seen on rows pulled from its hub. */
export const OBSERVED_HLC_KEY = 'hub.observedHlc';

/**
 * Remembers a timestamp seen on pulled rows (call inside the pull's write transaction), so every
 * clock sharing the file issues after it: an edit made after seeing another station's newer edit
 * wins, whatever this station's wall clock says. Keeps the greatest (string order is clock order).
 */
export function observeRemoteHlc(tx: WriteTx, hlc: string): void {
  tx.$client
    .prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE excluded.value > meta.value`)
    .run(OBSERVED_HLC_KEY, hlc);
}

/**
 * The timestamp for an ops row about to be written; call inside the write transaction. The newest
 * row (by rowid: since every writer goes through here, later rows carry greater timestamps) and the
 * newest timestamp pulled from the hub are observed first, so the result sorts after everything another connection has committed. Only
 * db/ops.ts appendOp calls it.
 */
export function issueHlc(tx: WriteTx, clock: HybridClock): string {
  const client = tx.$client;
  let newest = newestStatements.get(client);
  if (!newest) {
    // The newest ops row, or the newest timestamp pulled from the hub if that is later.
    newest = client.prepare<[], { hlc: string | null }>(
      `SELECT max(h) AS hlc FROM (SELECT hlc AS h FROM (SELECT hlc FROM ops ORDER BY rowid DESC LIMIT 1)
        UNION ALL SELECT value FROM meta WHERE key = '${OBSERVED_HLC_KEY}')`,
    );
    newestStatements.set(client, newest);
  }
  const last = newest.get();
  if (last?.hlc) clock.observe(last.hlc);
  return clock.next();
}
