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
import { authenticate, type Caller, type StationRow, type UserRow } from './identity.ts';
import type { MutatorRegistry } from './mutators.ts';
import { loadForEffects } from './merge.ts';
import { HUB_CHANNEL, keyText, lockTeam, notifyPayload, RowSet } from './rows.ts';
import { PAGE_ROW_SQL, pageFromLog } from './pull-log.ts';
import { STATION_TOKEN_PREFIX, tokenHash } from './secrets.ts';
import { syncedTable } from '../../electron/shared/hub/tables.ts';
import { isSystemActor } from '../../electron/shared/hub/system-actors.ts';

type StationCaller = Extract<Caller, { kind: 'station' }>;

export function requireStation(caller: Caller): StationCaller {
  if (caller.kind !== 'station') throw new HubFailure('FORBIDDEN', 'only a joined station pushes and pulls; use its station token');
  return caller;
}

/**
 * Station tokens this process has seen, by hash: a push or pull then starts without a query. Safe
 * to lose, and never trusted alone: a token names one station for good (tokens are not reissued),
 * and what can change — revocation, the station's person and their shops — is read again inside
 * the push's transaction (under the station's row lock) and by the pull's own statement.
 */
const stationCallers = new WeakMap<Engine, Map<string, StationCaller>>();
const CALLERS_KEPT = 10_000;

/** The token's hash a station row carries when it was read with its every column (authentication, the push's lock). */
const tokenHashOf = (s: StationRow): string | undefined => (s as StationRow & { token_hash?: string }).token_hash;
const hashOf = (c: StationCaller): string | undefined => tokenHashOf(c.station);

function forgetCaller(engine: Engine, c: StationCaller): void {
  const hash = hashOf(c);
  if (hash !== undefined) stationCallers.get(engine)?.delete(hash);
}

/** The caller of a push or pull: a station token this process knows, else authenticated as any request. */
export async function stationCaller(engine: Engine, authorization: string | undefined): Promise<Caller> {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const hash = token !== undefined && token.startsWith(STATION_TOKEN_PREFIX) ? tokenHash(token) : null;
  const known = hash === null ? undefined : stationCallers.get(engine)?.get(hash);
  if (known) return known;
  const caller = await authenticate(engine, authorization);
  if (caller.kind === 'station' && hash !== null && hashOf(caller) === hash) {
    let byHash = stationCallers.get(engine);
    if (!byHash) stationCallers.set(engine, (byHash = new Map()));
    if (byHash.size >= CALLERS_KEPT) byHash.clear();
    byHash.set(hash, caller);
  }
  return caller;
}

interface ResultRow {
  seq: number;
  op_id: string;
  name: string;
  status: 'applied' | 'refused';
  reason: string | null;
  details: Record<string, unknown> | null;
  reverts: Array<[string, string]> | null;
}

const revertsView = (pairs: ReadonlyArray<[string, string]>): NonNullable<OpResult['reverts']> =>
  pairs.map(([table, key]) => ({ table, key: JSON.parse(key) as (string | number)[] }));

const resultView = (r: ResultRow): OpResult => ({
  seq: Number(r.seq),
  opId: r.op_id,
  name: r.name,
  status: r.status,
  ...(r.reason === null ? {} : { reason: r.reason }),
  ...(r.details === null ? {} : { details: r.details }),
  ...(r.reverts === null || r.reverts.length === 0 ? {} : { reverts: revertsView(r.reverts) }),
});

/** A push waiting for its team's next transaction in this process. */
interface PushJob {
  team: StationCaller['team'];
  station: StationRow;
  body: PushRequest;
  resolve: (r: PushResponse) => void;
  reject: (err: unknown) => void;
}

interface Lane {
  jobs: PushJob[];
  running: boolean;
}

/** Pushes of one team in this process are applied together, at most this many per transaction. */
const JOBS_PER_TRANSACTION = 64;
const OPS_PER_TRANSACTION = 5000;

