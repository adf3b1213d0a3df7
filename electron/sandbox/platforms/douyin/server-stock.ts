// Stock writes on the loopback doudian gateway (docs/platforms/stock-write.md#douyin): sku.syncStock
// (one SKU; incremental=true needs idempotent_id, a repeated id answers 40010 "[idempotent_id]重复，
// 操作已执行", a decrease below 0 "库存不足", a deleted SKU 4) and sku.syncStockBatchMultiProducts
// (≤ 50 SKUs, per-SKU results; a SKU whose stock is held by an activity answers -20008).
import type { SandboxProduct, SandboxSku } from '../server-products.ts';
import { DOUDIAN_CODES, DoudianFault } from './server-protocol.ts';

export const SYNC_STOCK = 'sku.syncStock';
export const SYNC_STOCK_MULTI = 'sku.syncStockBatchMultiProducts';
const MAX_MULTI = 50;

const badParam = (sub: string, msg: string): DoudianFault => new DoudianFault(DOUDIAN_CODES.badParam, sub, msg);

export interface DoudianStockState {
  products: () => SandboxProduct[];
  /** SKU ids whose stock an activity holds (prom_stock_num > 0): lowering them is refused. */
  promotionLocked: Set<string>;
  usedIds: Set<string>;
}

function findSku(state: DoudianStockState, productId: unknown, skuId: unknown): SandboxSku | null {
  const p = state.products().find((x) => x.productId === String(productId ?? ''));
  return p?.skus.find((s) => s.skuId === String(skuId ?? '')) ?? null;
}

function int(v: unknown, key: string): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw badParam('isv.parameter-invalid', `${key} must be an integer`);
  return n;
}

export function createDoudianStockHandlers(state: DoudianStockState): Record<string, (p: Record<string, unknown>) => unknown> {
  function syncStock(p: Record<string, unknown>): unknown {
    const incremental = p.incremental === true;
    const n = int(p.stock_num, 'stock_num');
    if (incremental) {
      if (typeof p.idempotent_id !== 'string' || p.idempotent_id === '') throw badParam('isv.parameter-invalid', 'incremental=true 时 idempotent_id 必填');
      if (state.usedIds.has(p.idempotent_id)) throw badParam('isv.parameter-invalid:40010', '[idempotent_id]重复，操作已执行');
    } else if (n < 0) throw badParam('isv.parameter-invalid', 'stock_num 不能小于0');
    const sku = findSku(state, p.product_id, p.sku_id);
    if (!sku) throw badParam('isv.parameter-invalid:5', 'sku不存在');
    const next = incremental ? sku.stock + n : n;
    if (next < 0) throw new DoudianFault(DOUDIAN_CODES.business, 'isv.business-failed:2010012', '更新库存数失败: 库存不足');
    if (next < sku.stock && state.promotionLocked.has(sku.skuId)) throw new DoudianFault(DOUDIAN_CODES.business, 'isv.business-failed:2010045', '商品正在参加平台活动，无法修改库存');
    sku.stock = next;
    if (incremental) state.usedIds.add(p.idempotent_id as string);
    return {};
  }

  function multi(p: Record<string, unknown>): unknown {
    if (typeof p.incremental !== 'boolean') throw new DoudianFault(DOUDIAN_CODES.missingParam, 'isv.missing-parameter:incremental', '缺少必选参数 incremental');
    if (!Array.isArray(p.items) || p.items.length === 0) throw badParam('isv.parameter-invalid', 'items 不能为空');
    if (p.items.length > MAX_MULTI) throw badParam('isv.parameter-invalid', `items 最多 ${MAX_MULTI} 个`);
    const id = typeof p.idempotent_id === 'string' ? p.idempotent_id : '';
    if (id !== '' && state.usedIds.has(id)) throw new DoudianFault(DOUDIAN_CODES.business, 'isv.business-failed:-20002', 'Token已被使用');
    const results = (p.items as Record<string, unknown>[]).map((it) => {
      const sku = findSku(state, it.product_id, it.sku_id);
      const n = int(it.stock_num, 'stock_num');
      const base = { sku_id: Number(it.sku_id), warehouse_id: '', change_num: 0 };
      if (!sku) return { ...base, stock_num: 0, status_code: -40003, status_message: '商品已删除' };
      const next = p.incremental ? sku.stock + n : n;
      if (next < 0) return { ...base, stock_num: sku.stock, status_code: -20001, status_message: '库存不足' };
      if (next < sku.stock && state.promotionLocked.has(sku.skuId)) return { ...base, stock_num: sku.stock, status_code: -20008, status_message: '当前商品的部分SKU库存不得低于活动/达人专属价设置的库存数' };
      const change = next - sku.stock;
      sku.stock = next;
      return { ...base, stock_num: next, change_num: change, status_code: 0, status_message: 'success' };
    });
    if (id !== '') state.usedIds.add(id);
    return { results };
  }

  return { [SYNC_STOCK]: syncStock, [SYNC_STOCK_MULTI]: multi };
}
