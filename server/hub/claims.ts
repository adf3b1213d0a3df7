// Claims (docs/team-hub.md#claims): one station works an order at a time. A station claims orders
// before it allocates a waybill or prints; the hub is the authority: one conditional upsert per
// batch takes every order that is free, already this station's, or expired, and names the holder
// of the rest. Claims end when the station releases them, when they expire, or when the hub merges
// the order's ship or close. The hub also watches what only it can see across stations: a second
// waybill for one package (DUPLICATE_WAYBILL) and a SKU's ledger summing below zero because two
// stations sold the same stock offline (OVERSOLD). Claims and alerts are published as hub-owned
// rows (`claims`, `hub_alerts`) so they reach stations by pull.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  CLAIM_PATHS,
  claimsReadRequest,
  claimsReleaseRequest,
  claimsTakeRequest,
  type ClaimHolder,
  type ClaimResult,
  type ClaimsReadResponse,
  type ClaimsReleaseResponse,
  type ClaimsTakeResponse,
  type HubAlertsResponse,
} from '../../electron/shared/hub/claims.ts';
import type { Engine, Queryable } from '../db/engine.ts';
import { HubFailure } from './errors.ts';
import type { Caller } from './identity.ts';
import type { Mutator, MutatorRegistry, PushWatcher } from './mutators.ts';
import { keyText, lockTeam, notifyTeam, writeRow } from './rows.ts';
import { requireStation } from './sync.ts';
import { raiseOversoldTask } from './tasks.ts';

/** Roles that may hand a pick wave to another station. */
const LEAD_ROLES = new Set(['owner', 'operator']);
/** Order states after which nobody works the order any more. */
const ENDED_STATUSES = new Set(['shipped', 'completed', 'closed']);

interface HolderRow {
  order_id: string;
  station_id: string;
  station_name: string;
  user_name: string | null;
  expires_at: number;
}

const holderOf = (r: HolderRow): ClaimHolder => ({ stationId: r.station_id, stationName: r.station_name, userName: r.user_name, expiresAt: Number(r.expires_at) });

async function holders(tx: Queryable, teamId: string, orderIds: string[], now: number): Promise<HolderRow[]> {
  const r = await tx.query<HolderRow>(
    `SELECT c.order_id, c.station_id, s.name AS station_name, u.name AS user_name, c.expires_at
       FROM claims c JOIN stations s ON s.id = c.station_id LEFT JOIN users u ON u.id = c.user_id
      WHERE c.team_id = $1 AND c.order_id = ANY($2::text[]) AND c.station_id IS NOT NULL AND c.expires_at >= $3`,
    [teamId, orderIds, now],
  );
  return r.rows;
}

/** The sync group of an order's claim: its shop's, when the hub has seen the order. */
async function groupsOfOrders(tx: Queryable, teamId: string, orderIds: string[]): Promise<Map<string, string>> {
  const r = await tx.query<{ key: string; grp: string }>(`SELECT key, grp FROM rows WHERE team_id = $1 AND tbl = 'orders' AND key = ANY($2::text[])`, [
    teamId,
    orderIds.map((id) => keyText([id])),
  ]);
  return new Map(r.rows.map((row) => [JSON.parse(row.key)[0] as string, row.grp]));
}

/** Publishes the claims' current state as `claims` rows (null station = free) and pokes their groups. */
async function publishClaims(tx: Queryable, teamId: string, orderIds: string[], now: number): Promise<void> {
  if (orderIds.length === 0) return;
  await lockTeam(tx, teamId);
  const groups = await groupsOfOrders(tx, teamId, orderIds);
  const held = new Map((await holders(tx, teamId, orderIds, now)).map((h) => [h.order_id, h]));
  const touched = new Set<string>();
  let maxSyncId = 0;
  for (const id of orderIds) {
    const grp = groups.get(id) ?? 'team';
    const h = held.get(id);
    const image = h
      ? { order_id: id, station_id: h.station_id, station_name: h.station_name, user_name: h.user_name, expires_at: Number(h.expires_at) }
      : { order_id: id, station_id: null, station_name: null, user_name: null, expires_at: 0 };
    maxSyncId = Math.max(maxSyncId, await writeRow(tx, teamId, 'claims', keyText([id]), { grp, image, hlcs: {}, deleted: false }));
    touched.add(grp);
  }
  await notifyTeam(tx, teamId, maxSyncId, touched);
}

