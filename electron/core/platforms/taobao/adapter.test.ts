// The TOP adapter against the loopback TOP gateway over real HTTP: signed requests the server checks,
// backwards paging that survives orders changing mid-pull, partial increment listings read whole
// through taobao.trade.fullinfo.get (a few calls in flight; failures fail the page, refusals are
// quarantined), exact money and status/refund mapping, lenient reading of optional fields, and every
// failure class (bad signature, skewed clock, window limits, throttling, expired session, 5xx,
// truncated JSON, broken payloads) mapped to the error the sync engine acts on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abnormalBit, type AfterSaleState, type OrderStatus, type PlatformOrder } from '../../../shared/model.ts';
import { AdapterPayloadError, type ShopRecord } from '../contract.ts';
import { generateOrders, DAY, HOUR, MINUTE, SECOND } from '../../../sandbox/demo/generator.ts';
import { createTaobaoAdapter, DETAIL_CONCURRENCY, fromTopTrade, FULLINFO_METHOD, INCREMENT_FIELDS, INCREMENT_METHOD, TaobaoAdapter, TRADE_FIELDS } from './adapter.ts';
import { maskAddress, maskMobile, maskName, startPlatformServer, toTopTrade, type PlatformServer } from '../../../sandbox/platforms/taobao/server.ts';
import { formatGmt8 } from '../gmt8.ts';
import { EventBus } from '../../api/events.ts';
import { openDatabase } from '../../db/open.ts';
import { SyncScheduler } from '../../sync/scheduler.ts';
import { rejection } from '../../../testkit/results.ts';

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

