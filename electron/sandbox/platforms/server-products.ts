// The products a loopback platform server lists, in one platform-neutral shape each server renders in
// its own wire format (the field names and limits of docs/platforms/products.md). Written from the
// notes and independent of the adapters, like the rest of the sandbox.

/** One SKU of a sandbox product. */
export interface SandboxSku {
  /** Numeric text, as every platform's SKU ids are. */
  skuId: string;
  /** The SKU 商家编码; '' when the seller set none. */
  outerId: string;
  /** Sale properties in order, e.g. 颜色:红色, 尺码:XL. */
  specs: { name: string; value: string }[];
  /** Sellable stock. */
  stock: number;
  /** Held for orders or activities (预扣 / 预占), where a platform lists it. */
  reserved: number;
  priceFen: number;
  onSale: boolean;
}

/** One sandbox product. A product with no skus is sold as one unit (only Taobao lists such items). */
export interface SandboxProduct {
  /** Numeric text. */
  productId: string;
  title: string;
  /** The product-level 商家编码; '' when none. */
  outerId: string;
  onSale: boolean;
  createdAt: number;
  modifiedAt: number;
  skus: SandboxSku[];
  /** Stock of a product without SKUs. */
  stock: number;
  /**
   * Wire fields laid over this product's rendered payload, as a platform sometimes sends an item that
   * does not look as documented: tests use it to list one malformed product among good ones.
   */
  wire?: Record<string, unknown>;
}

const COLOURS = ['红色', '黑色', '白色', '蓝色'];
const SIZES = ['S', 'M', 'L', 'XL'];

/**
 * `count` products with ids from `firstId`, modified one minute apart before `now` (oldest first),
 * every third with one SKU per colour and size pair (up to 4), every seventh without SKUs, every fifth
 * off the shelf. Outer codes P<id> and P<id>-<n>; stock varies with the index.
 */
export function sandboxCatalogue(count: number, now: number, firstId = 100_000_001): SandboxProduct[] {
  const out: SandboxProduct[] = [];
  for (let i = 0; i < count; i++) {
    const productId = String(firstId + i);
    const skuCount = i % 7 === 6 ? 0 : (i % 3) + 1 + (i % 2);
    const skus: SandboxSku[] = [];
    for (let k = 0; k < skuCount; k++) {
      skus.push({
        skuId: String(BigInt(productId) * 100n + BigInt(k + 1)),
        outerId: `P${productId}-${k + 1}`,
        specs: [
          { name: '颜色', value: COLOURS[k % COLOURS.length]! },
          { name: '尺码', value: SIZES[(i + k) % SIZES.length]! },
        ],
        stock: (i * 7 + k * 3) % 50,
        reserved: k === 0 ? i % 3 : 0,
        priceFen: 1990 + k * 100,
        onSale: true,
      });
    }
    out.push({
      productId,
      title: `样品商品 ${i + 1} 号`,
      outerId: `P${productId}`,
      onSale: i % 5 !== 4,
      createdAt: now - (count - i) * 120_000 - 86_400_000,
      modifiedAt: now - (count - i) * 60_000,
      skus,
      stock: skuCount === 0 ? (i * 11) % 40 : skus.reduce((n, s) => n + s.stock, 0),
    });
  }
  return out;
}

/** The payload as rendered, with the product's wire overrides laid over it. */
export function withWire<T extends object>(p: SandboxProduct, payload: T): T | Record<string, unknown> {
  return p.wire ? { ...payload, ...p.wire } : payload;
}