/** Per engine and registry (one hub app), the team lanes of pushes waiting to be applied. */
const lanes = new WeakMap<Engine, WeakMap<MutatorRegistry, Map<string, Lane>>>();

function laneOf(engine: Engine, registry: MutatorRegistry, teamId: string): Lane {
  let byRegistry = lanes.get(engine);
  if (!byRegistry) lanes.set(engine, (byRegistry = new WeakMap()));
  let byTeam = byRegistry.get(registry);
  if (!byTeam) byRegistry.set(registry, (byTeam = new Map()));
  let lane = byTeam.get(teamId);
  if (!lane) byTeam.set(teamId, (lane = { jobs: [], running: false }));
  return lane;
}

/**
 * POST /v1/push. A team's writes are serialised by its lock anyway (sync ids must become visible
 * in order), so the pushes of one team that reach this process while its transaction runs wait and
 * are applied together in the next one: one team lock, one commit for all of them. Each push keeps
 * its own answer: see applyPushes.
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
    const seen = await touchStation(engine, station.id, now());
    if (seen === null || seen.revoked_at !== null) {
      forgetCaller(engine, caller as StationCaller);
      throw new HubFailure('TOKEN_REVOKED', 'an owner revoked this station; join again with a new code');
    }
    return { lastSeq: Number(seen.last_seq), results: [] };
  }
  const lane = laneOf(engine, registry, team.id);
  const answer = new Promise<PushResponse>((resolve, reject) =>
    lane.jobs.push({ team, station, body, resolve, reject: (err) => (err instanceof HubFailure && err.code === 'TOKEN_REVOKED' ? (forgetCaller(engine, caller as StationCaller), reject(err)) : reject(err)) }),
  );
  if (!lane.running) {
    // Started after this turn of the event loop, so every push read from the sockets in it joins
    // the batch. PGlite runs a whole transaction without yielding to I/O: started at once, each
    // push of a burst would get a transaction of its own.
    lane.running = true;
    setImmediate(() => void drain(engine, registry, lane, now));
  }
  return answer;
}

async function drain(engine: Engine, registry: MutatorRegistry, lane: Lane, now: () => number): Promise<void> {
  lane.running = true;
  try {
    while (lane.jobs.length > 0) {
      let ops = 0;
      let n = 0;
      while (n < lane.jobs.length && n < JOBS_PER_TRANSACTION && (n === 0 || ops + lane.jobs[n]!.body.ops.length <= OPS_PER_TRANSACTION)) {
        ops += lane.jobs[n]!.body.ops.length;
        n++;
      }
      const batch = lane.jobs.splice(0, n);
      const settle = (jobs: PushJob[], outcomes: JobOutcome[]) =>
        outcomes.forEach((o, i) => ('error' in o ? jobs[i]!.reject(o.error) : jobs[i]!.resolve(o.response)));
      try {
        settle(batch, await engine.transaction((tx) => applyPushes(tx, registry, batch, now())));
      } catch (err) {
        if (batch.length === 1) {
          batch[0]!.reject(err);
          continue;
        }
        // Nothing of the batch was committed. One push's failure must not fail the others every
        // time they meet it in a batch: each is retried alone, and only the failing one fails.
        for (const job of batch) {
          try {
            settle([job], await engine.transaction((tx) => applyPushes(tx, registry, [job], now())));
          } catch (alone) {
            job.reject(alone);
          }
        }
      }
    }
  } finally {
    lane.running = false;
  }
}

type JobOutcome = { response: PushResponse } | { error: unknown };

interface Plan {
  s: StationRow & { actors: UserRow[] };
  todo: PushOp[];
  gap: boolean;
  last: number;
  results: OpResult[];
  touched: number[];
  /** Per result, the rows of a refused op this station is not sent back ([table, keyText]). */
  reverts: Array<Array<[string, string]> | null>;
}

