// Stock quotas (docs/team-hub.md#stock-quotas): an owner or operator says how many units of a hot
// SKU each station may commit while it cannot reach the hub. The hub keeps them as hub-owned
// `stock_quotas` rows (team group), so every station pulls its own and enforces them offline; and
// as each push merges it checks what a station's ops sold of a quota'd SKU — the ship movements that
// push carried, i.e. what the station did since it last reached the hub — and raises QUOTA_EXCEEDED
// when that is more than the quota (the parcels have left; the alert is what a person can act on).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { QUOTA_EXCEEDED, QUOTA_PATHS, quotasSetRequest, type QuotasListResponse, type QuotasSetResponse } from '../../electron/shared/hub/quotas.ts';
import type { Engine, Queryable } from '../db/engine.ts';
import { HubFailure } from './errors.ts';
import type { Caller } from './identity.ts';
import { raiseAlert } from './claims.ts';
import type { Mutator, MutatorRegistry } from './mutators.ts';
import { keyText, lockTeam, notifyTeam, writeRow, type RowSet } from './rows.ts';

const SETTERS = new Set(['owner', 'operator']);

interface QuotaImage {
  station_id: string;
  sku_id: string;
  warehouse_id: string;
  quantity: number;
  set_by: string;
  updated_at: number;
}

function requireSetter(caller: Caller): string {
  const user = caller.user;
  if (user === null || !SETTERS.has(user.role)) throw new HubFailure('FORBIDDEN', 'only an owner or operator sets stock quotas');
  return user.name;
}

/** Sets or removes quotas (one transaction, one poke); every station named must be the team's and not revoked. */
export async function setQuotas(engine: Engine, caller: Caller, body: z.infer<typeof quotasSetRequest>, now = Date.now()): Promise<QuotasSetResponse> {
  const setBy = requireSetter(caller);
  const teamId = caller.team.id;
  return engine.transaction(async (tx) => {
    const wanted = [...new Set(body.quotas.map((q) => q.stationId))];
    const known = await tx.query<{ id: string }>('SELECT id FROM stations WHERE team_id = $1 AND id = ANY($2::text[]) AND revoked_at IS NULL', [teamId, wanted]);
    const ok = new Set(known.rows.map((r) => r.id));
    const unknown = wanted.filter((id) => !ok.has(id));
    if (unknown.length > 0) throw new HubFailure('NOT_FOUND', `no such station in this team (or it was revoked): ${unknown.join(', ')}`);
    await lockTeam(tx, teamId);
    let maxSyncId = 0;
    let set = 0;
    let removed = 0;
    for (const q of body.quotas) {
      const key = keyText([q.stationId, q.skuId, q.warehouseId]);
      if (q.quantity === null) {
        const r = await tx.query<{ sync_id: number }>(
          `UPDATE rows SET deleted = true, sync_id = nextval('sync_id_seq') WHERE team_id = $1 AND tbl = 'stock_quotas' AND key = $2 AND NOT deleted RETURNING sync_id`,
          [teamId, key],
        );
        if (r.rows[0]) {
          maxSyncId = Math.max(maxSyncId, Number(r.rows[0].sync_id));
          removed += 1;
        }
        continue;
      }
      const image: QuotaImage = { station_id: q.stationId, sku_id: q.skuId, warehouse_id: q.warehouseId, quantity: q.quantity, set_by: setBy, updated_at: now };
      maxSyncId = Math.max(maxSyncId, await writeRow(tx, teamId, 'stock_quotas', key, { grp: 'team', image: { ...image }, hlcs: {}, deleted: false }));
      set += 1;
    }
    if (maxSyncId > 0) await notifyTeam(tx, teamId, maxSyncId, ['team']);
    return { set, removed };
  });
}

async function quotaImages(tx: Queryable, teamId: string, stationIds: string[] | null): Promise<QuotaImage[]> {
  const r = await tx.query<{ image: QuotaImage }>(
    `SELECT image FROM rows WHERE team_id = $1 AND tbl = 'stock_quotas' AND NOT deleted ${stationIds === null ? '' : "AND image->>'station_id' = ANY($2::text[])"}`,
    stationIds === null ? [teamId] : [teamId, stationIds],
  );
  return r.rows.map((x) => x.image);
}

