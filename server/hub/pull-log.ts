// A hub process's copy of each team's recent row changes, as pull pages are made of them: every
// station of a team pulls the same rows, and building each row's JSON once per change instead of
// once per station is most of what a pull costs (docs/team-hub.md#load-bench). The log is a cache
// and always safe to lose: a pull whose cursor is older than the log reads the rows table as before.
//
// Why it never skips a row: a team's writers hold the team's lock from drawing sync ids until they
// commit (lockTeam), so what any snapshot shows of a team is a prefix of its writes in sync id
// order, and a row that changes again takes a sync id above every one shown before. The log holds,
// for sync ids in (lo, hi], exactly the rows a pull would have read at its last refresh: each
// refresh reads the team's rows above hi and drops the entries they supersede.
import type { Engine } from '../db/engine.ts';

interface Entry {
  syncId: number;
  /** The row's table and key. */
  row: string;
  grp: string;
  /** The row as a pull page carries it; null once a newer change of the same row is in the log. */
  json: string | null;
}

interface TeamLog {
  lo: number;
  hi: number;
  entries: Entry[];
  /** The live entry of each row (table and key). */
  byRow: Map<string, Entry>;
  superseded: number;
  chars: number;
  /** The refresh running now, and the one the pulls that arrived since wait for. */
  running: Promise<void> | null;
  queued: Promise<void> | null;
}

/**
 * Per team, the entries and characters kept (past them the oldest entries go, and lo rises with
 * them); and the teams with a log in this process (past it the least recently pulled one's goes).
 * At 500 changes a second, 20,000 entries are the last 40 s: a station pulling every second (or on
 * a poke) stays within the log. A test lowers them to walk the trimming.
 */
export const LOG_BOUNDS = { entries: 20_000, chars: 8 * 1024 * 1024, teams: 32 };
/** Rows one refresh reads at most (it reads again while it gets that many). */
const REFRESH_ROWS = 5000;

const logs = new WeakMap<Engine, Map<string, TeamLog>>();

/**
 * One row of a page as JSON: '$pv' is a platform version, not a clock reading; '$deleted' is the
 * deletion's timestamp, so it counts.
 */
export const PAGE_ROW_SQL = `(json_build_object('syncId', r.sync_id, 'table', r.tbl, 'key', r.key::json,
    'image', CASE WHEN r.deleted THEN NULL ELSE r.image END)::jsonb
  || COALESCE((SELECT jsonb_build_object('hlc', max(h.value)) FROM jsonb_each_text(r.hlcs) AS h WHERE h.key <> '$pv' HAVING max(h.value) IS NOT NULL), '{}'::jsonb))`;

function logOf(engine: Engine, teamId: string): TeamLog | undefined {
  const byTeam = logs.get(engine);
  const log = byTeam?.get(teamId);
  if (log && byTeam) {
    // Most recently pulled last: the first team of the map is the one to drop.
    byTeam.delete(teamId);
    byTeam.set(teamId, log);
  }
  return log;
}

async function openLog(engine: Engine, teamId: string): Promise<TeamLog> {
  let byTeam = logs.get(engine);
  if (!byTeam) logs.set(engine, (byTeam = new Map()));
  // The log starts at the team's newest sync id: it holds only what changes from now on.
  const r = await engine.query<{ hi: number | null }>('SELECT max(sync_id) AS hi FROM rows WHERE team_id = $1', [teamId]);
  const existing = byTeam.get(teamId);
  if (existing) return existing;
  const hi = Number(r.rows[0]?.hi ?? 0);
  const log: TeamLog = { lo: hi, hi, entries: [], byRow: new Map(), superseded: 0, chars: 0, running: null, queued: null };
  byTeam.set(teamId, log);
  while (byTeam.size > LOG_BOUNDS.teams) byTeam.delete(byTeam.keys().next().value!);
  return log;
}

