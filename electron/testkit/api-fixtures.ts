// Test fixtures for the API and order-command tests: a fresh migrated database with one shop,
// orders put in the way the sync engine does it (ingestOrders), and the handler set over them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Actor } from '../shared/contract.ts';
import type { PlatformOrder } from '../shared/model.ts';
import type { Role } from '../shared/model.ts';
import type { Result } from '../shared/result.ts';
import { openDatabase, type Db } from '../core/db/open.ts';
import { ingestOrders } from '../core/orders/ingest.ts';
import { actorNamed } from '../core/session.ts';
import type { CoreContext } from '../core/api/command.ts';
import { dispatch, type Handlers } from '../core/api/dispatch.ts';
import { EventBus } from '../core/api/events.ts';
import { createHandlers } from '../core/api/handlers.ts';
import { createStationClock } from '../core/station/clock.ts';
import { lineItem, order, T0 } from './ingest-fixtures.ts';

export { T0 }; // 2025-01-02 10:30:00 in Asia/Shanghai

export function tempDbFile(): { file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-a2-'));
  return { file: path.join(dir, 'station.db'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Order n as the API tests know it: a T-shirt line and a pair of socks, post and a discount, a full address. */
export function platformOrder(n: number, overrides: Partial<PlatformOrder> = {}): PlatformOrder {
  return order(n, {
    platformOrderId: `P${String(n).padStart(8, '0')}`,
    buyerNick: `买家${n}`,
    receiver: { name: '张伟', phone: '13800001234', province: '浙江省', city: '杭州市', district: '西湖区', town: null, address: '文三路 100 号 2 幢 301', cipher: null },
    goodsFen: 2 * 1999 + 500,
    shippingFen: 800,
    discountFen: 300,
    paidFen: 2 * 1999 + 500 + 800 - 300,
    items: [
      lineItem(n, { platformItemId: `I${n}-1`, skuName: '颜色分类:黑色;尺码:M', paidFen: 2 * 1999 - 300 }),
      lineItem(n, { platformItemId: `I${n}-2`, platformSkuId: 'S2', outerSkuCode: 'SOCK-01', title: '棉袜', skuName: null, quantity: 1, unitPriceFen: 500, paidFen: 500 }),
    ],
    ...overrides,
  });
}

export interface Fixture {
  db: Db;
  events: EventBus;
  shopId: string;
  owner: Actor;
  handlers: Handlers;
  as(role: Role, name?: string): Actor;
  ctx(actor?: Actor): CoreContext;
  call(name: string, input: unknown, actor?: Actor): Promise<Result<unknown>>;
  /** The order id (our id, not the platform's) of fixture order n. */
  idOf(n: number): string;
  addOrders(orders: PlatformOrder[]): string[];
  close(): void;
}

export function openFixture(orderCount = 0): Fixture {
  const tmp = tempDbFile();
  const db = openDatabase(tmp.file);
  const events = new EventBus();
  let clockMs = T0 + 86_400_000;
  const now = () => (clockMs += 1);
  const clock = createStationClock(db, now);
  const shopId = 'shop-1';
  db.$client
    .prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES (?, '杭州女装旗舰店', 'taobao', 'active', ?)")
    .run(shopId, T0);
  // The fixture's lines match local SKUs, so fixture orders carry no unmatched_sku flag.
  db.$client.prepare("INSERT INTO products (id, title, created_at) VALUES ('p1', '女装纯棉T恤', ?), ('p2', '棉袜', ?)").run(T0, T0);
  db.$client
    .prepare(
      `INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen) VALUES
         ('sku-1', 'p1', 'NZ-2301-BK-M', '黑色 M', 1999), ('sku-2', 'p2', 'SOCK-01', '均码', 500)`,
    )
    .run();
  const scheduler = { status: () => [], syncNow: (shopId?: string) => (shopId ? [shopId] : []) };
  const handlers = createHandlers({ db, events, clock, now, scheduler });
  const owner = actorNamed(db, '店主', 'owner');
  const byPlatformId = db.$client.prepare('SELECT id FROM orders WHERE shop_id = ? AND platform_order_id = ?');
  const fixture: Fixture = {
    db,
    events,
    shopId,
    owner,
    handlers,
    as: (role, name = `${role}-user`) => actorNamed(db, name, role),
    ctx: (actor = owner) => ({ db, actor, events, clock, now }),
    call: (name, input, actor = owner) => dispatch(handlers, name, input, actor),
    idOf: (n) => {
      const row = byPlatformId.get(shopId, platformOrder(n).platformOrderId) as { id: string } | undefined;
      if (!row) throw new Error(`fixture order ${n} was not ingested`);
      return row.id;
    },
    addOrders: (orders) => {
      for (let i = 0; i < orders.length; i += 1000) {
        const batch = orders.slice(i, i + 1000);
        ingestOrders(db, { shopId, platform: 'taobao', orders: batch.map((order) => ({ order, raw: order })) }, now());
      }
      return orders.map((o) => (byPlatformId.get(shopId, o.platformOrderId) as { id: string }).id);
    },
    close: () => {
      db.$client.close();
      tmp.cleanup();
    },
  };
  if (orderCount > 0) fixture.addOrders(Array.from({ length: orderCount }, (_, i) => platformOrder(i + 1)));
  return fixture;
}

/** Rows of a table, for before/after comparisons in the rollback tests. */
export function countRows(db: Db, table: string): number {
  return (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
