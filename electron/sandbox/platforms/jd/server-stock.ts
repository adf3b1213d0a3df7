// jingdong.stock.write.updateSkuStock on the loopback JD gateway (docs/platforms/stock-write.md#jd):
// skuId and stockNum required, storeId optional, an absolute figure; answers
// jingdong_stock_write_updateSkuStock_response.success.
import type { SandboxProduct } from '../server-products.ts';
import { JD_CODES } from './server-protocol.ts';
import { JdGatewayFault } from './server-actions.ts';

export const UPDATE_SKU_STOCK = 'jingdong.stock.write.updateSkuStock';

function int(p: Record<string, unknown>, key: string): number {
  const v = p[key];
  if (v === undefined || v === null || v === '') throw new JdGatewayFault(JD_CODES.badParams, `缺少必填参数 ${key}`);
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new JdGatewayFault(JD_CODES.badParams, `${key} 必须为整数`);
  return n;
}

export function jdUpdateSkuStock(p: Record<string, unknown>, products: readonly SandboxProduct[]): unknown {
  const skuId = String(int(p, 'skuId'));
  const stockNum = int(p, 'stockNum');
  if (stockNum < 0) throw new JdGatewayFault(JD_CODES.badParams, 'stockNum 不能小于0');
  const sku = products.flatMap((x) => x.skus).find((s) => s.skuId === skuId);
  if (!sku) throw new JdGatewayFault(JD_CODES.badParams, `skuId ${skuId} 不存在`);
  sku.stock = stockNum;
  return { jingdong_stock_write_updateSkuStock_response: { code: '0', success: true } };
}
