// The TOP item listing on the loopback Taobao gateway (docs/platforms/taobao.md#products-and-skus):
// taobao.items.onsale.get (出售中) and taobao.items.inventory.get (仓库中) page items without SKUs —
// `fields` required and limited to the documented whitelist, page_size 1..200 (default 40),
// page_no × page_size ≤ 20,000 (the stricter of the two numbers the doc gives), inventory page_no ≤ 101,
// start_modified/end_modified filters, order_by column:asc|desc — and taobao.item.skus.get answers the
// SKUs of at most 40 num_iids. Written from the notes; nothing here comes from the adapter.
import type { SandboxProduct } from '../server-products.ts';
import { withWire } from '../server-products.ts';

export const ONSALE_GET = 'taobao.items.onsale.get';
export const INVENTORY_GET = 'taobao.items.inventory.get';
export const SKUS_GET = 'taobao.item.skus.get';
export const PRODUCT_METHODS: ReadonlySet<string> = new Set([ONSALE_GET, INVENTORY_GET, SKUS_GET]);

const ITEM_FIELDS: ReadonlySet<string> = new Set(
  'approve_status,num_iid,title,nick,type,cid,pic_url,num,props,valid_thru,list_time,price,has_discount,has_invoice,has_warranty,has_showcase,modified,delist_time,postage_id,seller_cids,outer_id,sold_quantity'.split(','),
);
const MAX_PAGE_SIZE = 200;
const MAX_DEPTH = 20_000;
const INVENTORY_MAX_PAGE_NO = 101;
const MAX_NUM_IIDS = 40;
const ORDER_COLUMNS = ['list_time', 'delist_time', 'num', 'modified', 'sold_quantity'];
const GMT8_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** A TOP error_response to answer with (server.ts renders it). */
export class TopListError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly subCode?: string,
    readonly subMsg?: string,
  ) {
    super(subMsg ?? msg);
  }
}

