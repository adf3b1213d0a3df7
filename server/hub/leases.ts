// Sync leases (docs/team-hub.md#sync-leases): one station at a time pulls a shop's orders from its
// platform, so the platform's rate limits are spent once. The hub is the authority: one conditional
// upsert per batch takes every shop that is free, already this station's, or expired, and names
// the holder of the rest. `fence` grows every time the holder changes; the holder stamps each
// ingest with the fence it ran under, and the `sync.ingest` mutator refuses (LEASE_LOST) an ingest
// whose fence is older than the shop's current one — a holder that lost its lease while it could
// not reach the hub cannot overwrite what the new holder ingested. Changes of holder are published
// as hub-owned `sync_leases` rows so every station sees who syncs which shop.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  LEASE_FENCE_ARG,
  LEASE_LOST,
  LEASE_PATHS,
  leasesReleaseRequest,
  leasesTakeRequest,
  type LeaseResult,
  type LeasesListResponse,
  type LeasesReleaseResponse,
  type LeasesTakeResponse,
} from '../../electron/shared/hub/leases.ts';
import type { Engine, Queryable } from '../db/engine.ts';
import type { Caller } from './identity.ts';
import { OpRefusal, type Mutator, type MutatorRegistry } from './mutators.ts';
import { keyText, lockTeam, notifyTeam, writeRow } from './rows.ts';
import { requireStation } from './sync.ts';

interface LeaseRow {
  shop_id: string;
  station_id: string | null;
  station_name: string | null;
  expires_at: number;
  fence: number;
}

async function leaseRows(tx: Queryable, teamId: string, shopIds: string[] | null): Promise<LeaseRow[]> {
  const r = await tx.query<LeaseRow>(
    `SELECT l.shop_id, l.station_id, s.name AS station_name, l.expires_at, l.fence
       FROM sync_leases l LEFT JOIN stations s ON s.id = l.station_id
      WHERE l.team_id = $1 ${shopIds === null ? '' : 'AND l.shop_id = ANY($2::text[])'} ORDER BY l.shop_id`,
    shopIds === null ? [teamId] : [teamId, shopIds],
  );
  return r.rows;
}

/**
 * Publishes the leases' current state as `sync_leases` rows in their shops' groups and pokes them.
 * Only changes of holder (and releases) are published: a renewal every minute per shop would wake
 * every station of the team each minute for nothing it needs to see.
 */
async function publishLeases(tx: Queryable, teamId: string, shopIds: string[]): Promise<void> {
  if (shopIds.length === 0) return;
  await lockTeam(tx, teamId);
  const groups = new Set<string>();
  let maxSyncId = 0;
  for (const l of await leaseRows(tx, teamId, shopIds)) {
    const grp = `shop:${l.shop_id}`;
    const image = { shop_id: l.shop_id, station_id: l.station_id, station_name: l.station_id === null ? null : l.station_name, expires_at: Number(l.expires_at), fence: Number(l.fence) };
    maxSyncId = Math.max(maxSyncId, await writeRow(tx, teamId, 'sync_leases', keyText([l.shop_id]), { grp, image, hlcs: {}, deleted: false }));
    groups.add(grp);
  }
  await notifyTeam(tx, teamId, maxSyncId, groups);
}

export async function takeLeases(engine: Engine, caller: Caller, body: z.infer<typeof leasesTakeRequest>, now = Date.now()): Promise<LeasesTakeResponse> {
  const { team, station, user } = requireStation(caller);
  const asked = [...new Set(body.shopIds)];
  // A station syncs only shops its person may work: the hub would refuse the ingest's rows anyway.
  const scope = user?.shops ?? null;
  const ids = scope === null ? asked : asked.filter((id) => scope.includes(id));
  const expiresAt = now + body.ttlMs;
  return engine.transaction(async (tx) => {
    // The team's lock first, as a push takes it before the fence check reads the lease: taken in the
    // other order (lease row, then team) a take and a push could wait on each other.
    await lockTeam(tx, team.id);
    const before = new Map((await leaseRows(tx, team.id, ids)).map((l) => [l.shop_id, l.station_id]));
    // Free, already ours, or expired: taken; anything else keeps its holder (SYNC.md's conditional update).
    const won = await tx.query<{ shop_id: string; fence: number; expires_at: number }>(
      `INSERT INTO sync_leases (team_id, shop_id, station_id, expires_at, fence, updated_at)
       SELECT $1, id, $3, $4, 1, $5 FROM unnest($2::text[]) AS id
       ON CONFLICT (team_id, shop_id) DO UPDATE
          SET station_id = EXCLUDED.station_id, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at,
              fence = sync_leases.fence + CASE WHEN sync_leases.station_id IS NOT DISTINCT FROM EXCLUDED.station_id THEN 0 ELSE 1 END
        WHERE sync_leases.station_id IS NULL OR sync_leases.station_id = EXCLUDED.station_id OR sync_leases.expires_at < $5
       RETURNING shop_id, fence, expires_at`,
      [team.id, ids, station.id, expiresAt, now],
    );
    const mine = new Map(won.rows.map((r) => [r.shop_id, r]));
    const others = new Map((await leaseRows(tx, team.id, ids.filter((id) => !mine.has(id)))).map((l) => [l.shop_id, l]));
    const results: LeaseResult[] = asked.map((shopId) => {
      const m = mine.get(shopId);
      if (m) return { shopId, status: 'held', fence: Number(m.fence), expiresAt: Number(m.expires_at) };
      const o = others.get(shopId);
      if (!o) return { shopId, status: 'SHOP_OUT_OF_SCOPE' };
      return { shopId, status: 'LEASE_HELD_BY_OTHER', holder: { stationId: o.station_id ?? '', stationName: o.station_name ?? '', expiresAt: Number(o.expires_at) } };
    });
    await publishLeases(tx, team.id, [...mine.keys()].filter((id) => before.get(id) !== station.id));
    return { stationId: station.id, results };
  });
}

