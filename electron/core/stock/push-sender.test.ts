// The stock push sender against the loopback sandboxes (their server-stock.ts speak each platform's
// protocol): PDD's absolute figures (a promotion-slot refusal in the platform's words, a 502 retried
// with backoff, an expired token pausing the shop) and Kuaishou's deltas from a fresh read of the
// platform's figure, verified afterwards — and a delta left 'sending' by a crash is not applied twice.
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../api/events.ts';
import { writeTx } from '../db/access.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { adapterFor as registryAdapterFor } from '../platforms/registry.ts';
import { startPlatformServer as startPdd, type PlatformServer as PddServer } from '../../sandbox/platforms/pdd/server.ts';
import { startPlatformServer as startKs } from '../../sandbox/platforms/kuaishou/server.ts';
import { sandboxCatalogue, type SandboxProduct } from '../../sandbox/platforms/server-products.ts';
import { PLATFORM_TEST_NOW } from '../../testkit/platforms/test-adapter.ts';
import { addShop, addSku, mapSku, move, openPushStation, pushRows, type PushStation } from '../../testkit/stock-push-fixtures.ts';
import type { StockWrite } from '../../shared/stock-model.ts';
import { markStockDirty } from './dirty.ts';
import { runPushRound } from './push-round.ts';
import { StockSender, type StockSenderDeps } from './push-sender.ts';

const APPS = {
  pdd: { appKey: 'pdd-app-1', appSecret: 'pdd-s3cret', accessToken: 'tok-123' },
  kuaishou: { appKey: 'ks660000000000000001', appSecret: 'ks-sign-s3cret', accessToken: 'tok-123' },
} as const;

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

interface Setup {
  st: PushStation;
  clock: { t: number };
  writes: StockWrite[];
  sender(extra?: Partial<StockSenderDeps>): StockSender;
  round(full?: boolean): void;
}