export async function takeClaims(engine: Engine, caller: Caller, body: z.infer<typeof claimsTakeRequest>, now = Date.now()): Promise<ClaimsTakeResponse> {
  const { team, station, user } = requireStation(caller);
  let target = { id: station.id, userId: station.user_id };
  if (body.forStationId !== undefined && body.forStationId !== station.id) {
    if (!user || !LEAD_ROLES.has(user.role)) throw new HubFailure('FORBIDDEN', 'only an owner or operator hands orders to another station');
    const other = await engine.query<{ id: string; user_id: string | null; revoked_at: number | null }>(
      'SELECT id, user_id, revoked_at FROM stations WHERE team_id = $1 AND id = $2',
      [team.id, body.forStationId],
    );
    const s = other.rows[0];
    if (!s || s.revoked_at !== null) throw new HubFailure('NOT_FOUND', `no station ${body.forStationId} in this team`);
    target = { id: s.id, userId: s.user_id };
  }
  const ids = [...new Set(body.orderIds)];
  const expiresAt = now + body.ttlMs;
  const byUser = target.id === station.id ? null : (user?.id ?? null);
  return engine.transaction(async (tx) => {
    // Free, already ours, or expired: taken; anything else keeps its holder (the SYNC.md update).
    const won = await tx.query<{ order_id: string; expires_at: number; version: number }>(
      `INSERT INTO claims (team_id, order_id, station_id, user_id, by_user_id, expires_at, version, updated_at)
       SELECT $1, id, $3, $4, $5, $6, 1, $7 FROM unnest($2::text[]) AS id
       ON CONFLICT (team_id, order_id) DO UPDATE
          SET station_id = EXCLUDED.station_id, user_id = EXCLUDED.user_id, by_user_id = EXCLUDED.by_user_id,
              expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at,
              version = claims.version + CASE WHEN claims.station_id IS NOT DISTINCT FROM EXCLUDED.station_id THEN 0 ELSE 1 END
        WHERE claims.station_id IS NULL OR claims.station_id = EXCLUDED.station_id OR claims.expires_at < $7
       RETURNING order_id, expires_at, version`,
      [team.id, ids, target.id, target.userId, byUser, expiresAt, now],
    );
    const mine = new Map(won.rows.map((r) => [r.order_id, r]));
    const others = new Map((await holders(tx, team.id, ids.filter((id) => !mine.has(id)), now)).map((h) => [h.order_id, h]));
    const results: ClaimResult[] = ids.map((orderId) => {
      const m = mine.get(orderId);
      if (m) return { orderId, status: 'held', expiresAt: Number(m.expires_at), version: Number(m.version) };
      const h = others.get(orderId);
      // Not won and no live holder cannot happen inside this transaction; answered as held by nobody known.
      return { orderId, status: 'CLAIM_HELD_BY_OTHER', holder: h ? holderOf(h) : { stationId: '', stationName: '', userName: null, expiresAt: 0 } };
    });
    await publishClaims(tx, team.id, [...mine.keys()], now);
    return { stationId: target.id, results };
  });
}

export async function releaseClaims(engine: Engine, caller: Caller, body: z.infer<typeof claimsReleaseRequest>, now = Date.now()): Promise<ClaimsReleaseResponse> {
  const { team, station } = requireStation(caller);
  return engine.transaction(async (tx) => {
    const r = await tx.query<{ order_id: string }>(
      `UPDATE claims SET station_id = NULL, user_id = NULL, by_user_id = NULL, expires_at = 0, updated_at = $4
        WHERE team_id = $1 AND order_id = ANY($2::text[]) AND station_id = $3 RETURNING order_id`,
      [team.id, [...new Set(body.orderIds)], station.id, now],
    );
    const released = r.rows.map((x) => x.order_id);
    await publishClaims(tx, team.id, released, now);
    return { released };
  });
}

