// open.item.list.get on the loopback Kuaishou gateway (docs/platforms/kuaishou.md#products-and-skus):
// GET, pageNumber from 1, pageSize 10..100, on-sale items only (onOfflineStatus other than 1 refused,
// "目前仅支持查询1（上架）商品"), no modified-time filter, SKU prices in 分.
import type { SandboxProduct } from '../server-products.ts';
import { withWire } from '../server-products.ts';
import { KS_CODES } from './server-protocol.ts';

export const ITEM_LIST_GET = 'open.item.list.get';
const PAGE_MIN = 10;
const PAGE_MAX = 100;

/** A refusal in Kuaishou's shape; server.ts renders it like its own GatewayError. */
export class KsListError extends Error {
  constructor(
    readonly code: number,
    readonly subMsg: string,
  ) {
    super(subMsg);
  }
}

function intField(p: Record<string, unknown>, key: string, fallback: number): number {
  const v = p[key];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new KsListError(KS_CODES.badParams, `${key}无效: not an integer`);
  return n;
}

export function ksItemListGet(p: Record<string, unknown>, products: readonly SandboxProduct[]): unknown {
  const pageNumber = intField(p, 'pageNumber', 1);
  const pageSize = intField(p, 'pageSize', 100);
  if (pageNumber < 1) throw new KsListError(KS_CODES.badParams, 'pageNumber无效: 从1开始');
  if (pageSize < PAGE_MIN || pageSize > PAGE_MAX) throw new KsListError(KS_CODES.badParams, `pageSize无效: ${PAGE_MIN}..${PAGE_MAX}`);
  if (intField(p, 'onOfflineStatus', 1) !== 1) throw new KsListError(KS_CODES.badParams, 'onOfflineStatus无效: 目前仅支持查询1（上架）商品');
  if (intField(p, 'itemStatus', 1) !== 1) throw new KsListError(KS_CODES.badParams, 'itemStatus无效: 仅支持1');
  const listed = products.filter((x) => x.onSale).sort((a, b) => (BigInt(a.productId) < BigInt(b.productId) ? -1 : 1));
  const totalPage = Math.ceil(listed.length / pageSize);
  const page = listed.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((x) => {
    const skus = x.skus.length > 0 ? x.skus : [{ skuId: `${x.productId}00`, outerId: x.outerId, specs: [], stock: x.stock, reserved: 0, priceFen: 0, onSale: true }];
    return withWire(x, {
      kwaiItemId: Number(x.productId),
      relItemId: 0,
      title: x.title,
      price: skus[0]!.priceFen,
      status: 1,
      itemStatus: 1,
      shelfStatus: 1,
      auditStatus: 2,
      createTime: x.createdAt,
      updateTime: x.modifiedAt,
      skuList: skus.map((s) => ({
        kwaiSkuId: Number(s.skuId),
        relSkuId: 0,
        skuNick: s.outerId,
        specification: s.specs.map((v) => v.value).join(' '),
        skuStock: s.stock,
        skuSalePrice: s.priceFen,
        isValid: 1,
        skuProp: s.specs.map((v) => ({ propName: v.name, propValueName: v.value })),
        updateTime: x.modifiedAt,
      })),
    });
  });
  return {
    result: KS_CODES.ok,
    error_msg: 'SUCCESS',
    data: { totalPage, currentPageNumber: pageNumber, currentPageItemCount: page.length, totalItemCount: listed.length, items: page },
  };
}
