// The hub's alerts as this station pulled them (hub-owned `hub_alerts` rows; docs/team-hub.md#hub-alerts-and-shared-stock):
// what only the hub sees across stations — a second waybill for one package, a SKU's team ledger
// below zero. Read here for the stock alerts page and the team page; never written here.
import type { HubAlertView } from '../../shared/api/hub.ts';
import type { ReadDb } from '../db/access.ts';

export function listHubAlerts(db: ReadDb, opts: { open?: boolean | undefined } = {}): HubAlertView[] {
  const skuCode = db.$client.prepare<[string], { code: string }>('SELECT outer_sku_code AS code FROM skus WHERE id = ?');
  const warehouseName = db.$client.prepare<[string], { name: string }>('SELECT name FROM warehouses WHERE id = ?');
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return db.$client
    .prepare<[number], { id: string; kind: string; subject: string; details: string; raised_at: number; resolved_at: number | null }>(
      `SELECT id, kind, subject, details, raised_at, resolved_at FROM hub_alerts
        WHERE (? = 0 OR resolved_at IS NULL)
        ORDER BY resolved_at IS NOT NULL, raised_at DESC, id LIMIT 1000`,
    )
    .all(opts.open ? 1 : 0)
    .map((r) => {
      const details = parseDetails(r.details);
      const skuId = text(details.skuId);
      const warehouseId = text(details.warehouseId);
      return {
        id: r.id,
        kind: r.kind,
        subject: r.subject,
        details,
        raisedAt: r.raised_at,
        resolvedAt: r.resolved_at,
        sku: skuId === null ? null : (skuCode.get(skuId)?.code ?? null),
        warehouse: warehouseId === null ? null : (warehouseName.get(warehouseId)?.name ?? null),
      };
    });
}

function parseDetails(raw: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
