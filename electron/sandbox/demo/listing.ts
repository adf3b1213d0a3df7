// What a demo shop lists on its platform: every catalogue product of its categories (the unlisted
// ones too — the seller sells them, the station's catalogue just lacks them, so they stay unmapped),
// with the same platform SKU ids and 商家编码 its orders' lines carry. The loopback gateways serve it
// in each platform's wire format, and the in-process sandbox platform lists it through listProducts,
// so 商品对应 pulls exactly what the demo's orders sell.
import type { SandboxProduct } from '../platforms/server-products.ts';
import { CATALOG, CATEGORIES, type Category } from './catalog.ts';
import { DAY, platformProductIdOf, platformSkuIdOf, type WorldShop } from './generator.ts';

/**
 * The stock figure a demo listing starts with: what the seller typed in by hand before the station
 * told the platform anything (the first push round replaces it with the station's figure).
 */
export const DEMO_LISTED_STOCK = 200;

/** "颜色分类:黑色;尺码:M" as a listing's sale properties. */
function specsOf(skuName: string): { name: string; value: string }[] {
  if (skuName === '') return [];
  return skuName.split(';').map((part) => {
    const i = part.indexOf(':');
    return i < 0 ? { name: '规格', value: part } : { name: part.slice(0, i), value: part.slice(i + 1) };
  });
}

/**
 * The shop's products, oldest first, each with one SKU per catalogue SKU (a product without options
 * has one SKU too: its orders' lines carry a SKU id, so the listing must). Deterministic in the
 * shop's seed and categories; `listedAt` only dates the listing (created a month before, modified a
 * minute apart).
 */
export function demoListing(shop: Pick<WorldShop, 'seed' | 'categories'>, listedAt: number): SandboxProduct[] {
  const categories: readonly Category[] = shop.categories.length > 0 ? shop.categories : CATEGORIES;
  const products = CATALOG.filter((p) => categories.includes(p.category));
  return products.map((p, i) => ({
    productId: platformProductIdOf(shop.seed, p.code),
    title: p.title,
    outerId: p.code,
    onSale: true,
    createdAt: listedAt - 30 * DAY + i * 60_000,
    modifiedAt: listedAt - DAY + i * 60_000,
    stock: 0,
    skus: p.skus.map((s) => ({
      skuId: platformSkuIdOf(shop.seed, s.outerSkuCode),
      outerId: s.outerSkuCode,
      specs: specsOf(s.skuName),
      stock: DEMO_LISTED_STOCK,
      reserved: 0,
      priceFen: s.priceFen,
      onSale: true,
    })),
  }));
}
