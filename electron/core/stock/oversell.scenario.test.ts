// The oversell scenario, end to end through the core's API: five shops on the five platforms list one
// T-shirt SKU, and the station has 30 of it. The platforms' loopback sandboxes sell it faster than
// stock allows — 45 units over three sync rounds, the shops' orders paid interleaved — and the real
// adapters and sync scheduler bring the orders in. After every round no more units are held than
// there are, every paid order either holds its units or waits in 缺货, and the queue is in paid-time
// order; stock that arrives goes to the first-paid waiting orders; and one push round tells every
// shop's sandbox the figure its allocation says (0 once everything is held).
import { afterEach, describe, expect, it } from 'vitest';
import type { Platform, PlatformOrder } from '../../shared/model.ts';
import type { Result } from '../../shared/result.ts';
import type { StockPushRun } from '../../shared/api/stock-push.ts';
import { createCore, type Core } from '../app.ts';
import { createDouyinAdapter } from '../platforms/douyin/adapter.ts';
import { createJdAdapter } from '../platforms/jd/adapter.ts';
import { createKuaishouAdapter } from '../platforms/kuaishou/adapter.ts';
import { createPddAdapter } from '../platforms/pdd/adapter.ts';
import { createTaobaoAdapter } from '../platforms/taobao/adapter.ts';
import type { Db } from '../db/open.ts';
import { tempDbFile } from '../../testkit/api-fixtures.ts';
import { platformUnderTest, type ClosableServer } from '../../testkit/platforms/test-adapter.ts';
import { testDbOf } from '../../testkit/station-db.ts';
import { generateOrders } from '../../sandbox/demo/generator.ts';
import type { LoopbackServerOptions } from '../../sandbox/platforms/loopback-server.ts';
import type { SandboxProduct } from '../../sandbox/platforms/server-products.ts';
import { startPlatformServer as startDouyin } from '../../sandbox/platforms/douyin/server.ts';
import { startPlatformServer as startJd } from '../../sandbox/platforms/jd/server.ts';
import { startPlatformServer as startKuaishou } from '../../sandbox/platforms/kuaishou/server.ts';
import { startPlatformServer as startPdd } from '../../sandbox/platforms/pdd/server.ts';
import { startPlatformServer as startTaobao } from '../../sandbox/platforms/taobao/server.ts';

type FedServer = ClosableServer & { orders: PlatformOrder[]; products: SandboxProduct[] };
/** Each platform's server as the scenario uses it: its orders and products, changed between rounds. */
const starter = (start: (o: LoopbackServerOptions) => Promise<FedServer>) => start;

const PLATFORMS = [
  platformUnderTest('taobao', starter(startTaobao), createTaobaoAdapter),
  platformUnderTest('pdd', starter(startPdd), createPddAdapter),
  platformUnderTest('jd', starter(startJd), createJdAdapter),
  platformUnderTest('douyin', starter(startDouyin), createDouyinAdapter),
  platformUnderTest('kuaishou', starter(startKuaishou), createKuaishouAdapter),
];

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = PLATFORMS[0]!.now;
const SKU = 'TEE-001';
const ON_HAND = 30;
const PRICE_FEN = 5900;
/** What every listing shows before the station tells it anything. */
const LISTED = 100;

/** Units each shop's orders ask for in each round (shop i, round r): 15, then 20, then 10 — 45 in all. */
const ROUNDS: number[][][] = [
  [[1, 2], [2, 1], [1, 2], [2, 1], [2, 1]],
  [[1, 2, 1], [2, 1, 1], [1, 1, 2], [2, 2], [1, 2, 1]],
  [[1, 1], [1, 1], [1, 1], [1, 1], [1, 1]],
];

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/** The shop's one product: the T-shirt, with the platform's numeric ids. */
function tshirt(shop: number): SandboxProduct {
  const productId = String(880_000_000 + shop);
  return {
    productId,
    title: '纯棉短袖T恤',
    outerId: 'TEE',
    onSale: true,
    createdAt: START - 30 * 24 * HOUR,
    modifiedAt: START - 24 * HOUR,
    stock: 0,
    skus: [{ skuId: String(BigInt(productId) * 100n + 1n), outerId: SKU, specs: [{ name: '颜色', value: '白色' }], stock: LISTED, reserved: 0, priceFen: PRICE_FEN, onSale: true }],
  };
}

/**
 * Paid orders of the shop's platform, each one line of the T-shirt. The lines carry the platform SKU
 * id and no 商家编码 (JD and Douyin may leave it out), so only the mapping ties them to the SKU.
 */