/**
 * One transaction for some pushes of one team: their station rows locked in one statement (in id
 * order, so two hub processes never wait on each other crosswise), each push's ops sorted out by
 * its station's last_seq (seq ≤ last_seq was done already and is skipped; a gap answers that push
 * 409 OUT_OF_ORDER once the ops before it are committed), then, if any op is new, the team's lock,
 * every row the ops touch in one read, each op's mutator in turn (a refusal drops the op's
 * in-memory writes and rolls back to its savepoint, taken only when the op sent SQL; the ops after
 * it go on), the applied rows in one write, and the results, each station's last_seq and the poke
 * in one statement. A revoked station's push fails alone; an unexpected error fails them all.
 */
async function applyPushes(tx: Queryable, registry: MutatorRegistry, jobs: PushJob[], at: number): Promise<JobOutcome[]> {
  const teamId = jobs[0]!.team.id;
  const names = [...new Set(jobs.flatMap((j) => j.body.ops.map((op) => op.actor)).filter((a) => !isSystemActor(a)))];
  const locked = await tx.query<StationRow & { actors: UserRow[] }>(
    `SELECT s.*, COALESCE((SELECT json_agg(u.*) FROM users u WHERE u.team_id = s.team_id AND (u.name = ANY($3::text[]) OR u.id = s.user_id)), '[]'::json) AS actors
       FROM stations s WHERE s.team_id = $1 AND s.id = ANY($2::text[]) ORDER BY s.id FOR UPDATE OF s`,
    [teamId, [...new Set(jobs.map((j) => j.station.id))], names],
  );
  const stations = new Map(locked.rows.map((r) => [r.id, r]));
  const lastSeq = new Map(locked.rows.map((r) => [r.id, Number(r.last_seq)]));
  const plans = jobs.map((job): Plan | { error: HubFailure } => {
    const s = stations.get(job.station.id);
    if (!s || s.revoked_at !== null) return { error: new HubFailure('TOKEN_REVOKED', 'an owner revoked this station; join again with a new code') };
    // The caller may come from this process's token cache: the token must still be this station's.
    const sent = tokenHashOf(job.station);
    if (sent !== undefined && tokenHashOf(s) !== sent) {
      return { error: new HubFailure('UNAUTHORIZED', 'this station token is not known to the hub; join again with a new code') };
    }
    let last = lastSeq.get(s.id)!;
    let gap = false;
    const todo: PushOp[] = [];
    for (const op of job.body.ops) {
      if (op.seq <= last) continue;
      if (op.seq > last + 1) {
        gap = true;
        break;
      }
      todo.push(op);
      last = op.seq;
    }
    lastSeq.set(s.id, last);
    return { s, todo, gap, last, results: [] as OpResult[], touched: [] as number[], reverts: [] };
  });
  const work = plans.flatMap((p) => ('todo' in p ? p.todo : []));
  if (work.length > 0) {
    await lockTeam(tx, teamId);
    const rows = new RowSet(tx, teamId);
    await loadForEffects(rows, work.flatMap((op) => op.effects));
    const groups = new Set<string>();
    let maxSyncId = 0;
    const refusedRows: RefusedRow[] = [];
    for (const plan of plans) {
      if (!('todo' in plan)) continue;
      const { actors, ...station } = plan.s;
      const byName = new Map(actors.map((u) => [u.name, u]));
      const stationUser = actors.find((u) => u.id === station.user_id) ?? null;
      const stationGroups = groupsOf(stationUser);
      for (const op of plan.todo) {
        // The op's savepoint is taken when it first sends SQL, after the applied ops' rows are
        // written (so rolling it back never undoes them); a pure merge sends none.
        let savepoint = false;
        const opTx: Queryable = {
          serial: tx.serial,
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
          // A station's own worker (its pull, its print queue, …) acts as the station's user.
          const actor = isSystemActor(op.actor) ? stationUser : (byName.get(op.actor) ?? null);
          if (actor === null) throw new OpRefusal('UNKNOWN_ACTOR', { actor: op.actor });
          const resolved = registry.resolve(op);
          if (resolved === null) throw new OpRefusal('UNKNOWN_OP', { name: op.name });
          const out = await resolved.mutator({ tx: opTx, rows, teamId, station, actor, op: resolved.op, now: at });
          if (savepoint) await tx.query('RELEASE SAVEPOINT op');
          rows.commit();
          for (const g of out.groups) groups.add(g);
          maxSyncId = Math.max(maxSyncId, out.maxSyncId);
          plan.touched.push(out.touched);
          plan.reverts.push(null);
          plan.results.push({ seq: op.seq, opId: op.id, name: op.name, status: 'applied', ...(out.details ? { details: out.details } : {}) });
        } catch (err) {
          if (!(err instanceof OpRefusal)) throw err;
          if (savepoint) await tx.query('ROLLBACK TO SAVEPOINT op');
          rows.discard();
          plan.touched.push(0);
          const at = plan.results.length;
          plan.reverts.push([]);
          for (const e of op.effects) {
            if (syncedTable(e.table) !== undefined) refusedRows.push({ plan, at, groups: stationGroups, tbl: e.table, key: keyText(e.key) });
          }
          plan.results.push({ seq: op.seq, opId: op.id, name: op.name, status: 'refused', reason: err.reason, details: err.details });
        }
      }
    }
    await rows.flushApplied();
    maxSyncId = Math.max(maxSyncId, rows.maxSyncId);
    const created = rows.takeCreated();
    for (const watcher of registry.pushWatchers()) {
      const w = await watcher({ tx, teamId, created, now: at });
      maxSyncId = Math.max(maxSyncId, w.maxSyncId);
      for (const g of w.groups) groups.add(g);
    }
    const resent = await resendRefused(tx, teamId, refusedRows);
    maxSyncId = Math.max(maxSyncId, resent.maxSyncId);
    for (const g of resent.groups) groups.add(g);
    const results: unknown[] = [];
    const seqs = new Map<string, number>();
    for (const plan of plans) {
      if (!('todo' in plan) || plan.todo.length === 0) continue;
      seqs.set(plan.s.id, plan.last);
      plan.results.forEach((r, i) => {
        const reverts = plan.reverts[i] ?? null;
        if (reverts !== null && reverts.length > 0) r.reverts = revertsView(reverts);
        results.push({
          station_id: plan.s.id,
          seq: r.seq,
          op_id: r.opId,
          name: r.name,
          status: r.status,
          reason: r.reason ?? null,
          details: r.details ?? null,
          touched: plan.touched[i],
          reverts: reverts !== null && reverts.length > 0 ? reverts : null,
        });
      });
    }
    // Every result (one multi-row insert), each station's last_seq, and the poke, in one statement.
    await tx.query(
      `WITH done AS (
         INSERT INTO op_results (station_id, seq, op_id, name, status, reason, details, at, rows_touched, reverts)
         SELECT r.station_id, r.seq, r.op_id, r.name, r.status, r.reason, r.details, $2, r.touched, r.reverts
           FROM jsonb_to_recordset($1::jsonb) AS r(station_id text, seq bigint, op_id text, name text, status text, reason text, details jsonb, touched int, reverts jsonb)
       ), station AS (
         UPDATE stations s SET last_seq = v.last_seq, last_seen = $2
           FROM jsonb_to_recordset($3::jsonb) AS v(id text, last_seq bigint) WHERE s.id = v.id RETURNING s.id
       )
       SELECT pg_notify($4, $5) FROM (SELECT count(*) FROM station) AS c WHERE $5::text IS NOT NULL`,
      [
        JSON.stringify(results),
        at,
        JSON.stringify([...seqs].map(([id, last]) => ({ id, last_seq: last }))),
        HUB_CHANNEL,
        groups.size > 0 ? notifyPayload(teamId, maxSyncId, groups) : null,
      ],
    );
  }
  return plans.map((plan): JobOutcome => {
    if (!('todo' in plan)) return { error: plan.error };
    if (plan.gap) {
      return { error: new HubFailure('OUT_OF_ORDER', `op ${plan.last + 1} is missing; resend from ${plan.last + 1}`, { lastSeq: plan.last }) };
    }
    return { response: { lastSeq: plan.last, results: plan.results } };
  });
}