export async function listQuotas(engine: Engine, caller: Caller): Promise<QuotasListResponse> {
  const teamId = caller.team.id;
  const names = new Map((await engine.query<{ id: string; name: string }>('SELECT id, name FROM stations WHERE team_id = $1', [teamId])).rows.map((s) => [s.id, s.name]));
  const quotas = (await quotaImages(engine, teamId, null))
    .map((q) => ({
      stationId: q.station_id,
      stationName: names.get(q.station_id) ?? q.station_id,
      skuId: q.sku_id,
      warehouseId: q.warehouse_id,
      quantity: Number(q.quantity),
      setBy: q.set_by,
      updatedAt: Number(q.updated_at),
    }))
    .sort((a, b) => (a.stationName < b.stationName ? -1 : a.stationName > b.stationName ? 1 : a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : a.warehouseId < b.warehouseId ? -1 : 1));
  return { quotas };
}

/** Units each station's ops sold of each SKU (and warehouse) so far in one push transaction, by its RowSet. */
const soldInPush = new WeakMap<RowSet, Map<string, { units: number; actors: Set<string> }>>();

/**
 * Wraps every op's mutator: after the op merged, its ship movements (units that left this station's
 * warehouses) are added up per station, SKU and warehouse — and over all warehouses, for a quota
 * with warehouse '' — across the ops of the push, i.e. what the station did since it last reached
 * the hub. More than the station's quota raises QUOTA_EXCEEDED (subject `station|sku|warehouse`)
 * with what was sold and by whom. It never refuses the op: the parcel has left, and refusing its
 * movement would only make the hub's ledger wrong.
 */
export function watchQuotas(registry: MutatorRegistry): MutatorRegistry {
  return registry.wrapAll((inner) => {
    const wrapped: Mutator = async (ctx) => {
      const out = await inner(ctx);
      const station = ctx.station.id;
      const touched = new Set<string>();
      let sold = soldInPush.get(ctx.rows);
      for (const e of ctx.op.effects) {
        if (e.table !== 'stock_movements' || e.deleted || e.columns.reason !== 'ship') continue;
        const { sku_id: sku, warehouse_id: wh, delta } = e.columns;
        const units = -Number(delta ?? 0);
        if (typeof sku !== 'string' || typeof wh !== 'string' || !(units > 0)) continue;
        if (!sold) soldInPush.set(ctx.rows, (sold = new Map()));
        for (const k of [`${station}|${sku}|${wh}`, `${station}|${sku}|`]) {
          const s = sold.get(k) ?? { units: 0, actors: new Set<string>() };
          s.units += units;
          s.actors.add(ctx.actor.name);
          sold.set(k, s);
          touched.add(k);
        }
      }
      if (!sold || touched.size === 0) return out;
      let maxSyncId = out.maxSyncId;
      const groups = new Set(out.groups);
      for (const q of await quotaImages(ctx.tx, ctx.teamId, [station])) {
        const subject = `${q.station_id}|${q.sku_id}|${q.warehouse_id}`;
        const s = touched.has(subject) ? sold.get(subject) : undefined;
        if (!s || s.units <= Number(q.quantity)) continue;
        const details = { stationId: station, stationName: ctx.station.name, skuId: q.sku_id, warehouseId: q.warehouse_id, quota: Number(q.quantity), sold: s.units, actors: [...s.actors].sort() };
        const { syncId } = await raiseAlert(ctx.tx, ctx.teamId, QUOTA_EXCEEDED, subject, details, ctx.now);
        maxSyncId = Math.max(maxSyncId, syncId);
        groups.add('team');
      }
      return { ...out, groups, maxSyncId };
    };
    return wrapped;
  });
}

/** The quota endpoints, on the hub's Fastify app. */
export function quotaRoutes(app: FastifyInstance, engine: Engine, caller: (req: FastifyRequest) => Promise<Caller>, parse: <S extends z.ZodType>(schema: S, value: unknown) => z.infer<S>): void {
  app.post(QUOTA_PATHS.set, async (req) => setQuotas(engine, await caller(req), parse(quotasSetRequest, req.body)));
  app.get(QUOTA_PATHS.list, async (req) => listQuotas(engine, await caller(req)));
}
