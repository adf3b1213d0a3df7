// Setting 离线配额 from a station (docs/team-hub.md#stock-quotas): the hub alone writes stock_quotas,
// so an owner or operator asks it (POST /v1/quotas) and every station, this one included, gets the
// rows by pull. The station's own token works when the person the station joined as may set quotas;
// otherwise the person types their password and the station signs them in for this one act.
import type { HubQuotaView, HubSetQuotasInput } from '../../shared/api/hub.ts';
import { QUOTA_PATHS, quotasSetResponse, type QuotaEntry, type QuotasSetResponse } from '../../shared/hub/quotas.ts';
import { AppError } from '../../shared/result.ts';
import type { ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { HubNotJoined } from './client.ts';
import { loadHubToken, readHubSettings } from './settings.ts';
import { knownStations, personSession, readTeam, TEAM_TIMEOUT_MS, type TeamDeps } from './team.ts';
import { hubRequest } from './transport.ts';

/** Who the hub lets set quotas (server/hub/quotas.ts). */
const SETTERS = ['owner', 'operator'] as const;

/** The quotas this station pulled, with the SKU's code, the warehouse's code and the station's name as known here. */
export function listQuotas(db: ReadDb, input: { sku?: string | undefined }): HubQuotaView[] {
  const s = readHubSettings(db as Db);
  if (!s) return [];
  const names = new Map(knownStations(db as Db).map((st) => [st.id, st.name]));
  const rows = db.$client
    .prepare<[{ sku: string | null }], { stationId: string; skuId: string; sku: string | null; warehouseId: string; warehouse: string | null; quantity: number; setBy: string; updatedAt: number }>(
      `SELECT q.station_id AS stationId, q.sku_id AS skuId, k.outer_sku_code AS sku, q.warehouse_id AS warehouseId, w.code AS warehouse,
              q.quantity, q.set_by AS setBy, q.updated_at AS updatedAt
         FROM stock_quotas q LEFT JOIN skus k ON k.id = q.sku_id LEFT JOIN warehouses w ON w.id = q.warehouse_id AND q.warehouse_id <> ''
        WHERE @sku IS NULL OR @sku IN (k.outer_sku_code, q.sku_id)`,
    )
    .all({ sku: input.sku ?? null });
  return rows
    .map((r) => ({ ...r, stationName: names.get(r.stationId) ?? (r.stationId === s.stationId ? s.stationName : null), mine: r.stationId === s.stationId }))
    .sort((a, b) => (a.sku ?? a.skuId).localeCompare(b.sku ?? b.skuId) || (a.stationName ?? a.stationId).localeCompare(b.stationName ?? b.stationId) || a.warehouseId.localeCompare(b.warehouseId));
}

/**
 * Resolves the SKU codes, warehouse codes and station names of the request to the ids the hub keys
 * quotas by, then asks the hub. Anything unknown is NOT_FOUND before the hub is asked.
 */
export async function setQuotas(db: Db, deps: TeamDeps, actorName: string, input: HubSetQuotasInput): Promise<QuotasSetResponse> {
  const s = readHubSettings(db);
  if (!s) throw new HubNotJoined();
  if (!deps.cipher) throw new AppError('INVALID_STATE', 'this station has no secret store to read its hub token from');
  const skuId = db.$client.prepare<[string], { id: string }>('SELECT id FROM skus WHERE ? IN (outer_sku_code, id) LIMIT 1');
  const whId = db.$client.prepare<[string], { id: string }>('SELECT id FROM warehouses WHERE ? IN (code, id) LIMIT 1');
  // The stations as the hub answers now (a station added since the page was last opened is known).
  const stations = ((await readTeam(db, deps)) ?? { stations: [] }).stations.filter((st) => st.revokedAt === null);
  const quotas: QuotaEntry[] = input.quotas.map((q) => {
    const station = stations.find((st) => st.id === q.station) ?? stations.find((st) => st.name === q.station);
    if (!station) throw new AppError('NOT_FOUND', `no station "${q.station}" in the team (stations: ${stations.map((st) => st.name).join(', ') || 'none known'})`);
    const sku = skuId.get(q.sku);
    if (!sku) throw new AppError('NOT_FOUND', `no SKU with the code "${q.sku}" on this station`);
    let warehouseId = '';
    if (q.warehouse !== undefined && q.warehouse !== '') {
      const wh = whId.get(q.warehouse);
      if (!wh) throw new AppError('NOT_FOUND', `no warehouse with the code "${q.warehouse}" on this station`);
      warehouseId = wh.id;
    }
    return { stationId: station.id, skuId: sku.id, warehouseId, quantity: q.quantity };
  });
  const session =
    input.password !== undefined
      ? await personSession(db, deps, input.user ?? actorName, input.password, SETTERS)
      : { url: s.url, token: loadHubToken(db, deps.cipher) };
  return hubRequest(session.url, session.token, deps.fetch ?? fetch, TEAM_TIMEOUT_MS, 'POST', QUOTA_PATHS.set, quotasSetResponse, { quotas });
}
