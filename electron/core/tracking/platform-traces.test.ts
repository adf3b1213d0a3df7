// Platform traces through the real adapters against the loopback gateways over HTTP: a parcel
// shipped through the adapter's push is traced — by trade on Taobao (taobao.logistics.trace.search),
// by carrier + waybill on PDD (pdd.logistics.ordertrace.get) and Douyin
// (logistics.trackNoRouteDetail) — unfolds with the gateway's clock and maps to our states; what was
// never shipped has no trace (or is refused, on TOP); and the tracking poller traces a station's
// shipped packages, idempotently, feeding the exception rules (a stalled parcel, a locker), and stops
// a shop whose authorisation expired.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Platform, PlatformOrder } from '../../shared/model.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import type { AdapterFactory, PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { createDouyinAdapter } from '../platforms/douyin/adapter.ts';
import { createTaobaoAdapter } from '../platforms/taobao/adapter.ts';
import { startPlatformServer as startTaobao } from '../../sandbox/platforms/taobao/server.ts';
import { TRACE_METHOD as TOP_TRACE } from '../platforms/taobao/trace.ts';
import { startPlatformServer as startDouyin } from '../../sandbox/platforms/douyin/server.ts';
import { createPddAdapter } from '../platforms/pdd/adapter.ts';
import { startPlatformServer as startPdd } from '../../sandbox/platforms/pdd/server.ts';
import { TRACE_TYPE as PDD_TRACE } from '../platforms/pdd/trace.ts';
import { AppError } from '../../shared/result.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { listTrackingExceptions } from './exceptions.ts';
import { pollTraces } from './poller.ts';

const H = 3_600_000;
const START = T0 + 2 * 86_400_000;

interface Gateway {
  url: string;
  close(): Promise<void>;
  expireToken(): void;
  /** The trace calls the gateway answered, as the params it got (PDD records them; Douyin's answer proves its code: it traces only the company it shipped with). */
  traceCalls?(): Record<string, unknown>[];
}

interface Case {
  platform: Extract<Platform, 'taobao' | 'pdd' | 'douyin'>;
  /** Where the first step happened: TOP names no station, so the city in 【】. */
  firstLocation: string;
  /** Traced by carrier + waybill (an unknown carrier is refused, an unknown waybill has no trace) rather than by trade. */
  byWaybill: boolean;
  app: { appKey: string; appSecret: string; accessToken: string };
  start(orders: PlatformOrder[], now: () => number): Promise<Gateway>;
  create: AdapterFactory;
}

const CASES: Case[] = [
  {
    platform: 'taobao',
    firstLocation: '杭州市',
    byWaybill: false,
    app: { appKey: '23456789', appSecret: 'trace-secret', accessToken: 'trace-token' },
    async start(orders, now) {
      const s = await startTaobao({ orders, appKey: '23456789', appSecret: 'trace-secret', accessToken: 'trace-token', now });
      return { url: s.url, close: s.close, expireToken: () => s.setFault({ kind: 'token-expired' }), traceCalls: () => s.calls.filter((c) => c.method === TOP_TRACE).map((c) => c.params) };
    },
    create: createTaobaoAdapter,
  },
  {
    platform: 'pdd',
    firstLocation: '余杭仓前网点',
    byWaybill: true,
    app: { appKey: 'pdd-trace', appSecret: 'pdd-s3cret', accessToken: 'pdd-token' },
    async start(orders, now) {
      const s = await startPdd({ orders, appKey: 'pdd-trace', appSecret: 'pdd-s3cret', accessToken: 'pdd-token', now });
      return { url: s.url, close: s.close, expireToken: () => s.setFault('tokenExpired'), traceCalls: () => s.calls.filter((c) => c.type === PDD_TRACE).map((c) => c.params) };
    },
    create: createPddAdapter,
  },
  {
    platform: 'douyin',
    firstLocation: '余杭仓前网点',
    byWaybill: true,
    app: { appKey: '7000000000000000009', appSecret: 'dd-s3cret', accessToken: 'dd-token' },
    async start(orders, now) {
      const s = await startDouyin({ orders, appKey: '7000000000000000009', appSecret: 'dd-s3cret', accessToken: 'dd-token', now });
      return { url: s.url, close: s.close, expireToken: () => s.setFault('tokenExpired') };
    },
    create: createDouyinAdapter,
  },
];

