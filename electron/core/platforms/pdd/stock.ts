// Stock writes to PDD (docs/platforms/stock-write.md#pinduoduo): pdd.goods.quantity.update, one SKU per
// call, absolute figures only (update_type=1). PDD's deltas have no idempotency key, so a retried one
// could apply twice: deltas are refused here and callers push absolute figures.
import type { StockWrite, StockWriteResult } from '../../../shared/stock-model.ts';
import { platformError } from '../gateway.ts';
import { oneByOne, refusedOrThrow, unsupported } from '../stock-writes.ts';
import type { PddParamValue } from './sign.ts';

export const GOODS_QUANTITY_UPDATE = 'pdd.goods.quantity.update';

type Call = (type: string, business: Record<string, PddParamValue>) => Promise<Record<string, unknown>>;

async function writeOne(call: Call, w: StockWrite): Promise<StockWriteResult> {
  if (w.mode !== 'set') return unsupported(w, 'PDD stock deltas have no idempotency key; push the absolute figure');
  if (w.platformSkuId === null) return unsupported(w, 'PDD stock is per SKU: a SKU id is needed');
  if (!Number.isInteger(w.quantity) || w.quantity < 0) return unsupported(w, 'an absolute stock figure is a whole number, not negative');
  try {
    const body = await call(GOODS_QUANTITY_UPDATE, { goods_id: w.platformProductId, sku_id: w.platformSkuId, quantity: w.quantity, update_type: 1 });
    const r = body.goods_quantity_update_response as Record<string, unknown> | undefined;
    if (!r || r.is_success !== true) throw platformError('pdd goods.quantity.update: answer without is_success=true', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
    return { kind: 'confirmed', key: w.key, platformStock: w.quantity };
  } catch (e) {
    // "在资源位上的商品不能减少库存": the goods sit in a promotion slot.
    return refusedOrThrow(e, w, (words) => words.includes('资源位'));
  }
}

export function writePddStock(call: Call, writes: StockWrite[]): Promise<StockWriteResult[]> {
  return oneByOne(writes, (w) => writeOne(call, w));
}