async function readAbove(engine: Engine, teamId: string, log: TeamLog): Promise<void> {
  for (;;) {
    const r = await engine.query<{ sync_id: number; tbl: string; key: string; grp: string; j: string }>(
      `SELECT r.sync_id, r.tbl, r.key, r.grp, ${PAGE_ROW_SQL}::text AS j
         FROM rows r WHERE r.team_id = $1 AND r.sync_id > $2 ORDER BY r.sync_id LIMIT $3`,
      [teamId, log.hi, REFRESH_ROWS],
    );
    for (const row of r.rows) {
      const syncId = Number(row.sync_id);
      const id = `${row.tbl}\u0000${row.key}`;
      const old = log.byRow.get(id);
      if (old && old.json !== null) {
        log.chars -= old.json.length;
        old.json = null;
        log.superseded += 1;
      }
      const entry: Entry = { syncId, row: id, grp: row.grp, json: row.j };
      log.entries.push(entry);
      log.byRow.set(id, entry);
      log.chars += row.j.length;
      log.hi = syncId;
    }
    trim(log);
    if (r.rows.length < REFRESH_ROWS) return;
  }
}

/**
 * Keeps the log within its bounds: past them the oldest entries go (down to three quarters, so this
 * is not paid on every refresh) and lo rises to the last one dropped; superseded entries are
 * compacted away once they are half the log.
 */
function trim(log: TeamLog): void {
  let live = log.entries.length - log.superseded;
  const tooBig = () => live > LOG_BOUNDS.entries || log.chars > LOG_BOUNDS.chars;
  if (!tooBig() && log.superseded * 2 <= log.entries.length) return;
  let drop = 0;
  if (tooBig()) {
    while (drop < log.entries.length && (live > LOG_BOUNDS.entries * 0.75 || log.chars > LOG_BOUNDS.chars * 0.75)) {
      const e = log.entries[drop++]!;
      if (e.json === null) continue;
      live -= 1;
      log.chars -= e.json.length;
      log.byRow.delete(e.row);
    }
    if (drop > 0) log.lo = log.entries[drop - 1]!.syncId;
  }
  log.entries = log.entries.slice(drop).filter((e) => e.json !== null);
  log.superseded = 0;
}

/**
 * Brings the team's log up to what the database holds now. Pulls that arrive while a refresh runs
 * wait for the next one (started when it ends), so every pull's page is at least as new as the
 * moment it asked, and one read serves all of them.
 */
function refresh(engine: Engine, teamId: string, log: TeamLog): Promise<void> {
  if (log.queued) return log.queued;
  const prior = log.running;
  let next!: Promise<void>;
  next = (async () => {
    // Always awaits (undefined when nothing runs), so `next` is assigned before it is read.
    await prior?.catch(() => undefined);
    log.queued = null;
    log.running = next;
    try {
      await readAbove(engine, teamId, log);
    } finally {
      if (log.running === next) log.running = null;
    }
  })();
  log.queued = next;
  return next;
}

export interface LogPage {
  /** The page's rows as JSON array text. */
  rows: string;
  /** The sync id of the page's last row; null = no row. */
  last: number | null;
  more: boolean;
}

/**
 * The page a pull after `cursor` gets from this process's log of the team, refreshed first; null
 * when the cursor is older than the log (the caller reads the rows table).
 */
export async function pageFromLog(engine: Engine, teamId: string, groups: readonly string[] | null, cursor: number, limit: number): Promise<LogPage | null> {
  const log = logOf(engine, teamId) ?? (await openLog(engine, teamId));
  if (cursor < log.lo) return null;
  await refresh(engine, teamId, log);
  if (cursor < log.lo) return null;
  const wanted = groups === null ? null : new Set(groups);
  const entries = log.entries;
  // The first entry after the cursor.
  let a = 0;
  let b = entries.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (entries[m]!.syncId <= cursor) a = m + 1;
    else b = m;
  }
  const out: string[] = [];
  let last: number | null = null;
  let more = false;
  for (let i = a; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.json === null || (wanted !== null && !wanted.has(e.grp))) continue;
    if (out.length === limit) {
      more = true;
      break;
    }
    out.push(e.json);
    last = e.syncId;
  }
  return { rows: `[${out.join(',')}]`, last, more };
}
