// The stock-push part of the API (electron/shared/api/stock-push.ts): allocations (a command each,
// marking the SKUs they cover so the next round tells the shops), the pushes list, and "push now" —
// a round over committed stock and a send, or with dryRun the figures alone.
import type { AllocationView, ApiParsedInput, StockPushMethod, StockPushRun, StockPushView } from '../../shared/contract.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { ReadDb } from '../db/access.ts';
import { DEFAULT_SKU } from './allocation.ts';
import { markStockDirty } from './dirty.ts';
import { skuByCode } from './lookup.ts';
import { shopById } from './mapping.ts';
import { previewPushRound } from './push-round.ts';
import { pushRoundNow } from './push-service.ts';
import { StockSender } from './push-sender.ts';

const ALLOCATION_TABLES = ['stock_allocations', 'stock_dirty'];

const allocationSelect = `SELECT a.shop_id AS shopId, s.name AS shopName, CASE WHEN a.sku_id = '*' THEN '*' ELSE coalesce(k.outer_sku_code, a.sku_id) END AS sku,
         a.mode, a.value, a.min_qty AS minQty, a.max_qty AS maxQty, a.updated_at AS updatedAt, a.updated_by AS updatedBy
    FROM stock_allocations a JOIN shops s ON s.id = a.shop_id LEFT JOIN skus k ON k.id = a.sku_id`;

export function listAllocations(db: ReadDb, input: ApiParsedInput<'stock.allocations'>): AllocationView[] {
  return db.$client
    .prepare<[string | null, string | null], AllocationView>(`${allocationSelect} WHERE (? IS NULL OR a.shop_id = ?) ORDER BY s.name, a.shop_id, a.sku_id = '*' DESC, sku`)
    .all(input.shopId ?? null, input.shopId ?? null);
}

/** The SKUs a rule covers: one SKU, or for a shop default every SKU the shop has mapped. */
function coveredSkus(db: ReadDb, shopId: string, skuId: string): string[] {
  if (skuId !== DEFAULT_SKU) return [skuId];
  return db.$client
    .prepare<[string], [string]>('SELECT DISTINCT sku_id FROM sku_mappings WHERE shop_id = ? AND sku_id IS NOT NULL')
    .raw()
    .all(shopId)
    .map(([id]) => id);
}

