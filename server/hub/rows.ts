// The hub's copy of a team's rows (table `rows`): one JSON image per (team, table, key), each
// change stamped with the next value of the one global sync_id sequence, and the NOTIFY that
// tells every hub process to poke the team's stations.
import type { Queryable } from '../db/engine.ts';

/** The one NOTIFY channel every hub process listens on; payloads are JSON naming the team. */
export const HUB_CHANNEL = 'shopfleet_hub';

export interface StoredRow {
  grp: string;
  image: Record<string, unknown>;
  hlcs: Record<string, unknown>;
  deleted: boolean;
  sync_id: number;
}

/**
 * Serialises a team's writing transactions from the moment they draw sync ids until they commit,
 * so a team's sync ids become visible in their own order: a pull that saw sync id N never misses a
 * smaller one of its team committed later. (Other teams do not wait: the lock is per team.)
 * Transaction-scoped and re-entrant, so every writer simply takes it first.
 */
export async function lockTeam(tx: Queryable, teamId: string): Promise<void> {
  // A transaction that runs alone has no concurrent writer to wait for (PGlite).
  if (tx.serial === true) return;
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`team:${teamId}`]);
}

export const keyText = (key: readonly unknown[]): string => JSON.stringify(key);

/** A row's state as a merge sees and writes it (its sync id is drawn when it is written). */
export type RowState = Omit<StoredRow, 'sync_id'>;

interface Pending {
  tbl: string;
  key: string;
  row: RowState;
}

const refId = (tbl: string, key: string) => `${tbl}\u0000${key}`;

/** What one write of a RowSet did: the sync ids drawn, and the rows that did not exist before. */
export interface Flushed {
  maxSyncId: number;
  written: number;
  /** Rows this write created (none stored under their key before), with their image. */
  created: Array<{ tbl: string; key: string; image: Record<string, unknown>; deleted: boolean }>;
}

/**
 * The rows one push reads and writes: loaded in one SELECT per batch of keys, merged in memory, and
 * written in one INSERT … ON CONFLICT that draws every sync id in the same statement. Ops run in an
 * open layer (`begin`): a refused op's layer is dropped (`discard`), an applied one joins the rows
 * to write (`commit`). Reads need no row locks: every writer of a team's rows holds the team's lock
 * (lockTeam) until it commits, so what this set loaded after taking it stays current.
 */
export class RowSet {
  /** As stored when loaded (or last written by this set); null = no such row. */
  private readonly stored = new Map<string, StoredRow | null>();
  /** Written by applied ops, not yet sent to the database. */
  private readonly dirty = new Map<string, Pending>();
  /** Written by the op running now. */
  private layer: Map<string, Pending> | null = null;
  /** Stored states this op's flush replaced, put back if the op is refused (its savepoint undoes the write). */
  private layerFlushed: Map<string, StoredRow | null> | null = null;
  /** Where the running op's writes go: its own (savepoint-taking) connection view. */
  private layerTx: Queryable | null = null;
  /** Rows created by applied ops' writes so far, and by the running op's. */
  private created: Flushed['created'] = [];
  private layerCreated: Flushed['created'] = [];
  /** The greatest sync id this set drew. */
  maxSyncId = 0;

  constructor(
    private readonly tx: Queryable,
    readonly teamId: string,
  ) {}

