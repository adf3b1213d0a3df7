// pdd.goods.quantity.update on the loopback PDD gateway (docs/platforms/stock-write.md#pinduoduo): one
// SKU, update_type 1 (全量, default) or 2 (增量, may not take the figure below 0), and goods in a
// promotion slot whose stock may not be reduced ("在资源位上的商品不能减少库存"; the code is the sandbox's).
import type { SandboxProduct } from '../server-products.ts';
import { PDD_CODES, PddGatewayError } from './server-protocol.ts';

export const GOODS_QUANTITY_UPDATE = 'pdd.goods.quantity.update';
/** Not in any source: the code this sandbox answers a refused stock change with. */
const STOCK_REFUSED = 52201;

function int(params: Record<string, string>, key: string, fallback?: number): number {
  const raw = params[key];
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    throw new PddGatewayError(PDD_CODES.badParams, `missing ${key}`);
  }
  if (!/^-?\d+$/.test(raw)) throw new PddGatewayError(PDD_CODES.badParams, `${key} must be an integer`);
  return Number(raw);
}

export function createPddQuantityUpdate(products: () => SandboxProduct[], promotionLocked: Set<string>) {
  return function quantityUpdate(params: Record<string, string>): unknown {
    const goodsId = String(int(params, 'goods_id'));
    const quantity = int(params, 'quantity');
    const type = int(params, 'update_type', 1);
    if (type !== 1 && type !== 2) throw new PddGatewayError(PDD_CODES.badParams, 'update_type 取值 1/2');
    if (!params.sku_id && !params.outer_id) throw new PddGatewayError(PDD_CODES.badParams, 'sku_id 与 outer_id 不能同时为空');
    const goods = products().find((p) => p.productId === goodsId);
    const sku = goods?.skus.find((s) => (params.sku_id ? s.skuId === params.sku_id : s.outerId === params.outer_id));
    if (!goods || !sku) throw new PddGatewayError(STOCK_REFUSED, '商品或sku不存在');
    if (type === 1 && quantity < 0) throw new PddGatewayError(PDD_CODES.badParams, '全量更新时 quantity 不能小于0');
    const next = type === 1 ? quantity : sku.stock + quantity;
    if (next < 0) throw new PddGatewayError(STOCK_REFUSED, '负数与实际库存之和不能小于0');
    if (next < sku.stock && promotionLocked.has(sku.skuId)) throw new PddGatewayError(STOCK_REFUSED, '在资源位上的商品不能减少库存');
    sku.stock = next;
    return { goods_quantity_update_response: { is_success: true } };
  };
}