describe('Taobao TOP adapter against the loopback gateway', () => {
  it('pulls a multi-page window from the last page backwards and returns every order once, exactly mapped', async () => {
    const { server, adapter, orders } = await setup();
    const payloads = await pullAll(adapter);
    const lists = server.calls.filter((c) => c.method === INCREMENT_METHOD);
    // Probe page 1 for total_results, then 9, 8, … 1.
    expect(lists.map((c) => Number(c.params.page_no))).toEqual([1, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    for (const c of lists) {
      expect(c.params.fields).toBe(INCREMENT_FIELDS);
      expect(c.params.start_modified).toBe('2026-03-10 19:30:00');
      expect(c.params.end_modified).toBe('2026-03-10 19:59:00');
      expect(c.params.sign_method).toBe('hmac-sha256');
    }
    // Every listed trade read whole once — the probe's page 1 is not read, it is fetched again last.
    const details = server.calls.filter((c) => c.method === FULLINFO_METHOD);
    expect(details.every((c) => c.params.fields === TRADE_FIELDS)).toBe(true);
    expect(details.map((c) => c.params.tid).sort()).toEqual(orders.slice(0, 60).map((o) => o.platformOrderId).sort());
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

  it('serves a single-page window with one list call, then one detail call per trade', async () => {
    const { server, adapter } = await setup({ pageSize: 100 });
    const r = await adapter.pullPage(WINDOW, null);
    const count = (method: string) => server.calls.filter((c) => c.method === method).length;
    expect([r.payloads.length, r.next, count(INCREMENT_METHOD), count(FULLINFO_METHOD)]).toEqual([60, null, 1, 60]);
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

describe('partial increment listings read whole through taobao.trade.fullinfo.get', () => {
  it('gets partial trades from the list whatever it asks for, as TOP documents', async () => {
    const { adapter } = await setup();
    const r = await adapter.call(INCREMENT_METHOD, {
      fields: TRADE_FIELDS,
      start_modified: formatGmt8(WINDOW.fromMs),
      end_modified: formatGmt8(WINDOW.toMs),
      page_size: '100',
    });
    const trades = (r.trades as { trade: Record<string, unknown>[] }).trade;
    expect(trades).toHaveLength(60);
    for (const t of trades) expect(Object.keys(t).sort()).toEqual(['modified', 'status', 'tid', 'tid_str']);
  });

  it('keeps at most DETAIL_CONCURRENCY detail calls in flight', async () => {
    const { server, adapter } = await setup({ pageSize: 50 });
    server.setFault({ kind: 'slow', delayMs: 15 });
    const realFetch = globalThis.fetch;
    let inFlight = 0;
    let most = 0;
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (...args: Parameters<typeof fetch>) => {
      most = Math.max(most, ++inFlight);
      try {
        return await realFetch(...args);
      } finally {
        inFlight--;
      }
    });
    try {
      await pullAll(adapter);
    } finally {
      spy.mockRestore();
    }
    expect(most).toBe(DETAIL_CONCURRENCY);
  });

  it('fails the whole page on a transient detail failure, so nothing of it is handed on, and the retry reads it whole', async () => {
    const { server, adapter, orders } = await setup({ pageSize: 100 });
    const victim = (orders[30] as PlatformOrder).platformOrderId;
    server.setFault({ kind: 'fullinfo-fails', as: 'transient', tids: [victim], times: 1 });
    const e = await rejection(adapter.pullPage(WINDOW, null));
    expect([e.code, e.details]).toMatchObject(['PLATFORM_ERROR', { code: 15, subCode: 'isp.top-remote-connection-timeout', retryable: true }]);
    const again = await adapter.pullPage(WINDOW, null);
    expect(again.payloads.map((p) => adapter.toOrder(p).platformOrderId).sort()).toEqual(orders.slice(0, 60).map((o) => o.platformOrderId).sort());
  });

  it('quarantines a listed trade that vanished before its detail, naming TOP\'s refusal, and maps the rest', async () => {
    const { server, adapter, orders } = await setup({ pageSize: 100 });
    const gone = orders[17] as PlatformOrder;
    server.afterIncrementPage = () => {
      server.orders = server.orders.filter((o) => o.platformOrderId !== gone.platformOrderId);
    };
    const { payloads } = await adapter.pullPage(WINDOW, null);
    expect(payloads).toHaveLength(60);
    const failures: AdapterPayloadError[] = [];
    const mapped: string[] = [];
    for (const p of payloads) {
      try {
        mapped.push(adapter.toOrder(p).platformOrderId);
      } catch (err) {
        failures.push(err as AdapterPayloadError);
      }
    }
    expect(mapped).toHaveLength(59);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(AdapterPayloadError);
    expect(failures[0]?.platformOrderId).toBe(gone.platformOrderId);
    expect(failures[0]?.reason).toMatch(/taobao\.trade\.fullinfo\.get refused this trade .*isv\.trade-not-exist/);
    expect(failures[0]?.reason).toContain(gone.platformStatus);
  });

  it('hands on the current state of a trade that closed between the list and its detail', async () => {
    const { server, adapter, orders } = await setup({ pageSize: 100 });
    const target = orders[20] as PlatformOrder;
    server.afterIncrementPage = () => {
      const i = server.orders.findIndex((o) => o.platformOrderId === target.platformOrderId);
      server.orders[i] = { ...target, platformStatus: 'TRADE_CLOSED_BY_TAOBAO', status: 'closed', platformUpdatedAt: NOW - 10 * SECOND };
    };
    const { payloads } = await adapter.pullPage(WINDOW, null);
    const o = payloads.map((p) => adapter.toOrder(p)).find((x) => x.platformOrderId === target.platformOrderId);
    expect([o?.status, o?.platformStatus, o?.platformUpdatedAt]).toEqual(['closed', 'TRADE_CLOSED_BY_TAOBAO', NOW - 10 * SECOND]);
  });

  it('asks again when a detail is older than the listing that named it', async () => {
    const { server, adapter, orders } = await setup({ pageSize: 100 });
    const target = orders[25] as PlatformOrder;
    server.afterIncrementPage = () => {
      const i = server.orders.findIndex((o) => o.platformOrderId === target.platformOrderId);
      server.orders[i] = { ...target, platformUpdatedAt: target.platformUpdatedAt - 5 * MINUTE };
    };
    const e = await rejection(adapter.pullPage(WINDOW, null));
    expect(e.details).toMatchObject({ code: 'STALE_DETAIL', retryable: true });
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
    const line = (sample().orders as { order: Record<string, unknown>[] }).order[0] as Record<string, unknown>;
    const lineCases: Array<[Record<string, unknown>, RegExp]> = [
      [{ title: '' }, /orders\.order\[0\]\.title/],
      [{ num: 0 }, /orders\.order\[0\]\.num/],
      [{ divide_order_fee: 'abc' }, /orders\.order\[0\]\.divide_order_fee: amount must be a yuan string/],
    ];
    for (const [patch, reason] of lineCases) {
      expect(() => fromTopTrade({ ...sample(), orders: { order: [{ ...line, ...patch }] } })).toThrow(reason);
    }
    // What the increment list alone carries is no order (the partial answer TOP documents).
    const partial = { tid: 1234567, tid_str: '1234567', status: 'WAIT_SELLER_SEND_GOODS', modified: '2026-03-10 19:40:00' };
    expect(() => fromTopTrade(partial)).toThrow(AdapterPayloadError);
    expect(() => fromTopTrade(partial)).toThrow(/payment/);
  });

  it('reads optional and unverified fields leniently: the order is kept and each odd field is named in a warning', () => {
    const line = (sample().orders as { order: Record<string, unknown>[] }).order[0] as Record<string, unknown>;
    const odd = {
      ...sample(),
      seller_flag: 9,
      pay_time: '10/03/2026',
      receiver_mobile: { masked: true },
      receiver_phone: '0571-****6666',
      buyer_message: 42.5,
      type: 'step',
      step_paid_fee: 'a lot',
      orders: { order: [{ ...line, refund_status: 'WAIT_SELLER_CONSIGN_GOODS', pic_path: ['x'], sku_id: 987654321 }] },
    };
    const warnings: string[] = [];
    const o = fromTopTrade(odd, (m) => warnings.push(m));
    expect(o.platformOrderId).toBe(sample().tid_str);
    expect([o.afterSale, o.sellerFlag, o.paidAt, o.receiver.phone, o.buyerMessage, o.orderType, o.presaleDepositFen]).toEqual([
      'unknown', 0, null, '0571-****6666', null, 'presale', null,
    ]);
    expect([o.items[0]?.imageUrl, o.items[0]?.platformSkuId]).toEqual([null, '987654321']);
    for (const name of ['seller_flag', 'pay_time', 'receiver_mobile', 'buyer_message', 'step_paid_fee', 'orders.order[0].refund_status', 'orders.order[0].pic_path']) {
      expect(warnings.some((w) => w.startsWith(name))).toBe(true);
    }
    expect(warnings).toHaveLength(7);
    // A documented refund status still maps, and absent refund_status is "no refund" without a warning.
    const quiet: string[] = [];
    const closed = fromTopTrade({ ...sample(), orders: { order: [{ ...line, refund_status: 'SELLER_REFUSE_BUYER' }, { ...line, oid: 1, oid_str: '1', refund_status: undefined }] } }, (m) => quiet.push(m));
    expect([closed.afterSale, quiet]).toEqual(['rejected', []]);
  });

  it('maps a literal taobao.trade.fullinfo.get trade written from TOP\'s field list, not from the sandbox', () => {
    // Field names and formats from TOP's Trade/Order docs (docs/platforms/taobao.md): int64 ids with
    // *_str twins, yuan strings, GMT+8 times, masked receiver, orders.order[], per-line refund_status.
    const body = JSON.parse(`{"trade_fullinfo_get_response":{"trade":{
      "tid":4012345678901234567,"tid_str":"4012345678901234567","status":"WAIT_SELLER_SEND_GOODS","type":"fixed",
      "created":"2026-03-10 09:15:02","modified":"2026-03-10 09:16:40","pay_time":"2026-03-10 09:16:38",
      "buyer_nick":"t**1","buyer_message":"请发顺丰","seller_memo":"加急","seller_flag":1,
      "receiver_name":"张**","receiver_mobile":"*******3459","receiver_state":"河南省","receiver_city":"",
      "receiver_district":"济源市","receiver_town":"天坛街道","receiver_address":"天坛路****","oaid":"1aB2cD3eF4",
      "total_fee":"200.07","post_fee":"10.00","discount_fee":"0.07","adjust_fee":"0.00","payment":"210.00",
      "orders":{"order":[
        {"oid":4012345678901234568,"oid_str":"4012345678901234568","num_iid":600000000001,"sku_id":"5000000000001",
         "outer_sku_id":"TS-RED-M","title":"纯棉T恤","sku_properties_name":"颜色:红色;尺码:M","num":2,"price":"50.00",
         "total_fee":"100.00","payment":"100.00","divide_order_fee":"100.00","refund_status":"NO_REFUND","status":"WAIT_SELLER_SEND_GOODS"},
        {"oid":4012345678901234569,"oid_str":"4012345678901234569","num_iid":600000000002,"title":"帆布袋","num":1,
         "price":"100.07","divide_order_fee":"110.00","refund_status":"WAIT_SELLER_AGREE","status":"WAIT_SELLER_SEND_GOODS"}
      ]}
    },"request_id":"lit1"}}`) as { trade_fullinfo_get_response: { trade: unknown } };
    const warnings: string[] = [];
    const o = fromTopTrade(body.trade_fullinfo_get_response.trade, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    expect(o).toMatchObject({
      platformOrderId: '4012345678901234567',
      status: 'awaiting_shipment',
      afterSale: 'requested',
      buyerMessage: '请发顺丰',
      sellerMemo: '加急',
      sellerFlag: 1,
      goodsFen: 20007,
      shippingFen: 1000,
      discountFen: 7,
      paidFen: 21000,
      createdAt: Date.UTC(2026, 2, 10, 1, 15, 2),
      paidAt: Date.UTC(2026, 2, 10, 1, 16, 38),
      platformUpdatedAt: Date.UTC(2026, 2, 10, 1, 16, 40),
      receiver: { name: '张**', phone: '*******3459', province: '河南省', city: '济源市', district: '', town: '天坛街道', address: '天坛路****', cipher: '1aB2cD3eF4' },
    });
    expect(o.items.map((i) => [i.platformItemId, i.platformSkuId, i.outerSkuCode, i.skuName, i.quantity, i.unitPriceFen, i.paidFen])).toEqual([
      ['4012345678901234568', '5000000000001', 'TS-RED-M', '颜色:红色;尺码:M', 2, 5000, 10000],
      ['4012345678901234569', null, null, null, 1, 10007, 11000],
    ]);
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

  it('keeps the cursor before a window whose details keep failing; once TOP answers, every order lands and none is quarantined', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-detail-'));
    const db = openDatabase(path.join(dir, 'shopfleet.db'));
    const orders = [...generateOrders({ shops: [{ id: 'tb-d', platform: 'taobao', seed: 12 }], count: 40, fromMs: NOW - 3 * DAY, toMs: NOW - 6 * HOUR })].map(
      (g, i) => ({ ...g.order, platformUpdatedAt: NOW - 4 * HOUR + i * 5 * MINUTE }),
    );
    const server = await startPlatformServer({ orders, ...APP, now: () => NOW });
    servers.push(server);
    db.$client
      .prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('tb-d', '淘宝店', 'taobao', 'active', 0, ?)")
      .run(JSON.stringify({ gateway: server.url, ...APP, pageSize: 3 }));
    const scheduler = new SyncScheduler({
      db,
      events: new EventBus(),
      now: () => NOW,
      backfillMs: 5 * HOUR,
      adapterFor: (shop) => createTaobaoAdapter(shop, { now: () => NOW }),
      sleep: () => Promise.resolve(),
    });
    const victim = orders[20] as PlatformOrder;
    const count = (sql: string) => db.$client.prepare(sql).pluck().get() as number;
    try {
      server.setFault({ kind: 'fullinfo-fails', as: 'transient', tids: [victim.platformOrderId] });
      const first = await scheduler.syncShop('tb-d');
      expect(first.error).toMatch(/isp\.top-remote-connection-timeout/);
      // The cursor stops before the failing window, so that window is pulled again in full…
      expect(count("SELECT cursor_ms FROM sync_cursors WHERE shop_id = 'tb-d'")).toBeLessThanOrEqual(victim.platformUpdatedAt);
      // …and nothing of the failing page was stored: no partial trade, no quarantine.
      expect(count(`SELECT count(*) FROM orders WHERE platform_order_id = '${victim.platformOrderId}'`)).toBe(0);
      expect(count('SELECT count(*) FROM quarantine')).toBe(0);

      server.setFault(null);
      const second = await scheduler.syncShop('tb-d');
      expect(second.error).toBeUndefined();
      const expected = orders.filter((o) => o.platformUpdatedAt < NOW - MINUTE).map((o) => o.platformOrderId).sort();
      expect(db.$client.prepare("SELECT platform_order_id FROM orders WHERE shop_id = 'tb-d' ORDER BY platform_order_id").pluck().all()).toEqual(expected);
      expect(count('SELECT count(*) FROM quarantine')).toBe(0);
      // The stored payload is the full trade, lines and receiver included.
      const raw = JSON.parse(db.$client.prepare('SELECT p.payload FROM order_payloads p JOIN orders o ON o.id = p.order_id WHERE o.platform_order_id = ?').pluck().get(victim.platformOrderId) as string) as Record<string, unknown>;
      expect(Object.keys(raw)).toEqual(expect.arrayContaining(['orders', 'receiver_state', 'payment']));
      // Taobao's masked mobiles (*******1234) are phones: no order is flagged for one.
      const phones = db.$client.prepare('SELECT receiver_phone FROM orders').pluck().all() as string[];
      expect(phones.filter((p) => /^\*{7}\d{4}$/.test(p)).length).toBeGreaterThan(30);
      const flagged = db.$client.prepare('SELECT receiver_phone FROM orders WHERE abnormal_flags & ? != 0').pluck().all(abnormalBit('invalid_phone')) as string[];
      expect(flagged.filter((p) => /^\*{7}\d{4}$/.test(p))).toEqual([]);
    } finally {
      await scheduler.stop();
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