/** One row an effect of a refused op names, waiting to be sent back to the station that made it. */
interface RefusedRow {
  plan: Plan;
  /** The index of the op's result in its plan. */
  at: number;
  /** The station's groups (null = the whole team). */
  groups: string[] | null;
  tbl: string;
  key: string;
}

/**
 * The hub's state wins over a refused op (docs/team-hub.md#refused-ops): every row the hub has
 * among its effects gets a new sync id in one UPDATE, so the next pull sends the station the hub's
 * image again (other stations of its group get the same image once more, a no-op). A row the hub
 * does not have, or has outside the station's groups, would never come back: it joins the op
 * result's reverts, and the station deletes it. Runs after every applied write of the push, so a
 * row an applied op of the same push wrote is re-sent as that op left it.
 */
async function resendRefused(tx: Queryable, teamId: string, refused: readonly RefusedRow[]): Promise<{ maxSyncId: number; groups: Set<string> }> {
  const groups = new Set<string>();
  if (refused.length === 0) return { maxSyncId: 0, groups };
  const refs = new Map(refused.map((r) => [`${r.tbl}\u0000${r.key}`, r]));
  const r = await tx.query<{ tbl: string; key: string; grp: string; sync_id: number }>(
    `UPDATE rows SET sync_id = nextval('sync_id_seq')
      WHERE team_id = $1 AND (tbl, key) IN (SELECT * FROM unnest($2::text[], $3::text[]))
      RETURNING tbl, key, grp, sync_id`,
    [teamId, [...refs.values()].map((x) => x.tbl), [...refs.values()].map((x) => x.key)],
  );
  const held = new Map(r.rows.map((x) => [`${x.tbl}\u0000${x.key}`, x]));
  let maxSyncId = 0;
  for (const x of r.rows) {
    groups.add(x.grp);
    maxSyncId = Math.max(maxSyncId, Number(x.sync_id));
  }
  for (const x of refused) {
    const row = held.get(`${x.tbl}\u0000${x.key}`);
    const reaches = row !== undefined && (x.groups === null || x.groups.includes(row.grp));
    const list = x.plan.reverts[x.at]!;
    if (!reaches && !list.some(([t, k]) => t === x.tbl && k === x.key)) list.push([x.tbl, x.key]);
  }
  return { maxSyncId, groups };
}

