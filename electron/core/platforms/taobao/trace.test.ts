// Taobao traces against the loopback TOP gateway over real HTTP: taobao.logistics.trace.search for a
// trade shipped through online.send unfolds with the gateway's clock and maps to our states; an
// unshipped trade is refused; and the tracking poller pulls traces for a station's shipped packages
// through the real adapter, idempotently, feeding the exception rules (a stalled parcel, a locker).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../api/test-fixtures.ts';
import { listTrackingExceptions } from '../../tracking/exceptions.ts';
import { pollTraces } from '../../tracking/poller.ts';
import type { ShopRecord } from '../contract.ts';
import { TaobaoAdapter, createTaobaoAdapter } from './adapter.ts';
import { startPlatformServer, type PlatformServer } from './server.ts';
import { searchTopTrace, TRACE_METHOD } from './trace.ts';

const H = 3_600_000;
const APP = { appKey: '23456789', appSecret: 'trace-secret', accessToken: 'trace-token' };
const START = T0 + 2 * 86_400_000;

let fx: Fixture;
let server: PlatformServer;
const clock = { now: START };
const now = () => clock.now;
const orders = [1, 7, 9].map((n) => platformOrder(n));

beforeEach(async () => {
  clock.now = START;
  fx = openFixture(0);
  fx.addOrders(orders);
  server = await startPlatformServer({ orders: orders.map((o) => ({ ...o })), ...APP, now });
  fx.db.$client.prepare('UPDATE shops SET settings = ? WHERE id = ?').run(JSON.stringify({ gateway: server.url, ...APP }), fx.shopId);
});
afterEach(async () => {
  await server.close();
  fx.close();
});

function adapter(): TaobaoAdapter {
  const shop: ShopRecord = { id: fx.shopId, name: '淘宝店', platform: 'taobao', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP }) };
  return createTaobaoAdapter(shop, { now }) as TaobaoAdapter;
}

/** Ship order n at the gateway (online.send) and give the station its shipped package with that waybill. */
async function ship(n: number, waybillNo: string): Promise<string> {
  const tid = platformOrder(n).platformOrderId;
  const outcome = await adapter().push({ kind: 'ship', platformOrderId: tid, carrierCode: 'YTO', waybillNo });
  expect(outcome).toEqual({ kind: 'confirmed' });
  const packageId = `pkg-${n}`;
  fx.db.$client
    .prepare(`INSERT INTO packages (id, order_id, seq, carrier_code, waybill_no, state, shipped_at, created_at) VALUES (?, ?, 1, 'YTO', ?, 'shipped', ?, ?)`)
    .run(packageId, fx.idOf(n), waybillNo, clock.now, clock.now);
  return packageId;
}

describe('taobao.logistics.trace.search', () => {
  it('returns the shipped trade’s trace as it unfolds, mapped to our states', async () => {
    await ship(1, 'YT9000000001');
    const call = (m: string, p: Record<string, string>) => adapter().call(m, p);
    const tid = platformOrder(1).platformOrderId;
    expect((await searchTopTrace(call, tid)).events).toEqual([]);
    clock.now += 10 * H;
    const mid = await searchTopTrace(call, tid);
    expect(mid.waybillNo).toBe('YT9000000001');
    expect(mid.events.map((e) => e.status)).toEqual(['collected', 'in_transit']);
    expect(mid.events[0]).toMatchObject({ at: START - (START % 1000) + 2 * H, location: '杭州市' });
    clock.now += 30 * H;
    const done = await searchTopTrace(call, tid);
    expect(done.events.map((e) => e.status)).toEqual(['collected', 'in_transit', 'in_transit', 'delivering', 'signed']);
    expect(server.calls.filter((c) => c.method === TRACE_METHOD).map((c) => c.params.tid)).toEqual([tid, tid, tid]);
  });

  it('refuses a trade that has not been shipped', async () => {
    const err = await searchTopTrace((m, p) => adapter().call(m, p), platformOrder(7).platformOrderId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).details).toMatchObject({ subCode: 'isv.logistics-not-consigned' });
  });
});

describe('pollTraces through the Taobao adapter', () => {
  it('pulls due packages, records each event once, and feeds the exception rules', async () => {
    const normal = await ship(1, 'YT9000000001');
    const locker = await ship(7, 'YT9000000007');
    const stalled = await ship(9, 'YT9000000009');
    // Not due yet: nothing older than 6 h.
    expect(await pollTraces({ db: fx.db, now }, { olderThanMs: 6 * H })).toMatchObject({ polled: 0 });

    clock.now += 12 * H;
    const first = await pollTraces({ db: fx.db, now, events: fx.events }, { olderThanMs: 6 * H });
    expect(first).toMatchObject({ polled: 3, updated: 3, added: 6, noApi: 0, failed: [] });
    // Polled again at once: the last events are 2–4 h old, younger than olderThanMs, so nothing is due.
    expect(await pollTraces({ db: fx.db, now }, { olderThanMs: 6 * H })).toMatchObject({ polled: 0 });
    // With olderThanMs 0 the same traces come back and add nothing.
    expect(await pollTraces({ db: fx.db, now }, { olderThanMs: 0 })).toMatchObject({ polled: 3, added: 0 });

    clock.now += 48 * H;
    const second = await pollTraces({ db: fx.db, now }, { olderThanMs: 6 * H });
    expect(second).toMatchObject({ polled: 3, updated: 2, failed: [] });
    const state = (id: string) => (fx.db.$client.prepare('SELECT tracking_state AS s FROM packages WHERE id = ?').get(id) as { s: string }).s;
    expect([state(normal), state(locker), state(stalled)]).toEqual(['signed', 'signed', 'in_transit']);
    // Signed packages are no longer polled.
    expect(await pollTraces({ db: fx.db, now }, { olderThanMs: 0 })).toMatchObject({ polled: 1 });

    const ex = listTrackingExceptions(fx.db, clock.now, { limit: 10 });
    expect(Object.fromEntries(ex.rows.map((r) => [r.packageId, r.reason]))).toEqual({ [stalled]: 'stale_exception', [locker]: 'signed_by_proxy' });
    expect(ex.alertCount).toBe(1);
  });

  it('says which packages have no trace API and stops a shop whose session expired', async () => {
    await ship(1, 'YT9000000001');
    clock.now += 12 * H;
    expect(await pollTraces({ db: fx.db, now, fetcherFor: () => null }, { olderThanMs: H })).toMatchObject({ polled: 0, noApi: 1 });
    server.setFault({ kind: 'token-expired' });
    const r = await pollTraces({ db: fx.db, now }, { olderThanMs: H });
    expect(r.failed).toEqual([expect.objectContaining({ code: 'SHOP_AUTH_EXPIRED' })]);
  });
});
