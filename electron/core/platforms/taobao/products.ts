// The shop's items and SKUs through TOP (docs/platforms/taobao.md#products-and-skus): the on-sale list
// (taobao.items.onsale.get) and then the warehouse list (taobao.items.inventory.get), both in modified
// order, each page followed by taobao.item.skus.get for its items in groups of 40. The lists return no
// SKUs, and page_no × page_size may not pass 20,000 (inventory: page_no ≤ 101), so when the next page
// would pass that the listing starts a new modified-time window at the last item read. An item with
// no SKUs is listed once, with a null SKU id and the item's own outer_id, as its order lines are.
import { z } from 'zod';
import type { PlatformSku, ProductCursor, ProductPage } from '../../../shared/stock-model.ts';
import { platformError } from '../gateway.ts';
import { noWarn, type Warn } from '../lenient.ts';
import { listedId, readListed, textOrNull } from '../listing.ts';

export const ONSALE_GET = 'taobao.items.onsale.get';
export const INVENTORY_GET = 'taobao.items.inventory.get';
export const SKUS_GET = 'taobao.item.skus.get';
/** page_size: max 200. */
export const TOP_ITEM_PAGE_SIZE = 200;
/** page_no × page_size over this errors (the doc also says 100,000 elsewhere; the stricter holds). */
const MAX_DEPTH = 20_000;
const INVENTORY_MAX_PAGE_NO = 101;
/** item.skus.get: num_iids ≤ 40. */
const SKUS_BATCH = 40;
const ITEM_FIELDS = 'num_iid,title,outer_id,num,modified,approve_status';
const SKU_FIELDS = 'sku_id,num_iid,properties_name,quantity,outer_id,status';

type Phase = 'onsale' | 'inventory';
interface Cursor {
  phase: Phase;
  page: number;
  /** start_modified of the current window (GMT+8 text), null from the beginning. */
  from: string | null;
}

const id = z.union([z.number().int().nonnegative().safe(), z.string().regex(/^\d+$/, 'expected a numeric id')]);
const optText = z.string().nullable().optional();
const itemSchema = z.object({ num_iid: id, title: optText, outer_id: optText, num: z.number().int().nullable().optional(), modified: optText, approve_status: optText });
const skuSchema = z.object({ sku_id: id, num_iid: id, properties_name: optText, quantity: z.number().int().nullable().optional(), outer_id: optText, status: optText });
const ITEM_SOFT = ['title', 'outer_id', 'num', 'modified', 'approve_status'];
const SKU_SOFT = ['properties_name', 'quantity', 'outer_id', 'status'];

function readCursor(cursor: ProductCursor | null): Cursor {
  if (cursor === null) return { phase: 'onsale', page: 1, from: null };
  try {
    const c = JSON.parse(cursor) as Cursor;
    if ((c.phase === 'onsale' || c.phase === 'inventory') && Number.isInteger(c.page) && c.page >= 1 && (c.from === null || typeof c.from === 'string')) return c;
  } catch {
    // fall through
  }
  throw platformError(`taobao item listing: cursor "${cursor}" is not one this adapter wrote`, { code: 'BAD_CURSOR', retryable: false, throttled: false });
}

/** "1627207:28320:颜色:红色;20509:28314:尺码:XL" → "颜色:红色;尺码:XL". */
export function topSpecText(propertiesName: string | null | undefined): string | null {
  if (!propertiesName) return null;
  const parts = propertiesName.split(';').map((p) => p.split(':').slice(2).join(':')).filter((t) => t !== '');
  return parts.length > 0 ? parts.join(';') : null;
}

type Call = (method: string, params: Record<string, string>) => Promise<Record<string, unknown>>;