export function setAllocation(ctx: CoreContext, input: ApiParsedInput<'stock.setAllocation'>): AllocationView {
  return runCommand(ctx, 'stock.setAllocation', input, { tables: ALLOCATION_TABLES }, (scope) => {
    const shop = shopById(scope.tx, input.shopId);
    const skuId = input.sku === DEFAULT_SKU ? DEFAULT_SKU : skuByCode(scope.tx, input.sku).id;
    const c = scope.tx.$client;
    const before = c.prepare('SELECT mode, value, min_qty AS minQty, max_qty AS maxQty FROM stock_allocations WHERE shop_id = ? AND sku_id = ?').get(shop.id, skuId) ?? null;
    c.prepare(
      `INSERT INTO stock_allocations (shop_id, sku_id, mode, value, min_qty, max_qty, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (shop_id, sku_id) DO UPDATE SET mode = excluded.mode, value = excluded.value, min_qty = excluded.min_qty, max_qty = excluded.max_qty,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ).run(shop.id, skuId, input.mode, input.value, input.minQty, input.maxQty, scope.at, ctx.actor.name);
    scope.audit({ entity: 'stock_allocation', entityId: `${shop.id}/${input.sku}`, before, after: { mode: input.mode, value: input.value, minQty: input.minQty, maxQty: input.maxQty } });
    markStockDirty(scope.tx, coveredSkus(scope.tx, shop.id, skuId), scope.at);
    return c.prepare<[string, string], AllocationView>(`${allocationSelect} WHERE a.shop_id = ? AND a.sku_id = ?`).get(shop.id, skuId)!;
  });
}

export function removeAllocation(ctx: CoreContext, input: ApiParsedInput<'stock.removeAllocation'>): { removed: boolean } {
  return runCommand(ctx, 'stock.removeAllocation', input, { tables: ALLOCATION_TABLES }, (scope) => {
    const shop = shopById(scope.tx, input.shopId);
    const skuId = input.sku === DEFAULT_SKU ? DEFAULT_SKU : skuByCode(scope.tx, input.sku).id;
    const removed = scope.tx.$client.prepare('DELETE FROM stock_allocations WHERE shop_id = ? AND sku_id = ?').run(shop.id, skuId).changes > 0;
    if (removed) {
      scope.audit({ entity: 'stock_allocation', entityId: `${shop.id}/${input.sku}`, before: 'removed', after: null });
      markStockDirty(scope.tx, coveredSkus(scope.tx, shop.id, skuId), scope.at);
    }
    return { removed };
  });
}

interface PushRowRaw extends Omit<StockPushView, 'lastErrorDetails' | 'lockedByPromotion'> {
  lastErrorDetails: string | null;
  lockedByPromotion: number;
}

export function listPushes(db: ReadDb, input: ApiParsedInput<'stock.pushes'>): StockPushView[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (input.shopId !== undefined) {
    where.push('p.shop_id = ?');
    params.push(input.shopId);
  }
  if (input.sku !== undefined) {
    where.push('p.sku_id = ?');
    params.push(skuByCode(db, input.sku).id);
  }
  if (input.states !== undefined && input.states.length > 0) {
    where.push(`p.state IN (${input.states.map(() => '?').join(', ')})`);
    params.push(...input.states);
  }
  params.push(input.limit);
  const rows = db.$client
    .prepare<(string | number)[], PushRowRaw>(
      `SELECT p.id, p.shop_id AS shopId, s.name AS shopName, s.platform, k.outer_sku_code AS sku, coalesce(pr.title, k.name) AS title,
              p.platform_product_id AS platformProductId, p.platform_sku_id AS platformSkuId, p.mode, p.quantity, p.state, p.attempts,
              p.platform_before AS platformBefore, p.sent_delta AS sentDelta, p.platform_after AS platformAfter, p.last_error AS lastError,
              p.last_error_reason AS lastErrorReason, p.last_error_details AS lastErrorDetails, p.locked_by_promotion AS lockedByPromotion,
              p.created_at AS createdAt, p.next_at AS nextAt, p.done_at AS doneAt
         FROM stock_pushes p JOIN shops s ON s.id = p.shop_id JOIN skus k ON k.id = p.sku_id LEFT JOIN products pr ON pr.id = k.product_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY p.created_at DESC, p.id DESC LIMIT ?`,
    )
    .all(...params);
  return rows.map((r) => ({ ...r, lastErrorDetails: parseDetails(r.lastErrorDetails), lockedByPromotion: r.lockedByPromotion === 1 }));
}

function parseDetails(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** "Push now": every mapped SKU of the shop (or all shops) from committed stock, then sent and waited for. */
export async function pushNow(d: DomainDeps, input: ApiParsedInput<'stock.push'>): Promise<StockPushRun> {
  if (input.shopId !== undefined) shopById(d.db, input.shopId);
  const o = { now: d.now(), shopId: input.shopId, full: true, collect: true };
  if (input.dryRun) {
    const r = previewPushRound(d.db, o);
    return { dryRun: true, figures: r.figures.map(viewOf), written: r.written, superseded: r.superseded, skipped: r.skipped, sent: null };
  }
  const r = pushRoundNow(d.db, d.events, o);
  const sender = new StockSender({ db: d.db, events: d.events, now: d.now, secretCipher: d.secretCipher });
  const sent = await sender.flush(input.shopId);
  return {
    dryRun: false,
    figures: r.figures.map(viewOf),
    written: r.written,
    superseded: r.superseded,
    skipped: r.skipped,
    sent: { confirmed: sent.confirmed, refused: sent.refused, failed: sent.failed, retrying: sent.retrying },
  };
}

const viewOf = (f: { shopId: string; shopName: string; sku: string; platformProductId: string; platformSkuId: string; mode: 'set' | 'delta'; quantity: number; told: number | null; changed: boolean }) => ({
  shopId: f.shopId,
  shopName: f.shopName,
  sku: f.sku,
  platformProductId: f.platformProductId,
  platformSkuId: f.platformSkuId,
  mode: f.mode,
  quantity: f.quantity,
  told: f.told,
  changed: f.changed,
});

export function stockPushHandlers(d: DomainDeps): Pick<Handlers, StockPushMethod> {
  const { db, ctx } = d;
  return {
    'stock.push': (input) => pushNow(d, input),
    'stock.pushes': (input) => listPushes(db, input),
    'stock.allocations': (input) => listAllocations(db, input),
    'stock.setAllocation': (input, actor) => setAllocation(ctx(actor), input),
    'stock.removeAllocation': (input, actor) => removeAllocation(ctx(actor), input),
  };
}