  /** Loads the rows of these (table, key) pairs that this set does not know yet, in one SELECT. */
  async load(refs: Iterable<{ tbl: string; key: string }>): Promise<void> {
    const tbls: string[] = [];
    const keys: string[] = [];
    const asked = new Set<string>();
    for (const { tbl, key } of refs) {
      const id = refId(tbl, key);
      if (this.stored.has(id) || asked.has(id)) continue;
      asked.add(id);
      tbls.push(tbl);
      keys.push(key);
    }
    if (tbls.length === 0) return;
    const r = await (this.layerTx ?? this.tx).query<StoredRow & { tbl: string; key: string }>(
      `SELECT r.tbl, r.key, r.grp, r.image, r.hlcs, r.deleted, r.sync_id FROM rows r
        WHERE r.team_id = $1 AND (r.tbl, r.key) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [this.teamId, tbls, keys],
    );
    for (const id of asked) this.stored.set(id, null);
    for (const row of r.rows) {
      this.stored.set(refId(row.tbl, row.key), { grp: row.grp, image: row.image, hlcs: row.hlcs, deleted: row.deleted, sync_id: Number(row.sync_id) });
    }
  }

  /** The row as this push sees it now (its own writes included); undefined = not loaded. */
  get(tbl: string, key: string): RowState | null | undefined {
    const id = refId(tbl, key);
    const mine = this.layer?.get(id) ?? this.dirty.get(id);
    if (mine) return mine.row;
    return this.stored.get(id);
  }

  /** The row as loaded or last written to the database (without this push's unwritten changes). */
  before(tbl: string, key: string): RowState | null | undefined {
    return this.stored.get(refId(tbl, key));
  }

  put(tbl: string, key: string, row: RowState): void {
    (this.layer ?? this.dirty).set(refId(tbl, key), { tbl, key, row });
  }

  /** Opens the layer of one op; its SQL (and this set's writes while it runs) go through opTx. */
  begin(opTx: Queryable): void {
    this.layer = new Map();
    this.layerFlushed = new Map();
    this.layerTx = opTx;
  }

  /** The op was applied: its writes join the push's. */
  commit(): void {
    for (const [id, p] of this.layer ?? []) this.dirty.set(id, p);
    this.created.push(...this.layerCreated);
    this.close();
  }

  /** The op was refused (its savepoint rolled back): its writes are forgotten. */
  discard(): void {
    for (const [id, prior] of this.layerFlushed ?? []) this.stored.set(id, prior);
    this.close();
  }

  private close(): void {
    this.layer = null;
    this.layerFlushed = null;
    this.layerTx = null;
    this.layerCreated = [];
  }

  /** The rows applied ops created (in the database now), handed out once. */
  takeCreated(): Flushed['created'] {
    const out = this.created;
    this.created = [];
    return out;
  }

  /** Whether applied ops left writes that are not in the database yet. */
  get hasApplied(): boolean {
    return this.dirty.size > 0;
  }

  /**
   * Writes the applied ops' rows through the push's own connection, never inside an op's savepoint
   * (a refusal must not undo them). A mutator calls `flushAll` instead when its SQL must see rows.
   */
  flushApplied(): Promise<Flushed> {
    const out = this.write(this.tx, [...this.dirty.values()], null);
    this.dirty.clear();
    return out;
  }

  /** Writes everything, the running op's rows included (inside its savepoint), so SQL can read them. */
  async flushAll(): Promise<Flushed> {
    if (this.layer === null || this.layerTx === null) return this.flushApplied();
    // The op's connection view writes the applied rows before it opens the op's savepoint.
    await this.layerTx.query('SELECT 1');
    const out = await this.write(this.layerTx, [...this.layer.values()], this.layerFlushed);
    this.layer.clear();
    return out;
  }

  private async write(tx: Queryable, pending: Pending[], remember: Map<string, StoredRow | null> | null): Promise<Flushed> {
    if (pending.length === 0) return { maxSyncId: 0, written: 0, created: [] };
    const r = await tx.query<{ tbl: string; key: string; sync_id: number }>(
      `INSERT INTO rows (team_id, tbl, key, grp, image, hlcs, deleted, sync_id)
       SELECT $1, t.tbl, t.key, t.grp, t.image, t.hlcs, t.deleted, nextval('sync_id_seq')
         FROM jsonb_to_recordset($2::jsonb) AS t(tbl text, key text, grp text, image jsonb, hlcs jsonb, deleted boolean)
       ON CONFLICT (team_id, tbl, key) DO UPDATE SET grp = EXCLUDED.grp, image = EXCLUDED.image, hlcs = EXCLUDED.hlcs,
         deleted = EXCLUDED.deleted, sync_id = EXCLUDED.sync_id
       RETURNING tbl, key, sync_id`,
      [this.teamId, JSON.stringify(pending.map((p) => ({ tbl: p.tbl, key: p.key, ...p.row })))],
    );
    const syncIds = new Map(r.rows.map((x) => [refId(x.tbl, x.key), Number(x.sync_id)]));
    const out: Flushed = { maxSyncId: 0, written: pending.length, created: [] };
    for (const p of pending) {
      const id = refId(p.tbl, p.key);
      const prior = this.stored.get(id) ?? null;
      if (prior === null) {
        out.created.push({ tbl: p.tbl, key: p.key, image: p.row.image, deleted: p.row.deleted });
        (remember ? this.layerCreated : this.created).push({ tbl: p.tbl, key: p.key, image: p.row.image, deleted: p.row.deleted });
      }
      if (remember && !remember.has(id)) remember.set(id, prior);
      const syncId = syncIds.get(id) ?? 0;
      out.maxSyncId = Math.max(out.maxSyncId, syncId);
      this.stored.set(id, { ...p.row, sync_id: syncId });
    }
    this.maxSyncId = Math.max(this.maxSyncId, out.maxSyncId);
    return out;
  }
}

/** Writes the row's new state under a fresh sync id; answers the sync id. */
export async function writeRow(
  tx: Queryable,
  teamId: string,
  table: string,
  key: string,
  row: { grp: string; image: Record<string, unknown>; hlcs: Record<string, unknown>; deleted: boolean },
): Promise<number> {
  const r = await tx.query<{ sync_id: number }>(
    `INSERT INTO rows (team_id, tbl, key, grp, image, hlcs, deleted, sync_id)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, nextval('sync_id_seq'))
     ON CONFLICT (team_id, tbl, key) DO UPDATE SET grp = EXCLUDED.grp, image = EXCLUDED.image, hlcs = EXCLUDED.hlcs,
       deleted = EXCLUDED.deleted, sync_id = EXCLUDED.sync_id
     RETURNING sync_id`,
    [teamId, table, key, row.grp, JSON.stringify(row.image), JSON.stringify(row.hlcs), row.deleted],
  );
  return Number(r.rows[0]!.sync_id);
}

/** Tells every hub process (this one included) that the team's groups changed, at commit. */
export async function notifyTeam(tx: Queryable, teamId: string, syncId: number, groups: Iterable<string>): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [HUB_CHANNEL, notifyPayload(teamId, syncId, groups)]);
}

/** The NOTIFY payload naming the team, its newest sync id and the groups that changed. */
export const notifyPayload = (teamId: string, syncId: number, groups: Iterable<string>): string => JSON.stringify({ team: teamId, syncId, groups: [...new Set(groups)] });

/** A row only the hub writes (users): replaced whole, sent to its group, stations poked. */
export async function publishRow(tx: Queryable, teamId: string, table: string, key: readonly unknown[], grp: string, image: Record<string, unknown>): Promise<number> {
  await lockTeam(tx, teamId);
  const syncId = await writeRow(tx, teamId, table, keyText(key), { grp, image, hlcs: {}, deleted: false });
  await notifyTeam(tx, teamId, syncId, [grp]);
  return syncId;
}
