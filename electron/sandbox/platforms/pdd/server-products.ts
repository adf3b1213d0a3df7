// pdd.goods.list.get on the loopback PDD gateway (docs/platforms/pdd.md#products-and-skus): pages from
// 1, page_size 1..100 (default 100), goods with their sku_list, no price in the list, and the
// documented per-shop limit of 600 calls a minute answered with the throttling error.
import type { SandboxProduct } from '../server-products.ts';
import { withWire } from '../server-products.ts';
import { PDD_CODES, PddGatewayError } from './server-protocol.ts';

export const GOODS_LIST_GET = 'pdd.goods.list.get';
const MAX_GOODS_PAGE_SIZE = 100;
/** limiterLevel 1 (per shop): 600 calls per 60 s. */
const LIMIT_CALLS = 600;
const LIMIT_WINDOW_MS = 60_000;

function intParam(params: Record<string, string>, key: string, fallback: number): number {
  const raw = params[key];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new PddGatewayError(PDD_CODES.badParams, `${key} must be an integer`);
  return Number(raw);
}

/** The sku_list element of one SKU (a product without SKUs is listed with one SKU, as PDD has no SKU-less goods). */
function skuPayload(p: SandboxProduct): Record<string, unknown>[] {
  const skus = p.skus.length > 0 ? p.skus : [{ skuId: `${p.productId}00`, outerId: p.outerId, specs: [], stock: p.stock, reserved: 0, priceFen: 0, onSale: true }];
  return skus.map((s) => ({
    sku_id: Number(s.skuId),
    spec: s.specs.map((x) => x.value).join(' '),
    sku_quantity: s.stock,
    reserve_quantity: s.reserved,
    outer_id: s.outerId,
    outer_goods_id: p.outerId,
    is_sku_onsale: s.onSale ? 1 : 0,
  }));
}

export function createPddGoodsList(products: () => SandboxProduct[], now: () => number) {
  const recent: number[] = [];
  return function goodsListGet(params: Record<string, string>): unknown {
    const at = now();
    while (recent.length > 0 && recent[0]! <= at - LIMIT_WINDOW_MS) recent.shift();
    if (recent.length >= LIMIT_CALLS) throw new PddGatewayError(PDD_CODES.throttled, '调用过于频繁，请稍后再试');
    recent.push(at);
    const page = intParam(params, 'page', 1);
    const pageSize = intParam(params, 'page_size', 100);
    if (page < 1) throw new PddGatewayError(PDD_CODES.badParams, 'page starts at 1');
    if (pageSize < 1 || pageSize > MAX_GOODS_PAGE_SIZE) throw new PddGatewayError(PDD_CODES.badParams, `page_size must be 1..${MAX_GOODS_PAGE_SIZE}`);
    // is_onsale > outer_id > goods_name: only the first one given filters.
    let listed = [...products()].sort((a, b) => (BigInt(a.productId) < BigInt(b.productId) ? -1 : 1));
    if (params.is_onsale !== undefined && params.is_onsale !== '') listed = listed.filter((p) => p.onSale === (intParam(params, 'is_onsale', 1) === 1));
    else if (params.outer_id) listed = listed.filter((p) => p.skus.some((s) => s.outerId === params.outer_id));
    else if (params.goods_name) listed = listed.filter((p) => p.title.includes(params.goods_name!));
    const goods = listed.slice((page - 1) * pageSize, page * pageSize).map((p) =>
      withWire(p, {
        goods_id: Number(p.productId),
        goods_name: p.title,
        is_more_sku: p.skus.length > 1 ? 1 : 0,
        goods_quantity: p.skus.length > 0 ? p.skus.reduce((n, s) => n + s.stock, 0) : p.stock,
        goods_reserve_quantity: p.skus.reduce((n, s) => n + s.reserved, 0),
        is_onsale: p.onSale ? 1 : 0,
        thumb_url: `https://img.example.invalid/${p.productId}.jpg`,
        image_url: `https://img.example.invalid/${p.productId}.jpg`,
        sku_list: skuPayload(p),
      }),
    );
    return { goods_list_get_response: { total_count: listed.length, goods_list: goods } };
  };
}
