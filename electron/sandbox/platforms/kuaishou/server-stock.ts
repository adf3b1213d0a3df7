// open.item.sku.stock.update on the loopback Kuaishou gateway (docs/platforms/stock-write.md#kuaishou):
// POST, incremental only (changeType 1 增加 / 2 减少, 0 < skuChangeStock < 9,999,999, the result ≤ 9,999,999),
// and stock reserved for an activity may not be taken: {"result":21,"error_msg":"当前库存不足，请减少预留数量"}.
import type { SandboxProduct } from '../server-products.ts';
import { KsListError } from './server-products.ts';
import { KS_CODES } from './server-protocol.ts';

export const SKU_STOCK_UPDATE = 'open.item.sku.stock.update';
const MAX = 9_999_999;
/** The sourced activity-lock answer's result code. */
const RESERVE_LOCK = 21;

function int(p: Record<string, unknown>, key: string): number {
  const v = p[key];
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new KsListError(KS_CODES.badParams, `${key}无效`);
  return n;
}

export function ksSkuStockUpdate(p: Record<string, unknown>, products: readonly SandboxProduct[]): unknown {
  const itemId = String(int(p, 'kwaiItemId'));
  const skuId = String(int(p, 'skuId'));
  const change = int(p, 'skuChangeStock');
  const type = int(p, 'changeType');
  if (change <= 0 || change >= MAX) throw new KsListError(KS_CODES.badParams, 'skuChangeStock无效: 0 < n < 9999999');
  if (type !== 1 && type !== 2) throw new KsListError(KS_CODES.badParams, 'changeType无效: 1 增加, 2 减少');
  const sku = products.find((x) => x.productId === itemId)?.skus.find((s) => s.skuId === skuId);
  if (!sku) throw new KsListError(KS_CODES.business, '商品或SKU不存在');
  const next = type === 1 ? sku.stock + change : sku.stock - change;
  if (next > MAX) throw new KsListError(KS_CODES.business, '库存超过上限');
  if (next < 0) throw new KsListError(KS_CODES.business, '库存不足');
  if (type === 2 && next < sku.reserved) throw new KsListError(RESERVE_LOCK, '当前库存不足，请减少预留数量');
  sku.stock = next;
  return { result: KS_CODES.ok, error_msg: 'SUCCESS' };
}
