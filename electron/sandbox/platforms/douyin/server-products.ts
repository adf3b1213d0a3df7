// product.listV2 and sku.list on the loopback doudian gateway (docs/platforms/douyin.md#products-and-skus):
// listV2 pages products without SKUs — page from 1 ("页数从1开始"), size 1..100, page × size ≤ 10,000,
// or cursor mode (use_cursor + cursor_id, no cap, an empty page at the end) — and sku.list answers one
// product's SKUs as a bare array (stock_num, code, spec_detail_name1..3 and sell_properties, price in 分).
import type { SandboxProduct } from '../server-products.ts';
import { withWire } from '../server-products.ts';
import { DOUDIAN_CODES, DoudianFault } from './server-protocol.ts';

export const PRODUCT_LIST_V2 = 'product.listV2';
export const SKU_LIST = 'sku.list';
const MAX_SIZE = 100;
const MAX_DEPTH = 10_000;

const badParam = (sub: string, msg: string): DoudianFault => new DoudianFault(DOUDIAN_CODES.badParam, sub, msg);

function int(p: Record<string, unknown>, key: string, fallback: number): number {
  const v = p[key];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw badParam('isv.parameter-invalid', `${key} must be an integer`);
  return n;
}

const byId = (a: SandboxProduct, b: SandboxProduct): number => (BigInt(a.productId) < BigInt(b.productId) ? -1 : 1);
const encodeCursor = (productId: string): string => Buffer.from(`after:${productId}`, 'utf8').toString('base64url');
function decodeCursor(c: string): string {
  const text = Buffer.from(c, 'base64url').toString('utf8');
  if (!/^after:\d+$/.test(text)) throw badParam('isv.parameter-invalid', 'cursor_id 无效');
  return text.slice('after:'.length);
}

export function createDoudianProductHandlers(products: () => readonly SandboxProduct[]): Record<string, (p: Record<string, unknown>) => unknown> {
  function listV2(p: Record<string, unknown>): unknown {
    const size = int(p, 'size', 10);
    if (size < 1 || size > MAX_SIZE) throw badParam('isv.parameter-invalid', `size 取值 1..${MAX_SIZE}`);
    const status = p.status === undefined ? null : int(p, 'status', 0);
    const listed = products()
      .filter((x) => status === null || (status === 0 ? x.onSale : status === 1 ? !x.onSale : false))
      .slice()
      .sort(byId);
    let page: SandboxProduct[];
    let cursorId = '';
    if (p.use_cursor === true) {
      const after = typeof p.cursor_id === 'string' && p.cursor_id !== '' ? BigInt(decodeCursor(p.cursor_id)) : null;
      page = listed.filter((x) => after === null || BigInt(x.productId) > after).slice(0, size);
      const last = page[page.length - 1];
      cursorId = last ? encodeCursor(last.productId) : '';
    } else {
      const n = int(p, 'page', 1);
      if (n < 1) throw badParam('isv.parameter-invalid:2010004', '页数从1开始');
      if (n * size > MAX_DEPTH) throw badParam('isv.parameter-invalid', `page × size 不能超过 ${MAX_DEPTH}`);
      page = listed.slice((n - 1) * size, n * size);
    }
    const data = page.map((x) =>
      withWire(x, {
        product_id: Number(x.productId),
        outer_product_id: x.outerId,
        out_product_id: 0,
        name: x.title,
        status: x.onSale ? 0 : 1,
        check_status: 3,
        create_time: Math.floor(x.createdAt / 1000),
        update_time: Math.floor(x.modifiedAt / 1000),
      }),
    );
    return { data, total: listed.length, page: int(p, 'page', 1), size, cursor_id: cursorId };
  }

  function skuList(p: Record<string, unknown>): unknown {
    if (p.product_id === undefined && p.out_product_id === undefined) throw new DoudianFault(DOUDIAN_CODES.missingParam, 'isv.missing-parameter:3', '缺少 product_id 或 out_product_id');
    const pid = String(p.product_id ?? '');
    const x = products().find((q) => q.productId === pid);
    if (!x) throw new DoudianFault(DOUDIAN_CODES.business, 'isv.business-failed:2010058', '商品不存在');
    const skus = x.skus.length > 0 ? x.skus : [{ skuId: `${x.productId}00`, outerId: x.outerId, specs: [], stock: x.stock, reserved: 0, priceFen: 0, onSale: true }];
    return skus.map((s) => ({
      id: Number(s.skuId),
      product_id: Number(x.productId),
      product_id_str: x.productId,
      out_sku_id: 0,
      code: s.outerId,
      spec_detail_name1: s.specs[0]?.value ?? '',
      spec_detail_name2: s.specs[1]?.value ?? '',
      spec_detail_name3: s.specs[2]?.value ?? '',
      sell_properties: s.specs.map((v, i) => ({ value_spec_detail_id: 3000 + i, value_name: v.value })),
      price: s.priceFen,
      sku_type: 0,
      stock_num: s.stock,
      prehold_stock_num: s.reserved,
      prom_stock_num: 0,
      step_stock_num: 0,
    }));
  }

  return { [PRODUCT_LIST_V2]: listV2, [SKU_LIST]: skuList };
}
