// The shop's SKUs through jingdong.sku.read.searchSkuList (docs/platforms/jd.md#products-and-skus):
// one row per SKU with its wareId, outerId (the SKU 商家编码), wareTitle, saleAttrs and stockNum,
// paged by pageNo from 1. The list has no ware-level 商家编码. Deleted SKUs (status 4) are not asked
// for. The page-size maximum is not in the sources; 50 is the value the sandbox enforces.
import { z } from 'zod';
import type { PlatformSku, ProductCursor, ProductPage } from '../../../shared/stock-model.ts';
import { platformError } from '../gateway.ts';
import { noWarn, type Warn } from '../lenient.ts';
import { listedId, readListed, textOrNull } from '../listing.ts';

export const SEARCH_SKU_LIST = 'jingdong.sku.read.searchSkuList';
const RESPONSE_KEY = 'jingdong_sku_read_searchSkuList_responce';
/** page_size maximum [UNVERIFIED]: the sources give none; 50 is what the sandbox allows. */
export const JD_SKU_PAGE_SIZE = 50;
/** The fields asked for (`field`): only what the listing maps. */
const FIELDS = 'wareId,skuId,status,saleAttrs,outerId,wareTitle,stockNum,modified';

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'expected a numeric id')]);
const optText = z.string().nullable().optional();

const skuSchema = z.object({
  wareId: id,
  skuId: id,
  status: z.number().int().nullable().optional(),
  saleAttrs: z.array(z.object({ attrValueAlias: z.array(z.string()).nullable().optional(), attrValues: z.array(z.union([z.string(), z.number()])).nullable().optional() })).nullable().optional(),
  outerId: optText,
  wareTitle: optText,
  stockNum: z.number().int().nullable().optional(),
});

const SOFT = ['status', 'saleAttrs', 'outerId', 'wareTitle', 'stockNum'];

function pageOf(cursor: ProductCursor | null): number {
  if (cursor === null) return 1;
  if (!/^\d+$/.test(cursor) || Number(cursor) < 1) throw platformError(`jd sku listing: cursor "${cursor}" is not a page number`, { code: 'BAD_CURSOR', retryable: false, throttled: false });
  return Number(cursor);
}

const specText = (attrs: z.output<typeof skuSchema>['saleAttrs']): string | null =>
  textOrNull((attrs ?? []).map((a) => (a.attrValueAlias && a.attrValueAlias.length > 0 ? a.attrValueAlias.join('/') : (a.attrValues ?? []).join('/'))).filter((t) => t !== '').join(' '));

/** One page of searchSkuList as common SKUs. */
export async function listJdProducts(
  call: (method: string, business: Record<string, unknown>) => Promise<Record<string, unknown>>,
  cursor: ProductCursor | null,
  pageSize: number,
  warn: Warn = noWarn,
): Promise<ProductPage> {
  const pageNo = pageOf(cursor);
  const body = await call(SEARCH_SKU_LIST, { skuStatuValue: [1, 2], orderField: ['skuId'], orderType: ['asc'], pageNo, page_size: pageSize, field: FIELDS });
  const r = body[RESPONSE_KEY];
  const wrapped = typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : null;
  const page = wrapped && typeof wrapped.page === 'object' && wrapped.page !== null ? (wrapped.page as Record<string, unknown>) : null;
  if (!wrapped || String(wrapped.code) !== '0' || !page) {
    throw platformError(`jd searchSkuList: response lacks ${RESPONSE_KEY}.page with code "0"`, { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  }
  const data = page.data ?? [];
  const total = typeof page.totalItem === 'string' && /^\d+$/.test(page.totalItem) ? Number(page.totalItem) : page.totalItem;
  if (!Array.isArray(data) || typeof total !== 'number') throw platformError('jd searchSkuList: page lacks data / totalItem', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  const items: PlatformSku[] = [];
  const quarantined: ProductPage['quarantined'] = [];
  for (const raw of data as unknown[]) {
    const read = readListed(skuSchema, raw, SOFT, warn, listedId(raw, 'wareId'));
    if (!read.ok) {
      quarantined.push(read.quarantined);
      continue;
    }
    const s = read.value;
    items.push({
      platformProductId: String(s.wareId),
      platformSkuId: String(s.skuId),
      outerCode: textOrNull(s.outerId),
      productOuterCode: null,
      title: s.wareTitle ?? '',
      spec: specText(s.saleAttrs),
      platformStock: s.stockNum ?? null,
      onSale: s.status === 1 ? true : s.status === 2 ? false : null,
    });
  }
  const more = data.length > 0 && (pageNo - 1) * pageSize + data.length < total;
  return { items, quarantined, next: more ? String(pageNo + 1) : null };
}
