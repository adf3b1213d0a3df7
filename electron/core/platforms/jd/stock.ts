// Stock writes to JD (docs/platforms/stock-write.md#jd): jingdong.stock.write.updateSkuStock (设置sku库存),
// one SKU a call, an absolute figure. JD's increaseSkuStock semantics and its stockRfId are unverified,
// so deltas are refused here and callers push absolute figures.
import type { StockWrite, StockWriteResult } from '../../../shared/stock-model.ts';
import { platformError } from '../gateway.ts';
import { oneByOne, refusedOrThrow, unsupported } from '../stock-writes.ts';

export const UPDATE_SKU_STOCK = 'jingdong.stock.write.updateSkuStock';
const RESPONSE_KEY = 'jingdong_stock_write_updateSkuStock_response';

type Call = (method: string, business: Record<string, unknown>) => Promise<Record<string, unknown>>;

async function writeOne(call: Call, w: StockWrite): Promise<StockWriteResult> {
  if (w.mode !== 'set') return unsupported(w, 'JD stock deltas (increaseSkuStock) are not documented well enough to use; push the absolute figure');
  if (w.platformSkuId === null) return unsupported(w, 'JD stock is per SKU: a SKU id is needed');
  if (!Number.isInteger(w.quantity) || w.quantity < 0) return unsupported(w, 'an absolute stock figure is a whole number, not negative');
  try {
    const body = await call(UPDATE_SKU_STOCK, { skuId: Number(w.platformSkuId), stockNum: w.quantity });
    const r = body[RESPONSE_KEY] as Record<string, unknown> | undefined;
    if (!r || r.success !== true) throw platformError(`jd updateSkuStock: answer without ${RESPONSE_KEY}.success=true`, { code: 'BAD_RESPONSE', retryable: true, throttled: false });
    return { kind: 'confirmed', key: w.key, platformStock: w.quantity };
  } catch (e) {
    // JD's activity-lock signal is not in any source read: no refusal is classed as a lock.
    return refusedOrThrow(e, w, () => false);
  }
}

export function writeJdStock(call: Call, writes: StockWrite[]): Promise<StockWriteResult[]> {
  return oneByOne(writes, (w) => writeOne(call, w));
}
