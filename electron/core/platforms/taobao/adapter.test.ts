// The TOP adapter against the loopback TOP gateway over real HTTP: signed requests the server checks,
// backwards paging that survives orders changing mid-pull, exact money and status/refund mapping,
// and every failure class (bad signature, skewed clock, window limits, throttling, expired session,
// 5xx, truncated JSON, broken payloads) mapped to the error the sync engine acts on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';
import { AppError } from '../../../shared/result.ts';
import { AdapterPayloadError, type ShopRecord } from '../contract.ts';
import { generateOrders, DAY, HOUR, MINUTE, SECOND } from '../sandbox/generator.ts';
import { createTaobaoAdapter, fromTopTrade, INCREMENT_METHOD, TaobaoAdapter } from './adapter.ts';
import { maskAddress, maskMobile, maskName, startPlatformServer, toTopTrade, type PlatformServer } from './server.ts';
import { formatGmt8 } from '../gmt8.ts';
import { EventBus } from '../../api/events.ts';
import { openDatabase } from '../../db/open.ts';
import { SyncScheduler } from '../../sync/scheduler.ts';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const APP = { appKey: '12345678', appSecret: 'testsecret', accessToken: '6100a2b3c' };
const WINDOW = { fromMs: NOW - 30 * MINUTE, toMs: NOW - MINUTE };

const servers: PlatformServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** 60 realistic orders modified inside WINDOW (several sharing a second), 5 outside it, with chosen statuses, refunds and amounts. */
function fixtureOrders(): PlatformOrder[] {
  const base = [...generateOrders({ shops: [{ id: 'tb-1', platform: 'taobao', seed: 7 }], count: 65, fromMs: NOW - 3 * DAY, toMs: NOW - HOUR })].map((g) => g.order);
  const orders = base.map((o, i) => ({
    ...o,
    // Seconds only (TOP's resolution); pairs share a second to exercise the tie order.
    platformUpdatedAt: i < 60 ? WINDOW.fromMs + Math.floor(i / 2) * 50 * SECOND : NOW - 2 * HOUR - i * MINUTE,
  }));
  const set = (i: number, platformStatus: string, status: OrderStatus, afterSale: AfterSaleState = 'none') => {
    orders[i] = { ...(orders[i] as PlatformOrder), platformStatus, status, afterSale };
  };
  set(0, 'TRADE_FINISHED', 'completed');
  set(1, 'TRADE_CLOSED', 'closed', 'refunded');
  set(2, 'SELLER_CONSIGNED_PART', 'awaiting_shipment');
  set(3, 'TRADE_BUYER_SIGNED', 'completed');
  set(4, 'PAY_PENDING', 'unpaid');
  set(5, 'WAIT_SELLER_SEND_GOODS', 'awaiting_shipment', 'requested');
  set(6, 'WAIT_BUYER_CONFIRM_GOODS', 'shipped', 'in_progress');
  set(7, 'WAIT_BUYER_CONFIRM_GOODS', 'shipped', 'rejected');
  set(8, 'TRADE_CLOSED_BY_TAOBAO', 'closed');
  set(9, 'PAID_FORBID_CONSIGN', 'awaiting_shipment');
  // Amounts that floating point gets wrong: 0.01, 0.29 (0.29*100 = 28.999…), and ten million yuan.
  const o10 = orders[10] as PlatformOrder;
  orders[10] = { ...o10, goodsFen: 29, shippingFen: 1, discountFen: 0, paidFen: 30, items: [{ ...(o10.items[0] as PlatformOrder['items'][number]), quantity: 1, unitPriceFen: 29, paidFen: 29 }] };
  orders[11] = { ...(orders[11] as PlatformOrder), goodsFen: 1_000_000_000, discountFen: 1, paidFen: 999_999_999 };
  return orders;
}

