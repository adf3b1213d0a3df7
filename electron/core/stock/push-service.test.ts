// When pushes happen: a round once the dirty marks have been quiet for 2 s, or at the latest 15 s after
// the oldest; a full round on the schedule in the meta settings; each followed by the sender — here
// against a loopback PDD shop, whose figure is what the tick leaves it at.
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../api/events.ts';
import { writeTx } from '../db/access.ts';
import { adapterFor as registryAdapterFor } from '../platforms/registry.ts';
import { startPlatformServer } from '../../sandbox/platforms/pdd/server.ts';
import { sandboxCatalogue } from '../../sandbox/platforms/server-products.ts';
import { PLATFORM_TEST_NOW } from '../../testkit/platforms/test-adapter.ts';
import { addShop, addSku, mapSku, move, openPushStation, pushRows } from '../../testkit/stock-push-fixtures.ts';
import { markStockDirty } from './dirty.ts';
import { readStockPushSettings, STOCK_PUSH_SETTINGS_KEY, StockPushService } from './push-service.ts';

const APP = { appKey: 'pdd-app-1', appSecret: 'pdd-s3cret', accessToken: 'tok-123' };
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup() {
  const st = openPushStation();
  closers.push(() => st.close());
  const products = sandboxCatalogue(1, PLATFORM_TEST_NOW);
  const srv = await startPlatformServer({ orders: [], products, ...APP, now: () => PLATFORM_TEST_NOW });
  closers.push(() => srv.close());
  addShop(st.db, 'pdd-1', 'pdd', { gateway: srv.url, ...APP });
  const sku = products[0]!.skus[0]!;
  addSku(st.db, 'A', 30);
  mapSku(st.db, 'pdd-1', products[0]!.productId, sku.skuId, 'A', 30);
  sku.stock = 30;
  const clock = { t: PLATFORM_TEST_NOW };
  const service = new StockPushService({
    db: st.db,
    events: new EventBus(),
    now: () => clock.t,
    adapterFor: (shop) => registryAdapterFor(shop, { now: () => PLATFORM_TEST_NOW }),
    // The test ticks by hand.
    tickMs: 3_600_000,
  });
  closers.push(() => service.stop());
  const change = (delta: number) => {
    move(st.db, 'A', delta);
    writeTx(st.db, (tx) => markStockDirty(tx, ['A'], clock.t));
  };
  return { st, sku, clock, service, change };
}

describe('stock push scheduling', () => {
  it('waits for 2 s of quiet after a change, then pushes and sends', async () => {
    const { st, sku, clock, service, change } = await setup();
    service.start();
    change(-5);
    clock.t += 1_000;
    await service.tick();
    expect(pushRows(st.db)).toHaveLength(0);
    clock.t += 1_000;
    await service.tick();
    expect(pushRows(st.db).map((r) => [r.quantity, r.state])).toEqual([[25, 'confirmed']]);
    expect(sku.stock).toBe(25);
  });

  it("the round evaluates the alerts of the SKUs it covered, in its own transaction", async () => {
    const { st, clock, service, change } = await setup();
    st.db.$client.prepare("UPDATE skus SET low_stock_threshold = 10 WHERE id = 'A'").run();
    service.start();
    const open = () => st.db.$client.prepare("SELECT kind FROM stock_alerts WHERE sku_id = 'A' AND cleared_at IS NULL").all();
    change(-24);
    expect(open()).toEqual([]);
    clock.t += 2_000;
    await service.tick();
    expect(open()).toEqual([{ kind: 'low' }]);
  });

  it('changes that never stop still push 15 s after the first', async () => {
    const { st, sku, clock, service, change } = await setup();
    service.start();
    const first = clock.t;
    for (let i = 0; clock.t - first < 15_000; i++) {
      change(-1);
      await service.tick();
      if (clock.t - first < 14_000) expect(pushRows(st.db)).toHaveLength(0);
      clock.t += 1_000;
    }
    await service.tick();
    expect(pushRows(st.db)).toHaveLength(1);
    expect(sku.stock).toBe(30 - 15);
  });

  it('a full round comes on the configured schedule even without marks (a change nobody marked)', async () => {
    const { st, sku, clock, service } = await setup();
    st.db.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(STOCK_PUSH_SETTINGS_KEY, JSON.stringify({ fullEveryMinutes: 5 }));
    expect(readStockPushSettings(st.db)).toMatchObject({ fullEveryMinutes: 5, quietMs: 2_000, maxWaitMs: 15_000, enabled: true });
    service.start();
    move(st.db, 'A', -7);
    clock.t += 59_000;
    await service.tick();
    expect(pushRows(st.db)).toHaveLength(0);
    clock.t += 1_000; // one minute after start: the first full round
    await service.tick();
    expect(sku.stock).toBe(23);
    move(st.db, 'A', -3);
    clock.t += 4 * 60_000;
    await service.tick();
    expect(sku.stock).toBe(23);
    clock.t += 60_000;
    await service.tick();
    expect(sku.stock).toBe(20);
  });

  it('unreadable settings read as the defaults; pushes can be turned off', async () => {
    const { st, clock, service, change } = await setup();
    st.db.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(STOCK_PUSH_SETTINGS_KEY, '{not json');
    expect(readStockPushSettings(st.db)).toEqual({ enabled: true, fullEveryMinutes: 15, quietMs: 2_000, maxWaitMs: 15_000 });
    st.db.$client.prepare('UPDATE meta SET value = ? WHERE key = ?').run(JSON.stringify({ enabled: false, quietMs: 'soon' }), STOCK_PUSH_SETTINGS_KEY);
    expect(readStockPushSettings(st.db)).toMatchObject({ enabled: false, quietMs: 2_000 });
    service.start();
    change(-5);
    clock.t += 20 * 60_000;
    await service.tick();
    expect(pushRows(st.db)).toHaveLength(0);
  });
});
