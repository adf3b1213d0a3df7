// A packing day on a fresh demo station, in the core: the first sync leaves clean orders in 待打单 by
// the auto-review rule; the demo printer (a folder) and the demo number pools print them as PNG
// labels; shipped, they complete a simulated delivery later, through the gateways and the ordinary
// sync. Then the pieces on their own: the delivery clock of the world, the gateway completing a
// parcel the station shipped, and the kit a demo station made before it existed gets once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderCounts, PrinterOutputView, PrinterView, PrintLabelsResult, WaybillAccountInfo } from '../../shared/contract.ts';
import type { PlatformOrder } from '../../shared/model.ts';
import { createCore, type Core } from '../../core/app.ts';
import { openDatabase, type Db } from '../../core/db/open.ts';
import { AUTO_REVIEW_COMMAND, cleanOrderIds } from '../../core/orders/auto-review.ts';
import { createLocalKeyCipher, keyFileFor } from '../../core/shops/secrets.ts';
import { readStationSettings } from '../../core/station/settings.ts';
import { worldShopOf } from './adapter.ts';
import { mergeWorldChange, startDemoGateways } from './demo-gateways.ts';
import { DEMO_POOLS, DEMO_PRINTER_NAME, ensureDemoKit, ensureDemoTeam } from './demo-team.ts';
import { changedOrders, DAY, DEMO_DELIVERY_SCALE, deliveryDelayMs, HOUR, MINUTE, worldOrders, type WorldShop } from './generator.ts';
import { sandboxDemo } from '../index.ts';
import { testDbOf } from '../../testkit/station-db.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-kit-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function call<T>(core: Core, name: string, input: unknown): Promise<T> {
  const r = await core.call(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

const count = (db: Db, sql: string, ...args: unknown[]) => (db.$client.prepare(sql).get(...args) as { n: number }).n;

describe('a fresh demo station', () => {
  it('has orders to print, a printer and number pools; prints them as PNG labels; shipped, they complete later', async () => {
    const dir = tempDir();
    const dbFile = path.join(dir, 'shopfleet.db');
    const clock = { now: Date.UTC(2026, 10, 20, 4, 0, 0) };
    const core = await createCore({ dbFile, demo: true, demoProvider: sandboxDemo, sync: false, print: true, now: () => clock.now });
    cleanups.push(() => core.close());

    // The kit, each piece marked as demo.
    expect(readStationSettings(testDbOf(core))).toMatchObject({ autoReviewClean: true, demoStation: true });
    const printers = await call<PrinterView[]>(core, 'printers.list', {});
    const labelsDir = path.join(dir, 'demo-labels');
    expect(printers.map((p) => [p.name, p.uri, p.lang, p.settings.demo])).toEqual([[DEMO_PRINTER_NAME, `folder:${labelsDir}`, 'tspl', true]]);
    const accounts = await call<WaybillAccountInfo[]>(core, 'waybillAccounts.list', {});
    expect(accounts.map((a) => [a.carrierCode, a.kind, a.pool, a.settings.options.demo])).toEqual(DEMO_POOLS.map((p) => [p.carrierCode, 'pool', { free: p.count, used: 0 }, '1']));
    const shops = testDbOf(core).$client.prepare('SELECT id, platform FROM shops ORDER BY created_at').all() as { id: string; platform: string }[];
    // Every demo shop prints from exactly one pool.
    for (const s of shops) expect(accounts.filter((a) => a.settings.shopIds.includes(s.id))).toHaveLength(1);

    // The first sync of one shop fills 待打单 by the rule; what needs a person stays in 待审核.
    const shop = shops.find((s) => s.platform === 'kuaishou')!;
    expect((await core.scheduler.syncShop(shop.id)).error).toBeUndefined();
    const counts = await call<OrderCounts>(core, 'orders.counts', { filter: { shopIds: [shop.id] } });
    expect(counts.queues.awaiting_print).toBeGreaterThan(20);
    expect(counts.queues.pending_review).toBeGreaterThan(0);
    const awaiting = (testDbOf(core).$client.prepare("SELECT id FROM orders WHERE queue = 'awaiting_print' AND shop_id = ?").all(shop.id) as { id: string }[]).map((r) => r.id);
    expect(cleanOrderIds(testDbOf(core), [])).toEqual([]);
    expect(count(testDbOf(core), "SELECT count(*) AS n FROM orders WHERE queue = 'awaiting_print' AND (abnormal_flags <> 0 OR after_sale <> 'none' OR seller_flag <> 0)")).toBe(0);
    expect(count(testDbOf(core), 'SELECT count(*) AS n FROM ops WHERE name = ? AND actor = ?', AUTO_REVIEW_COMMAND, '自动审单')).toBeGreaterThan(0);
    expect(count(testDbOf(core), "SELECT count(*) AS n FROM audit_log WHERE command = ? AND field = 'stage'", AUTO_REVIEW_COMMAND)).toBe(awaiting.length);

    // Print three: the demo printer writes one PNG per label into the station's folder, shown by printers.output.
    const picked = awaiting.slice(0, 3);
    const printed = await call<PrintLabelsResult>(core, 'print.labels', { ids: picked, printerId: printers[0]!.id });
    expect(printed.failed).toEqual([]);
    expect(printed.queued).toBe(3);
    await core.printQueue.drain();
    const files = fs.readdirSync(labelsDir).filter((n) => !n.startsWith('.'));
    expect(files).toHaveLength(3);
    expect(files.every((n) => n.endsWith('.png'))).toBe(true);
    const output = await call<PrinterOutputView>(core, 'printers.output', { id: printers[0]!.id });
    expect(output.files).toHaveLength(3);
    const pool = DEMO_POOLS.find((p) => accounts.find((a) => a.carrierCode === p.carrierCode)!.settings.shopIds.includes(shop.id))!;
    for (const f of output.files) {
      expect(f.kind).toBe('png');
      expect(Buffer.from(f.base64!, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(f.waybillNo?.startsWith(pool.prefix)).toBe(true);
    }
    const platformIds = testDbOf(core).$client.prepare('SELECT platform_order_id AS p FROM orders WHERE id IN (?, ?, ?)').all(...picked) as { p: string }[];
    expect(output.files.map((f) => f.platformOrderId).sort()).toEqual(platformIds.map((r) => r.p).sort());
    const queueOf = (id: string) => (testDbOf(core).$client.prepare('SELECT queue, status FROM orders WHERE id = ?').get(id) as { queue: string; status: string });
    expect(picked.map((id) => queueOf(id).queue)).toEqual(['printed', 'printed', 'printed']);

    // Ship them: the platform is told, and a simulated delivery later the buyers confirm receipt,
    // which the ordinary sync brings back as 已完成.
    await call(core, 'orders.shipPrinted', { ids: picked });
    expect(picked.map((id) => queueOf(id).queue)).toEqual(['shipped', 'shipped', 'shipped']);
    expect((await core.pushes.flush()).sent).toBe(3);
    clock.now += Math.ceil(10 * DAY * DEMO_DELIVERY_SCALE) + 10 * MINUTE;
    // The gateways feed on a 5 s timer, and the platforms list a change only once it is a few
    // minutes old: let the simulated time run on while syncing until the receipts come through.
    const deadline = Date.now() + 40_000;
    while (picked.some((id) => queueOf(id).status !== 'completed') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2000));
      clock.now += 2 * MINUTE;
      expect((await core.scheduler.syncShop(shop.id)).error).toBeUndefined();
    }
    expect(picked.map((id) => queueOf(id))).toEqual(picked.map(() => ({ queue: 'completed', status: 'completed' })));
  }, 120_000);
});

describe('the demo world runs delivery on its own clock', () => {
  const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
  // A demo shop's world begins with the demo history, three days back.
  const base: WorldShop = { id: 'w1', seed: 4242, imitates: 'taobao', categories: ['零食'], ordersPerHour: 60, worldStartMs: NOW - 3 * DAY };
  const demo: WorldShop = { ...base, deliveryScale: DEMO_DELIVERY_SCALE };

  it('keeps every order and outcome, and only brings receipt (确认收货) forward', () => {
    const real = [...worldOrders(base, NOW - 3 * DAY, NOW)];
    const fast = [...worldOrders(demo, NOW - 3 * DAY, NOW)];
    expect(fast.map((o) => o.slot.orderId)).toEqual(real.map((o) => o.slot.orderId));
    let completedInWindowReal = 0;
    let completedInWindowFast = 0;
    fast.forEach((o, i) => {
      const r = real[i]!.life;
      expect([o.life.paidAt, o.life.shippedAt, o.life.closedAt, o.life.refundOutcome]).toEqual([r.paidAt, r.shippedAt, r.closedAt, r.refundOutcome]);
      if (o.life.shippedAt !== null && o.life.completedAt !== null && o.life.refundRequestedAt === null) {
        const took = o.life.completedAt - o.life.shippedAt;
        expect(took).toBeGreaterThanOrEqual(5 * DAY * DEMO_DELIVERY_SCALE - 1);
        expect(took).toBeLessThanOrEqual(10 * DAY * DEMO_DELIVERY_SCALE + 1);
      }
      // Platforms stamp whole seconds; so does the world on its fast clock.
      for (const t of [o.life.completedAt, o.life.refundRequestedAt, o.life.refundReturningAt, o.life.refundDecidedAt]) if (t !== null) expect(t % 1000).toBe(0);
      if (o.life.completedAt !== null && o.life.completedAt < NOW) completedInWindowFast += 1;
      if (r.completedAt !== null && r.completedAt < NOW) completedInWindowReal += 1;
    });
    // Three days of history: at real speed nothing has been received yet; on the demo clock most shipped orders have.
    expect(completedInWindowReal).toBe(0);
    expect(completedInWindowFast).toBeGreaterThan(fast.length / 2);
  });

  it('completes orders minute by minute while a demo session runs', () => {
    const completedBetween = (shop: WorldShop, from: number, to: number) => changedOrders(shop, from, to).filter((o) => o.status === 'completed' && o.platformUpdatedAt >= from).length;
    // At real speed a three-day-old world has no receipts for days yet.
    expect(completedBetween(base, NOW, NOW + HOUR)).toBe(0);
    // Ten minutes of a session: received parcels arrive as steadily as orders ship.
    expect(completedBetween(demo, NOW, NOW + 10 * MINUTE)).toBeGreaterThan(0);
    expect(completedBetween(demo, NOW, NOW + HOUR)).toBeGreaterThan(20);
  });

  it('draws a parcel shipped at the station the same delivery time on every look', () => {
    const d = deliveryDelayMs(demo, '2000012345678');
    expect(d % 1000).toBe(0);
    expect(d).toBe(deliveryDelayMs(demo, '2000012345678'));
    expect(d).toBeGreaterThanOrEqual(5 * DAY * DEMO_DELIVERY_SCALE - 1);
    expect(d).toBeLessThanOrEqual(10 * DAY * DEMO_DELIVERY_SCALE + 1);
    expect(deliveryDelayMs(base, '2000012345678')).toBeGreaterThanOrEqual(5 * DAY);
  });
});

describe('demo gateways and parcels the station shipped', () => {
  const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
  /** One demo shop's gateway over a fresh station at NOW, fed only when the test refreshes it. */
  async function oneDemoShop() {
    const file = path.join(tempDir(), 'shopfleet.db');
    const db = openDatabase(file);
    cleanups.push(() => db.$client.close());
    const cipher = createLocalKeyCipher(keyFileFor(file));
    const clock = { now: NOW };
    ensureDemoTeam(db, NOW, { secretCipher: cipher, shops: 1 });
    const gw = await startDemoGateways({ db, now: () => clock.now, secretCipher: cipher, log: () => undefined, feedIntervalMs: 0 });
    cleanups.push(() => gw.close());
    const world = worldShopOf(db.$client.prepare('SELECT id, settings FROM shops').get() as { id: string; settings: string });
    return { clock, gw, g: gw.gateways[0]!, world };
  }

  it('confirm receipt a delivery time after the ship push, and the world catching up never moves it back', async () => {
    const { clock, gw, g, world } = await oneDemoShop();
    // An order the world will itself ship only hours from now: the station ships it first.
    const shipLater = new Set(
      [...worldOrders(world, NOW - 3 * DAY, NOW)].filter((o) => o.life.shippedAt !== null && o.life.shippedAt > NOW + 2 * HOUR && o.life.paidAt! < NOW).map((o) => o.slot.orderId),
    );
    const i = g.orders.findIndex((o) => shipLater.has(o.platformOrderId) && o.status === 'awaiting_shipment');
    expect(i).toBeGreaterThanOrEqual(0);
    const id = g.orders[i]!.platformOrderId;
    // What the platform's ship handler does (server-push.ts): shipped, modified now.
    g.orders[i] = { ...g.orders[i]!, status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS', platformUpdatedAt: NOW };
    const on = () => g.orders.find((o) => o.platformOrderId === id)!;
    const due = NOW + deliveryDelayMs(world, id);
    clock.now = due - 1000;
    gw.refresh();
    expect(on().status).toBe('shipped');
    clock.now = due + 1000;
    gw.refresh();
    expect(on()).toMatchObject({ status: 'completed', platformStatus: 'TRADE_FINISHED' });
    expect(on().platformUpdatedAt).toBeGreaterThanOrEqual(due);
    // Days later the world ships and delivers it on its own schedule: still completed, never back to shipped.
    for (const later of [4 * HOUR, DAY, 5 * DAY]) {
      clock.now = NOW + later;
      gw.refresh();
      expect(on().status).toBe('completed');
    }
  }, 60_000);

  it('confirm receipt a delivery time after the ship push even when the world changed the order before the gateway next looked', async () => {
    const { clock, gw, g, world } = await oneDemoShop();
    const waiting = new Set(g.orders.filter((o) => o.status === 'awaiting_shipment' && o.afterSale === 'none').map((o) => o.platformOrderId));
    const lives = [...worldOrders(world, NOW - 3 * DAY, NOW)].filter((o) => waiting.has(o.slot.orderId) && o.life.refundRequestedAt === null);
    // The station ships at NOW; before the gateway looks again (the demo jumps its clock a delivery
    // ahead), the world adds a seller memo to one order and ships another itself.
    const before = (t: number | null, id: string): boolean => t !== null && t > NOW + MINUTE && t < NOW + deliveryDelayMs(world, id) - MINUTE;
    const memoed = lives.find((o) => before(o.life.memoAt, o.slot.orderId) && o.life.shippedAt! > NOW + 3 * HOUR)?.slot.orderId;
    const worldShips = lives.find((o) => before(o.life.shippedAt, o.slot.orderId) && o.life.completedAt! > NOW + deliveryDelayMs(world, o.slot.orderId) + MINUTE)?.slot.orderId;
    expect(memoed).toBeDefined();
    expect(worldShips).toBeDefined();
    for (const id of [memoed!, worldShips!]) {
      const i = g.orders.findIndex((o) => o.platformOrderId === id);
      g.orders[i] = { ...g.orders[i]!, status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS', platformUpdatedAt: NOW };
    }
    const on = (id: string) => g.orders.find((o) => o.platformOrderId === id)!;
    for (const id of [memoed!, worldShips!]) {
      clock.now = NOW + deliveryDelayMs(world, id) + 1000;
      gw.refresh();
      expect(on(id)).toMatchObject({ status: 'completed', platformStatus: 'TRADE_FINISHED' });
    }
    // The memo the world added is there too.
    expect(on(memoed!).sellerMemo).not.toBeNull();
  }, 60_000);

  it('merges a world copy that is behind the server without moving the status back', () => {
    const o = { platformOrderId: 'X1', status: 'awaiting_shipment', platformStatus: 'WAIT_SELLER_SEND_GOODS', platformUpdatedAt: 1000, sellerMemo: null } as unknown as PlatformOrder;
    const ours = { ...o, status: 'completed', platformStatus: 'TRADE_FINISHED', platformUpdatedAt: 2000 } as PlatformOrder;
    const worldShips = { ...o, status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS', platformUpdatedAt: 3000 } as PlatformOrder;
    expect(mergeWorldChange(o, ours, worldShips)).toMatchObject({ status: 'completed', platformStatus: 'TRADE_FINISHED', platformUpdatedAt: 3000 });
    // A refund that closes the order still closes it.
    const worldCloses = { ...o, status: 'closed', platformStatus: 'TRADE_CLOSED', platformUpdatedAt: 3000 } as PlatformOrder;
    expect(mergeWorldChange(o, { ...ours, status: 'shipped' }, worldCloses).status).toBe('closed');
  });
});

describe('a demo station made before the kit', () => {
  it('gets the kit once, its shops on the demo delivery clock; a station that is not a demo gets nothing', () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'old.db'));
    cleanups.push(() => db.$client.close());
    ensureDemoTeam(db, Date.now(), { shops: 2 });
    // What an older demo station looks like: no kit, no delivery clock.
    db.$client.prepare("DELETE FROM meta WHERE key IN ('demo.kit', 'station.settings')").run();
    db.$client.prepare('DELETE FROM waybill_numbers').run();
    db.$client.prepare('DELETE FROM waybill_accounts').run();
    db.$client.prepare("UPDATE shops SET settings = json_remove(settings, '$.deliveryScale')").run();
    const labelsDir = path.join(dir, 'demo-labels');
    expect(ensureDemoKit(db, Date.now(), { labelsDir })).toBe(true);
    expect(readStationSettings(db).autoReviewClean).toBe(true);
    expect(count(db, 'SELECT count(*) AS n FROM waybill_accounts')).toBe(DEMO_POOLS.length);
    expect(count(db, "SELECT count(*) AS n FROM printers WHERE uri = ?", `folder:${labelsDir}`)).toBe(1);
    for (const s of db.$client.prepare('SELECT settings FROM shops').all() as { settings: string }[]) expect(JSON.parse(s.settings).deliveryScale).toBe(DEMO_DELIVERY_SCALE);
    expect(ensureDemoKit(db, Date.now(), { labelsDir })).toBe(false);
    expect(count(db, 'SELECT count(*) AS n FROM printers')).toBe(1);

    const plain = openDatabase(path.join(dir, 'plain.db'));
    cleanups.push(() => plain.$client.close());
    expect(ensureDemoKit(plain, Date.now(), { labelsDir })).toBe(false);
    expect(count(plain, 'SELECT count(*) AS n FROM printers')).toBe(0);
  });
});