export async function readClaims(engine: Engine, caller: Caller, body: z.infer<typeof claimsReadRequest>, now = Date.now()): Promise<ClaimsReadResponse> {
  const { team } = caller;
  const rows = await holders(engine, team.id, [...new Set(body.orderIds)], now);
  return { claims: rows.map((r) => ({ orderId: r.order_id, holder: holderOf(r) })) };
}

export async function listAlerts(engine: Engine, caller: Caller): Promise<HubAlertsResponse> {
  const r = await engine.query<{ id: string; kind: 'DUPLICATE_WAYBILL' | 'OVERSOLD'; subject: string; details: Record<string, unknown>; raised_at: number; resolved_at: number | null }>(
    'SELECT id, kind, subject, details, raised_at, resolved_at FROM hub_alerts WHERE team_id = $1 ORDER BY raised_at DESC, id LIMIT 1000',
    [caller.team.id],
  );
  return {
    alerts: r.rows.map((a) => ({ id: a.id, kind: a.kind, subject: a.subject, details: a.details, raisedAt: Number(a.raised_at), resolvedAt: a.resolved_at === null ? null : Number(a.resolved_at) })),
  };
}

// ---------- what merging an op tells the hub ----------

/** Raises (or re-raises) an open alert and publishes it to the team group. */
export async function raiseAlert(tx: Queryable, teamId: string, kind: string, subject: string, details: Record<string, unknown>, now: number): Promise<{ syncId: number; id: string; raisedAt: number }> {
  const r = await tx.query<{ id: string; raised_at: number }>(
    `INSERT INTO hub_alerts (id, team_id, kind, subject, details, raised_at, resolved_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, NULL)
     ON CONFLICT (team_id, kind, subject) DO UPDATE SET details = EXCLUDED.details, resolved_at = NULL,
       raised_at = CASE WHEN hub_alerts.resolved_at IS NULL THEN hub_alerts.raised_at ELSE EXCLUDED.raised_at END
     RETURNING id, raised_at`,
    [randomUUID(), teamId, kind, subject, JSON.stringify(details), now],
  );
  const a = r.rows[0]!;
  const syncId = await writeRow(tx, teamId, 'hub_alerts', keyText([a.id]), {
    grp: 'team',
    image: { id: a.id, kind, subject, details, raised_at: Number(a.raised_at), resolved_at: null },
    hlcs: {},
    deleted: false,
  });
  return { syncId, id: a.id, raisedAt: Number(a.raised_at) };
}

/** Resolves the open alerts of these subjects (one statement; nothing to publish when none is open). */
async function resolveAlerts(tx: Queryable, teamId: string, kind: string, subjects: string[], now: number): Promise<number[]> {
  if (subjects.length === 0) return [];
  const r = await tx.query<{ id: string; subject: string; details: Record<string, unknown>; raised_at: number }>(
    `UPDATE hub_alerts SET resolved_at = $4 WHERE team_id = $1 AND kind = $2 AND subject = ANY($3::text[]) AND resolved_at IS NULL RETURNING id, subject, details, raised_at`,
    [teamId, kind, subjects, now],
  );
  const syncIds: number[] = [];
  for (const a of r.rows) {
    syncIds.push(
      await writeRow(tx, teamId, 'hub_alerts', keyText([a.id]), {
        grp: 'team',
        image: { id: a.id, kind, subject: a.subject, details: a.details, raised_at: Number(a.raised_at), resolved_at: now },
        hlcs: {},
        deleted: false,
      }),
    );
  }
  return syncIds;
}

interface Watch {
  /** package id → waybill number the hub held before this op, for packages whose number the op sets. */
  waybills: Map<string, { before: string | null; orderId: unknown }>;
}

