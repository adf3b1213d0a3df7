// Push and pull (docs/team-hub.md#push-station--hub, #pull-hub--station).
import {
  HUB_SCHEMA_VERSIONS,
  type OpResult,
  type PullQuery,
  type PullResponse,
  type PushOp,
  type PushRequest,
  type PushResponse,
} from '../../electron/shared/hub/protocol.ts';
import type { Engine, Queryable } from '../db/engine.ts';
import { HubFailure, OpRefusal } from './errors.ts';
import type { Caller, StationRow, UserRow } from './identity.ts';
import type { MutatorRegistry } from './mutators.ts';
import { loadForEffects } from './merge.ts';
import { HUB_CHANNEL, lockTeam, notifyPayload, RowSet } from './rows.ts';

type StationCaller = Extract<Caller, { kind: 'station' }>;

export function requireStation(caller: Caller): StationCaller {
  if (caller.kind !== 'station') throw new HubFailure('FORBIDDEN', 'only a joined station pushes and pulls; use its station token');
  return caller;
}

interface ResultRow {
  seq: number;
  op_id: string;
  name: string;
  status: 'applied' | 'refused';
  reason: string | null;
  details: Record<string, unknown> | null;
}

const resultView = (r: ResultRow): OpResult => ({
  seq: Number(r.seq),
  opId: r.op_id,
  name: r.name,
  status: r.status,
  ...(r.reason === null ? {} : { reason: r.reason }),
  ...(r.details === null ? {} : { details: r.details }),
});

/**
 * POST /v1/push, in one transaction: the station row locked (its last_seq decides: seq ≤ last_seq
 * was done already and is skipped, a gap answers 409 OUT_OF_ORDER after the ops before it are
 * committed), then, if any op is new, the team's lock, the ops' actors in one read, every row the
 * ops touch in one read, each op's mutator in turn (a refusal drops the op's in-memory writes and
 * rolls back to its savepoint, taken only when the op sent SQL; the ops after it go on), the
 * applied ops' rows in one write, and the results, last_seq and the poke in one statement.
 */
export async function push(engine: Engine, registry: MutatorRegistry, caller: Caller, body: PushRequest, now = () => Date.now()): Promise<PushResponse> {
  const { team, station } = requireStation(caller);
  if (body.stationId !== station.id) throw new HubFailure('FORBIDDEN', 'a station pushes only its own ops (stationId is not this token’s station)');
  if (!(HUB_SCHEMA_VERSIONS as readonly number[]).includes(body.schemaVersion)) {
    throw new HubFailure('STATION_TOO_OLD', `this hub does not know op schema version ${body.schemaVersion}; update the station (its ops are kept)`, {
      accepts: [...HUB_SCHEMA_VERSIONS],
    });
  }
  if (body.ops.length === 0) {
    await touchStation(engine, station.id, now());
    return { lastSeq: Number(station.last_seq), results: [] };
  }
  const names = [...new Set(body.ops.map((op) => op.actor).filter((a) => a !== 'sync'))];
  const outcome = await engine.transaction(async (tx) => {
    // The station row first (only this station's pushes wait on it), then the team's lock only
    // when there is something to apply: a resent push of done ops never waits for the team.
    const locked = await tx.query<StationRow & { actors: UserRow[] }>(
      `SELECT s.*, COALESCE((SELECT json_agg(u.*) FROM users u WHERE u.team_id = s.team_id AND (u.name = ANY($3::text[]) OR u.id = s.user_id)), '[]'::json) AS actors
         FROM stations s WHERE s.team_id = $1 AND s.id = $2 FOR UPDATE OF s`,
      [team.id, station.id, names],
    );
    const s = locked.rows[0];
    if (!s || s.revoked_at !== null) throw new HubFailure('TOKEN_REVOKED', 'an owner revoked this station; join again with a new code');
    const first = Number(s.last_seq);
    let last = first;
    let gap = false;
    const todo: PushOp[] = [];
    for (const op of body.ops) {
      if (op.seq <= last) continue;
      if (op.seq > last + 1) {
        gap = true;
        break;
      }
      todo.push(op);
      last = op.seq;
    }
    if (todo.length === 0) return { last, gap, results: [] as OpResult[] };
    const at = now();
    const byName = new Map<string, UserRow>();
    for (const u of s.actors) byName.set(u.name, u);
    const stationUser = s.actors.find((u) => u.id === s.user_id) ?? null;
    const actorOf = (name: string) => (name === 'sync' ? stationUser : (byName.get(name) ?? null));
    const { actors: _actors, ...stationRow } = s;

    await lockTeam(tx, team.id);
    const rows = new RowSet(tx, team.id);
    await loadForEffects(rows, todo.flatMap((op) => op.effects));
    const results: OpResult[] = [];
    const touched: number[] = [];
    const groups = new Set<string>();
    let maxSyncId = 0;
    for (const op of todo) {
      // The op's savepoint is taken when it first sends SQL, after the applied ops' rows are written
      // (so rolling it back never undoes them); a pure merge sends none.
      let savepoint = false;
      const opTx: Queryable = {
        query: async (sql, params) => {
          if (!savepoint) {
            await rows.flushApplied();
            await tx.query('SAVEPOINT op');
            savepoint = true;
          }
          return tx.query(sql, params);
        },
      };
      rows.begin(opTx);
      try {
        const actor = actorOf(op.actor);
        if (actor === null) throw new OpRefusal('UNKNOWN_ACTOR', { actor: op.actor });
        const resolved = registry.resolve(op);
        if (resolved === null) throw new OpRefusal('UNKNOWN_OP', { name: op.name });
        const out = await resolved.mutator({ tx: opTx, rows, teamId: team.id, station: stationRow, actor, op: resolved.op, now: at });
        if (savepoint) await tx.query('RELEASE SAVEPOINT op');
        rows.commit();
        for (const g of out.groups) groups.add(g);
        maxSyncId = Math.max(maxSyncId, out.maxSyncId);
        touched.push(out.touched);
        results.push({ seq: op.seq, opId: op.id, name: op.name, status: 'applied', ...(out.details ? { details: out.details } : {}) });
      } catch (err) {
        if (!(err instanceof OpRefusal)) throw err;
        if (savepoint) await tx.query('ROLLBACK TO SAVEPOINT op');
        rows.discard();
        touched.push(0);
        results.push({ seq: op.seq, opId: op.id, name: op.name, status: 'refused', reason: err.reason, details: err.details });
      }
    }
    await rows.flushApplied();
    maxSyncId = Math.max(maxSyncId, rows.maxSyncId);
    const created = rows.takeCreated();
    for (const watcher of registry.pushWatchers()) {
      const w = await watcher({ tx, teamId: team.id, station: stationRow, created, now: at });
      maxSyncId = Math.max(maxSyncId, w.maxSyncId);
      for (const g of w.groups) groups.add(g);
    }
    // Results (one multi-row insert), the station's last_seq, and the poke, in one statement.
    await tx.query(
      `WITH done AS (
         INSERT INTO op_results (station_id, seq, op_id, name, status, reason, details, at, rows_touched)
         SELECT $1, r.seq, r.op_id, r.name, r.status, r.reason, r.details, $3, r.touched
           FROM jsonb_to_recordset($2::jsonb) AS r(seq bigint, op_id text, name text, status text, reason text, details jsonb, touched int)
       ), station AS (
         UPDATE stations SET last_seq = $4, last_seen = $3 WHERE id = $1 RETURNING id
       )
       SELECT pg_notify($5, $6) FROM station WHERE $6::text IS NOT NULL`,
      [
        s.id,
        JSON.stringify(results.map((r, i) => ({ seq: r.seq, op_id: r.opId, name: r.name, status: r.status, reason: r.reason ?? null, details: r.details ?? null, touched: touched[i] }))),
        at,
        last,
        HUB_CHANNEL,
        groups.size > 0 ? notifyPayload(team.id, maxSyncId, groups) : null,
      ],
    );
    return { last, gap, results };
  });
  if (outcome.gap) {
    throw new HubFailure('OUT_OF_ORDER', `op ${outcome.last + 1} is missing; resend from ${outcome.last + 1}`, { lastSeq: outcome.last });
  }
  return { lastSeq: outcome.last, results: outcome.results };
}