export async function releaseLeases(engine: Engine, caller: Caller, body: z.infer<typeof leasesReleaseRequest>, now = Date.now()): Promise<LeasesReleaseResponse> {
  const { team, station } = requireStation(caller);
  return engine.transaction(async (tx) => {
    await lockTeam(tx, team.id);
    // The fence stays: the next holder's take raises it, which is what fences this station out.
    const r = await tx.query<{ shop_id: string }>(
      `UPDATE sync_leases SET station_id = NULL, expires_at = 0, updated_at = $4
        WHERE team_id = $1 AND shop_id = ANY($2::text[]) AND station_id = $3 RETURNING shop_id`,
      [team.id, [...new Set(body.shopIds)], station.id, now],
    );
    const released = r.rows.map((x) => x.shop_id);
    await publishLeases(tx, team.id, released);
    return { released };
  });
}

export async function listLeases(engine: Engine, caller: Caller, now = Date.now()): Promise<LeasesListResponse> {
  const rows = await leaseRows(engine, caller.team.id, null);
  return {
    leases: rows.map((l) => ({
      shopId: l.shop_id,
      fence: Number(l.fence),
      holder: l.station_id !== null && Number(l.expires_at) >= now ? { stationId: l.station_id, stationName: l.station_name ?? '', expiresAt: Number(l.expires_at) } : null,
    })),
  };
}

/**
 * The fence check in front of an ingest's own mutator: an ingest stamped with a fence older than
 * the shop's current lease was made by a station that has since lost the shop, and is refused
 * whole. The lease row is read FOR SHARE, so a takeover waits for this op's commit: the ingest
 * lands before the new holder's fence exists, or is refused after it. An ingest without a fence
 * comes from a station that predates leases, and goes on as before.
 */
export function fencedIngest(inner: Mutator): Mutator {
  return async (ctx) => {
    const args = (ctx.op.args ?? {}) as Record<string, unknown>;
    const fence = args[LEASE_FENCE_ARG];
    const shopId = args.shopId;
    if (typeof fence === 'number' && typeof shopId === 'string') {
      const r = await ctx.tx.query<{ fence: number; station_id: string | null; station_name: string | null }>(
        `SELECT l.fence, l.station_id, s.name AS station_name FROM sync_leases l LEFT JOIN stations s ON s.id = l.station_id
          WHERE l.team_id = $1 AND l.shop_id = $2 FOR SHARE OF l`,
        [ctx.teamId, shopId],
      );
      const current = r.rows[0];
      if (current && Number(current.fence) > fence) {
        throw new OpRefusal(LEASE_LOST, { shopId, fence, currentFence: Number(current.fence), holder: current.station_name ?? null });
      }
    }
    return inner(ctx);
  };
}

/** Puts the fence check in front of whatever mutator the registry runs `sync.ingest` with. */
export function fenceIngests(registry: MutatorRegistry): MutatorRegistry {
  const resolved = registry.resolve({ name: 'sync.ingest' } as Parameters<MutatorRegistry['resolve']>[0]);
  if (resolved) registry.register('sync.ingest', fencedIngest(resolved.mutator));
  return registry;
}

/** The lease endpoints, on the hub's Fastify app. */
export function leaseRoutes(app: FastifyInstance, engine: Engine, caller: (req: FastifyRequest) => Promise<Caller>, parse: <S extends z.ZodType>(schema: S, value: unknown) => z.infer<S>): void {
  app.post(LEASE_PATHS.take, async (req) => takeLeases(engine, await caller(req), parse(leasesTakeRequest, req.body)));
  app.post(LEASE_PATHS.release, async (req) => releaseLeases(engine, await caller(req), parse(leasesReleaseRequest, req.body)));
  app.get(LEASE_PATHS.list, async (req) => listLeases(engine, await caller(req)));
}