function station(): Setup {
  const st = openPushStation();
  closers.push(() => st.close());
  const clock = { t: PLATFORM_TEST_NOW };
  const writes: StockWrite[] = [];
  // The real adapters, on the sandboxes' clock; every write they are handed is recorded.
  const adapterFor = (shop: ShopRecord): PlatformAdapter => {
    const a = registryAdapterFor(shop, { now: () => PLATFORM_TEST_NOW });
    return new Proxy(a, {
      get(target, prop, receiver) {
        if (prop === 'writeStock') return (w: StockWrite[]) => (writes.push(...w), target.writeStock!(w));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
  };
  return {
    st,
    clock,
    writes,
    sender: (extra = {}) => new StockSender({ db: st.db, events: new EventBus(), now: () => clock.t, adapterFor, random: () => 0.5, ...extra }),
    round: (full = false) => void writeTx(st.db, (tx) => runPushRound(tx, { now: clock.t, full })),
  };
}

async function pddShop(s: Setup, products: SandboxProduct[]): Promise<PddServer> {
  const srv = await startPdd({ orders: [], products, ...APPS.pdd, now: () => PLATFORM_TEST_NOW });
  closers.push(() => srv.close());
  addShop(s.st.db, 'pdd-1', 'pdd', { gateway: srv.url, ...APPS.pdd });
  return srv;
}

async function ksShop(s: Setup, products: SandboxProduct[]) {
  const srv = await startKs({ orders: [], products, ...APPS.kuaishou, now: () => PLATFORM_TEST_NOW });
  closers.push(() => srv.close());
  addShop(s.st.db, 'ks-1', 'kuaishou', { gateway: srv.url, ...APPS.kuaishou });
  return srv;
}

const platformStock = (s: Setup, shopId: string, skuId: string) =>
  (s.st.db.$client.prepare('SELECT platform_stock AS n FROM sku_mappings WHERE shop_id = ? AND platform_sku_id = ?').get(shopId, skuId) as { n: number | null }).n;
const shopState = (s: Setup, id: string) => (s.st.db.$client.prepare('SELECT state FROM shops WHERE id = ?').get(id) as { state: string }).state;

describe('stock push sender: absolute figures (PDD)', () => {
  it('sets every figure, records the platform figure, and a round with nothing moved sends nothing more', async () => {
    const s = station();
    const products = sandboxCatalogue(2, PLATFORM_TEST_NOW);
    const srv = await pddShop(s, products);
    const [a, b] = [products[0]!.skus[0]!, products[1]!.skus[0]!];
    addSku(s.st.db, 'A', 30);
    addSku(s.st.db, 'B', 8);
    mapSku(s.st.db, 'pdd-1', products[0]!.productId, a.skuId, 'A', a.stock);
    mapSku(s.st.db, 'pdd-1', products[1]!.productId, b.skuId, 'B', b.stock);
    s.round(true);
    const r = await s.sender().flush();
    expect(r).toMatchObject({ confirmed: 2, refused: 0, failed: 0, retrying: 0 });
    expect([a.stock, b.stock]).toEqual([30, 8]);
    expect(pushRows(s.st.db).map((x) => [x.state, x.attempts, x.platformAfter])).toEqual([
      ['confirmed', 1, 30],
      ['confirmed', 1, 8],
    ]);
    expect(platformStock(s, 'pdd-1', a.skuId)).toBe(30);
    s.round(true);
    expect(pushRows(s.st.db)).toHaveLength(2);
    expect(srv.calls.filter((c) => c.type === 'pdd.goods.quantity.update')).toHaveLength(2);
  });

  it('a promotion lock is refused with the platform words and not asked again until the stock changes', async () => {
    const s = station();
    const products = sandboxCatalogue(1, PLATFORM_TEST_NOW);
    const srv = await pddShop(s, products);
    const sku = products[0]!.skus[0]!;
    sku.stock = 40;
    srv.promotionLocked.add(sku.skuId);
    addSku(s.st.db, 'A', 30);
    mapSku(s.st.db, 'pdd-1', products[0]!.productId, sku.skuId, 'A', 40);
    s.round(true);
    expect(await s.sender().flush()).toMatchObject({ refused: 1 });
    const [row] = pushRows(s.st.db);
    expect(row).toMatchObject({ state: 'refused', lockedByPromotion: 1, lastErrorReason: 'stock_push.refused' });
    expect(row!.lastError).toContain('资源位');
    expect(sku.stock).toBe(40);
    const alerts = () => s.st.db.$client.prepare("SELECT shop_id AS shopId FROM stock_alerts WHERE kind = 'push_failed' AND cleared_at IS NULL").all();
    expect(alerts()).toEqual([{ shopId: 'pdd-1' }]);
    s.round(true);
    expect(pushRows(s.st.db)).toHaveLength(1);
    // Stock arrives: the new figure is no reduction, so the platform takes it.
    move(s.st.db, 'A', 20);
    writeTx(s.st.db, (tx) => markStockDirty(tx, ['A'], s.clock.t));
    s.round();
    expect(await s.sender().flush()).toMatchObject({ confirmed: 1 });
    expect(sku.stock).toBe(50);
    expect(alerts()).toEqual([]);
  });

  it('a 502 backs off and the retry sets the same figure; an expired token pauses the shop until it is authorised again', async () => {
    const s = station();
    const products = sandboxCatalogue(1, PLATFORM_TEST_NOW);
    const srv = await pddShop(s, products);
    const sku = products[0]!.skus[0]!;
    addSku(s.st.db, 'A', 30);
    mapSku(s.st.db, 'pdd-1', products[0]!.productId, sku.skuId, 'A');
    s.round(true);
    const sender = s.sender();
    srv.setFault('http5xx');
    expect(await sender.flush()).toMatchObject({ retrying: 1 });
    const [row] = pushRows(s.st.db);
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    // Not due yet: nothing is sent before the backoff.
    srv.setFault(null);
    expect(await sender.flush()).toMatchObject({ confirmed: 0, retrying: 0, calls: 0 });
    s.clock.t += 60_000;
    expect(await sender.flush()).toMatchObject({ confirmed: 1 });
    expect(sku.stock).toBe(30);

    move(s.st.db, 'A', -3);
    s.round(true);
    srv.setFault('tokenExpired');
    await sender.flush();
    expect(shopState(s, 'pdd-1')).toBe('auth_expired');
    expect(pushRows(s.st.db).at(-1)).toMatchObject({ state: 'pending', quantity: 27 });
    expect(sku.stock).toBe(30);
  });
});

describe('stock push sender: deltas from a fresh read (Kuaishou)', () => {
  it('reads the platform figure, sends the difference, verifies it, and records before/delta/after', async () => {
    const s = station();
    const products = sandboxCatalogue(2, PLATFORM_TEST_NOW);
    await ksShop(s, products);
    const sku = products[0]!.skus[0]!;
    sku.stock = 10;
    sku.reserved = 0;
    addSku(s.st.db, 'A', 25);
    mapSku(s.st.db, 'ks-1', products[0]!.productId, sku.skuId, 'A', 10);
    s.round(true);
    // The platform sold 2 since it was listed: the delta starts from what it shows now.
    sku.stock = 8;
    expect(await s.sender().flush()).toMatchObject({ confirmed: 1 });
    expect(sku.stock).toBe(25);
    expect(pushRows(s.st.db)[0]).toMatchObject({ mode: 'delta', state: 'confirmed', platformBefore: 8, sentDelta: 17, platformAfter: 25 });
    expect(s.writes.map((w) => [w.mode, w.quantity])).toEqual([['delta', 17]]);
    expect(platformStock(s, 'ks-1', sku.skuId)).toBe(25);
  });

  it('taking stock an activity reserved is refused as a lock with the platform words', async () => {
    const s = station();
    const products = sandboxCatalogue(1, PLATFORM_TEST_NOW);
    await ksShop(s, products);
    const sku = products[0]!.skus[0]!;
    sku.stock = 20;
    sku.reserved = 15;
    addSku(s.st.db, 'A', 5);
    mapSku(s.st.db, 'ks-1', products[0]!.productId, sku.skuId, 'A', 20);
    s.round(true);
    expect(await s.sender().flush()).toMatchObject({ refused: 1 });
    expect(pushRows(s.st.db)[0]).toMatchObject({ state: 'refused', lockedByPromotion: 1 });
    expect(pushRows(s.st.db)[0]!.lastError).toContain('请减少预留数量');
    expect(sku.stock).toBe(20);
  });

  it('a row a crash left sending after the platform took the change is confirmed from the fresh read, with no second change', async () => {
    const s = station();
    const products = sandboxCatalogue(1, PLATFORM_TEST_NOW);
    await ksShop(s, products);
    const sku = products[0]!.skus[0]!;
    sku.stock = 10;
    sku.reserved = 0;
    addSku(s.st.db, 'A', 16);
    mapSku(s.st.db, 'ks-1', products[0]!.productId, sku.skuId, 'A', 10);
    s.round(true);
    // What a sender that died between send and confirm leaves: the row claimed, the change applied.
    s.st.db.$client.prepare("UPDATE stock_pushes SET state = 'sending', attempts = 1, platform_before = 10, sent_delta = 6, next_at = ?").run(s.clock.t + 120_000);
    sku.stock = 16;
    // Within its lease the row is still the other sender's: nothing happens.
    expect(await s.sender().flush()).toMatchObject({ confirmed: 0, calls: 0 });
    s.clock.t += 120_001;
    expect(await s.sender().flush()).toMatchObject({ confirmed: 1 });
    expect(sku.stock).toBe(16);
    expect(s.writes).toEqual([]);
    expect(pushRows(s.st.db)[0]).toMatchObject({ state: 'confirmed', attempts: 2, platformBefore: 16, sentDelta: 0, platformAfter: 16 });
  });

  it('a sender whose lease ran out mid-read does not send after another took the row over', async () => {
    const s = station();
    const products = sandboxCatalogue(1, PLATFORM_TEST_NOW);
    await ksShop(s, products);
    const sku = products[0]!.skus[0]!;
    sku.stock = 10;
    sku.reserved = 0;
    addSku(s.st.db, 'A', 14);
    mapSku(s.st.db, 'ks-1', products[0]!.productId, sku.skuId, 'A', 10);
    s.round(true);
    // Sender A reads the figure (10) and then stalls past its lease before sending.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let read!: () => void;
    const hasRead = new Promise<void>((r) => (read = r));
    const slowA = (shop: ShopRecord): PlatformAdapter => {
      const a = registryAdapterFor(shop, { now: () => PLATFORM_TEST_NOW });
      return new Proxy(a, {
        get(target, prop, receiver) {
          if (prop === 'listProducts')
            return async (cursor: string | null) => {
              const page = await target.listProducts!(cursor);
              read();
              await gate;
              return page;
            };
          if (prop === 'writeStock') return (w: StockWrite[]) => (s.writes.push(...w), target.writeStock(w));
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
    };
    const a = s.sender({ adapterFor: slowA }).flush();
    await hasRead;
    // B comes after A's lease: it takes the row over, reads 10, sends +4 and confirms.
    s.clock.t += 120_001;
    expect(await s.sender().flush()).toMatchObject({ confirmed: 1 });
    expect(sku.stock).toBe(14);
    release();
    await a;
    // A's stale read would have sent +4 again: it finds the row is no longer its own.
    expect(sku.stock).toBe(14);
    expect(s.writes.map((w) => w.quantity)).toEqual([4]);
    expect(pushRows(s.st.db)[0]).toMatchObject({ state: 'confirmed', attempts: 2 });
  });

  it('a SKU the listing does not show (off the shelf) fails with the reason instead of guessing a delta', async () => {
    const s = station();
    const products = sandboxCatalogue(5, PLATFORM_TEST_NOW);
    await ksShop(s, products);
    const off = products[4]!; // every fifth sandbox product is off the shelf
    expect(off.onSale).toBe(false);
    addSku(s.st.db, 'A', 9);
    mapSku(s.st.db, 'ks-1', off.productId, off.skus[0]?.skuId ?? `${off.productId}00`, 'A', 3);
    s.round(true);
    expect(await s.sender().flush()).toMatchObject({ failed: 1 });
    expect(pushRows(s.st.db)[0]).toMatchObject({ state: 'failed', lastErrorReason: 'stock_push.platform_figure_unknown' });
    expect(s.writes).toEqual([]);
  });
});