async function touchStation(engine: Queryable, stationId: string, at: number): Promise<{ last_seq: number; revoked_at: number | null } | null> {
  const r = await engine.query<{ last_seq: number; revoked_at: number | null }>('UPDATE stations SET last_seen = $2 WHERE id = $1 RETURNING last_seq, revoked_at', [stationId, at]);
  return r.rows[0] ?? null;
}

/** The sync groups a station receives: its user's shops (null = the whole team). */
export function groupsOf(user: UserRow | null): string[] | null {
  if (user === null) return ['team'];
  if (user.shops === null || user.shops === undefined) return null;
  return ['team', ...user.shops.map((s) => `shop:${s}`)];
}

const RESULTS_PER_PULL = 1000;

/** A station's last_seen is written by a pull at most this often (a push writes it every time). */
const SEEN_EVERY_MS = 10_000;

/**
 * GET /v1/pull: the caller's groups' rows after the cursor, in sync id order, each with the
 * greatest hybrid timestamp of its columns (so the station's clock moves past it), and its op
 * results. Reads only: no lock is taken, and last_seen is refreshed only when it is older than
 * SEEN_EVERY_MS. Answered as JSON text: each row's JSON is built by PostgreSQL once per change of
 * the row and kept in this process's log of the team (pull-log.ts), so the pulls of every station
 * share it and the hub never parses and re-serialises the images it only passes on.
 *
 * The page is read before lastSeq and the results: a station keeps its own value of a row whose op
 * is not answered yet, so a page newer than the results that answer its ops would leave it with a
 * value the hub's merge replaced, and the row would not come again. The statement that reads them
 * also sees whether the station was revoked and who its person is now (the caller may be cached).
 */
