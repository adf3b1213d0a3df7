// Deterministic bench data: shops, a local SKU catalogue, and order i as a platform adapter would
// produce it. Order i is a pure function of i, so the ingest run and the raw-insert reference
// regenerate the same rows without holding a million orders in memory.
//
// Receivers, nicknames and products come from the sandbox platform's pools (B's people.ts and
// catalog.ts). When electron/sandbox/demo/generator.ts lands, `benchOrder` is the one
// function to point at it.
import type { Platform, PlatformOrder, PlatformOrderItem } from '../../electron/shared/model.ts';
import { CATALOG, type CatalogProduct } from '../../electron/sandbox/demo/catalog.ts';
import { pickBuyerMessage, pickBuyerNick, pickReceiver, pickSellerMemo } from '../../electron/sandbox/demo/people.ts';
import { Rng, hashInts } from '../../electron/sandbox/demo/rng.ts';
import type { Db } from '../../electron/core/db/open.ts';

export interface BenchShop {
  id: string;
  name: string;
  platform: Platform;
}

const SHOP_PLATFORMS: Platform[] = ['taobao', 'tmall', 'pdd', 'jd', 'douyin', 'kuaishou'];
const DAY = 86_400_000;

export function benchShops(n: number): BenchShop[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `shop-${String(i + 1).padStart(3, '0')}`,
    name: `店铺${i + 1}号`,
    platform: SHOP_PLATFORMS[i % SHOP_PLATFORMS.length]!,
  }));
}

/** Shops, products and SKUs (listed catalogue entries only, so unlisted lines stay unmatched). */
export function seedBenchCatalog(db: Db, shops: BenchShop[], now: number): void {
  const c = db.$client;
  const shop = c.prepare('INSERT INTO shops (id, name, platform, created_at) VALUES (?, ?, ?, ?)');
  const product = c.prepare('INSERT INTO products (id, title, created_at) VALUES (?, ?, ?)');
  const sku = c.prepare('INSERT INTO skus (id, product_id, outer_sku_code, name, barcode, price_fen, cost_fen) VALUES (?, ?, ?, ?, ?, ?, ?)');
  c.transaction(() => {
    for (const s of shops) shop.run(s.id, s.name, s.platform, now);
    for (const p of CATALOG) {
      if (p.unlisted) continue;
      product.run(`prod-${p.code}`, p.title, now);
      for (const k of p.skus) sku.run(`sku-${k.outerSkuCode}`, `prod-${p.code}`, k.outerSkuCode, k.skuName, k.barcode, k.priceFen, k.costFen);
    }
  })();
}

const sellable = CATALOG.filter((p) => !p.isGift);
const gifts = CATALOG.filter((p) => p.isGift);

function line(rng: Rng, p: CatalogProduct, n: number, gift: boolean): PlatformOrderItem {
  const k = rng.pick(p.skus);
  const quantity = gift ? 1 : rng.chance(0.8) ? 1 : rng.range(2, 4);
  const price = gift ? 0 : k.priceFen;
  return {
    platformItemId: `${hashInts(n, 7) % 900_000_000 + 100_000_000}${p.code.length}`,
    platformSkuId: String(hashInts(n, k.priceFen) % 90_000_000 + 10_000_000),
    outerSkuCode: k.outerSkuCode,
    title: p.title,
    skuName: k.skuName,
    quantity,
    unitPriceFen: price,
    paidFen: price * quantity,
    isGift: gift,
    isBundle: p.isBundle,
    imageUrl: null,
  };
}

/** A platform-style order number: 19 digits, unique per i. */
export function benchOrderNo(i: number): string {
  const head = String(hashInts(i, 1) % 9_000_000 + 1_000_000); // 7 digits
  const tail = String(hashInts(i, 2) % 900 + 100); // 3 digits
  // i·7919 mod 10⁹ is a bijection on 0…10⁹−1 (7919 is coprime to 10⁹): unique, without the long
  // runs of zeros a padded counter would put into every number.
  return `${head}${String((i * 7919 + 104_729) % 1_000_000_000).padStart(9, '0')}${tail}`;
}

/** Order i of the bench, placed in the 180 days before `endMs`. */
export function benchOrder(i: number, shop: BenchShop, endMs: number): PlatformOrder {
  const rng = new Rng(hashInts(i, 0x5eed));
  const createdAt = endMs - Math.floor(((i * 7919) % 1_000_003) / 1_000_003 * 180 * DAY) - rng.int(60_000);
  const ageDays = (endMs - createdAt) / DAY;
  const roll = rng.next();
  // Old orders are done; recent ones are still in the packing queues.
  const status: PlatformOrder['status'] =
    roll < 0.03 ? 'closed' : ageDays < 2 && roll < 0.15 ? 'unpaid' : ageDays < 3 ? 'awaiting_shipment' : ageDays < 12 ? 'shipped' : 'completed';
  const afterSale: PlatformOrder['afterSale'] = rng.chance(0.02) ? 'requested' : rng.chance(0.01) ? 'refunded' : 'none';
  const items: PlatformOrderItem[] = [];
  const lines = rng.chance(0.55) ? 1 : rng.chance(0.7) ? 2 : 3;
  for (let l = 0; l < lines; l++) items.push(line(rng, rng.pick(sellable), i * 4 + l, false));
  if (gifts.length > 0 && rng.chance(0.1)) items.push(line(rng, rng.pick(gifts), i * 4 + 3, true));
  const goodsFen = items.reduce((n, it) => n + it.paidFen, 0);
  const shippingFen = rng.chance(0.85) ? 0 : 800;
  const discountFen = rng.chance(0.3) ? Math.min(goodsFen, rng.range(1, 20) * 100) : 0;
  const paidAt = status === 'unpaid' ? null : createdAt + rng.range(5_000, 600_000);
  return {
    platformOrderId: benchOrderNo(i),
    status,
    platformStatus: status.toUpperCase(),
    afterSale,
    orderType: rng.chance(0.05) ? 'presale' : 'normal',
    presaleDepositFen: null,
    presaleBalanceFen: null,
    buyerNick: pickBuyerNick(rng, shop.platform),
    buyerMessage: rng.chance(0.12) ? pickBuyerMessage(rng) : null,
    sellerMemo: rng.chance(0.08) ? pickSellerMemo(rng) : null,
    sellerFlag: rng.chance(0.1) ? rng.range(1, 5) : 0,
    receiver: pickReceiver(rng, { incomplete: rng.chance(0.01), invalidPhone: rng.chance(0.01) }),
    goodsFen,
    shippingFen,
    discountFen,
    paidFen: goodsFen + shippingFen - discountFen,
    createdAt,
    paidAt,
    platformUpdatedAt: (paidAt ?? createdAt) + rng.range(1_000, 3 * DAY),
    items,
  };
}
