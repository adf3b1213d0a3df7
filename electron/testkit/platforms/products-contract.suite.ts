// What every platform adapter must do when listing a shop's products and SKUs, as one set of tests run
// against each platform's loopback server over real HTTP (taobao, pdd, jd, douyin, kuaishou):
//   - a catalogue several pages long comes back with every listed SKU exactly once, each with its
//     product id, SKU id, outer code, title, spec and the platform's stock figure;
//   - a product the adapter cannot read is quarantined with its reason and the rest of the page is
//     listed; an optional part it cannot read is dropped with a warning naming the product;
//   - throttling is a retryable, throttled PLATFORM_ERROR and the same cursor works afterwards;
//   - an expired token is SHOP_AUTH_EXPIRED; a wrong signing secret is the platform's signature error.
// Each platform passes what only it knows: how its sandbox lists the catalogue (on-sale only,
// products without SKUs), how it writes spec text, and which wire fields break a product.
import { describe, expect, it } from 'vitest';
import type { PlatformSku, ProductCursor, ProductPage } from '../../shared/stock-model.ts';
import { platformSkuSchema } from '../../shared/stock-model.ts';
import type { PlatformAdapter } from '../../core/platforms/contract.ts';
import type { ProductListingServer } from '../../sandbox/platforms/loopback-server.ts';
import { sandboxCatalogue, type SandboxProduct, type SandboxSku } from '../../sandbox/platforms/server-products.ts';
import { loopbackShop, rejection, useLoopbackServer, type LoopbackPlatform, type LoopbackServer } from './test-adapter.ts';

export interface ProductsContractSpec<S extends LoopbackServer & ProductListingServer> extends LoopbackPlatform<S> {
  /** The describe title, e.g. 'PDD adapter ↔ loopback PDD server'. */
  label: string;
  now: number;
  /** Small pages for the paging tests (the shop's productPageSize setting, within the platform's limits). */
  pageSize: number;
  /** The platform's error codes the adapter must carry in AppError.details.code. */
  errors: { throttled: string | number; tokenExpired?: string | number; badSign: string | number };
  /** Whether the platform's listing shows this product at all (Kuaishou lists on-sale items only). */
  listed?(p: SandboxProduct): boolean;
  /**
   * The SKUs the platform lists for a product without SKUs: the product itself with a null SKU id
   * (Taobao), or one SKU with this id (the others list every product with at least one SKU).
   */
  skuLessId: ((p: SandboxProduct) => string) | null;
  /** False where the listing has no product-level 商家编码 (Kuaishou: relItemId is a numeric id): productOuterCode is null. */
  productCodes?: boolean;
  /** The spec text the adapter makes of a SKU's sale properties (null when it has none). */
  specOf(s: SandboxSku): string | null;
  /** Wire fields that leave a product without what it cannot be mapped without (its id or SKU ids). */
  broken: Record<string, unknown>;
  /** Wire fields that make one optional part unreadable: the product is listed, a warning names `field`, and `expect` checks each of its SKUs. */
  odd: { wire: Record<string, unknown>; field: string; expect(item: PlatformSku): void };
}

/** Every page of the listing through the adapter, the way a caller walks it. */
export async function listAll(adapter: PlatformAdapter, warn?: (m: string) => void): Promise<{ items: PlatformSku[]; quarantined: ProductPage['quarantined']; pages: number }> {
  const items: PlatformSku[] = [];
  const quarantined: ProductPage['quarantined'] = [];
  let cursor: ProductCursor | null = null;
  let pages = 0;
  do {
    const page: ProductPage = await adapter.listProducts(cursor, warn);
    items.push(...page.items);
    quarantined.push(...page.quarantined);
    cursor = page.next;
    pages += 1;
  } while (cursor !== null && pages < 1000); // a paging bug must fail the test, not hang it
  return { items, quarantined, pages };
}

/** The SKUs a spec expects from `products`, keyed product/sku. */
function expected<S extends LoopbackServer & ProductListingServer>(spec: ProductsContractSpec<S>, products: SandboxProduct[]): Map<string, PlatformSku> {
  const out = new Map<string, PlatformSku>();
  const productCode = (p: SandboxProduct): string | null => (spec.productCodes === false ? null : p.outerId || null);
  for (const p of products) {
    if (spec.listed && !spec.listed(p)) continue;
    if (p.skus.length === 0) {
      const skuId = spec.skuLessId ? spec.skuLessId(p) : null;
      out.set(`${p.productId}/${skuId}`, { platformProductId: p.productId, platformSkuId: skuId, outerCode: p.outerId || null, productOuterCode: productCode(p), title: p.title, spec: null, platformStock: p.stock, onSale: p.onSale });
      continue;
    }
    for (const s of p.skus) {
      out.set(`${p.productId}/${s.skuId}`, { platformProductId: p.productId, platformSkuId: s.skuId, outerCode: s.outerId || null, productOuterCode: productCode(p), title: p.title, spec: spec.specOf(s), platformStock: s.stock, onSale: p.onSale && s.onSale });
    }
  }
  return out;
}

