// What a shop lists on its platform, in one shape for every platform: one row per platform SKU with the
// codes that tie it to the station's own catalogue (the outer code, 商家编码) and the platform's stock
// figure where the listing API returns one. Adapters produce it (PlatformAdapter.listProducts); the
// per-platform field names, page sizes and windows are in docs/platforms/products.md.
import { z } from 'zod';

/** One platform SKU as a listing API tells it. */
export const platformSkuSchema = z.object({
  /** The platform's product id (Taobao num_iid, PDD goods_id, JD wareId, Douyin product_id, Kuaishou kwaiItemId). */
  platformProductId: z.string().min(1),
  /**
   * The platform's SKU id; null for a product sold without SKUs (a Taobao item with no skus[]), which
   * order lines carry the same way (platformSkuId null).
   */
  platformSkuId: z.string().min(1).nullable(),
  /** The SKU 商家编码 (the product's own code for a product without SKUs); null when the seller set none. */
  outerCode: z.string().min(1).nullable(),
  /** The product-level 商家编码, where the platform has one (Taobao outer_id, PDD outer_goods_id, JD outerId, Douyin outer_product_id, Kuaishou relItemId). */
  productOuterCode: z.string().min(1).nullable(),
  title: z.string(),
  /** The spec as people read it ("颜色:红色;尺码:XL"); null when the platform gives none. */
  spec: z.string().nullable(),
  /**
   * The platform's sellable stock for this SKU as listed, or null when the listing does not return it
   * (or returned something unreadable). Incremental-only stock writes start from this figure.
   */
  platformStock: z.number().int().nullable(),
  /** On sale (上架) as the platform says; null when the listing does not say. */
  onSale: z.boolean().nullable(),
});
export type PlatformSku = z.infer<typeof platformSkuSchema>;

/** Opaque to callers: where the next listing call starts (a page number, a window, a server cursor). */
export type ProductCursor = string;

/** A listed product the adapter could not read: kept raw with the reason, the rest of the page goes on. */
export interface QuarantinedProduct {
  /** The platform's product id when the payload was readable enough to have one. */
  platformProductId: string | null;
  /** Why, naming the field ("sku_list[1].sku_id: expected a number"). */
  reason: string;
  raw: unknown;
}

/** One call's worth of a shop's listing. */
export interface ProductPage {
  items: PlatformSku[];
  quarantined: QuarantinedProduct[];
  /** null when the listing is complete. */
  next: ProductCursor | null;
}

/**
 * One stock figure to tell a platform for one SKU. 'set' is an absolute value (Taobao, PDD, JD,
 * Douyin); 'delta' adds to (or, negative, takes from) the platform's figure — the only mode
 * Kuaishou has. docs/platforms/stock-write.md gives each platform's modes, batches and keys.
 */
export interface StockWrite {
  platformProductId: string;
  /** null for a product without SKUs (Taobao item-level stock). */
  platformSkuId: string | null;
  mode: 'set' | 'delta';
  quantity: number;
  /**
   * The station's id for this write, stable across retries: sent as the platform's idempotency key
   * where it has one (Douyin idempotent_id), so a retried delta is applied once.
   */
  key: string;
}

export type StockWriteResult =
  /** The platform took it; platformStock is the figure it reports afterwards, when it says. */
  | { kind: 'confirmed'; key: string; platformStock: number | null }
  /**
   * Refused for this SKU for a reason retrying will not fix, in the platform's words. lockedByPromotion:
   * the SKU's stock is held by an activity or reserved (Douyin -20008 / 2010045, Kuaishou result 21).
   */
  | { kind: 'refused'; key: string; reason: string; lockedByPromotion: boolean };
