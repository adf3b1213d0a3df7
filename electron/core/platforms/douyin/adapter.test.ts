// The doudian adapter against the loopback doudian server over real HTTP: full window pulls with
// backwards paging, status/after-sale/PII/money mapping, signature/timestamp/token checks, the
// window, size, depth and horizon limits, and faults.
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result.ts';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';
import { AdapterPayloadError, type PlatformAdapter, type PullWindow, type ShopRecord } from '../contract.ts';
import { generateOrders } from '../sandbox/generator.ts';
import { createDouyinAdapter, doudianCall } from './adapter.ts';
import { DOUDIAN_ERR } from './errors.ts';
import { startPlatformServer, type PlatformServer } from './server.ts';
import { doudianParamJson, doudianSign, doudianTimestamp } from './sign.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const DAY = 24 * 60 * MIN;
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: '7000000000000000001', appSecret: 'dd-s3cret', accessToken: 'tok-dd-123' };
const WINDOW: PullWindow = { fromMs: NOW - 40 * MIN, toMs: NOW - 40 * MIN + 29 * MIN };
const S = (ms: number): number => Math.floor(ms / SEC);

const STATUSES: OrderStatus[] = ['unpaid', 'awaiting_shipment', 'shipped', 'completed', 'closed'];
const AFTER_SALES: AfterSaleState[] = ['none', 'requested', 'in_progress', 'refunded', 'rejected', 'none'];

/** `count` realistic orders from the sandbox generator, all modified inside WINDOW (some on the same second). */
function ordersInWindow(count: number): PlatformOrder[] {
  const out: PlatformOrder[] = [];
  for (const g of generateOrders({ shops: [{ id: 'dy-shop', platform: 'douyin', seed: 7 }], count, fromMs: NOW - 3 * DAY, toMs: NOW - 60 * MIN })) {
    const i = out.length;
    out.push({
      ...g.order,
      status: STATUSES[i % STATUSES.length] as OrderStatus,
      afterSale: AFTER_SALES[i % AFTER_SALES.length] as AfterSaleState,
      sellerFlag: i % 6,
      platformUpdatedAt: WINDOW.fromMs + Math.floor((i * 7) / 3) * SEC,
    });
  }
  return out;
}

let server: PlatformServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(orders: PlatformOrder[], settings: Record<string, unknown> = {}): Promise<{ srv: PlatformServer; adapter: PlatformAdapter }> {
  server = await startPlatformServer({ orders, ...APP, now: () => NOW });
  const shop: ShopRecord = { id: 'shop-dy', name: '抖店', platform: 'douyin', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP, ...settings }) };
  return { srv: server, adapter: createDouyinAdapter(shop, { now: () => NOW }) };
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

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return null;
}

const listParam = (extra: Record<string, unknown> = {}) => ({ update_time_start: S(WINDOW.fromMs), update_time_end: S(WINDOW.toMs), order_by: 'update_time', page: 0, size: 100, ...extra });

