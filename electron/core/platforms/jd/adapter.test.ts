// The JD adapter against the loopback JD JOS server over real HTTP. The shared pull contract (many-page
// window, backwards paging under change, throttling, token, 5xx, bad payload) runs from
// ../adapter-contract.ts with JD's values; this file keeps what is JD's own: orderState mapping, 元
// strings, signature (incl. the signed business JSON), timestamp, GET requests and JD's window limits.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result.ts';
import type { AfterSaleState, PlatformOrder } from '../../../shared/model.ts';
import { AdapterPayloadError, type PullWindow } from '../contract.ts';
import { describeAdapterContract, LISTS_PAID_ONLY, windowOrders } from '../../../testkit/platforms/adapter-contract.suite.ts';
import { expectStatusCases, pullPayloads, rejection, useLoopbackShop, platformUnderTest, type StatusCase } from '../../../testkit/platforms/test-adapter.ts';
import { createJdAdapter, enSearchResult, jdCall } from './adapter.ts';
import { JD_BIZ_ERR, JD_ERR } from './errors.ts';
import { JD_OPTIONAL_FIELDS, JD_ORDER_STATES } from './payload.ts';
import { startPlatformServer } from '../../../sandbox/platforms/jd/server.ts';
import { jdParamJson, jdSign, jdTimestamp } from './sign.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const JD = platformUnderTest('jd', startPlatformServer, createJdAdapter);
const { now: NOW, app: APP } = JD;
const WINDOW: PullWindow = { fromMs: NOW - 40 * MIN, toMs: NOW - 40 * MIN + 29 * MIN };
const EN_SEARCH = 'jingdong.pop.order.enSearch';

/** Realistic generated orders, all modified inside WINDOW (some on the same second); JD enSearch lists paid orders only. */
const ordersInWindow = windowOrders({
  platform: 'jd',
  seed: 42,
  now: NOW,
  window: WINDOW,
  ...LISTS_PAID_ONLY,
});

/** What JD's list can say about after-sales: only LOCKED (open cancel/refund request before shipping). */
const expectedAfterSale = (o: PlatformOrder): AfterSaleState =>
  o.status === 'awaiting_shipment' && (o.afterSale === 'requested' || o.afterSale === 'in_progress') ? 'requested' : 'none';

describeAdapterContract({
  ...JD,
  label: 'JD adapter ↔ loopback JD JOS server',
  now: NOW,
  window: WINDOW,
  ordersInWindow,
  errors: { throttled: JD_ERR.throttled, tokenExpired: JD_ERR.tokenExpired },
  fullPull: {
    paging: 'backwards',
    expectMapped(got, want) {
      expect(got.afterSale).toBe(expectedAfterSale(want));
      expect(got.platformUpdatedAt).toBe(Math.floor(want.platformUpdatedAt / SEC) * SEC);
      expect(got.createdAt).toBe(Math.floor(want.createdAt / SEC) * SEC);
      expect(got.paidAt).toBe(want.paidAt === null ? null : Math.floor(want.paidAt / SEC) * SEC);
      expect(got.buyerMessage).toBe(want.buyerMessage || null);
      expect(got.sellerMemo).toBe(want.sellerMemo || null);
      expect(got.items.map((i) => [i.title, i.platformSkuId, i.outerSkuCode, i.quantity, i.unitPriceFen])).toEqual(
        want.items.map((i) => [i.skuName ? `${i.title} ${i.skuName}` : i.title, i.platformSkuId, i.outerSkuCode, i.quantity, i.unitPriceFen]),
      );
      expect(got.items.reduce((a, i) => a + i.paidFen, 0)).toBe(want.goodsFen - want.discountFen);
      // PII: TDE ciphertext kept for later decryption; masked copies only, never the plain values.
      expect(got.receiver.cipher).not.toBeNull();
      expect(got.receiver.cipher).not.toContain(want.receiver.phone);
      if (/^\d{11}$/.test(want.receiver.phone)) expect(got.receiver.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      if ([...want.receiver.name].length > 1) expect(got.receiver.name).not.toBe(want.receiver.name);
      expect(got.receiver.address).toMatch(/\*{4}$/);
      expect([got.receiver.province, got.receiver.city, got.receiver.district, got.receiver.town]).toEqual([
        want.receiver.province,
        want.receiver.city,
        want.receiver.district,
        want.receiver.town || null,
      ]);
    },
  },
  // JD's window ends are inclusive to the second: the next window starts one second after this one.
  midPull: { change: (o) => ({ ...o, platformUpdatedAt: NOW }), next: { fromMs: WINDOW.toMs + SEC, toMs: NOW + SEC } },
  badPayload: { field: 'orderPayment', idOf: (p) => (p as { orderId: string }).orderId, alsoRefused: [{ orderId: 'x', orderState: 'FINISHED_L' }] },
});

const setup = useLoopbackShop(JD, NOW);

/** enSearch business params for a window given as epoch ms. */
const search = (fromMs: number, toMs: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  start_date: jdTimestamp(fromMs),
  end_date: jdTimestamp(toMs),
  order_state: JD_ORDER_STATES.join(','),
  optional_fields: JD_OPTIONAL_FIELDS.join(','),
  page: '1',
  page_size: '100',
  ...extra,
});