/** What the adapter must produce for an order: TOP masks the receiver and carries no gift/bundle flags. */
function asSeenThroughTop(o: PlatformOrder): PlatformOrder {
  return {
    ...o,
    receiver: { ...o.receiver, name: maskName(o.receiver.name), phone: maskMobile(o.receiver.phone), address: maskAddress(o.receiver.address) },
    items: o.items.map((i) => ({ ...i, isGift: false, isBundle: false })),
  };
}

async function setup(settings: Record<string, unknown> = {}, clock: () => number = () => NOW) {
  const orders = fixtureOrders();
  const server = await startPlatformServer({ orders, ...APP, now: () => NOW });
  servers.push(server);
  const shop: ShopRecord = {
    id: 'tb-1',
    name: '淘宝旗舰店',
    platform: 'taobao',
    state: 'active',
    settings: JSON.stringify({ gateway: server.url, ...APP, pageSize: 7, ...settings }),
  };
  const adapter = createTaobaoAdapter(shop, { now: clock }) as TaobaoAdapter;
  return { server, adapter, orders };
}

async function pullAll(adapter: TaobaoAdapter, window = WINDOW, between?: (pageIndex: number) => void): Promise<unknown[]> {
  const out: unknown[] = [];
  let page: string | null = null;
  let n = 0;
  do {
    const r = await adapter.pullPage(window, page);
    expect(r.payloads.length).toBeLessThanOrEqual(adapter.limits.pageSize);
    out.push(...r.payloads);
    page = r.next;
    between?.(n++);
  } while (page !== null);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('Taobao TOP adapter against the loopback gateway', () => {
  it('pulls a multi-page window from the last page backwards and returns every order once, exactly mapped', async () => {
    const { server, adapter, orders } = await setup();
    const payloads = await pullAll(adapter);
    const pageNos = server.calls.map((c) => Number(c.params.page_no));
    // Probe page 1 for total_results, then 9, 8, … 1.
    expect(pageNos).toEqual([1, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    for (const c of server.calls) {
      expect(c.method).toBe(INCREMENT_METHOD);
      expect(c.params.start_modified).toBe('2026-03-10 19:30:00');
      expect(c.params.end_modified).toBe('2026-03-10 19:59:00');
      expect(c.params.sign_method).toBe('hmac-sha256');
    }
    const got = payloads.map((p) => adapter.toOrder(p));
    expect(new Set(got.map((o) => o.platformOrderId)).size).toBe(60);
    const expected = orders.slice(0, 60).map(asSeenThroughTop);
    const byId = (a: PlatformOrder, b: PlatformOrder) => (a.platformOrderId < b.platformOrderId ? -1 : 1);
    expect([...got].sort(byId)).toEqual([...expected].sort(byId));
  });

  it('maps TOP statuses, line-level refunds and yuan amounts exactly', async () => {
    const { adapter, orders } = await setup();
    const got = new Map((await pullAll(adapter)).map((p) => adapter.toOrder(p)).map((o) => [o.platformOrderId, o]));
    const at = (i: number) => got.get((orders[i] as PlatformOrder).platformOrderId) as PlatformOrder;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => [at(i).platformStatus, at(i).status, at(i).afterSale])).toEqual([
      ['TRADE_FINISHED', 'completed', 'none'],
      ['TRADE_CLOSED', 'closed', 'refunded'],
      ['SELLER_CONSIGNED_PART', 'awaiting_shipment', 'none'],
      ['TRADE_BUYER_SIGNED', 'completed', 'none'],
      ['PAY_PENDING', 'unpaid', 'none'],
      ['WAIT_SELLER_SEND_GOODS', 'awaiting_shipment', 'requested'],
      ['WAIT_BUYER_CONFIRM_GOODS', 'shipped', 'in_progress'],
      ['WAIT_BUYER_CONFIRM_GOODS', 'shipped', 'rejected'],
      ['TRADE_CLOSED_BY_TAOBAO', 'closed', 'none'],
      ['PAID_FORBID_CONSIGN', 'awaiting_shipment', 'none'],
    ]);
    expect([at(10).goodsFen, at(10).shippingFen, at(10).paidFen, at(10).items[0]?.unitPriceFen]).toEqual([29, 1, 30, 29]);
    expect([at(11).goodsFen, at(11).discountFen, at(11).paidFen]).toEqual([1_000_000_000, 1, 999_999_999]);
    // The receiver arrives masked, with the oaid kept for decryption at waybill time.
    const r = at(12).receiver;
    expect(r.name).toMatch(/^.\*\*$/u);
    expect(r.phone).toMatch(/^\*{7}\d{4}$/);
    expect(r.cipher).toBe((orders[12] as PlatformOrder).receiver.cipher);
  });

  it('misses nothing when an order changes while the window is being paged', async () => {
    const { adapter, orders } = await setup();
    // The newest order sits on page 1, fetched last. It changes halfway through the pull and leaves the
    // window, so every older order shifts one place forward: a forward pager that had already read
    // pages 1–5 would now skip the order crossing from page 6 into page 5.
    const moved = orders[58] as PlatformOrder;
    const payloads = await pullAll(adapter, WINDOW, (n) => {
      if (n === 4) orders[58] = { ...moved, platformStatus: 'TRADE_FINISHED', status: 'completed', platformUpdatedAt: NOW - 30 * SECOND };
    });
    const ids = new Set(payloads.map((p) => adapter.toOrder(p).platformOrderId));
    const missing = orders.slice(0, 60).filter((o) => o !== moved && o.platformOrderId !== moved.platformOrderId && !ids.has(o.platformOrderId));
    expect(missing.map((o) => o.platformOrderId)).toEqual([]);
    // …and the next window carries it in its current state.
    const next = (await pullAll(adapter, { fromMs: WINDOW.toMs, toMs: NOW })).map((p) => adapter.toOrder(p));
    expect(next.map((o) => [o.platformOrderId, o.status])).toEqual([[moved.platformOrderId, 'completed']]);
  });

  it('serves a single-page window with one call', async () => {
    const { server, adapter } = await setup({ pageSize: 100 });
    const r = await adapter.pullPage(WINDOW, null);
    expect([r.payloads.length, r.next, server.calls.length]).toEqual([60, null, 1]);
  });

  it('is refused by the gateway when signed with the wrong secret or a skewed clock', async () => {
    const wrong = await setup({ appSecret: 'not-the-secret' });
    const e1 = await rejection(wrong.adapter.pullPage(WINDOW, null));
    expect(e1.code).toBe('PLATFORM_ERROR');
    expect(e1.details).toMatchObject({ code: 25, retryable: false, throttled: false });
    expect(wrong.server.calls).toHaveLength(0); // rejected before reaching the API

    for (const signMethod of ['md5', 'hmac']) {
      const ok = await setup({ signMethod });
      expect((await ok.adapter.pullPage(WINDOW, '1')).payloads).toHaveLength(7);
    }

    const skewed = await setup({}, () => NOW + 11 * MINUTE);
    const e2 = await rejection(skewed.adapter.pullPage(WINDOW, null));
    expect(e2.details).toMatchObject({ code: 31, retryable: false });
  });

  it('refuses windows over the limit: locally beyond maxWindowMs, at the gateway beyond one day', async () => {
    const { server, adapter } = await setup();
    const e1 = await rejection(adapter.pullPage({ fromMs: NOW - 32 * MINUTE, toMs: NOW - MINUTE }, null));
    expect(e1.details).toMatchObject({ retryable: false });
    expect(server.calls).toHaveLength(0);

    const e2 = await rejection(
      adapter.call(INCREMENT_METHOD, { fields: 'tid', start_modified: formatGmt8(NOW - DAY - 2 * HOUR), end_modified: formatGmt8(NOW - HOUR) }),
    );
    expect(e2.code).toBe('PLATFORM_ERROR');
    expect(e2.details).toMatchObject({ code: 15, subCode: 'isv.invalid-parameter:end_modified', retryable: false });

    const e3 = await rejection(adapter.call(INCREMENT_METHOD, { fields: 'tid', start_modified: formatGmt8(NOW - HOUR), end_modified: formatGmt8(NOW), page_size: '101' }));
    expect(e3.details).toMatchObject({ subCode: 'isv.invalid-parameter:page_size' });
  });

  it('maps throttling, expired sessions, 5xx and truncated JSON to errors the engine can act on', async () => {
    const { server, adapter } = await setup();
    server.setFault({ kind: 'throttle', banSeconds: 3 });
    const throttled = await rejection(adapter.pullPage(WINDOW, null));
    expect(throttled.code).toBe('PLATFORM_ERROR');
    expect(throttled.details).toMatchObject({ code: 7, throttled: true, retryable: true, retryAfterMs: 3000 });

    server.setFault({ kind: 'token-expired' });
    expect((await rejection(adapter.pullPage(WINDOW, null))).code).toBe('SHOP_AUTH_EXPIRED');

    server.setFault({ kind: '5xx' });
    const e5 = await rejection(adapter.pullPage(WINDOW, null));
    expect([e5.code, e5.details]).toMatchObject(['PLATFORM_ERROR', { code: 'HTTP_502', retryable: true, throttled: false }]);

    server.setFault({ kind: 'malformed-json' });
    const ej = await rejection(adapter.pullPage(WINDOW, null));
    expect([ej.code, ej.details]).toMatchObject(['PLATFORM_ERROR', { code: 'BAD_JSON', retryable: true }]);

    server.setFault(null);
    expect((await adapter.pullPage(WINDOW, '9')).payloads.length).toBe(4);
  });

  it('maps a session the gateway does not know to SHOP_AUTH_EXPIRED', async () => {
    const { adapter } = await setup({ accessToken: 'revoked' });
    expect((await rejection(adapter.pullPage(WINDOW, null))).code).toBe('SHOP_AUTH_EXPIRED');
  });

  it('quarantines a broken payload with a readable reason and maps the rest of the page', async () => {
    const { server, adapter } = await setup();
    server.setFault({ kind: 'bad-payload' });
    const { payloads } = await adapter.pullPage(WINDOW, '2');
    const first = payloads[0] as { tid_str: string };
    let caught: unknown;
    try {
      adapter.toOrder(first);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AdapterPayloadError);
    expect((caught as AdapterPayloadError).reason).toMatch(/payment/);
    expect((caught as AdapterPayloadError).platformOrderId).toBe(first.tid_str);
    for (const p of payloads.slice(1)) expect(() => adapter.toOrder(p)).not.toThrow();
  });
});

describe('fromTopTrade', () => {
  const sample = () => toTopTrade(fixtureOrders()[0] as PlatformOrder);

  it('reads province-direct counties, safe numeric ids and absent optional fields', () => {
    const t: Record<string, unknown> = { ...sample(), tid: 1234567, receiver_city: '', receiver_district: '济源市' };
    delete t.tid_str;
    delete t.buyer_message;
    const o = fromTopTrade(JSON.parse(JSON.stringify(t)));
    expect([o.platformOrderId, o.receiver.city, o.receiver.district, o.buyerMessage]).toEqual(['1234567', '济源市', '', null]);
  });

  it('refuses what cannot be trusted, naming the trade', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ status: 'TRADE_WHATEVER' }, /unknown trade status/],
      [{ total_fee: '12.345' }, /total_fee: amount must be a yuan string/],
      [{ orders: { order: [] } }, /at least one line/],
      [{ created: '2026/03/10 10:00' }, /created: time must be/],
      [{ tid: 2 ** 60, tid_str: undefined }, /lost precision/],
    ];
    for (const [patch, reason] of cases) {
      const t: Record<string, unknown> = { ...sample(), ...patch };
      if ('tid_str' in patch) delete t.tid_str;
      expect(() => fromTopTrade(t)).toThrow(AdapterPayloadError);
      expect(() => fromTopTrade(t)).toThrow(reason);
    }
    const line = (sample().orders as { order: Record<string, unknown>[] }).order[0];
    expect(() => fromTopTrade({ ...sample(), orders: { order: [{ ...line, refund_status: 'ODD' }] } })).toThrow(/unknown refund_status "ODD"/);
  });

  it('is the factory result for tmall shops too', () => {
    const a = createTaobaoAdapter({ id: 's', name: 'n', platform: 'tmall', state: 'active', settings: '{}' }, { now: () => NOW });
    expect(a.platform).toBe('tmall');
    expect(a.limits).toMatchObject({ maxWindowMs: 30 * MINUTE, pageSize: 50 });
  });
});