export function describeProductsContract<S extends LoopbackServer & ProductListingServer>(spec: ProductsContractSpec<S>): void {
  const NOW = spec.now;
  describe(`${spec.label}: listing products and SKUs`, () => {
    const start = useLoopbackServer(spec, NOW);
    const setup = (products: SandboxProduct[], settings: Record<string, unknown> = {}) => start({ products }, { productPageSize: spec.pageSize, ...settings });

    it('lists a catalogue several pages long: every SKU exactly once, with ids, outer codes, title, spec and stock', async () => {
      const products = sandboxCatalogue(47, NOW);
      const { adapter } = await setup(products);
      const warnings: string[] = [];
      const { items, quarantined, pages } = await listAll(adapter, (m) => warnings.push(m));
      expect(quarantined).toEqual([]);
      expect(warnings).toEqual([]);
      expect(pages).toBeGreaterThanOrEqual(3);
      for (const item of items) expect(platformSkuSchema.safeParse(item).success, JSON.stringify(item)).toBe(true);
      const keys = items.map((i) => `${i.platformProductId}/${i.platformSkuId}`);
      expect(new Set(keys).size).toBe(keys.length);
      const want = expected(spec, products);
      expect([...keys].sort()).toEqual([...want.keys()].sort());
      for (const item of items) {
        const w = want.get(`${item.platformProductId}/${item.platformSkuId}`)!;
        // onSale is what the platform says where its listing says it; null is allowed where it does not.
        expect({ ...item, onSale: item.onSale ?? w.onSale }, `${item.platformProductId}/${item.platformSkuId}`).toEqual(w);
      }
    });

    it('an empty shop lists nothing, in one call per list the platform has', async () => {
      const { adapter } = await setup([]);
      const got = await listAll(adapter);
      expect(got).toMatchObject({ items: [], quarantined: [] });
      expect(got.pages).toBeLessThanOrEqual(2); // Taobao: the on-sale list, then the warehouse list
    });

    it('a product it cannot read is quarantined with the reason; the rest of the listing goes on', async () => {
      const products = sandboxCatalogue(12, NOW);
      const shown = products.filter((p) => !spec.listed || spec.listed(p));
      const bad = shown[2]!;
      bad.wire = spec.broken;
      const { adapter } = await setup(products);
      const { items, quarantined } = await listAll(adapter);
      // One record per product, or per SKU row where the platform lists SKUs as rows (JD).
      expect(quarantined.length).toBeGreaterThanOrEqual(1);
      for (const q of quarantined) {
        expect(q.reason).not.toBe('');
        expect(q.raw).toMatchObject(spec.broken);
      }
      expect(items.some((i) => i.platformProductId === bad.productId)).toBe(false);
      const others = new Set(shown.filter((p) => p !== bad).map((p) => p.productId));
      expect(new Set(items.map((i) => i.platformProductId))).toEqual(others);
    });

    it(`an unreadable optional part (${spec.odd.field}) is dropped with a warning naming the product; the product is listed`, async () => {
      const products = sandboxCatalogue(6, NOW).filter((p) => !spec.listed || spec.listed(p));
      const odd = products.find((p) => p.skus.length > 0)!;
      odd.wire = spec.odd.wire;
      const { adapter } = await setup(products);
      const warnings: string[] = [];
      const { items, quarantined } = await listAll(adapter, (m) => warnings.push(m));
      expect(quarantined).toEqual([]);
      expect(warnings.length).toBeGreaterThan(0);
      expect(warnings.every((w) => w.includes(odd.productId) && w.includes(spec.odd.field))).toBe(true);
      const listed = items.filter((i) => i.platformProductId === odd.productId);
      expect(listed.length).toBeGreaterThan(0);
      for (const i of listed) spec.odd.expect(i);
    });

    it('throttling → PLATFORM_ERROR throttled and retryable; the same cursor works afterwards', async () => {
      const { srv, adapter } = await setup(sandboxCatalogue(20, NOW));
      const first = await adapter.listProducts(null);
      expect(first.next).not.toBeNull();
      srv.setFault('throttled');
      const e = await rejection(adapter.listProducts(first.next));
      expect(e.code).toBe('PLATFORM_ERROR');
      expect(e.details).toMatchObject({ code: spec.errors.throttled, throttled: true, retryable: true });
      srv.setFault(null);
      const again = await adapter.listProducts(first.next);
      expect(again.items.length).toBeGreaterThan(0);
      expect(again.items.some((i) => first.items.some((f) => f.platformSkuId === i.platformSkuId && f.platformProductId === i.platformProductId))).toBe(false);
    });

    it('an expired token → SHOP_AUTH_EXPIRED; a wrong signing secret → the platform signature error, not retried', async () => {
      const { srv, adapter } = await setup(sandboxCatalogue(3, NOW));
      srv.setFault('tokenExpired');
      const e = await rejection(adapter.listProducts(null));
      expect(e.code).toBe('SHOP_AUTH_EXPIRED');
      if (spec.errors.tokenExpired !== undefined) expect(e.details).toMatchObject({ code: spec.errors.tokenExpired });
      srv.setFault(null);
      const forged = spec.createAdapter(loopbackShop(spec, srv.url, { appSecret: 'not-the-secret', signSecret: 'not-the-secret', productPageSize: spec.pageSize }), { now: () => NOW });
      const s = await rejection(forged.listProducts(null));
      expect(s.code).toBe('PLATFORM_ERROR');
      expect(s.details).toMatchObject({ code: spec.errors.badSign, retryable: false, throttled: false });
    });
  });
}
