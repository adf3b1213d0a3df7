// Stock writes to Taobao/Tmall (docs/platforms/stock-write.md#taobao--tmall): absolute figures only
// (type=1) — TOP's deltas have no idempotency key outside Tmall's outer_biz_key, and the two delta
// APIs disagree on going below 0. SKUs of one item go together through taobao.skus.quantity.update,
// at most 20 a call (skuid_quantities, never outerid_quantities: that changes every SKU sharing an
// outer code); an item without SKUs through taobao.item.quantity.update.
import type { StockWrite, StockWriteResult } from '../../../shared/stock-model.ts';
import { refusedOrThrow, unsupported } from '../stock-writes.ts';

export const SKUS_QUANTITY_UPDATE = 'taobao.skus.quantity.update';
export const ITEM_QUANTITY_UPDATE = 'taobao.item.quantity.update';
export const TOP_STOCK_BATCH = 20;

type Call = (method: string, params: Record<string, string>) => Promise<Record<string, unknown>>;

/** The figures TOP reports back in `item.skus[]` / `item.num`, by SKU id ('' = the item). */
function reported(body: Record<string, unknown>): Map<string, number> {
  const out = new Map<string, number>();
  const item = body.item as Record<string, unknown> | undefined;
  if (!item) return out;
  if (typeof item.num === 'number') out.set('', item.num);
  const skus = (item.skus as { sku?: unknown } | unknown[] | undefined) ?? [];
  const list = Array.isArray(skus) ? skus : Array.isArray((skus as { sku?: unknown }).sku) ? ((skus as { sku: unknown[] }).sku) : [];
  for (const s of list as Record<string, unknown>[]) if (typeof s.quantity === 'number') out.set(String(s.sku_id), s.quantity);
  return out;
}

async function writeBatch(call: Call, itemId: string, batch: StockWrite[]): Promise<StockWriteResult[]> {
  try {
    const body =
      batch.length === 1 && batch[0]!.platformSkuId === null
        ? await call(ITEM_QUANTITY_UPDATE, { num_iid: itemId, quantity: String(batch[0]!.quantity), type: '1' })
        : await call(SKUS_QUANTITY_UPDATE, { num_iid: itemId, skuid_quantities: batch.map((w) => `${w.platformSkuId}:${w.quantity}`).join(';'), type: '1' });
    const figures = reported(body);
    return batch.map((w) => ({ kind: 'confirmed', key: w.key, platformStock: figures.get(w.platformSkuId ?? '') ?? null }));
  } catch (e) {
    // One refusal covers the whole call: every write in it is refused with TOP's words.
    return batch.map((w) => refusedOrThrow(e, w, () => false));
  }
}

export async function writeTopStock(call: Call, writes: StockWrite[]): Promise<StockWriteResult[]> {
  const out = new Map<string, StockWriteResult>();
  const byItem = new Map<string, StockWrite[]>();
  for (const w of writes) {
    if (w.mode !== 'set') out.set(w.key, unsupported(w, 'Taobao stock deltas have no idempotency key; push the absolute figure'));
    else if (!Number.isInteger(w.quantity) || w.quantity < 0) out.set(w.key, unsupported(w, 'an absolute stock figure is a whole number, not negative'));
    else if (w.platformSkuId === null) out.set(w.key, (await writeBatch(call, w.platformProductId, [w]))[0]!);
    else byItem.set(w.platformProductId, [...(byItem.get(w.platformProductId) ?? []), w]);
  }
  for (const [itemId, list] of byItem) {
    for (let i = 0; i < list.length; i += TOP_STOCK_BATCH) for (const r of await writeBatch(call, itemId, list.slice(i, i + TOP_STOCK_BATCH))) out.set(r.key, r);
  }
  return writes.map((w) => out.get(w.key)!);
}