/** Where the listing goes after a page of `count` items (of `total`) ending at `lastModified`. */
function nextCursor(c: Cursor, count: number, total: number, size: number, lastModified: string | null): Cursor | null {
  const more = count > 0 && (c.page - 1) * size + count < total;
  if (!more) return c.phase === 'onsale' ? { phase: 'inventory', page: 1, from: null } : null;
  const tooDeep = (c.page + 1) * size > MAX_DEPTH || (c.phase === 'inventory' && c.page + 1 > INVENTORY_MAX_PAGE_NO);
  if (!tooDeep) return { ...c, page: c.page + 1 };
  // A new window from the last modified time read: items sharing that second are read again (the
  // caller upserts by product and SKU id), none is skipped.
  if (lastModified === null || lastModified === c.from) {
    throw platformError(`taobao item listing: more than ${MAX_DEPTH} items share the modified time ${String(lastModified)}; cannot page further`, { code: 'TOO_DEEP', retryable: false, throttled: false });
  }
  return { phase: c.phase, page: 1, from: lastModified };
}

/** One page of items (on sale, then in the warehouse) with their SKUs, as common SKUs. */
export async function listTopProducts(call: Call, cursor: ProductCursor | null, pageSize: number, warn: Warn = noWarn): Promise<ProductPage> {
  const c = readCursor(cursor);
  const size = Math.min(Math.max(1, pageSize), TOP_ITEM_PAGE_SIZE);
  const params: Record<string, string> = { fields: ITEM_FIELDS, page_no: String(c.page), page_size: String(size), order_by: 'modified:asc' };
  if (c.from !== null) params.start_modified = c.from;
  const r = await call(c.phase === 'onsale' ? ONSALE_GET : INVENTORY_GET, params);
  const total = Number(r.total_results ?? 0);
  const listed = (r.items as { item?: unknown } | undefined)?.item ?? [];
  if (!Number.isInteger(total) || total < 0 || !Array.isArray(listed)) throw platformError('TOP item list lacks total_results / items.item', { code: 'BAD_RESPONSE', retryable: false, throttled: false });

  const quarantined: ProductPage['quarantined'] = [];
  const items: z.output<typeof itemSchema>[] = [];
  for (const raw of listed as unknown[]) {
    const read = readListed(itemSchema, raw, ITEM_SOFT, warn, listedId(raw, 'num_iid'));
    if (read.ok) items.push(read.value);
    else quarantined.push(read.quarantined);
  }

  const skusByItem = new Map<string, z.output<typeof skuSchema>[]>();
  for (let i = 0; i < items.length; i += SKUS_BATCH) {
    const ids = items.slice(i, i + SKUS_BATCH).map((it) => String(it.num_iid));
    const s = await call(SKUS_GET, { fields: SKU_FIELDS, num_iids: ids.join(',') });
    const list = (s.skus as { sku?: unknown } | undefined)?.sku ?? [];
    if (!Array.isArray(list)) throw platformError('TOP item.skus.get lacks skus.sku', { code: 'BAD_RESPONSE', retryable: false, throttled: false });
    for (const raw of list as unknown[]) {
      const read = readListed(skuSchema, raw, SKU_SOFT, warn, listedId(raw, 'num_iid'));
      if (!read.ok) {
        quarantined.push(read.quarantined);
        continue;
      }
      if (read.value.status === 'delete') continue;
      const key = String(read.value.num_iid);
      skusByItem.set(key, [...(skusByItem.get(key) ?? []), read.value]);
    }
  }

  const out: PlatformSku[] = [];
  for (const it of items) {
    const iid = String(it.num_iid);
    const onSale = it.approve_status === 'onsale' ? true : it.approve_status === 'instock' ? false : c.phase === 'onsale';
    const base = { platformProductId: iid, productOuterCode: textOrNull(it.outer_id), title: it.title ?? '', onSale };
    const skus = skusByItem.get(iid) ?? [];
    if (skus.length === 0) {
      out.push({ ...base, platformSkuId: null, outerCode: textOrNull(it.outer_id), spec: null, platformStock: it.num ?? null });
      continue;
    }
    for (const s of skus) out.push({ ...base, platformSkuId: String(s.sku_id), outerCode: textOrNull(s.outer_id), spec: topSpecText(s.properties_name), platformStock: s.quantity ?? null });
  }
  const last = items[items.length - 1];
  const next = nextCursor(c, listed.length, total, size, last?.modified ?? null);
  return { items: out, quarantined, next: next === null ? null : JSON.stringify(next) };
}
