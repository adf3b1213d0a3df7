// Small order fixtures for the order-store tests: a migrated in-memory database with two shops and
// one local SKU, adapter-shaped orders that differ by number, and ingesting them into either shop.
import type { PlatformOrder, PlatformOrderItem } from '../shared/model.ts';
import { openDatabase, type Db } from '../core/db/open.ts';
import { ingestOrders } from '../core/orders/ingest.ts';

export const T0 = Date.UTC(2025, 0, 2, 2, 30, 0);

/** One T-shirt line (2 × 19.99 元) of order n; `o` changes what a test needs changed. */
export function lineItem(n: number, o: Partial<PlatformOrderItem> = {}): PlatformOrderItem {
  return {
    platformItemId: `I${n}`,
    platformSkuId: 'S1',
    outerSkuCode: 'NZ-2301-BK-M',
    title: '女装纯棉T恤',
    skuName: '黑色;M',
    quantity: 2,
    unitPriceFen: 1999,
    paidFen: 3998,
    isGift: false,
    isBundle: false,
    imageUrl: null,
    ...o,
  };
}

/** Adapter-shaped order n (created T0 + n s, paid a minute later) with one line; `o` overrides any field. */
export function order(n: number, o: Partial<PlatformOrder> = {}): PlatformOrder {
  return {
    platformOrderId: `30${String(n).padStart(14, '0')}`,
    status: 'awaiting_shipment',
    platformStatus: 'WAIT_SELLER_SEND_GOODS',
    afterSale: 'none',
    orderType: 'normal',
    presaleDepositFen: null,
    presaleBalanceFen: null,
    buyerNick: `tb_buyer${n}`,
    buyerMessage: null,
    sellerMemo: null,
    sellerFlag: 0,
    receiver: { name: '李娜', phone: '138****1234', province: '浙江省', city: '杭州市', district: '西湖区', town: null, address: '文三路100号2幢301', cipher: null },
    goodsFen: 3998,
    shippingFen: 0,
    discountFen: 0,
    paidFen: 3998,
    createdAt: T0 + n * 1000,
    paidAt: T0 + n * 1000 + 60_000,
    platformUpdatedAt: T0 + n * 1000 + 60_000,
    items: [lineItem(n)],
    ...o,
  };
}

export function setupDb(): Db {
  const db = openDatabase(':memory:');
  const c = db.$client;
  c.prepare("INSERT INTO shops (id, name, platform, created_at) VALUES ('shop-a', '甲店', 'taobao', 0), ('shop-b', '乙店', 'pdd', 0)").run();
  c.prepare("INSERT INTO products (id, title, created_at) VALUES ('p1', 'T恤', 0)").run();
  c.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen) VALUES ('sku-1', 'p1', 'NZ-2301-BK-M', '黑M', 1999)").run();
  return db;
}

/** Ingests `orders` as the sync engine does, into shop-a (taobao) or shop-b (pdd) of setupDb, with empty raw payloads. */
export function ingestInto(db: Db, shopId: 'shop-a' | 'shop-b', orders: PlatformOrder[], at = T0): void {
  ingestOrders(db, { shopId, platform: shopId === 'shop-a' ? 'taobao' : 'pdd', orders: orders.map((order) => ({ order, raw: {} })) }, at);
}
