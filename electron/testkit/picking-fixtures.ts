// Orders for the pick-list and packing-slip tests: two shops, SKUs with 储位 (one located as A-02-2 so
// numeric sorting shows), the same outer code across orders and shops, a gift, a bundle, a line without
// a code, and a buyer message that carries control characters.
import type { PlatformOrder } from '../shared/model.ts';
import type { Db } from '../core/db/open.ts';
import { ingestInto, order, setupDb } from './ingest-fixtures.ts';

type Item = PlatformOrder['items'][number];

function item(n: number, o: Partial<Item>): Item {
  return {
    platformItemId: `I${n}`,
    platformSkuId: null,
    outerSkuCode: null,
    title: '商品',
    skuName: null,
    quantity: 1,
    unitPriceFen: 1000,
    paidFen: 1000,
    isGift: false,
    isBundle: false,
    imageUrl: null,
    ...o,
  };
}

export interface PickFixture {
  db: Db;
  /** Order ids by fixture number (1, 2, 3). */
  ids: [string, string, string];
}

export function pickFixture(): PickFixture {
  const db = setupDb();
  const c = db.$client;
  c.prepare("UPDATE skus SET location = 'A-02-10' WHERE outer_sku_code = 'NZ-2301-BK-M'").run();
  c.prepare(
    `INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen, location) VALUES
       ('sku-tz', 'p1', 'TZ-100', '套装', 5900, 'A-02-2'),
       ('sku-b', 'p1', 'B-SKU', '袜子', 900, 'B-01-01'),
       ('sku-bag', 'p1', 'GIFT-BAG', '帆布袋', 0, NULL)`,
  ).run();
  const tshirt = (n: number, quantity: number, title = '女装纯棉T恤') =>
    item(n, { outerSkuCode: 'NZ-2301-BK-M', title, skuName: '黑色;M', quantity, unitPriceFen: 1999, paidFen: 1999 * quantity });
  ingestInto(db, 'shop-a', [
    order(1, {
      buyerNick: '张小凡',
      items: [tshirt(11, 2), item(12, { outerSkuCode: 'GIFT-BAG', title: '帆布袋', quantity: 1, unitPriceFen: 0, paidFen: 0, isGift: true })],
      goodsFen: 3998,
      paidFen: 3998,
    }),
    order(3, {
      buyerNick: 'tb_镕镕',
      buyerMessage: '请周末送\n别敲门\u001b@',
      sellerMemo: '已备注：加急',
      receiver: { name: '王*', phone: '139****8888', province: '广东省', city: '深圳市', district: '南山区', town: '粤海街道', address: '科技园南区1栋', cipher: null },
      items: [
        tshirt(31, 4),
        item(32, { outerSkuCode: null, title: '手工皂', quantity: 1, unitPriceFen: 1500, paidFen: 1500 }),
        item(33, { outerSkuCode: 'B-SKU', title: '棉袜', skuName: '白色', quantity: 5, unitPriceFen: 900, paidFen: 4500 }),
      ],
      goodsFen: 13996,
      shippingFen: 1000,
      discountFen: 500,
      paidFen: 14496,
    }),
  ]);
  ingestInto(db, 'shop-b', [
    order(2, {
      buyerNick: 'pdd_buyer2',
      items: [
        tshirt(21, 1, '纯棉T恤女'),
        item(22, { outerSkuCode: 'TZ-100', title: '夏季三件套', skuName: '组合A', quantity: 3, unitPriceFen: 5900, paidFen: 17700, isBundle: true }),
        item(23, { outerSkuCode: 'NZ-2301-BK-M', title: '女装纯棉T恤', skuName: '黑色;M', quantity: 1, unitPriceFen: 0, paidFen: 0, isGift: true }),
      ],
      goodsFen: 19699,
      paidFen: 19699,
    }),
  ]);
  const idOf = (n: number) => c.prepare('SELECT id FROM orders WHERE platform_order_id = ?').pluck().get(order(n).platformOrderId) as string;
  return { db, ids: [idOf(1), idOf(2), idOf(3)] };
}