describe.each(CASES)('$platform traces', (c) => {
  let fx: Fixture;
  let gateway: Gateway;
  const clock = { now: START };
  const now = () => clock.now;
  const orders = [1, 7, 9].map((n) => platformOrder(n));

  beforeEach(async () => {
    clock.now = START;
    fx = openFixture(0);
    fx.addOrders(orders);
    gateway = await c.start(orders.map((o) => ({ ...o })), now);
    fx.db.$client.prepare('UPDATE shops SET platform = ?, settings = ? WHERE id = ?').run(c.platform, JSON.stringify({ gateway: gateway.url, ...c.app }), fx.shopId);
  });
  afterEach(async () => {
    await gateway.close();
    fx.close();
  });

  function adapter(): PlatformAdapter & Required<Pick<PlatformAdapter, 'traceParcel'>> {
    const shop: ShopRecord = { id: fx.shopId, name: '店', platform: c.platform, state: 'active', settings: JSON.stringify({ gateway: gateway.url, ...c.app }) };
    const a = c.create(shop, { now });
    if (!a.traceParcel) throw new Error(`${c.platform} adapter has no traceParcel`);
    return a as PlatformAdapter & Required<Pick<PlatformAdapter, 'traceParcel'>>;
  }

  /** Ship order n at the gateway with ZTO and give the station its shipped package with that waybill. */
  async function ship(n: number, waybillNo: string): Promise<string> {
    const platformOrderId = platformOrder(n).platformOrderId;
    expect(await adapter().push({ kind: 'ship', platformOrderId, carrierCode: 'ZTO', waybillNo })).toEqual({ kind: 'confirmed' });
    const packageId = `pkg-${n}`;
    fx.db.$client
      .prepare(`INSERT INTO packages (id, order_id, seq, carrier_code, waybill_no, state, shipped_at, created_at) VALUES (?, ?, 1, 'ZTO', ?, 'shipped', ?, ?)`)
      .run(packageId, fx.idOf(n), waybillNo, clock.now, clock.now);
    return packageId;
  }

  it('traces a shipped parcel as it unfolds, in our states, with where each step happened', async () => {
    await ship(1, '73100000000001');
    const req = { platformOrderId: platformOrder(1).platformOrderId, carrierCode: 'ZTO', waybillNo: '73100000000001' };
    expect(await adapter().traceParcel(req)).toMatchObject({ waybillNo: '73100000000001', events: [] });
    clock.now += 10 * H;
    const mid = await adapter().traceParcel(req);
    expect(mid.events.map((e) => e.status)).toEqual(['collected', 'in_transit']);
    expect(mid.events[0]).toMatchObject({ at: START - (START % 1000) + 2 * H, location: c.firstLocation });
    expect(mid.events[0]?.description).toContain('揽收');
    clock.now += 30 * H;
    const done = await adapter().traceParcel(req);
    expect(done.events.map((e) => e.status)).toEqual(['collected', 'in_transit', 'in_transit', 'delivering', 'signed']);
    // What identifies the parcel travels: the trade on TOP; the platform's carrier code and the waybill on PDD, fresh (no cache).
    const sent = gateway.traceCalls?.().at(-1);
    if (c.platform === 'taobao') expect(sent).toMatchObject({ tid: req.platformOrderId });
    if (c.platform === 'pdd') expect(sent).toMatchObject({ company_code: 'ZTO', mail_no: '73100000000001', cache: 'false' });
  });

  it('has no trace for a parcel it never shipped; refuses a carrier it does not know', async () => {
    const unknown = { platformOrderId: platformOrder(7).platformOrderId, carrierCode: 'ZTO', waybillNo: '73199999999999' };
    if (!c.byWaybill) {
      // TOP traces trades: one never shipped is refused in TOP's words.
      await expect(adapter().traceParcel(unknown)).rejects.toMatchObject({ details: { subCode: 'isv.logistics-not-consigned' } });
      return;
    }
    expect(await adapter().traceParcel(unknown)).toEqual({ waybillNo: '73199999999999', events: [] });
    await expect(adapter().traceParcel({ ...unknown, carrierCode: 'NOPE' })).rejects.toThrow();
  });

  it('feeds the poller: due packages traced once each, signed ones dropped, exceptions found', async () => {
    const normal = await ship(1, '73100000000001');
    const locker = await ship(7, '73100000000007');
    const stalled = await ship(9, '73100000000009');
    clock.now += 12 * H;
    expect(await pollTraces({ db: fx.db, now }, { olderThanMs: 6 * H })).toMatchObject({ polled: 3, updated: 3, added: 6, noApi: 0, failed: [] });
    expect(await pollTraces({ db: fx.db, now }, { olderThanMs: 0 })).toMatchObject({ polled: 3, added: 0 });
    clock.now += 48 * H;
    expect(await pollTraces({ db: fx.db, now }, { olderThanMs: 6 * H })).toMatchObject({ polled: 3, updated: 2, failed: [] });
    const state = (id: string) => (fx.db.$client.prepare('SELECT tracking_state AS s FROM packages WHERE id = ?').get(id) as { s: string }).s;
    expect([state(normal), state(locker), state(stalled)]).toEqual(['signed', 'signed', 'in_transit']);
    expect(await pollTraces({ db: fx.db, now }, { olderThanMs: 0 })).toMatchObject({ polled: 1 });
    const ex = listTrackingExceptions(fx.db, clock.now, { limit: 10 });
    expect(Object.fromEntries(ex.rows.map((r) => [r.packageId, r.reason]))).toEqual({ [stalled]: 'stale_exception', [locker]: 'signed_by_proxy' });
    expect(ex.alertCount).toBe(1);
  });

  it('says which packages have no trace API and stops a shop whose authorisation expired', async () => {
    await ship(1, '73100000000001');
    await ship(7, '73100000000007');
    clock.now += 12 * H;
    expect(await pollTraces({ db: fx.db, now, fetcherFor: () => null }, { olderThanMs: H })).toMatchObject({ polled: 0, noApi: 2 });
    gateway.expireToken();
    const r = await pollTraces({ db: fx.db, now }, { olderThanMs: H });
    // The first refusal stops the shop: its other package is not asked about.
    expect(r.failed).toEqual([expect.objectContaining({ code: 'SHOP_AUTH_EXPIRED' })]);
  });
});