function sales(platform: Platform, shop: number, round: number, quantities: number[], paidAt: (k: number) => number, modifiedAt: number): PlatformOrder[] {
  const base = [...generateOrders({ shops: [{ id: `oversell-${platform}`, platform, seed: 31 + shop }], count: 400, fromMs: START - 10 * 24 * HOUR, toMs: START - 2 * 24 * HOUR })]
    .map((g) => g.order)
    .filter((o) => o.status === 'awaiting_shipment' && o.afterSale === 'none' && o.orderType === 'normal');
  const sku = tshirt(shop).skus[0]!;
  return quantities.map((q, k) => {
    const o = base[round * 4 + k]!;
    const goods = PRICE_FEN * q;
    return {
      ...o,
      platformOrderId: `${o.platformOrderId.slice(0, -3)}${round}${k}${shop}`,
      presaleDepositFen: null,
      presaleBalanceFen: null,
      goodsFen: goods,
      shippingFen: 0,
      discountFen: 0,
      paidFen: goods,
      createdAt: paidAt(k) - MIN,
      paidAt: paidAt(k),
      platformUpdatedAt: modifiedAt + k * 1000,
      items: [{ ...o.items[0]!, platformItemId: `${o.platformOrderId}01`, platformSkuId: sku.skuId, outerSkuCode: null, title: '纯棉短袖T恤', skuName: '颜色:白色', quantity: q, unitPriceFen: PRICE_FEN, paidFen: goods, isGift: false, isBundle: false }],
    };
  });
}

interface OrderRow {
  id: string;
  platformOrderId: string;
  paidAt: number;
  stockState: string | null;
  quantity: number;
  held: number;
}

function orderRows(db: Db): OrderRow[] {
  return db.$client
    .prepare(
      `SELECT o.id, o.platform_order_id AS platformOrderId, o.paid_at AS paidAt, o.stock_state AS stockState,
              (SELECT sum(quantity) FROM order_items WHERE order_id = o.id) AS quantity,
              (SELECT coalesce(sum(quantity), 0) FROM stock_reservations WHERE order_id = o.id AND state = 'held') AS held
         FROM orders o ORDER BY o.paid_at, o.seq`,
    )
    .all() as OrderRow[];
}