/** An order's status and after-sale state → the platformStatus and after-sale state its payload maps to. */
const STATUS_CASES: StatusCase[] = [
  ['awaiting_shipment', 'none', 'WAIT_SELLER_STOCK_OUT', 'none'],
  ['awaiting_shipment', 'in_progress', 'LOCKED', 'requested'],
  ['shipped', 'none', 'WAIT_GOODS_RECEIVE_CONFIRM', 'none'],
  ['completed', 'none', 'FINISHED_L', 'none'],
  ['closed', 'refunded', 'TRADE_CANCELED', 'none'],
];

describe('JD adapter ↔ loopback JD JOS server: particulars', () => {
  it('maps orderState per docs/platforms/common.md (LOCKED = open after-sale, PAUSE = still awaiting shipment)', async () => {
    const { adapter, raw } = await expectStatusCases(setup, WINDOW, ordersInWindow(1)[0]!, STATUS_CASES, (i) => `30000000000${i}`);
    const one = raw[0]! as Record<string, unknown>;
    for (const [state, status] of [
      ['WAIT_SELLER_DELIVERY', 'awaiting_shipment'],
      ['PAUSE', 'awaiting_shipment'],
      ['POP_ORDER_PAUSE', 'awaiting_shipment'],
      ['WAIT_SEND_CODE', 'awaiting_shipment'],
    ] as const) {
      expect(adapter.toOrder({ ...one, orderState: state })).toMatchObject({ status, platformStatus: state, afterSale: 'none' });
    }
    expect(() => adapter.toOrder({ ...one, orderState: 'NOT_PAY' })).toThrow(/unknown orderState "NOT_PAY"/);
  });

  it('parses 元 strings exactly (no float drift), including 0.01, 0.30 and ten-digit yuan', async () => {
    const [base] = ordersInWindow(1) as [PlatformOrder];
    const item = { ...base.items[0]!, quantity: 3, unitPriceFen: 10, paidFen: 30 };
    const order: PlatformOrder = { ...base, items: [item], goodsFen: 1_234_567_890_123, shippingFen: 1, discountFen: 30, paidFen: 1_234_567_890_094 };
    const { adapter } = await setup([order]);
    const [raw] = (await pullPayloads(adapter, WINDOW)).payloads as [Record<string, unknown>];
    expect([raw.orderTotalPrice, raw.freightPrice, raw.sellerDiscount, raw.orderPayment]).toEqual(['12345678901.23', '0.01', '0.30', '12345678900.94']);
    const got = adapter.toOrder(raw);
    expect([got.goodsFen, got.shippingFen, got.discountFen, got.paidFen]).toEqual([1_234_567_890_123, 1, 30, 1_234_567_890_094]);
    expect(got.items[0]!.unitPriceFen).toBe(10);
    expect(adapter.toOrder({ ...raw, orderPayment: '0.1' }).paidFen).toBe(10);
    expect(() => adapter.toOrder({ ...raw, orderPayment: '0.125' })).toThrow(AdapterPayloadError);
  });

  it('the server checks signatures: a request signed with the wrong secret is refused', async () => {
    const { srv } = await setup(ordersInWindow(3));
    const e = await rejection(jdCall({ ...APP, appSecret: 'wrong', gateway: srv.url }, EN_SEARCH, search(WINDOW.fromMs, WINDOW.toMs), NOW));
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('PLATFORM_ERROR');
    expect((e as AppError).details).toMatchObject({ code: JD_ERR.badSign, retryable: false, throttled: false });
    // Tampering with the signed business JSON after signing is caught too.
    const sys = { method: EN_SEARCH, app_key: APP.appKey, access_token: APP.accessToken, timestamp: jdTimestamp(NOW), v: '2.0' };
    const json = jdParamJson(search(WINDOW.fromMs, WINDOW.toMs));
    const sign = jdSign({ ...sys, '360buy_param_json': json }, APP.appSecret);
    const url = new URL(srv.url);
    for (const [k, v] of Object.entries({ ...sys, sign })) url.searchParams.set(k, v);
    const tampered = json.replace('"page_size":"100"', '"page_size":"99"');
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ '360buy_param_json': tampered }) });
    expect(((await res.json()) as { error_response: { code: string } }).error_response.code).toBe(JD_ERR.badSign);
  });

  it('the server checks the timestamp window (±10 min)', async () => {
    const { srv } = await setup([]);
    const call = (at: number) => jdCall({ ...APP, gateway: srv.url }, EN_SEARCH, search(WINDOW.fromMs, WINDOW.toMs), at);
    expect(((await rejection(call(NOW - 11 * MIN))) as AppError).details).toMatchObject({ code: JD_ERR.badTimestamp });
    await expect(call(NOW - 9 * MIN)).resolves.toHaveProperty('jingdong_pop_order_enSearch_responce');
  });

  it('the server also accepts everything in a GET query string, signed over the same params', async () => {
    const { srv } = await setup(ordersInWindow(4));
    const params: Record<string, string> = {
      method: EN_SEARCH,
      app_key: APP.appKey,
      access_token: APP.accessToken,
      timestamp: jdTimestamp(NOW),
      v: '2.0',
      '360buy_param_json': jdParamJson(search(WINDOW.fromMs, WINDOW.toMs)),
    };
    const res = await fetch(`${srv.url}?${new URLSearchParams({ ...params, sign: jdSign(params, APP.appSecret) }).toString()}`);
    const body = (await res.json()) as { jingdong_pop_order_enSearch_responce: { searchorderinfo_result: { orderTotal: number } } };
    expect(body.jingdong_pop_order_enSearch_responce.searchorderinfo_result.orderTotal).toBe(4);
  });

  it('a window over one month is refused by the server; the adapter refuses windows over its 30-min limit', async () => {
    const { srv, adapter } = await setup([]);
    const from = Date.UTC(2026, 9, 15, 2, 0, 0); // 2026-10-15 10:00 GMT+8
    // JD reports this inside searchorderinfo_result.apiResult, not as error_response.
    const overBody = await jdCall({ ...APP, gateway: srv.url }, EN_SEARCH, search(from, Date.UTC(2026, 10, 15, 2, 0, 1)), NOW);
    expect(JSON.stringify(overBody)).toContain('"success":false');
    const over = (() => {
      try {
        enSearchResult(overBody);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect((over as AppError).code).toBe('PLATFORM_ERROR');
    expect((over as AppError).details).toMatchObject({ code: JD_BIZ_ERR.badDateRange, retryable: false, throttled: false });
    const exactlyOneMonth = await jdCall({ ...APP, gateway: srv.url }, EN_SEARCH, search(from, Date.UTC(2026, 10, 15, 2, 0, 0)), NOW);
    expect(enSearchResult(exactlyOneMonth)).toEqual({ total: 0, payloads: [] });
    const a = await rejection(adapter.pullPage({ fromMs: WINDOW.fromMs, toMs: WINDOW.fromMs + 31 * MIN }, null));
    expect((a as AppError).code).toBe('PLATFORM_ERROR');
    expect((a as AppError).details).toMatchObject({ code: 'BAD_WINDOW' });
  });

  it('page_size over 100 and a missing order_state are refused by the server', async () => {
    const { srv } = await setup([]);
    for (const extra of [{ page_size: '101' }, { order_state: '' }]) {
      const e = await rejection(jdCall({ ...APP, gateway: srv.url }, EN_SEARCH, search(WINDOW.fromMs, WINDOW.toMs, extra), NOW));
      expect((e as AppError).details, JSON.stringify(extra)).toMatchObject({ code: JD_ERR.badParams, retryable: false });
    }
  });
});