describe('pollTraces with a failing shop', () => {
  it('gives up on a shop after 3 failures in a row and caps each shop per round, so the others get their turn', async () => {
    const fx = openFixture(0);
    try {
      const now = () => START + 12 * H;
      fx.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('good', '好店', 'taobao', 'active', ?, '{}')").run(T0);
      const failing = fx.addOrders([1, 2, 3, 4, 5, 6, 7, 8].map((n) => platformOrder(n)));
      ingestOrders(fx.db, { shopId: 'good', platform: 'taobao', orders: [{ order: platformOrder(9), raw: {} }] }, START);
      const goodOrder = (fx.db.$client.prepare("SELECT id FROM orders WHERE shop_id = 'good'").get() as { id: string }).id;
      const ship = fx.db.$client.prepare(`INSERT INTO packages (id, order_id, seq, carrier_code, waybill_no, state, shipped_at, created_at) VALUES (?, ?, 1, 'ZTO', ?, 'shipped', ?, ?)`);
      // The failing shop's parcels left first: oldest news, first in line.
      failing.forEach((id, i) => ship.run(`bad-${i}`, id, `7310000000000${i}`, START + i, START + i));
      ship.run('good-0', goodOrder, '73100000000099', START + H, START + H);
      const asked: string[] = [];
      const fetcherFor = (shop: ShopRecord) => async (req: { waybillNo: string }) => {
        asked.push(req.waybillNo);
        if (shop.id !== 'good') throw new AppError('PLATFORM_ERROR', 'isp.service-unavailable');
        return { waybillNo: req.waybillNo, events: [{ at: START + 3 * H, status: 'collected' as const, description: '【杭州市】已揽收', location: '杭州市' }] };
      };
      const r = await pollTraces({ db: fx.db, now, fetcherFor }, { olderThanMs: H, limit: 5, perShop: 4 });
      expect(r.failed).toHaveLength(3);
      expect(r).toMatchObject({ polled: 4, updated: 1, added: 1 });
      expect(asked.at(-1)).toBe('73100000000099');
    } finally {
      fx.close();
    }
  });
});
