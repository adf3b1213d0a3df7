// Stock writes to Kuaishou (docs/platforms/stock-write.md#kuaishou): open.item.sku.stock.update, POST,
// one SKU a call, incremental only (changeType 1 增加 / 2 减少, skuChangeStock 1..9,999,998) and with no
// idempotency key — callers read the platform's figure first, send the difference, and do not retry
// a delta blindly. Absolute figures are refused here.
import type { StockWrite, StockWriteResult } from '../../../shared/stock-model.ts';
import { AppError } from '../../../shared/result.ts';
import { oneByOne, refusedOrThrow, unsupported } from '../stock-writes.ts';

export const SKU_STOCK_UPDATE = 'open.item.sku.stock.update';
const MAX_CHANGE = 9_999_998;
/** "当前库存不足，请减少预留数量": stock reserved for an activity (sourced as result 21, which is also an auth code). */
const RESERVE_LOCK = /预留/;

type Call = (method: string, param: Record<string, unknown>, httpMethod: 'GET' | 'POST') => Promise<Record<string, unknown>>;

async function writeOne(call: Call, w: StockWrite): Promise<StockWriteResult> {
  if (w.mode !== 'delta') return unsupported(w, 'Kuaishou stock can only be changed by a delta: read its figure and send the difference');
  if (w.platformSkuId === null) return unsupported(w, 'Kuaishou stock is per SKU: a SKU id is needed');
  if (!Number.isInteger(w.quantity) || Math.abs(w.quantity) > MAX_CHANGE) return unsupported(w, `a Kuaishou stock change is a whole number of at most ${MAX_CHANGE}`);
  if (w.quantity === 0) return { kind: 'confirmed', key: w.key, platformStock: null };
  try {
    await call(SKU_STOCK_UPDATE, { kwaiItemId: Number(w.platformProductId), skuId: Number(w.platformSkuId), skuChangeStock: Math.abs(w.quantity), changeType: w.quantity > 0 ? 1 : 2 }, 'POST');
    return { kind: 'confirmed', key: w.key, platformStock: null };
  } catch (e) {
    // The reserve lock comes as result 21, a code the gateway also uses for a bad token: its words tell them apart.
    if (e instanceof AppError && e.code === 'SHOP_AUTH_EXPIRED' && RESERVE_LOCK.test(e.message)) {
      return { kind: 'refused', key: w.key, reason: e.message.replace(/^kuaishou \S+: \d+ /, ''), lockedByPromotion: true };
    }
    return refusedOrThrow(e, w, (words) => RESERVE_LOCK.test(words));
  }
}

export function writeKsStock(call: Call, writes: StockWrite[]): Promise<StockWriteResult[]> {
  return oneByOne(writes, (w) => writeOne(call, w));
}
