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
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`team:${teamId}`]);
}

export const keyText = (key: readonly unknown[]): string => JSON.stringify(key);

export async function loadRowForUpdate(tx: Queryable, teamId: string, table: string, key: string): Promise<StoredRow | null> {
  const r = await tx.query<StoredRow>('SELECT grp, image, hlcs, deleted, sync_id FROM rows WHERE team_id = $1 AND tbl = $2 AND key = $3 FOR UPDATE', [teamId, table, key]);
  return r.rows[0] ?? null;
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
  await tx.query('SELECT pg_notify($1, $2)', [HUB_CHANNEL, JSON.stringify({ team: teamId, syncId, groups: [...new Set(groups)] })]);
}

/** A row only the hub writes (users): replaced whole, sent to its group, stations poked. */
export async function publishRow(tx: Queryable, teamId: string, table: string, key: readonly unknown[], grp: string, image: Record<string, unknown>): Promise<number> {
  await lockTeam(tx, teamId);
  const syncId = await writeRow(tx, teamId, table, keyText(key), { grp, image, hlcs: {}, deleted: false });
  await notifyTeam(tx, teamId, syncId, [grp]);
  return syncId;
}
