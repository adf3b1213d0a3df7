// The shop's products and SKUs through product.listV2 and sku.list (docs/platforms/douyin.md#products-and-skus):
// listV2 pages products without their SKUs, so each listed product is followed by one sku.list call.
// Paging uses listV2's cursor mode (use_cursor + cursor_id), which has no page × size ≤ 10,000 cap;
// the listing ends on an empty page. The SKU 商家编码 is `code` (out_sku_id is a numeric developer id).
import { z } from 'zod';
import type { PlatformSku, ProductCursor, ProductPage } from '../../../shared/stock-model.ts';
import { AppError } from '../../../shared/result.ts';
import { platformError } from '../gateway.ts';
import { noWarn, type Warn } from '../lenient.ts';
import { listedId, readListed, textOrNull } from '../listing.ts';

export const PRODUCT_LIST_V2 = 'product.listV2';
export const SKU_LIST = 'sku.list';
/** size: 1..100. */
export const DOUDIAN_PRODUCT_PAGE_SIZE = 100;
/** status 2 = 删除: a deleted product is not listed for mapping. */
const DELETED = 2;
/** sub_code of "触发商品操作限流" (retry later). */
const PRODUCT_THROTTLE_SUB = /:2010401$/;

// Ids are int64 on the wire; JSON numbers above 2^53 lose digits, so only safe integers or digit strings are read.
const id = z.union([z.number().int().nonnegative().safe(), z.string().regex(/^\d+$/, 'expected a numeric id')]);
const optText = z.string().nullable().optional();

const productSchema = z.object({
  product_id: id,
  outer_product_id: optText,
  name: optText,
  status: z.number().int().nullable().optional(),
});

const skuSchema = z.object({
  id: id,
  code: optText,
  stock_num: z.number().int().nullable().optional(),
  spec_detail_name1: optText,
  spec_detail_name2: optText,
  spec_detail_name3: optText,
  sell_properties: z.array(z.object({ value_name: z.string() })).nullable().optional(),
});
const skuListSchema = z.object({ skus: z.array(skuSchema) });

const PRODUCT_SOFT = ['outer_product_id', 'name', 'status'];
const SKU_SOFT = ['skus.*.code', 'skus.*.stock_num', 'skus.*.spec_detail_name1', 'skus.*.spec_detail_name2', 'skus.*.spec_detail_name3', 'skus.*.sell_properties'];

type Data = (method: string, param: Record<string, unknown>) => Promise<unknown>;

/** "触发商品操作限流" comes as a business failure: it is throttling, retry later. */
async function throttleAware<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    const d = e instanceof AppError && typeof e.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : null;
    if (d && typeof d.subCode === 'string' && PRODUCT_THROTTLE_SUB.test(d.subCode)) {
      throw platformError((e as AppError).message, { ...d, code: typeof d.code === 'number' || typeof d.code === 'string' ? d.code : 'THROTTLED', retryable: true, throttled: true });
    }
    throw e;
  }
}

function specText(s: z.output<typeof skuSchema>): string | null {
  const props = s.sell_properties?.map((p) => p.value_name).filter((v) => v !== '');
  if (props && props.length > 0) return props.join(' ');
  return textOrNull([s.spec_detail_name1, s.spec_detail_name2, s.spec_detail_name3].filter((v): v is string => typeof v === 'string' && v !== '').join(' '));
}

/** One listV2 page (cursor mode) and each of its products' sku.list, as common SKUs. */
export async function listDoudianProducts(data: Data, cursor: ProductCursor | null, size: number, warn: Warn = noWarn): Promise<ProductPage> {
  const page = await throttleAware(() => data(PRODUCT_LIST_V2, { use_cursor: true, cursor_id: cursor ?? '', size }));
  const body = typeof page === 'object' && page !== null && !Array.isArray(page) ? (page as Record<string, unknown>) : null;
  const list = body?.data ?? [];
  if (!body || !Array.isArray(list)) throw platformError('douyin product.listV2: response lacks data.data', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  const nextCursor = typeof body.cursor_id === 'string' ? body.cursor_id : '';
  if (list.length > 0 && (nextCursor === '' || nextCursor === cursor)) {
    // Following an absent or repeated cursor would end early or loop forever.
    throw platformError('douyin product.listV2: a non-empty page without a new cursor_id', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  }
  const items: PlatformSku[] = [];
  const quarantined: ProductPage['quarantined'] = [];
  for (const raw of list as unknown[]) {
    const productId = listedId(raw, 'product_id');
    const read = readListed(productSchema, raw, PRODUCT_SOFT, warn, productId);
    if (!read.ok) {
      quarantined.push(read.quarantined);
      continue;
    }
    const p = read.value;
    if (p.status === DELETED) continue;
    const pid = String(p.product_id);
    const skusRaw = await throttleAware(() => data(SKU_LIST, { product_id: pid }));
    const skus = readListed(skuListSchema, { skus: skusRaw }, SKU_SOFT, warn, pid);
    if (!skus.ok) {
      quarantined.push({ ...skus.quarantined, raw: { product: raw, skus: skusRaw } });
      continue;
    }
    for (const s of skus.value.skus) {
      items.push({
        platformProductId: pid,
        platformSkuId: String(s.id),
        outerCode: textOrNull(s.code),
        productOuterCode: textOrNull(p.outer_product_id),
        title: p.name ?? '',
        spec: specText(s),
        platformStock: s.stock_num ?? null,
        onSale: p.status === 0 ? true : p.status === 1 ? false : null,
      });
    }
  }
  return { items, quarantined, next: list.length === 0 ? null : nextCursor };
}
