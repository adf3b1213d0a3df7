// Stock writes to Douyin (docs/platforms/stock-write.md#douyin): absolute figures in batches of at most
// 50 SKUs across products through sku.syncStockBatchMultiProducts (per-SKU results), and deltas one
// SKU a call through sku.syncStock with incremental=true and the write's key as idempotent_id — a
// retried delta answers "[idempotent_id]重复，操作已执行", which is success.
import { createHash } from 'node:crypto';
import type { StockWrite, StockWriteResult } from '../../../shared/stock-model.ts';
import { AppError } from '../../../shared/result.ts';
import { platformError } from '../gateway.ts';

export const SYNC_STOCK = 'sku.syncStock';
export const SYNC_STOCK_MULTI = 'sku.syncStockBatchMultiProducts';
export const DOUDIAN_STOCK_BATCH = 50;
/** Activity locks: -20008 "当前商品的部分SKU库存不得低于活动/达人专属价设置的库存数", 2010045 "商品正在参加平台活动". */
const LOCK_CODES = new Set(['-20008', '2010045']);
/** The idempotent_id was used already: the write was applied. */
const DUPLICATE = /:40010$|:2010021$/;

type Data = (method: string, param: Record<string, unknown>) => Promise<unknown>;

const idOf = (s: string): string | number => (/^\d{1,15}$/.test(s) ? Number(s) : s);

/** An idempotent_id for a batch: stable for the same writes, whatever their order. */
function batchKey(writes: StockWrite[]): string {
  return createHash('sha256').update(writes.map((w) => w.key).sort().join('\n')).digest('hex').slice(0, 32);
}

function detailsOf(e: unknown): Record<string, unknown> | null {
  return e instanceof AppError && typeof e.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : null;
}

async function writeDelta(data: Data, w: StockWrite): Promise<StockWriteResult> {
  try {
    await data(SYNC_STOCK, { product_id: idOf(w.platformProductId), sku_id: idOf(w.platformSkuId ?? ''), incremental: true, idempotent_id: w.key, stock_num: w.quantity });
    return { kind: 'confirmed', key: w.key, platformStock: null };
  } catch (e) {
    const d = detailsOf(e);
    const sub = typeof d?.subCode === 'string' ? d.subCode : '';
    if (DUPLICATE.test(sub)) return { kind: 'confirmed', key: w.key, platformStock: null };
    if (d && d.retryable !== true && !(e instanceof AppError && e.code === 'SHOP_AUTH_EXPIRED')) {
      return { kind: 'refused', key: w.key, reason: String(d.subMsg || (e as Error).message), lockedByPromotion: [...LOCK_CODES].some((c) => sub.endsWith(`:${c}`)) };
    }
    throw e;
  }
}

async function writeSets(data: Data, batch: StockWrite[]): Promise<StockWriteResult[]> {
  const r = await data(SYNC_STOCK_MULTI, {
    incremental: false,
    idempotent_id: batchKey(batch),
    items: batch.map((w) => ({ product_id: idOf(w.platformProductId), sku_id: idOf(w.platformSkuId ?? ''), stock_num: w.quantity })),
  });
  const results = typeof r === 'object' && r !== null ? (r as Record<string, unknown>).results : undefined;
  if (!Array.isArray(results)) throw platformError('douyin sku.syncStockBatchMultiProducts: no results[]', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  return batch.map((w) => {
    const got = (results as Record<string, unknown>[]).find((x) => String(x.sku_id) === w.platformSkuId);
    if (!got) return { kind: 'refused', key: w.key, reason: 'the platform returned no result for this SKU', lockedByPromotion: false };
    const code = String(got.status_code ?? '');
    if (code === '0') return { kind: 'confirmed', key: w.key, platformStock: typeof got.stock_num === 'number' ? got.stock_num : null };
    return { kind: 'refused', key: w.key, reason: String(got.status_message ?? code), lockedByPromotion: LOCK_CODES.has(code) };
  });
}

export async function writeDoudianStock(data: Data, writes: StockWrite[]): Promise<StockWriteResult[]> {
  const out = new Map<string, StockWriteResult>();
  const sets: StockWrite[] = [];
  for (const w of writes) {
    if (w.platformSkuId === null) out.set(w.key, { kind: 'refused', key: w.key, reason: 'Douyin stock is per SKU: a SKU id is needed', lockedByPromotion: false });
    else if (w.mode === 'set' && w.quantity < 0) out.set(w.key, { kind: 'refused', key: w.key, reason: 'an absolute stock figure cannot be negative', lockedByPromotion: false });
    else if (w.mode === 'set') sets.push(w);
    else out.set(w.key, await writeDelta(data, w));
  }
  for (let i = 0; i < sets.length; i += DOUDIAN_STOCK_BATCH) {
    for (const r of await writeSets(data, sets.slice(i, i + DOUDIAN_STOCK_BATCH))) out.set(r.key, r);
  }
  return writes.map((w) => out.get(w.key)!);
}