async function watchBefore(ctx: Parameters<Mutator>[0]): Promise<Watch> {
  const waybills = new Map<string, { before: string | null; orderId: unknown }>();
  const packages = ctx.op.effects.filter((e) => e.table === 'packages' && !e.deleted && 'waybill_no' in e.columns);
  if (packages.length === 0) return { waybills };
  await ctx.rows.load(packages.map((e) => ({ tbl: 'packages', key: keyText(e.key) })));
  for (const e of packages) {
    const row = ctx.rows.get('packages', keyText(e.key));
    const image = row && !row.deleted ? row.image : undefined;
    const before = image?.waybill_no;
    waybills.set(String(e.key[0]), { before: typeof before === 'string' && before !== '' ? before : null, orderId: image?.order_id ?? e.columns.order_id });
  }
  return { waybills };
}

/**
 * Wraps every mutator of the registry: after an op merged, claims of orders it shipped or closed
 * end and a package given a second waybill raises DUPLICATE_WAYBILL; after a push's rows are
 * written, a SKU whose hub ledger went below zero raises OVERSOLD (resolved when it is back at zero
 * or above). An op that does neither sends no SQL of its own.
 */
export function watchMerges(registry: MutatorRegistry): MutatorRegistry {
  registry.wrapAll((inner) => {
    const wrapped: Mutator = async (ctx) => {
      const watch = await watchBefore(ctx);
      const out = await inner(ctx);
      const { tx, teamId, now } = ctx;
      let maxSyncId = out.maxSyncId;
      const groups = new Set(out.groups);
      const team = (syncId: number) => {
        if (syncId > 0) {
          maxSyncId = Math.max(maxSyncId, syncId);
          groups.add('team');
        }
      };
      // Claims of orders this op shipped or closed end here, whoever held them.
      const ended = new Set<string>();
      for (const e of ctx.op.effects) {
        if (e.table === 'orders' && typeof e.columns.status === 'string' && ENDED_STATUSES.has(e.columns.status)) ended.add(String(e.key[0]));
        if (e.table === 'packages' && ((e.columns.shipped_at !== undefined && e.columns.shipped_at !== null) || e.columns.state === 'shipped') && typeof e.columns.order_id === 'string') {
          ended.add(e.columns.order_id);
        }
      }
      if (ended.size > 0) {
        // The claims' rows take their orders' groups, which this very op may have written.
        await ctx.rows.flushAll();
        const r = await tx.query<{ order_id: string }>(
          `UPDATE claims SET station_id = NULL, user_id = NULL, by_user_id = NULL, expires_at = 0, updated_at = $3
            WHERE team_id = $1 AND order_id = ANY($2::text[]) AND station_id IS NOT NULL RETURNING order_id`,
          [teamId, [...ended], now],
        );
        await publishClaims(tx, teamId, r.rows.map((x) => x.order_id), now);
      }
      // A package that already had a number on the hub and now carries another: two stations took
      // a waybill for one parcel. The later one won the column; both numbers are in the alert.
      for (const [packageId, w] of watch.waybills) {
        const incoming = ctx.op.effects.find((e) => e.table === 'packages' && String(e.key[0]) === packageId)?.columns.waybill_no;
        const after = ctx.rows.get('packages', keyText([packageId]))?.image.waybill_no;
        if (w.before !== null && typeof incoming === 'string' && incoming !== '' && incoming !== w.before) {
          const { syncId } = await raiseAlert(
            tx,
            teamId,
            'DUPLICATE_WAYBILL',
            packageId,
            { packageId, orderId: w.orderId ?? null, waybills: [w.before, incoming], kept: after ?? null, station: ctx.station.name, stationId: ctx.station.id },
            now,
          );
          team(syncId);
        }
      }
      return { ...out, groups, maxSyncId };
    };
    return wrapped;
  });
  registry.watchPushes(watchLedger);
  return registry;
}

/**
 * The ledger as the hub sees it, for each SKU × warehouse the push's new movements moved: their
 * deltas are added to the running total (stock_ledger), and a total below zero raises OVERSOLD —
 * two stations sold the same units offline — while one at zero or above resolves an open alert.
 * A movement is counted once, when its row is created; a copy of a known id creates nothing.
 */