describe('SyncScheduler with a Taobao shop, end to end', () => {
  it('backfills through the gateway into SQLite, follows a change, and marks the shop on an expired session', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-e2e-'));
    const db = openDatabase(path.join(dir, 'shopfleet.db'));
    const clock = { now: NOW };
    // Orders modified across the last 6 hours: the 12 h backfill spans 24 windows of 30 min.
    const orders = [...generateOrders({ shops: [{ id: 'tb-e2e', platform: 'taobao', seed: 11 }], count: 90, fromMs: NOW - 3 * DAY, toMs: NOW - 6 * HOUR })].map(
      (g, i) => ({ ...g.order, platformUpdatedAt: NOW - 6 * HOUR + i * 4 * MINUTE }),
    );
    const server = await startPlatformServer({ orders, ...APP, now: () => clock.now });
    servers.push(server);
    db.$client
      .prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('tb-e2e', '淘宝旗舰店', 'taobao', 'active', 0, ?)")
      .run(JSON.stringify({ gateway: server.url, ...APP, pageSize: 5 }));
    const scheduler = new SyncScheduler({
      db,
      events: new EventBus(),
      now: () => clock.now,
      backfillMs: 12 * HOUR,
      adapterFor: (shop) => createTaobaoAdapter(shop, { now: () => clock.now }),
    });
    const stored = () =>
      db.$client.prepare("SELECT platform_order_id AS id, status, paid_fen AS paid FROM orders WHERE shop_id = 'tb-e2e' ORDER BY id").all() as {
        id: string;
        status: string;
        paid: number;
      }[];
    try {
      const first = await scheduler.syncShop('tb-e2e');
      expect(first.error).toBeUndefined();
      const lag = 60_000;
      const expected = orders
        .filter((o) => o.platformUpdatedAt < NOW - lag)
        .map((o) => ({ id: o.platformOrderId, status: o.status, paid: o.paidFen }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(stored()).toEqual(expected);

      // The buyer confirms receipt of one order; the next round picks up its new state.
      const target = orders[3] as PlatformOrder;
      clock.now = NOW + 10 * MINUTE;
      orders[3] = { ...target, platformStatus: 'TRADE_FINISHED', status: 'completed', platformUpdatedAt: NOW + 2 * MINUTE };
      const second = await scheduler.syncShop('tb-e2e');
      expect(second.error).toBeUndefined();
      expect(stored().find((r) => r.id === target.platformOrderId)?.status).toBe('completed');
      expect(stored()).toHaveLength(expected.length);

      server.setFault({ kind: 'token-expired' });
      clock.now += 5 * MINUTE;
      const third = await scheduler.syncShop('tb-e2e');
      expect(third.error).toMatch(/Invalid session/);
      expect((db.$client.prepare("SELECT state FROM shops WHERE id = 'tb-e2e'").get() as { state: string }).state).toBe('auth_expired');
    } finally {
      await scheduler.stop();
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
