// Stock writes on the loopback TOP gateway (docs/platforms/stock-write.md#taobao--tmall):
// taobao.skus.quantity.update (num_iid, skuid_quantities "skuId:qty;…" of at most 20 SKUs of that item,
// or outerid_quantities, type 1 全量 / 2 增量 clamped to 0) and taobao.item.quantity.update (num_iid,
// sku_id or outer_id or neither for the item, quantity, type; a delta below 0 is refused).
import type { SandboxProduct, SandboxSku } from '../server-products.ts';
import { TopListError } from './server-products.ts';

export const SKUS_QUANTITY_UPDATE = 'taobao.skus.quantity.update';
export const ITEM_QUANTITY_UPDATE = 'taobao.item.quantity.update';
export const STOCK_METHODS: ReadonlySet<string> = new Set([SKUS_QUANTITY_UPDATE, ITEM_QUANTITY_UPDATE]);
const MAX_SKUS = 20;

const invalid = (name: string, text: string): TopListError => new TopListError(41, 'Invalid Arguments', `isv.invalid-parameter:${name}`, text);
const missing = (name: string): TopListError => new TopListError(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`, `${name} is required`);

function int(p: Record<string, string>, key: string, fallback?: number): number {
  const raw = p[key];
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    throw missing(key);
  }
  if (!/^-?\d+$/.test(raw)) throw invalid(key, `${key} 必须是整数`);
  return Number(raw);
}

function itemAnswer(x: SandboxProduct): Record<string, unknown> {
  return { item: { num_iid: Number(x.productId), num: x.skus.length > 0 ? x.skus.reduce((n, s) => n + s.stock, 0) : x.stock, skus: { sku: x.skus.map((s) => ({ sku_id: Number(s.skuId), quantity: s.stock })) } } };
}

export function handleStockApi(method: string, p: Record<string, string>, products: readonly SandboxProduct[]): { key: string; body: Record<string, unknown> } {
  const key = `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
  const itemId = String(int(p, 'num_iid'));
  const x = products.find((q) => q.productId === itemId);
  if (!x) throw new TopListError(15, 'Remote service error', 'isv.item-not-exist', `商品${itemId}不存在`);
  const type = int(p, 'type', 1);
  if (type !== 1 && type !== 2) throw invalid('type', 'type 取值 1 全量 / 2 增量');
  if (method === SKUS_QUANTITY_UPDATE) {
    const text = p.skuid_quantities || p.outerid_quantities;
    if (!text) throw missing('skuid_quantities');
    const pairs = text.split(';').map((s) => s.split(':'));
    if (pairs.length > MAX_SKUS) throw invalid('skuid_quantities', `最多 ${MAX_SKUS} 个SKU`);
    const changes: { skus: SandboxSku[]; n: number }[] = pairs.map(([code, qty]) => {
      if (!qty || !/^-?\d+$/.test(qty)) throw invalid('skuid_quantities', `数量不合法: ${String(qty)}`);
      // outerid_quantities changes every SKU sharing the outer code.
      const skus = p.skuid_quantities ? x.skus.filter((s) => s.skuId === code) : x.skus.filter((s) => s.outerId === code);
      if (skus.length === 0) throw invalid('skuid_quantities', `SKU ${String(code)} 不属于商品 ${itemId}`);
      if (type === 1 && Number(qty) < 0) throw invalid('skuid_quantities', '全量更新时库存不能为负数');
      return { skus, n: Number(qty) };
    });
    for (const c of changes) for (const s of c.skus) s.stock = type === 1 ? c.n : Math.max(0, s.stock + c.n);
    return { key, body: itemAnswer(x) };
  }
  const n = int(p, 'quantity');
  const sku = p.sku_id ? x.skus.find((s) => s.skuId === p.sku_id) : p.outer_id ? x.skus.find((s) => s.outerId === p.outer_id) : null;
  if ((p.sku_id || p.outer_id) && !sku) throw invalid('sku_id', 'SKU 不存在');
  if (type === 1 && n < 0) throw invalid('quantity', '全量更新时 quantity 不能小于0');
  const current = sku ? sku.stock : x.stock;
  const next = type === 1 ? n : current + n;
  if (next < 0) throw new TopListError(15, 'Remote service error', 'isv.item-quantity-update-error', '负数与实际库存之和不能小于0');
  if (sku) sku.stock = next;
  else x.stock = next;
  return { key, body: itemAnswer(x) };
}
