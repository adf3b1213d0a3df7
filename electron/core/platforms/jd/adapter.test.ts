// The JD adapter against the loopback JD JOS server over real HTTP: full window pulls with backwards
// paging, orderState/money/PII mapping, signature/timestamp/token checks, window limits and faults.
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result.ts';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';
import { AdapterPayloadError, type PlatformAdapter, type PullWindow, type ShopRecord } from '../contract.ts';
import { generateOrders } from '../sandbox/generator.ts';
import { createJdAdapter, enSearchResult, jdCall } from './adapter.ts';
import { JD_BIZ_ERR, JD_ERR } from './errors.ts';
import { JD_OPTIONAL_FIELDS, JD_ORDER_STATES } from './payload.ts';
import { startPlatformServer, type PlatformServer } from './server.ts';
import { jdParamJson, jdSign, jdTimestamp } from './sign.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: 'jd-app-1', appSecret: 'jd-s3cret', accessToken: 'tok-jd-123' };
const WINDOW: PullWindow = { fromMs: NOW - 40 * MIN, toMs: NOW - 40 * MIN + 29 * MIN };
const EN_SEARCH = 'jingdong.pop.order.enSearch';

const STATUSES: Exclude<OrderStatus, 'unpaid'>[] = ['awaiting_shipment', 'shipped', 'completed', 'closed'];
const AFTER_SALES: AfterSaleState[] = ['none', 'requested', 'in_progress', 'refunded', 'rejected'];

/** `count` realistic orders from the sandbox generator, all modified inside WINDOW (some on the same second). */
function ordersInWindow(count: number): PlatformOrder[] {
  const out: PlatformOrder[] = [];
  for (const g of generateOrders({ shops: [{ id: 'jd-shop', platform: 'jd', seed: 42 }], count, fromMs: NOW - 3 * DAY, toMs: NOW - 60 * MIN })) {
    const i = out.length;
    out.push({
      ...g.order,
      status: STATUSES[i % STATUSES.length] as Exclude<OrderStatus, 'unpaid'>,
      afterSale: AFTER_SALES[i % AFTER_SALES.length] as AfterSaleState,
      platformUpdatedAt: WINDOW.fromMs + Math.floor((i * 7) / 3) * SEC,
    });
  }
  return out;
}

/** What JD's list can say about after-sales: only LOCKED (open cancel/refund request before shipping). */
const expectedAfterSale = (o: PlatformOrder): AfterSaleState =>
  o.status === 'awaiting_shipment' && (o.afterSale === 'requested' || o.afterSale === 'in_progress') ? 'requested' : 'none';

let server: PlatformServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(orders: PlatformOrder[], settings: Record<string, unknown> = {}): Promise<{ srv: PlatformServer; adapter: PlatformAdapter }> {
  server = await startPlatformServer({ orders, ...APP, now: () => NOW });
  const shop: ShopRecord = { id: 'shop-jd', name: '京东店', platform: 'jd', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP, ...settings }) };
  return { srv: server, adapter: createJdAdapter(shop, { now: () => NOW }) };
}

