// Quarantined platform payloads: 'quarantine.list' shows them (with a cut preview) and
// 'quarantine.retry' maps them again with the shop's current adapter — a payload that maps now is
// ingested and marked resolved in the same transaction; one that still fails keeps its new reason.
import type { ApiOutput, ApiParsedInput, QuarantineView } from '../../shared/contract.ts';
import type { Platform } from '../../shared/model.ts';
import { redact } from '../../shared/redact.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import { ingestOrders, INGEST_TABLES, type IngestBatch } from '../orders/ingest.ts';
import { AdapterPayloadError, type PlatformAdapter, type ShopRecord } from '../platforms/contract.ts';
import { adapterFor as registryAdapterFor } from '../platforms/registry.ts';

/** A payload shown on screen is cut here: enough to read the fields, never megabytes into the UI. */
export const PAYLOAD_PREVIEW_CHARS = 4_000;

interface QuarantineRow extends Omit<QuarantineView, 'payloadPreview'> {
  payload: string;
}

/** 'quarantine.list': unresolved (or all) quarantined payloads, newest first. */
export function listQuarantine(db: Db, input: ApiParsedInput<'quarantine.list'>): QuarantineView[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (input.shopId !== undefined) {
    where.push('q.shop_id = ?');
    params.push(input.shopId);
  }
  if (!input.includeResolved) where.push('q.resolved_at IS NULL');
  params.push(input.limit);
  const rows = db.$client
    .prepare(
      // substr keeps a huge payload from being copied out of SQLite whole; +1 tells us it was cut.
      `SELECT q.id, q.shop_id AS shopId, COALESCE(s.name, q.shop_id) AS shopName, q.platform, q.platform_order_id AS platformOrderId,
              q.reason, q.received_at AS receivedAt, q.resolved_at AS resolvedAt, substr(q.payload, 1, ${PAYLOAD_PREVIEW_CHARS + 1}) AS payload
         FROM quarantine q LEFT JOIN shops s ON s.id = q.shop_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY q.received_at DESC, q.id DESC LIMIT ?`,
    )
    .all(...params) as QuarantineRow[];
  return rows.map(({ payload, ...row }) => ({
    ...row,
    payloadPreview: payload.length > PAYLOAD_PREVIEW_CHARS ? `${payload.slice(0, PAYLOAD_PREVIEW_CHARS)}…` : payload,
  }));
}

export type AdapterForShop = (shop: ShopRecord) => PlatformAdapter;

interface StoredPayload {
  id: string;
  shop_id: string;
  platform: string;
  payload: string;
  resolved_at: number | null;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * 'quarantine.retry'. toOrder is pure (no network), so mapping, ingest and resolution all fit in the
 * command's one synchronous transaction: either the order lands and its quarantine row is resolved,
 * or neither happens. Adapters are built from the shop's stored settings without its secrets — the
 * mapping needs none.
 */
export function retryQuarantine(
  ctx: CoreContext,
  input: ApiParsedInput<'quarantine.retry'>,
  adapterFor: AdapterForShop = (shop) => registryAdapterFor(shop, { now: ctx.now }),
): ApiOutput<'quarantine.retry'> {
  const client = ctx.db.$client;
  const tables = [...INGEST_TABLES, 'order_counts'];
  return runCommand(ctx, 'quarantine.retry', { ids: input.ids }, { tables }, (scope) => {
    const load = client.prepare<[string], StoredPayload>('SELECT id, shop_id, platform, payload, resolved_at FROM quarantine WHERE id = ?');
    const shopOf = client.prepare<[string], ShopRecord>('SELECT id, name, platform, state, settings FROM shops WHERE id = ?');
    const resolve = client.prepare('UPDATE quarantine SET resolved_at = ? WHERE id = ?');
    const rereason = client.prepare('UPDATE quarantine SET reason = ?, platform_order_id = COALESCE(?, platform_order_id) WHERE id = ?');
    const adapters = new Map<string, PlatformAdapter | Error>();
    const batches = new Map<string, IngestBatch & { quarantineIds: string[] }>();
    const failed: { id: string; reason: string }[] = [];

    for (const id of new Set(input.ids)) {
      const row = load.get(id);
      if (!row) {
        failed.push({ id, reason: 'not found' });
        continue;
      }
      if (row.resolved_at !== null) {
        failed.push({ id, reason: 'already resolved' });
        continue;
      }
      let adapter = adapters.get(row.shop_id);
      if (!adapter) {
        const shop = shopOf.get(row.shop_id);
        try {
          adapter = shop ? adapterFor(shop) : new Error(`the shop ${row.shop_id} no longer exists`);
        } catch (err) {
          adapter = err instanceof Error ? err : new Error(String(err));
        }
        adapters.set(row.shop_id, adapter);
      }
      if (adapter instanceof Error) {
        failed.push({ id, reason: adapter.message });
        continue;
      }
      try {
        const raw: unknown = JSON.parse(row.payload);
        const order = adapter.toOrder(raw);
        let batch = batches.get(row.shop_id);
        if (!batch) {
          batch = { shopId: row.shop_id, platform: row.platform as Platform, orders: [], quarantineIds: [] };
          batches.set(row.shop_id, batch);
        }
        batch.orders.push({ order, raw });
        batch.quarantineIds.push(id);
      } catch (err) {
        const reason = err instanceof AdapterPayloadError ? err.reason : `mapping failed: ${messageOf(err)}`;
        const platformOrderId = err instanceof AdapterPayloadError ? err.platformOrderId : null;
        rereason.run(redact(reason), platformOrderId, id);
        scope.audit({ entity: 'quarantine', entityId: id, field: 'reason', after: reason });
        failed.push({ id, reason });
      }
    }

    let resolved = 0;
    for (const { quarantineIds, ...batch } of batches.values()) {
      // ingestOrders runs as a savepoint inside this command's transaction.
      ingestOrders(ctx.db, batch, scope.at, ctx.clock);
      for (const id of quarantineIds) {
        resolve.run(scope.at, id);
        scope.audit({ entity: 'quarantine', entityId: id, field: 'resolved_at', after: scope.at });
        resolved += 1;
      }
    }
    return { resolved, failed };
  });
}
