// jingdong.sku.read.searchSkuList on the loopback JD gateway (docs/platforms/jd.md#products-and-skus):
// one row per SKU, pageNo from 1, page_size 1..50 (the real maximum is not in the sources), the
// skuStatuValue filter (1 上架, 2 下架, 4 删除), ordered by skuId, and `field` choosing what comes back.
import type { SandboxProduct } from '../server-products.ts';
import { withWire } from '../server-products.ts';
import { JD_CODES } from './server-protocol.ts';
import { JdGatewayFault } from './server-actions.ts';

export const SEARCH_SKU_LIST = 'jingdong.sku.read.searchSkuList';
const RESPONSE_KEY = 'jingdong_sku_read_searchSkuList_responce';
const MAX_SKU_PAGE_SIZE = 50;

function int(p: Record<string, unknown>, key: string, fallback: number): number {
  const v = p[key];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new JdGatewayFault(JD_CODES.badParams, `${key} 必须为整数`);
  return n;
}

export function jdSearchSkuList(p: Record<string, unknown>, products: readonly SandboxProduct[]): unknown {
  const pageNo = int(p, 'pageNo', 1);
  const pageSize = int(p, 'page_size', 20);
  if (pageNo < 1) throw new JdGatewayFault(JD_CODES.badParams, 'pageNo 从 1 开始');
  if (pageSize < 1 || pageSize > MAX_SKU_PAGE_SIZE) throw new JdGatewayFault(JD_CODES.badParams, `page_size 取值 1..${MAX_SKU_PAGE_SIZE}`);
  const statuses = p.skuStatuValue;
  if (statuses !== undefined && (!Array.isArray(statuses) || statuses.some((s) => s !== 1 && s !== 2 && s !== 4))) throw new JdGatewayFault(JD_CODES.badParams, 'skuStatuValue 取值 1/2/4');
  const fields = typeof p.field === 'string' && p.field !== '' ? new Set(p.field.split(',')) : null;
  const rows: { product: SandboxProduct; row: Record<string, unknown> }[] = [];
  for (const product of products) {
    const skus = product.skus.length > 0 ? product.skus : [{ skuId: `${product.productId}00`, outerId: product.outerId, specs: [], stock: product.stock, reserved: 0, priceFen: 0, onSale: true }];
    for (const s of skus) {
      const status = product.onSale && s.onSale ? 1 : 2;
      if (Array.isArray(statuses) && !statuses.includes(status)) continue;
      rows.push({
        product,
        row: {
          wareId: Number(product.productId),
          skuId: Number(s.skuId),
          status,
          saleAttrs: s.specs.map((x, i) => ({ attrId: String(1000 + i), attrValues: [String(2000 + i)], attrValueAlias: [x.value], index: i + 1 })),
          jdPrice: (s.priceFen / 100).toFixed(2),
          outerId: s.outerId,
          barCode: '',
          skuName: `${product.title} ${s.specs.map((x) => x.value).join(' ')}`.trim(),
          stockNum: s.stock,
          wareTitle: product.title,
          modified: product.modifiedAt,
          created: product.createdAt,
        },
      });
    }
  }
  rows.sort((a, b) => (BigInt(a.row.skuId as number) < BigInt(b.row.skuId as number) ? -1 : 1));
  const data = rows.slice((pageNo - 1) * pageSize, pageNo * pageSize).map(({ product, row }) => {
    const picked = fields ? Object.fromEntries(Object.entries(row).filter(([k]) => k === 'skuId' || fields.has(k))) : row;
    return withWire(product, picked);
  });
  return { [RESPONSE_KEY]: { code: '0', page: { data, pageNo, pageSize, totalItem: rows.length } } };
}