describe('doudian adapter ↔ loopback doudian server', () => {
  it('pulls a many-page window: every order exactly once, as its current state, mapped per platforms.md', async () => {
    const orders = ordersInWindow(230);
    const { adapter } = await setup(orders, { pageSize: 20 });
    const payloads = await pullAll(adapter, WINDOW);
    const mapped = payloads.map((p) => adapter.toOrder(p));
    const ids = mapped.map((o) => o.platformOrderId);
    const unique = new Map(mapped.map((o) => [o.platformOrderId, o]));
    expect(unique.size).toBe(ids.length); // exactly once: page 0's first read only learns total
    expect([...unique.keys()].sort()).toEqual(orders.map((o) => o.platformOrderId).sort());

    for (const want of orders) {
      const got = unique.get(want.platformOrderId)!;
      expect(got.status).toBe(want.status);
      expect(got.afterSale).toBe(want.afterSale);
      expect(got.sellerFlag).toBe(want.sellerFlag);
      expect([got.goodsFen, got.shippingFen, got.discountFen, got.paidFen]).toEqual([want.goodsFen, want.shippingFen, want.discountFen, want.paidFen]);
      expect(got.platformUpdatedAt).toBe(S(want.platformUpdatedAt) * SEC);
      expect(got.createdAt).toBe(S(want.createdAt) * SEC);
      expect(got.paidAt).toBe(want.paidAt === null ? null : S(want.paidAt) * SEC);
      expect(got.orderType).toBe(want.orderType);
      if (want.orderType === 'presale' && want.presaleDepositFen !== null) expect(got.presaleDepositFen).toBe(want.presaleDepositFen);
      expect(got.items.map((i) => [i.title, i.quantity, i.unitPriceFen, i.paidFen, i.isGift, i.platformSkuId])).toEqual(
        want.items.map((i) => [i.title, i.quantity, i.unitPriceFen, i.paidFen, i.isGift, i.platformSkuId]),
      );
      expect([got.buyerMessage, got.sellerMemo]).toEqual([want.buyerMessage, want.sellerMemo]);
      // PII: ciphertext kept for batchDecrypt; masked copies shown, never the plain phone or name.
      expect(got.receiver.cipher).toMatch(/"name":"#/);
      if (/^\d{11}$/.test(want.receiver.phone)) expect(got.receiver.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(got.receiver.address).not.toBe(want.receiver.address);
      expect([got.receiver.province, got.receiver.city, got.receiver.district, got.receiver.town]).toEqual([want.receiver.province, want.receiver.city, want.receiver.district, want.receiver.town]);
    }
  });

  it('maps order_status and after_sale_status exactly as platforms.md says', async () => {
    const [base] = ordersInWindow(1) as [PlatformOrder];
    const { adapter } = await setup([base]);
    const raw = (await adapter.pullPage(WINDOW, null)).payloads[0] as Record<string, unknown>;
    const skus = raw.sku_order_list as Record<string, unknown>[];
    const withStatus = (order_status: number, after_sale_status = 0) =>
      adapter.toOrder({ ...raw, order_status, sku_order_list: skus.map((s) => ({ ...s, after_sale_info: { after_sale_status, refund_status: 0 } })) });
    const statuses: [number, OrderStatus][] = [[1, 'unpaid'], [105, 'awaiting_shipment'], [2, 'awaiting_shipment'], [101, 'awaiting_shipment'], [3, 'shipped'], [4, 'closed'], [5, 'completed']];
    for (const [code, want] of statuses) expect([withStatus(code).status, withStatus(code).platformStatus]).toEqual([want, String(code)]);
    const afterSales: [number, AfterSaleState][] = [[0, 'none'], [6, 'requested'], [7, 'in_progress'], [12, 'refunded'], [27, 'rejected'], [28, 'none']];
    for (const [code, want] of afterSales) expect(withStatus(3, code).afterSale).toBe(want);
    // One refunded line makes the order refunded, whatever the other lines say.
    const mixed = [{ ...skus[0], after_sale_info: { after_sale_status: 0, refund_status: 0 } }, { ...skus[0], order_id: 'x2', after_sale_info: { after_sale_status: 12, refund_status: 3 } }];
    expect(adapter.toOrder({ ...raw, sku_order_list: mixed }).afterSale).toBe('refunded');
    expect(() => withStatus(99)).toThrow(/order_status 99/);
    expect(() => withStatus(3, 99)).toThrow(/after_sale_status 99/);
  });

  it('amounts are integer 分 as sent: exact for large values, and a fractional or yuan-string amount is refused', async () => {
    const [base] = ordersInWindow(1) as [PlatformOrder];
    const item = { ...base.items[0]!, quantity: 3, unitPriceFen: 1, paidFen: 3, isGift: false };
    const order: PlatformOrder = { ...base, status: 'shipped', items: [item], goodsFen: 1_234_567_890_123, shippingFen: 1, discountFen: 30, paidFen: 1_234_567_890_094 };
    const { adapter } = await setup([order]);
    const [raw] = (await adapter.pullPage(WINDOW, null)).payloads as [Record<string, unknown>];
    expect(raw.pay_amount).toBe(1_234_567_890_094);
    const got = adapter.toOrder(raw);
    expect([got.goodsFen, got.shippingFen, got.discountFen, got.paidFen]).toEqual([1_234_567_890_123, 1, 30, 1_234_567_890_094]);
    expect(got.items[0]!.unitPriceFen).toBe(1);
    const e = thrown(() => adapter.toOrder({ ...raw, pay_amount: '12.30' })) as AdapterPayloadError;
    expect(e).toBeInstanceOf(AdapterPayloadError);
    expect(e.reason).toContain('pay_amount');
    expect(() => adapter.toOrder({ ...raw, post_amount: 0.5 })).toThrow(/post_amount/);
    expect(() => adapter.toOrder({ ...raw, promotion_amount: 2_000_000_000_000 })).toThrow(/promotion_amount/);
  });

  it('pages backwards: orders that change mid-pull leave the window without any other order being skipped', async () => {
    const orders = ordersInWindow(100);
    const { srv, adapter } = await setup(orders, { pageSize: 10 });
    const changed = new Set<string>();
    const payloads = await pullAll(adapter, WINDOW, (pageNo) => {
      if (pageNo !== 3) return;
      // Five orders change now (some already read, some not yet): they leave this window for the next.
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
    const next = await pullAll(adapter, { fromMs: WINDOW.toMs, toMs: NOW + SEC });
    expect(new Set(next.map((p) => adapter.toOrder(p).platformOrderId))).toEqual(changed);
  });

  it('the server checks signatures: a request signed with the wrong secret is refused', async () => {
    const { srv } = await setup(ordersInWindow(3));
    const e = (await rejection(doudianCall({ ...APP, appSecret: 'wrong', gateway: srv.url }, 'order.searchList', listParam(), NOW))) as AppError;
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('PLATFORM_ERROR');
    expect(e.details).toMatchObject({ code: DOUDIAN_ERR.badSign, retryable: false, throttled: false });
    await expect(doudianCall({ ...APP, gateway: srv.url }, 'order.searchList', listParam(), NOW)).resolves.toMatchObject({ total: 3 });
  });

  it('the server verifies the exact posted body, accepts legacy md5 and checks the timestamp', async () => {
    const { srv } = await setup(ordersInWindow(4));
    const post = async (body: string, signedBody: string, method: 'hmac-sha256' | 'md5', at = NOW) => {
      const ts = doudianTimestamp(at);
      const sign = doudianSign({ app_key: APP.appKey, method: 'order.searchList', param_json: signedBody, timestamp: ts }, APP.appSecret, method);
      const q = new URLSearchParams({ app_key: APP.appKey, method: 'order.searchList', timestamp: ts, v: '2', sign, sign_method: method, access_token: APP.accessToken });
      const res = await fetch(`${srv.url}/order/searchList?${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return (await res.json()) as { code: number; data: { total?: number } };
    };
    const json = doudianParamJson(listParam());
    expect(await post(json, json, 'md5')).toMatchObject({ code: 10000, data: { total: 4 } });
    // Same params, different bytes (spaces): the signature no longer matches.
    expect((await post(JSON.stringify(listParam(), null, 1), json, 'hmac-sha256')).code).toBe(DOUDIAN_ERR.badSign);
    expect((await post(json, json, 'hmac-sha256', NOW - 11 * MIN)).code).toBe(DOUDIAN_ERR.badTimestamp);
    expect((await post(json, json, 'hmac-sha256', NOW - 9 * MIN)).code).toBe(10000);
  });

  it('window, size, depth and horizon limits are refused by the server; the adapter refuses long windows itself', async () => {
    const { srv, adapter } = await setup([]);
    const call = (p: Record<string, unknown>) => rejection(doudianCall({ ...APP, gateway: srv.url }, 'order.searchList', listParam(p), NOW)) as Promise<AppError>;
    const from = S(WINDOW.fromMs);
    expect((await call({ update_time_start: from, update_time_end: from + 1801 })).details).toMatchObject({ code: DOUDIAN_ERR.badParam, retryable: false });
    await expect(doudianCall({ ...APP, gateway: srv.url }, 'order.searchList', listParam({ update_time_start: from, update_time_end: from + 1800 }), NOW)).resolves.toBeTruthy();
    expect((await call({ size: 101 })).details).toMatchObject({ code: DOUDIAN_ERR.sizeTooLarge });
    expect((await call({ page: -1 })).details).toMatchObject({ code: DOUDIAN_ERR.pageNegative });
    expect((await call({ page: 500, size: 100 })).details).toMatchObject({ code: DOUDIAN_ERR.pageTooDeep });
    const old = S(NOW - 91 * DAY);
    expect((await call({ update_time_start: old, update_time_end: old + 60 })).details).toMatchObject({ code: DOUDIAN_ERR.horizon });
    const a = (await rejection(adapter.pullPage({ fromMs: WINDOW.fromMs, toMs: WINDOW.fromMs + 31 * MIN }, null))) as AppError;
    expect(a.code).toBe('PLATFORM_ERROR');
    expect(a.details).toMatchObject({ code: 'BAD_WINDOW', retryable: false });
  });

  it('throttling → PLATFORM_ERROR throttled and retryable', async () => {
    const { srv, adapter } = await setup(ordersInWindow(3));
    srv.setFault('throttled');
    const e = (await rejection(adapter.pullPage(WINDOW, null))) as AppError;
    expect(e.code).toBe('PLATFORM_ERROR');
    expect(e.details).toMatchObject({ code: DOUDIAN_ERR.throttled, throttled: true, retryable: true });
    srv.setFault(null);
    await expect(adapter.pullPage(WINDOW, null)).resolves.toMatchObject({ next: null });
  });

  it('expired token (fault) or a wrong token → SHOP_AUTH_EXPIRED', async () => {
    const { srv, adapter } = await setup(ordersInWindow(3));
    srv.setFault('tokenExpired');
    expect(((await rejection(adapter.pullPage(WINDOW, null))) as AppError).code).toBe('SHOP_AUTH_EXPIRED');
    srv.setFault(null);
    const stale = createDouyinAdapter({ id: 's', name: 'n', platform: 'douyin', state: 'active', settings: JSON.stringify({ gateway: srv.url, ...APP, accessToken: 'old' }) }, { now: () => NOW });
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

  it('a malformed order payload → AdapterPayloadError with a readable reason and the order_id', async () => {
    const { srv, adapter } = await setup(ordersInWindow(2));
    srv.setFault('badPayload');
    const page = await adapter.pullPage(WINDOW, null);
    expect(page.payloads).toHaveLength(2);
    for (const p of page.payloads) {
      const e = thrown(() => adapter.toOrder(p)) as AdapterPayloadError;
      expect(e).toBeInstanceOf(AdapterPayloadError);
      expect(e.reason).toContain('pay_amount');
      expect(e.platformOrderId).toBe((p as { order_id: string }).order_id);
    }
    expect(() => adapter.toOrder({ order_id: 'x', order_status: 3 })).toThrow(AdapterPayloadError);
    expect(() => adapter.toOrder('not an order')).toThrow(AdapterPayloadError);
  });

  it('settings without appKey/appSecret/accessToken are refused when the adapter is made', () => {
    const e = thrown(() => createDouyinAdapter({ id: 's', name: 'n', platform: 'douyin', state: 'active', settings: JSON.stringify({ appKey: 'k' }) }, { now: () => NOW })) as AppError;
    expect(e).toBeInstanceOf(AppError);
    expect(e.message).toMatch(/appSecret/);
  });
});
