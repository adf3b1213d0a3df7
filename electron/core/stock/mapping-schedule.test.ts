// Scheduled mapping pulls on a real station: a shop never pulled is pulled on the first look, a
// pulled shop waits everyHours, a shop whose platform cannot be reached is logged and tried again
// after retryMinutes (never thrown, never holding up the others), paused shops and a disabled
// schedule pull nothing, and the settings live in meta.
import { afterEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { AppError } from '../../shared/result.ts';
import { createStationClock } from '../station/clock.ts';
import { lastPull, listMappings } from './mapping.ts';
import { pullMappings } from './mapping-pull.ts';
import { DEFAULT_MAPPING_PULL_SETTINGS, MAPPING_PULL_SETTINGS_KEY, MappingPullService, readMappingPullSettings } from './mapping-schedule.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

const HOUR = 3_600_000;

/** A listing of one SKU whose outer code is in the fixture's catalogue; shops in `offline` fail as a network error would. */
function harness(fx: Fixture, offline: Set<string>) {
  let clock = 1_800_000_000_000;
  const asked: string[] = [];
  const logs: string[] = [];
  const adapterFor = (shop: ShopRecord): PlatformAdapter =>
    ({
      platform: shop.platform,
      listProducts: async () => {
        asked.push(shop.id);
        if (offline.has(shop.id)) throw new Error('connect ECONNREFUSED 127.0.0.1:9');
        return {
          items: [{ platformProductId: `P-${shop.id}`, platformSkuId: 'S1', outerCode: 'SOCK-01', productOuterCode: null, title: '棉袜', spec: null, platformStock: 5, onSale: true }],
          quarantined: [],
          next: null,
        };
      },
    }) as unknown as PlatformAdapter;
  const service = new MappingPullService({ db: fx.db, events: fx.events, now: () => clock, adapterFor, sleep: async () => {}, log: (m) => logs.push(m) });
  return {
    service,
    asked,
    logs,
    advance: (ms: number) => (clock += ms),
    now: () => clock,
  };
}

describe('scheduled mapping pulls', () => {
  it('pulls a shop never pulled, waits everyHours after a complete pull, and retries a failed shop after retryMinutes', async () => {
    const fx = (f = openFixture());
    fx.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-2', '二店', 'pdd', 'active', 1), ('shop-3', '三店', 'pdd', 'paused', 1)").run();
    const offline = new Set(['shop-2']);
    const h = harness(fx, offline);

    const first = await h.service.tick();
    // The paused shop is never asked; the offline one fails alone and is logged, not thrown.
    expect(first.pulled).toEqual([
      { shopId: 'shop-2', error: expect.stringMatching(/ECONNREFUSED/) },
      { shopId: 'shop-1', error: null },
    ]);
    expect(h.logs.join('\n')).toMatch(/shop-2: .*ECONNREFUSED/);
    expect(lastPull(fx.db, 'shop-1')?.at).toBe(h.now());
    expect(lastPull(fx.db, 'shop-2')).toBeNull();
    // The listing landed and auto-matched: the scheduled pull is the same pull as mapping.pull.
    const row = fx.db.$client.prepare("SELECT sku_id AS skuId, matched_by AS matchedBy FROM sku_mappings WHERE shop_id = 'shop-1'").get();
    expect(row).toEqual({ skuId: 'sku-2', matchedBy: 'outer_code' });

    // Ten minutes later: nothing is due (shop-1 is fresh, shop-2 waits for its retry).
    h.advance(10 * 60_000);
    expect((await h.service.tick()).pulled).toEqual([]);
    // Past the retry wait, only the failed shop is asked again; back online, it lands.
    offline.clear();
    h.advance(DEFAULT_MAPPING_PULL_SETTINGS.retryMinutes * 60_000);
    expect((await h.service.tick()).pulled).toEqual([{ shopId: 'shop-2', error: null }]);
    expect(lastPull(fx.db, 'shop-2')?.at).toBe(h.now());

    // Six hours after shop-1's pull it is due again; shop-2 (pulled later) is not yet.
    h.advance(DEFAULT_MAPPING_PULL_SETTINGS.everyHours * HOUR - 30 * 60_000);
    expect((await h.service.tick()).pulled.map((p) => p.shopId)).toEqual(['shop-1']);
    expect(h.asked.filter((s) => s === 'shop-3')).toEqual([]);
  });

  it('keeps a failed pull for the 商品对应 view (when, why in kind and code, when it is tried again) until a pull completes, across a restart', async () => {
    const fx = (f = openFixture());
    const offline = new Set(['shop-1']);
    const h = harness(fx, offline);
    const failedAt = h.now();
    expect((await h.service.tick()).pulled).toEqual([{ shopId: 'shop-1', error: expect.stringMatching(/ECONNREFUSED/) }]);
    const list = () => listMappings(fx.db, { limit: 10, offset: 0 });
    expect(list().failedPulls).toEqual([
      {
        shopId: 'shop-1',
        at: failedAt,
        error: { code: 'INTERNAL', kind: 'retryable', message: expect.stringMatching(/ECONNREFUSED/) },
        scheduled: true,
        retryAt: failedAt + DEFAULT_MAPPING_PULL_SETTINGS.retryMinutes * 60_000,
      },
    ]);
    expect(list().lastPulls).toEqual([]);
    // A restarted station (a new service, nothing in memory) waits for the retry too.
    const restarted = harness(fx, offline);
    restarted.advance(h.now() - restarted.now() + 60_000);
    expect((await restarted.service.tick()).pulled).toEqual([]);
    // Back online past the retry wait: the pull completes and the failure is gone.
    offline.clear();
    restarted.advance(DEFAULT_MAPPING_PULL_SETTINGS.retryMinutes * 60_000);
    expect((await restarted.service.tick()).pulled).toEqual([{ shopId: 'shop-1', error: null }]);
    expect(list().failedPulls).toEqual([]);
    expect(list().lastPulls.map((p) => p.shopId)).toEqual(['shop-1']);
  });

  it('records a failed pull by a person as not scheduled, with the platform error classified', async () => {
    const fx = (f = openFixture());
    const ctx = { db: fx.db, events: fx.events, now: () => 1_800_000_000_000, actor: { userId: 'u', name: '店长', role: 'owner' as const }, clock: createStationClock(fx.db, () => 1_800_000_000_000) };
    const expired = { platform: 'taobao', listProducts: async () => Promise.reject(new AppError('SHOP_AUTH_EXPIRED', 'session expired')) } as unknown as PlatformAdapter;
    const r = await pullMappings(ctx, { adapterFor: () => expired }, { shopId: 'shop-1' });
    expect(r.shops[0]!.error).toMatch(/session expired/);
    expect(listMappings(fx.db, { limit: 1, offset: 0 }).failedPulls).toEqual([
      { shopId: 'shop-1', at: 1_800_000_000_000, error: { code: 'SHOP_AUTH_EXPIRED', kind: 'auth', message: 'session expired' }, scheduled: false, retryAt: null },
    ]);
    // Another shop's filter does not show it.
    expect(listMappings(fx.db, { shopId: 'shop-x', limit: 1, offset: 0 }).failedPulls).toEqual([]);
  });

  it('reads its settings from meta: disabled pulls nothing, a shorter period pulls sooner, and junk reads as the defaults', async () => {
    const fx = (f = openFixture());
    const h = harness(fx, new Set());
    const setSettings = (value: string) =>
      fx.db.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(MAPPING_PULL_SETTINGS_KEY, value);

    setSettings(JSON.stringify({ enabled: false }));
    expect((await h.service.tick()).pulled).toEqual([]);
    expect(h.asked).toEqual([]);

    setSettings(JSON.stringify({ enabled: true, everyHours: 1 }));
    expect((await h.service.tick()).pulled).toEqual([{ shopId: 'shop-1', error: null }]);
    h.advance(HOUR);
    expect((await h.service.tick()).pulled).toEqual([{ shopId: 'shop-1', error: null }]);

    setSettings('{not json');
    expect(readMappingPullSettings(fx.db)).toEqual(DEFAULT_MAPPING_PULL_SETTINGS);
    setSettings(JSON.stringify({ everyHours: -3, retryMinutes: 'soon' }));
    expect(readMappingPullSettings(fx.db)).toEqual(DEFAULT_MAPPING_PULL_SETTINGS);
  });

  it('runs on its timer once started and stops cleanly', async () => {
    const fx = (f = openFixture());
    const h = harness(fx, new Set());
    const service = new MappingPullService({
      db: fx.db,
      events: fx.events,
      now: h.now,
      tickMs: 5,
      adapterFor: () => ({ platform: 'taobao', listProducts: async () => ({ items: [], quarantined: [], next: null }) }) as unknown as PlatformAdapter,
      log: () => {},
    });
    service.start();
    for (let i = 0; i < 200 && lastPull(fx.db, 'shop-1') === null; i++) await new Promise((r) => setTimeout(r, 5));
    await service.stop();
    expect(lastPull(fx.db, 'shop-1')).toMatchObject({ at: h.now(), listed: 0 });
  });
});