export async function pullText(engine: Engine, caller: Caller, query: PullQuery, now = Date.now()): Promise<string> {
  const c = requireStation(caller);
  const { team, station, user } = c;
  const groups = groupsOf(user);
  const page = (await pageFromLog(engine, team.id, groups, query.cursor, query.limit)) ?? (await pageFromRows(engine, team.id, groups, query.cursor, query.limit));
  const r = await engine.query<{ last_seq: number; last_seen: number | null; revoked_at: number | null; person: UserRow | null; results: ResultRow[] }>(
    `SELECT s.last_seq, s.last_seen, s.revoked_at, (SELECT to_json(u.*) FROM users u WHERE u.id = s.user_id) AS person,
            COALESCE((SELECT json_agg(x.* ORDER BY x.seq) FROM (SELECT seq, op_id, name, status, reason, details, reverts FROM op_results
                       WHERE station_id = s.id AND seq > $2 ORDER BY seq LIMIT $3) AS x), '[]') AS results
       FROM stations s WHERE s.id = $1`,
    [station.id, query.resultsAfter, RESULTS_PER_PULL],
  );
  const fresh = r.rows[0];
  if (!fresh || fresh.revoked_at !== null) {
    forgetCaller(engine, c);
    throw new HubFailure('TOKEN_REVOKED', 'an owner revoked this station; join again with a new code');
  }
  const person = fresh.person ?? null;
  if (JSON.stringify(groupsOf(person)) !== JSON.stringify(groups) || (person?.id ?? null) !== (user?.id ?? null)) {
    // The station's person or their shops changed since this caller was read: read the page again for them.
    forgetCaller(engine, c);
    return pullText(engine, { ...c, user: person }, query, now);
  }
  const seen = fresh.last_seen;
  if (seen === null || Number(seen) < now - SEEN_EVERY_MS) {
    await engine.query('UPDATE stations SET last_seen = $2 WHERE id = $1 AND (last_seen IS NULL OR last_seen < $2)', [station.id, now]);
  }
  const head = {
    cursor: page.last ?? query.cursor,
    more: page.more,
    lastSeq: Number(fresh.last_seq),
    results: fresh.results.map(resultView),
  };
  return `${JSON.stringify(head).slice(0, -1)},"rows":${page.rows}}`;
}

/** A page read from the rows table (a cursor older than this process's log of the team). */
async function pageFromRows(engine: Engine, teamId: string, groups: readonly string[] | null, cursor: number, limit: number): Promise<{ rows: string; last: number | null; more: boolean }> {
  const params: unknown[] = [teamId, cursor, limit + 1];
  let filter = '';
  if (groups !== null) {
    params.push(groups);
    filter = 'AND r.grp = ANY($4::text[])';
  }
  // One page plus one row (n > limit: more waits).
  const r = await engine.query<{ rows: string; n: number; last: number | null }>(
    `SELECT COALESCE(json_agg(p.j ORDER BY p.sync_id) FILTER (WHERE p.n <= $3 - 1), '[]')::text AS rows,
            count(*)::int AS n, max(p.sync_id) FILTER (WHERE p.n <= $3 - 1) AS last
       FROM (SELECT r.sync_id, row_number() OVER (ORDER BY r.sync_id) AS n, ${PAGE_ROW_SQL} AS j
               FROM rows r WHERE r.team_id = $1 AND r.sync_id > $2 ${filter} ORDER BY r.sync_id LIMIT $3) AS p`,
    params,
  );
  const p = r.rows[0]!;
  return { rows: p.rows, last: p.last === null ? null : Number(p.last), more: Number(p.n) > limit };
}

/** GET /v1/pull as an object (see pullText). */
export async function pull(engine: Engine, caller: Caller, query: PullQuery, now = Date.now()): Promise<PullResponse> {
  return JSON.parse(await pullText(engine, caller, query, now)) as PullResponse;
}