async function pullAll(adapter: PlatformAdapter, window: PullWindow, between?: (pageNo: number) => void): Promise<unknown[]> {
  const payloads: unknown[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const page = await adapter.pullPage(window, token);
    payloads.push(...page.payloads);
    token = page.next;
    pages += 1;
    between?.(pages);
  } while (token !== null && pages < 1000);
  return payloads;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

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

describe('JD adapter ↔ loopback JD JOS server', () => {
  it('pulls a many-page window: every order exactly once, as its current state, mapped per platforms.md', async () => {
    const orders = ordersInWindow(230);
    const { adapter } = await setup(orders, { pageSize: 20 });
    const payloads = await pullAll(adapter, WINDOW);
    const mapped = payloads.map((p) => adapter.toOrder(p));
    const ids = mapped.map((o) => o.platformOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(orders.map((o) => o.platformOrderId).sort());

    const byId = new Map(mapped.map((o) => [o.platformOrderId, o]));
    for (const want of orders) {
      const got = byId.get(want.platformOrderId)!;
      expect(got.status).toBe(want.status);
      expect(got.afterSale).toBe(expectedAfterSale(want));
      expect([got.goodsFen, got.shippingFen, got.discountFen, got.paidFen]).toEqual([want.goodsFen, want.shippingFen, want.discountFen, want.paidFen]);
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
    }
  });

  it('maps orderState per platforms.md (LOCKED = open after-sale, PAUSE = still awaiting shipment)', async () => {
    const [base] = ordersInWindow(1) as [PlatformOrder];
    const cases: [Exclude<OrderStatus, 'unpaid'>, AfterSaleState, string, AfterSaleState][] = [
      ['awaiting_shipment', 'none', 'WAIT_SELLER_STOCK_OUT', 'none'],
      ['awaiting_shipment', 'in_progress', 'LOCKED', 'requested'],
      ['shipped', 'none', 'WAIT_GOODS_RECEIVE_CONFIRM', 'none'],
      ['completed', 'none', 'FINISHED_L', 'none'],
      ['closed', 'refunded', 'TRADE_CANCELED', 'none'],
    ];
    const orders = cases.map(([status, afterSale], i) => ({ ...base, platformOrderId: `30000000000${i}`, status, afterSale }));
    const { adapter } = await setup(orders);
    const raw = (await pullAll(adapter, WINDOW)) as Record<string, unknown>[];
    const got = raw.map((p) => adapter.toOrder(p));
    for (const [i, [status, , platformStatus, afterSale]] of cases.entries()) {
      const o = got.find((g) => g.platformOrderId === `30000000000${i}`)!;
      expect([o.status, o.platformStatus, o.afterSale]).toEqual([status, platformStatus, afterSale]);
    }
    const one = raw[0]!;
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
    const [raw] = (await pullAll(adapter, WINDOW)) as [Record<string, unknown>];
    expect([raw.orderTotalPrice, raw.freightPrice, raw.sellerDiscount, raw.orderPayment]).toEqual(['12345678901.23', '0.01', '0.30', '12345678900.94']);
    const got = adapter.toOrder(raw);
    expect([got.goodsFen, got.shippingFen, got.discountFen, got.paidFen]).toEqual([1_234_567_890_123, 1, 30, 1_234_567_890_094]);
    expect(got.items[0]!.unitPriceFen).toBe(10);
    expect(adapter.toOrder({ ...raw, orderPayment: '0.1' }).paidFen).toBe(10);
    expect(() => adapter.toOrder({ ...raw, orderPayment: '0.125' })).toThrow(AdapterPayloadError);
  });

  it('pages backwards: orders that change mid-pull leave the window without any other order being skipped', async () => {
    const orders = ordersInWindow(100);
    const { srv, adapter } = await setup(orders, { pageSize: 10 });
    const changed = new Set<string>();
    const payloads = await pullAll(adapter, WINDOW, (pageNo) => {
      if (pageNo !== 3) return;
      // Five orders change now (two already read, three not yet): they leave this window for the next.
      srv.orders = srv.orders.map((o, i) => {
        if (i < 90 && i % 18 === 0) {
          changed.add(o.platformOrderId);
          return { ...o, platformUpdatedAt: NOW };
        }
        return o;
      });
    });
    const got = new Set(payloads.map((p) => adapter.toOrder(p).platformOrderId));
    for (const o of orders) if (!changed.has(o.platformOrderId)) expect(got.has(o.platformOrderId), o.platformOrderId).toBe(true);
    const next = await pullAll(adapter, { fromMs: WINDOW.toMs + SEC, toMs: NOW + SEC });
    expect(new Set(next.map((p) => adapter.toOrder(p).platformOrderId))).toEqual(changed);
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

  it('throttling → PLATFORM_ERROR throttled and retryable', async () => {
    const { srv, adapter } = await setup(ordersInWindow(3));
    srv.setFault('throttled');
    const e = (await rejection(adapter.pullPage(WINDOW, null))) as AppError;
    expect(e.code).toBe('PLATFORM_ERROR');
    expect(e.details).toMatchObject({ code: JD_ERR.throttled, throttled: true, retryable: true });
    srv.setFault(null);
    await expect(adapter.pullPage(WINDOW, null)).resolves.toMatchObject({ next: null });
  });

  it('expired token (fault) or a wrong token → SHOP_AUTH_EXPIRED', async () => {
    const { srv, adapter } = await setup(ordersInWindow(3));
    srv.setFault('tokenExpired');
    expect(((await rejection(adapter.pullPage(WINDOW, null))) as AppError).code).toBe('SHOP_AUTH_EXPIRED');
    srv.setFault(null);
    const stale = createJdAdapter({ id: 's', name: 'n', platform: 'jd', state: 'active', settings: JSON.stringify({ gateway: srv.url, ...APP, accessToken: 'old' }) }, { now: () => NOW });
    expect(((await rejection(stale.pullPage(WINDOW, null))) as AppError).code).toBe('SHOP_AUTH_EXPIRED');
  });

  it('5xx and a cut-off JSON body → PLATFORM_ERROR retryable, not throttled', async () => {
    const { srv, adapter } = await setup(ordersInWindow(3));
    for (const fault of ['http5xx', 'malformedJson'] as const) {
      srv.setFault(fault);
      const e = (await rejection(adapter.pullPage(WINDOW, null))) as AppError;
      expect(e.code, fault).toBe('PLATFORM_ERROR');
      expect(e.details, fault).toMatchObject({ retryable: true, throttled: false });
    }
  });

  it('a malformed order payload → AdapterPayloadError with a readable reason and the orderId', async () => {
    const { srv, adapter } = await setup(ordersInWindow(2));
    srv.setFault('badPayload');
    const page = await adapter.pullPage(WINDOW, null);
    expect(page.payloads).toHaveLength(2);
    for (const p of page.payloads) {
      const e = (() => {
        try {
          adapter.toOrder(p);
        } catch (err) {
          return err;
        }
        return null;
      })();
      expect(e).toBeInstanceOf(AdapterPayloadError);
      expect((e as AdapterPayloadError).reason).toContain('orderPayment');
      expect((e as AdapterPayloadError).platformOrderId).toBe((p as { orderId: string }).orderId);
    }
    expect(() => adapter.toOrder({ orderId: 'x', orderState: 'FINISHED_L' })).toThrow(AdapterPayloadError);
    expect(() => adapter.toOrder('not an order')).toThrow(AdapterPayloadError);
  });
});
