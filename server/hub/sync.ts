// Push and pull (docs/team-hub.md#push-station--hub, #pull-hub--station).
import {
  HUB_SCHEMA_VERSIONS,
  type OpResult,
  type PullQuery,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../../electron/shared/hub/protocol.ts';
import type { Engine, Queryable } from '../db/engine.ts';
import { HubFailure, OpRefusal } from './errors.ts';
import type { Caller, StationRow, UserRow } from './identity.ts';
import type { MutatorRegistry } from './mutators.ts';
import { lockTeam, notifyTeam } from './rows.ts';

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
 * POST /v1/push: each op in its own transaction with the station row locked; seq ≤ last_seq is
 * already done (skipped), a gap answers 409 OUT_OF_ORDER, anything else runs the op name's
 * mutator. A refusal rolls back to the op's savepoint and is stored as the op's result; the ops
 * after it go on.
 */
export async function push(engine: Engine, registry: MutatorRegistry, caller: Caller, body: PushRequest, now = () => Date.now()): Promise<PushResponse> {
  const { team, station } = requireStation(caller);
  if (body.stationId !== station.id) throw new HubFailure('FORBIDDEN', 'a station pushes only its own ops (stationId is not this token’s station)');
  if (!(HUB_SCHEMA_VERSIONS as readonly number[]).includes(body.schemaVersion)) {
    throw new HubFailure('STATION_TOO_OLD', `this hub does not know op schema version ${body.schemaVersion}; update the station (its ops are kept)`, {
      accepts: [...HUB_SCHEMA_VERSIONS],
    });
  }
  const results: OpResult[] = [];
  const actors = new Map<string, UserRow | null>();
  let lastSeq = Number(station.last_seq);
  for (const op of body.ops) {
    const outcome = await engine.transaction(async (tx) => {
      await lockTeam(tx, team.id);
      const locked = await tx.query<StationRow>('SELECT * FROM stations WHERE team_id = $1 AND id = $2 FOR UPDATE', [team.id, station.id]);
      const s = locked.rows[0];
      if (!s || s.revoked_at !== null) throw new HubFailure('TOKEN_REVOKED', 'an owner revoked this station; join again with a new code');
      const last = Number(s.last_seq);
      if (op.seq <= last) return { kind: 'skipped' as const, last };
      if (op.seq > last + 1) return { kind: 'gap' as const, last };
      const at = now();
      const actor = await actorOf(tx, team.id, s, op.actor, actors);
      let result: OpResult;
      let groups: Set<string> = new Set();
      let maxSyncId = 0;
      let touched = 0;
      await tx.query('SAVEPOINT op');
      try {
        if (actor === null) throw new OpRefusal('UNKNOWN_ACTOR', { actor: op.actor });
        const resolved = registry.resolve(op);
        if (resolved === null) throw new OpRefusal('UNKNOWN_OP', { name: op.name });
        const out = await resolved.mutator({ tx, teamId: team.id, station: s, actor, op: resolved.op, now: at });
        await tx.query('RELEASE SAVEPOINT op');
        ({ groups, maxSyncId, touched } = out);
        result = { seq: op.seq, opId: op.id, name: op.name, status: 'applied', ...(out.details ? { details: out.details } : {}) };
      } catch (err) {
        if (!(err instanceof OpRefusal)) throw err;
        await tx.query('ROLLBACK TO SAVEPOINT op');
        result = { seq: op.seq, opId: op.id, name: op.name, status: 'refused', reason: err.reason, details: err.details };
      }
      await tx.query(
        `INSERT INTO op_results (station_id, seq, op_id, name, status, reason, details, at, rows_touched) VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,$8,$9)`,
        [s.id, op.seq, op.id, op.name, result.status, result.reason ?? null, result.details ? JSON.stringify(result.details) : null, at, touched],
      );
      await tx.query('UPDATE stations SET last_seq = $2, last_seen = $3 WHERE id = $1', [s.id, op.seq, at]);
      if (groups.size > 0) await notifyTeam(tx, team.id, maxSyncId, groups);
      return { kind: 'done' as const, last: op.seq, result };
    });
    lastSeq = outcome.last;
    if (outcome.kind === 'gap') {
      throw new HubFailure('OUT_OF_ORDER', `op ${op.seq} came before op ${outcome.last + 1}; resend from ${outcome.last + 1}`, { lastSeq: outcome.last });
    }
    if (outcome.kind === 'done') results.push(outcome.result);
  }
  if (body.ops.length === 0) await touchStation(engine, station.id, now());
  return { lastSeq, results };
}

async function actorOf(tx: Queryable, teamId: string, station: StationRow, name: string, cache: Map<string, UserRow | null>): Promise<UserRow | null> {
  const key = name === 'sync' ? `\u0000station` : name;
  if (cache.has(key)) return cache.get(key)!;
  const r =
    name === 'sync'
      ? await tx.query<UserRow>('SELECT * FROM users WHERE team_id = $1 AND id = $2', [teamId, station.user_id])
      : await tx.query<UserRow>('SELECT * FROM users WHERE team_id = $1 AND name = $2', [teamId, name]);
  const user = r.rows[0] ?? null;
  cache.set(key, user);
  return user;
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