async function touchStation(engine: Queryable, stationId: string, at: number): Promise<void> {
  await engine.query('UPDATE stations SET last_seen = $2 WHERE id = $1', [stationId, at]);
}

/** The sync groups a station receives: its user's shops (null = the whole team). */
export function groupsOf(user: UserRow | null): string[] | null {
  if (user === null) return ['team'];
  if (user.shops === null || user.shops === undefined) return null;
  return ['team', ...user.shops.map((s) => `shop:${s}`)];
}

const RESULTS_PER_PULL = 1000;

/** GET /v1/pull: the caller's groups' rows after the cursor, in sync id order, and its op results. */
export async function pull(engine: Engine, caller: Caller, query: PullQuery, now = Date.now()): Promise<PullResponse> {
  const { team, station, user } = requireStation(caller);
  const groups = groupsOf(user);
  const params: unknown[] = [team.id, query.cursor, query.limit + 1];
  let filter = '';
  if (groups !== null) {
    params.push(groups);
    filter = 'AND grp = ANY($4::text[])';
  }
  const r = await engine.query<{ tbl: string; key: string; image: Record<string, unknown>; deleted: boolean; sync_id: number }>(
    `SELECT tbl, key, image, deleted, sync_id FROM rows WHERE team_id = $1 AND sync_id > $2 ${filter} ORDER BY sync_id LIMIT $3`,
    params,
  );
  const more = r.rows.length > query.limit;
  const page = more ? r.rows.slice(0, query.limit) : r.rows;
  const results = await engine.query<ResultRow>(
    'SELECT seq, op_id, name, status, reason, details FROM op_results WHERE station_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [station.id, query.resultsAfter, RESULTS_PER_PULL],
  );
  const fresh = await engine.query<{ last_seq: number }>('UPDATE stations SET last_seen = $2 WHERE id = $1 RETURNING last_seq', [station.id, now]);
  return {
    cursor: page.length > 0 ? Number(page[page.length - 1]!.sync_id) : query.cursor,
    more,
    lastSeq: Number(fresh.rows[0]?.last_seq ?? station.last_seq),
    results: results.rows.map(resultView),
    rows: page.map((row) => ({
      syncId: Number(row.sync_id),
      table: row.tbl,
      key: JSON.parse(row.key) as (string | number)[],
      image: row.deleted ? null : row.image,
    })),
  };
}