describe('oversell scenario: five shops on five platforms share 30 units', () => {
  it('never holds more than there is, queues the rest in paid-time order, refills first-paid first, and tells every shop its figure in one push round', async () => {
    const clock = { now: START };
    const servers: FedServer[] = [];
    for (const [i, p] of PLATFORMS.entries()) {
      const server = await p.startServer({ orders: [], products: [tshirt(i)], ...p.app, now: () => clock.now });
      cleanups.push(() => server.close());
      servers.push(server);
    }
    const { file, cleanup } = tempDbFile();
    cleanups.push(cleanup);
    const core: Core = await createCore({ dbFile: file, now: () => clock.now, sync: false });
    cleanups.push(() => core.close());
    const db = testDbOf(core);

    // Five shops pointing at their sandboxes (plain rows: connecting a shop has tests of its own).
    const shopIds = PLATFORMS.map((p, i) => {
      const id = `shop-${p.platform}`;
      db.$client
        .prepare('INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, p.shopName, p.platform, 'active', START + i, JSON.stringify({ gateway: servers[i]!.url, ...p.app }));
      return id;
    });

    ok(await core.call('skus.add', { code: SKU, title: '纯棉短袖T恤', spec: '白色' }));
    ok(await core.call('warehouses.add', { code: 'HZ', name: '杭州仓', regions: [] }));
    ok(await core.call('stock.receive', { sku: SKU, warehouse: 'HZ', quantity: ON_HAND }));
    const pulled = ok<{ shops: { listed: number; autoMatched: number; error: string | null }[] }>(await core.call('mapping.pull', {}));
    expect(pulled.shops.map((s) => [s.listed, s.autoMatched, s.error])).toEqual(PLATFORMS.map(() => [1, 1, null]));

    const pushAll = async (): Promise<StockPushRun> => {
      const run = ok<StockPushRun>(await core.call('stock.push', {}));
      expect(run.skipped).toEqual([]);
      expect(run.sent).toMatchObject({ refused: 0, failed: 0, retrying: 0 });
      return run;
    };
    const shown = (): number[] => servers.map((s) => s.products[0]!.skus[0]!.stock);

    let demand = 0;
    const expectInvariants = (round: number) => {
      const rows = orderRows(db);
      expect(rows.length, `round ${round}`).toBe(ROUNDS.slice(0, round + 1).flat().flat().length);
      const onHand = (db.$client.prepare('SELECT sum(delta) AS n FROM stock_movements').get() as { n: number }).n;
      const held = rows.reduce((n, r) => n + r.held, 0);
      // Never more held than there is; an order holds all its units or none and waits in 缺货.
      expect(held, `round ${round}`).toBeLessThanOrEqual(onHand);
      for (const r of rows) {
        if (r.stockState === 'reserved') expect(r.held).toBe(r.quantity);
        else {
          expect(r.stockState, r.platformOrderId).toBe('short');
          expect(r.held).toBe(0);
        }
      }
      // Everything sold either holds units or waits: nothing is lost, nothing counted twice.
      expect(rows.reduce((n, r) => n + r.quantity, 0)).toBe(demand);
      return rows;
    };

    for (const [round, perShop] of ROUNDS.entries()) {
      // The round's orders, paid interleaved across the shops (the last shop's first, and so on) and
      // listed on their platforms a few minutes before the sync comes.
      const roundStart = clock.now;
      for (const [i, p] of PLATFORMS.entries()) {
        const qs = perShop[i]!;
        const paid = (k: number) => roundStart + (k * PLATFORMS.length + (PLATFORMS.length - 1 - i)) * 1000;
        servers[i]!.orders.push(...sales(p.platform, i, round, qs, paid, roundStart + 2 * MIN));
        demand += qs.reduce((a, b) => a + b, 0);
      }
      clock.now = roundStart + 15 * MIN;
      // The five shops sync at once, as the scheduler runs them: their ingests interleave.
      const synced = await Promise.all(shopIds.map((id) => core.scheduler.syncShop(id)));
      expect(synced.map((r) => r.error ?? null)).toEqual(shopIds.map(() => null));
      const rows = expectInvariants(round);
      const queue = ok<{ rows: { platformOrderId: string; stock: string | null }[] }>(await core.call('orders.list', { filter: { stock: 'short' }, sort: { field: 'paidAt', dir: 'asc' }, limit: 500 }));
      // The 缺货 queue as the workbench lists it, oldest paid first: exactly the waiting orders, by paid time.
      expect(queue.rows.map((r) => r.platformOrderId)).toEqual(rows.filter((r) => r.stockState === 'short').map((r) => r.platformOrderId));
      expect(queue.rows.every((r) => r.stock === 'short')).toBe(true);

      if (round === 0) {
        // 15 held, 15 available: one push round tells every shop 15, except the shop that gets half.
        expect(rows.every((r) => r.stockState === 'reserved')).toBe(true);
        ok(await core.call('stock.setAllocation', { shopId: shopIds[1], sku: SKU, mode: 'share', value: 50 }));
        await pushAll();
        expect(shown()).toEqual([15, 7, 15, 15, 15]);
      }
      clock.now += 45 * MIN;
    }

    // 45 units sold, 30 held, the other 15 wait.
    const rows = orderRows(db);
    const held = rows.reduce((n, r) => n + r.held, 0);
    expect(held).toBe(ON_HAND);
    const short = rows.filter((r) => r.stockState === 'short');
    expect(short.reduce((n, r) => n + r.quantity, 0)).toBe(demand - ON_HAND);

    // Everything is held: one push round tells every shop 0 (Kuaishou by a delta from its figure).
    await pushAll();
    expect(shown()).toEqual([0, 0, 0, 0, 0]);

    // 6 units arrive: the first-paid waiting orders get them, in paid-time order, until one does not fit.
    ok(await core.call('stock.receive', { sku: SKU, warehouse: 'HZ', quantity: 6 }));
    const after = orderRows(db);
    const filled = short.filter((r) => after.find((a) => a.id === r.id)!.stockState === 'reserved');
    let left = 6;
    const expected: string[] = [];
    for (const r of short) {
      if (r.quantity > left) break;
      left -= r.quantity;
      expected.push(r.id);
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(filled.map((r) => r.id)).toEqual(expected);
    expect(after.reduce((n, r) => n + r.held, 0)).toBe(ON_HAND + 6 - left);

    // The shops are told what is left over (none while orders still wait for more than arrived).
    await pushAll();
    expect(shown()).toEqual(PLATFORMS.map((_, i) => (i === 1 ? Math.floor(left / 2) : left)));
  }, 120_000);
});