const watchLedger: PushWatcher = async ({ tx, teamId, created, now }) => {
  const groups = new Set<string>();
  let maxSyncId = 0;
  const moved = new Map<string, { sku: string; wh: string; delta: number; actors: Set<string> }>();
  for (const c of created) {
    if (c.tbl !== 'stock_movements' || c.deleted) continue;
    const { sku_id: sku, warehouse_id: wh, delta, actor } = c.image;
    if (typeof sku !== 'string' || typeof wh !== 'string') continue;
    const m = moved.get(`${sku}|${wh}`) ?? { sku, wh, delta: 0, actors: new Set<string>() };
    m.delta += Number(delta ?? 0) || 0;
    if (typeof actor === 'string') m.actors.add(actor);
    moved.set(`${sku}|${wh}`, m);
  }
  if (moved.size === 0) return { maxSyncId, groups };
  const totals = await tx.query<{ sku_id: string; warehouse_id: string; on_hand: number; actors: string[] }>(
    `INSERT INTO stock_ledger (team_id, sku_id, warehouse_id, on_hand, actors)
     SELECT $1, m.sku, m.wh, m.delta, m.actors FROM jsonb_to_recordset($2::jsonb) AS m(sku text, wh text, delta bigint, actors jsonb)
     ON CONFLICT (team_id, sku_id, warehouse_id) DO UPDATE SET on_hand = stock_ledger.on_hand + EXCLUDED.on_hand,
       actors = CASE WHEN stock_ledger.actors @> EXCLUDED.actors THEN stock_ledger.actors
                     ELSE (SELECT jsonb_agg(DISTINCT a) FROM jsonb_array_elements(stock_ledger.actors || EXCLUDED.actors) AS a) END
     RETURNING sku_id, warehouse_id, on_hand, actors`,
    [teamId, JSON.stringify([...moved.values()].map((m) => ({ sku: m.sku, wh: m.wh, delta: m.delta, actors: [...m.actors] })))],
  );
  const fine: string[] = [];
  for (const t of totals.rows) {
    const subject = `${t.sku_id}|${t.warehouse_id}`;
    const onHand = Number(t.on_hand);
    if (onHand < 0) {
      const raised = await raiseAlert(tx, teamId, 'OVERSOLD', subject, { skuId: t.sku_id, warehouseId: t.warehouse_id, onHand, actors: t.actors }, now);
      maxSyncId = Math.max(maxSyncId, raised.syncId);
      groups.add('team');
      // A new raise (not one still open) is also a task for the owner.
      if (raised.raisedAt === now) {
        const facts = { alertId: raised.id, raisedAt: raised.raisedAt, skuId: t.sku_id, warehouseId: t.warehouse_id, onHand, actors: t.actors ?? [] };
        for (const syncId of await raiseOversoldTask(tx, teamId, facts, now)) maxSyncId = Math.max(maxSyncId, syncId);
      }
    } else {
      fine.push(subject);
    }
  }
  for (const syncId of await resolveAlerts(tx, teamId, 'OVERSOLD', fine, now)) {
    maxSyncId = Math.max(maxSyncId, syncId);
    groups.add('team');
  }
  return { maxSyncId, groups };
};

/** The claim and alert endpoints, on the hub's Fastify app. */
export function claimRoutes(app: FastifyInstance, engine: Engine, caller: (req: FastifyRequest) => Promise<Caller>, parse: <S extends z.ZodType>(schema: S, value: unknown) => z.infer<S>): void {
  app.post(CLAIM_PATHS.take, async (req) => takeClaims(engine, await caller(req), parse(claimsTakeRequest, req.body)));
  app.post(CLAIM_PATHS.release, async (req) => releaseClaims(engine, await caller(req), parse(claimsReleaseRequest, req.body)));
  app.post(CLAIM_PATHS.read, async (req) => readClaims(engine, await caller(req), parse(claimsReadRequest, req.body)));
  app.get(CLAIM_PATHS.alerts, async (req) => listAlerts(engine, await caller(req)));
}
