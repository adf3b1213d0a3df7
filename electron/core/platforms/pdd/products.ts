// The shop's goods and SKUs through pdd.goods.list.get (docs/platforms/pdd.md#products-and-skus):
// pages from 1, at most 100 goods a page, every goods with its sku_list (SKU id, spec text, outer_id,
// sku_quantity). PDD has no modified-time filter on this list, so the listing is a full scan by page
// number; the cursor is the next page.
import { z } from 'zod';
import type { PlatformSku, ProductCursor, ProductPage } from '../../../shared/stock-model.ts';
import { platformError } from '../gateway.ts';
import { noWarn, type Warn } from '../lenient.ts';
import { listedId, readListed, textOrNull } from '../listing.ts';
import type { PddParamValue } from './sign.ts';

export const GOODS_LIST_GET = 'pdd.goods.list.get';
/** page_size: default 100, max 100. */
export const PDD_GOODS_PAGE_SIZE = 100;

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'expected a numeric id')]);
const optText = z.string().nullable().optional();
const optCount = z.number().int().nullable().optional();
const flag = z.union([z.literal(0), z.literal(1)]).nullable().optional();

const skuSchema = z.object({
  sku_id: id,
  spec: optText,
  sku_quantity: optCount,
  reserve_quantity: optCount,
  outer_id: optText,
  outer_goods_id: optText,
  is_sku_onsale: flag,
});

const goodsSchema = z.object({
  goods_id: id,
  goods_name: optText,
  is_onsale: flag,
  sku_list: z.array(skuSchema),
});

/** Optional parts: an unreadable one is dropped with a warning, the SKU is still listed. */
const SOFT = ['goods_name', 'is_onsale', 'sku_list.*.spec', 'sku_list.*.sku_quantity', 'sku_list.*.reserve_quantity', 'sku_list.*.outer_id', 'sku_list.*.outer_goods_id', 'sku_list.*.is_sku_onsale'];

function pageOf(cursor: ProductCursor | null): number {
  if (cursor === null) return 1;
  if (!/^\d+$/.test(cursor) || Number(cursor) < 1) throw platformError(`pdd goods listing: cursor "${cursor}" is not a page number`, { code: 'BAD_CURSOR', retryable: false, throttled: false });
  return Number(cursor);
}

/** One page of pdd.goods.list.get as common SKUs. */
export async function listPddProducts(
  call: (type: string, business: Record<string, PddParamValue>) => Promise<Record<string, unknown>>,
  cursor: ProductCursor | null,
  pageSize: number,
  warn: Warn = noWarn,
): Promise<ProductPage> {
  const page = pageOf(cursor);
  const size = Math.min(Math.max(1, pageSize), PDD_GOODS_PAGE_SIZE);
  const body = await call(GOODS_LIST_GET, { page, page_size: size });
  const r = body.goods_list_get_response;
  const list = typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : null;
  if (!list || typeof list.total_count !== 'number' || !Array.isArray(list.goods_list)) {
    throw platformError('pdd goods.list.get: response lacks goods_list_get_response.total_count / goods_list', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  }
  const items: PlatformSku[] = [];
  const quarantined: ProductPage['quarantined'] = [];
  for (const raw of list.goods_list as unknown[]) {
    const read = readListed(goodsSchema, raw, SOFT, warn, listedId(raw, 'goods_id'));
    if (!read.ok) {
      quarantined.push(read.quarantined);
      continue;
    }
    const g = read.value;
    for (const s of g.sku_list) {
      items.push({
        platformProductId: String(g.goods_id),
        platformSkuId: String(s.sku_id),
        outerCode: textOrNull(s.outer_id),
        productOuterCode: textOrNull(s.outer_goods_id),
        title: g.goods_name ?? '',
        spec: textOrNull(s.spec),
        platformStock: s.sku_quantity ?? null,
        onSale: s.is_sku_onsale === undefined || s.is_sku_onsale === null ? (g.is_onsale === undefined || g.is_onsale === null ? null : g.is_onsale === 1) : s.is_sku_onsale === 1 && g.is_onsale !== 0,
      });
    }
  }
  const seen = (page - 1) * size + (list.goods_list as unknown[]).length;
  const more = (list.goods_list as unknown[]).length > 0 && seen < list.total_count;
  return { items, quarantined, next: more ? String(page + 1) : null };
}