const invalid = (name: string, text: string): TopListError => new TopListError(41, 'Invalid Arguments', `isv.invalid-parameter:${name}`, text);
const missing = (name: string): TopListError => new TopListError(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`, `${name} is required`);

const gmt8 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000 + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
const fromGmt8 = (text: string): number => Date.parse(`${text.replace(' ', 'T')}+08:00`);

function int(p: Record<string, string>, key: string, fallback: number): number {
  const raw = p[key];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw invalid(key, `${key} 必须是正整数`);
  return Number(raw);
}

function itemPayload(x: SandboxProduct): Record<string, unknown> {
  return {
    num_iid: Number(x.productId),
    title: x.title,
    approve_status: x.onSale ? 'onsale' : 'instock',
    num: x.skus.length > 0 ? x.skus.reduce((n, s) => n + s.stock, 0) : x.stock,
    price: ((x.skus[0]?.priceFen ?? 1990) / 100).toFixed(2),
    outer_id: x.outerId,
    modified: gmt8(x.modifiedAt),
    list_time: gmt8(x.createdAt),
    delist_time: gmt8(x.createdAt + 7 * 86_400_000),
    sold_quantity: 0,
  };
}

function itemsGet(method: string, p: Record<string, string>, products: readonly SandboxProduct[]): Record<string, unknown> {
  if (!p.fields) throw missing('fields');
  const fields = p.fields.split(',').map((f) => f.trim());
  const bad = fields.find((f) => !ITEM_FIELDS.has(f));
  if (bad !== undefined) throw invalid('fields', `fields 只能包含 ${[...ITEM_FIELDS].join(',')}; 其他字段请调用 taobao.item.seller.get (got "${bad}")`);
  const pageNo = int(p, 'page_no', 1);
  const pageSize = int(p, 'page_size', 40);
  if (pageNo < 1) throw invalid('page_no', 'page_no 必须是正整数');
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw invalid('page_size', `page_size 取值范围 1-${MAX_PAGE_SIZE}`);
  if (pageNo * pageSize > MAX_DEPTH) throw invalid('page_no', `page_no*page_size 不能超过 ${MAX_DEPTH}，请按修改时间分段查询`);
  if (method === INVENTORY_GET && pageNo > INVENTORY_MAX_PAGE_NO) throw invalid('page_no', `page_no 不能超过 ${INVENTORY_MAX_PAGE_NO}`);
  for (const key of ['start_modified', 'end_modified']) if (p[key] !== undefined && !GMT8_TEXT.test(p[key]!)) throw invalid(key, `${key} 格式应为 yyyy-MM-dd HH:mm:ss`);
  const from = p.start_modified ? fromGmt8(p.start_modified) : null;
  const to = p.end_modified ? fromGmt8(p.end_modified) : null;
  const [column, dir] = (p.order_by || 'list_time:desc').split(':');
  if (!ORDER_COLUMNS.includes(column ?? '') || (dir !== 'asc' && dir !== 'desc')) throw invalid('order_by', 'order_by 格式为 column:asc|desc');
  const rows = products
    .filter((x) => (method === ONSALE_GET ? x.onSale : !x.onSale))
    .map((x) => ({ x, row: itemPayload(x) }))
    .filter(({ row }) => {
      const m = fromGmt8(row.modified as string);
      return (from === null || m >= from) && (to === null || m <= to);
    })
    .sort((a, b) => {
      const va = a.row[column!] as string | number;
      const vb = b.row[column!] as string | number;
      const d = (va < vb ? -1 : va > vb ? 1 : 0) || (a.x.productId < b.x.productId ? -1 : 1);
      return dir === 'asc' ? d : -d;
    });
  const page = rows.slice((pageNo - 1) * pageSize, pageNo * pageSize).map(({ x, row }) => withWire(x, Object.fromEntries(Object.entries(row).filter(([k]) => fields.includes(k)))));
  return { total_results: rows.length, items: { item: page } };
}

function skusGet(p: Record<string, string>, products: readonly SandboxProduct[]): Record<string, unknown> {
  if (!p.fields) throw missing('fields');
  if (!p.num_iids) throw missing('num_iids');
  const ids = p.num_iids.split(',');
  if (ids.length > MAX_NUM_IIDS) throw invalid('num_iids', `num_iids 最多 ${MAX_NUM_IIDS} 个`);
  if (ids.some((i) => !/^\d+$/.test(i))) throw invalid('num_iids', 'num_iids 必须是数字');
  const fields = new Set(p.fields.split(',').map((f) => f.trim()));
  const sku: Record<string, unknown>[] = [];
  for (const id of ids) {
    const x = products.find((q) => q.productId === id);
    if (!x) continue; // another seller's or missing items answer nothing, without an error
    for (const s of x.skus) {
      const row: Record<string, unknown> = {
        sku_id: Number(s.skuId),
        num_iid: Number(x.productId),
        properties: s.specs.map((v, i) => `${1627207 + i}:${3232480 + i}`).join(';'),
        properties_name: s.specs.map((v, i) => `${1627207 + i}:${3232480 + i}:${v.name}:${v.value}`).join(';'),
        quantity: s.stock,
        price: (s.priceFen / 100).toFixed(2),
        outer_id: s.outerId,
        created: gmt8(x.createdAt),
        modified: gmt8(x.modifiedAt),
        status: 'normal',
        barcode: '',
      };
      sku.push(Object.fromEntries(Object.entries(row).filter(([k]) => fields.has(k))));
    }
  }
  return { skus: { sku } };
}

/** The `<method>_response` body of one product API. */
export function handleProductApi(method: string, p: Record<string, string>, products: readonly SandboxProduct[]): { key: string; body: Record<string, unknown> } {
  const key = `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
  return { key, body: method === SKUS_GET ? skusGet(p, products) : itemsGet(method, p, products) };
}
