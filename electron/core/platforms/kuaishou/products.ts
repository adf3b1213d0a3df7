// The shop's items and SKUs through open.item.list.get (docs/platforms/kuaishou.md#products-and-skus):
// GET, pageNumber from 1, pageSize 10..100, every item with its skuList (kwaiSkuId, skuNick = the SKU
// 商家编码, specification, skuStock). It lists on-sale items only and has no modified-time filter, so
// the listing is a full scan by page; off-shelf items are known only from order lines.
import { z } from 'zod';
import type { PlatformSku, ProductCursor, ProductPage } from '../../../shared/stock-model.ts';
import { platformError } from '../gateway.ts';
import { noWarn, type Warn } from '../lenient.ts';
import { listedId, readListed, textOrNull } from '../listing.ts';

export const ITEM_LIST_GET = 'open.item.list.get';
/** pageSize: 10..100 (default 100). */
export const KS_ITEM_PAGE_MIN = 10;
export const KS_ITEM_PAGE_MAX = 100;

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'expected a numeric id')]);
const optText = z.string().nullable().optional();

const skuSchema = z.object({
  kwaiSkuId: id,
  skuNick: optText,
  specification: optText,
  skuStock: z.number().int().nullable().optional(),
});

const itemSchema = z.object({
  kwaiItemId: id,
  title: optText,
  skuList: z.array(skuSchema),
});

const SOFT = ['title', 'skuList.*.skuNick', 'skuList.*.specification', 'skuList.*.skuStock'];

function pageOf(cursor: ProductCursor | null): number {
  if (cursor === null) return 1;
  if (!/^\d+$/.test(cursor) || Number(cursor) < 1) throw platformError(`kuaishou item listing: cursor "${cursor}" is not a page number`, { code: 'BAD_CURSOR', retryable: false, throttled: false });
  return Number(cursor);
}

type Call = (method: string, param: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** One page of open.item.list.get (on-sale items) as common SKUs. */
export async function listKsProducts(call: Call, cursor: ProductCursor | null, pageSize: number, warn: Warn = noWarn): Promise<ProductPage> {
  const pageNumber = pageOf(cursor);
  const body = await call(ITEM_LIST_GET, { pageNumber, pageSize, itemStatus: 1, onOfflineStatus: 1 });
  const data = typeof body.data === 'object' && body.data !== null ? (body.data as Record<string, unknown>) : null;
  const list = data?.items ?? [];
  if (!data || typeof data.totalPage !== 'number' || !Array.isArray(list)) {
    throw platformError('kuaishou item.list.get: response lacks data.totalPage / data.items', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  }
  const items: PlatformSku[] = [];
  const quarantined: ProductPage['quarantined'] = [];
  for (const raw of list as unknown[]) {
    const read = readListed(itemSchema, raw, SOFT, warn, listedId(raw, 'kwaiItemId'));
    if (!read.ok) {
      quarantined.push(read.quarantined);
      continue;
    }
    const it = read.value;
    for (const s of it.skuList) {
      items.push({
        platformProductId: String(it.kwaiItemId),
        platformSkuId: String(s.kwaiSkuId),
        outerCode: textOrNull(s.skuNick),
        // relItemId is a numeric external id, not a 商家编码 (docs/platforms/kuaishou.md#products-and-skus).
        productOuterCode: null,
        title: it.title ?? '',
        spec: textOrNull(s.specification),
        platformStock: s.skuStock ?? null,
        // The list returns on-sale (上架) items only.
        onSale: true,
      });
    }
  }
  const more = (list as unknown[]).length > 0 && pageNumber < data.totalPage;
  return { items, quarantined, next: more ? String(pageNumber + 1) : null };
}
