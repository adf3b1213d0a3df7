// The PDD adapter against the loopback PDD server over real HTTP: full window pulls with backwards
// paging, status/refund/PII/money mapping, signature/timestamp/token checks, window limit and faults.
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result.ts';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';
import { AdapterPayloadError, type PlatformAdapter, type PullWindow, type ShopRecord } from '../contract.ts';
import { generateOrders } from '../sandbox/generator.ts';
import { createPddAdapter, pddCall } from './adapter.ts';
import { PDD_ERR } from './errors.ts';
import { startPlatformServer, type PlatformServer } from './server.ts';
import { pddSign, pddTimestamp } from './sign.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: 'pdd-app-1', appSecret: 'pdd-s3cret', accessToken: 'tok-123' };
const WINDOW: PullWindow = { fromMs: NOW - 40 * MIN, toMs: NOW - 40 * MIN + 29 * MIN };

const STATUSES: Exclude<OrderStatus, 'unpaid'>[] = ['awaiting_shipment', 'shipped', 'completed', 'closed'];
const AFTER_SALES: AfterSaleState[] = ['none', 'requested', 'in_progress', 'refunded', 'rejected'];

/** `count` realistic orders from the sandbox generator, all modified inside WINDOW (some on the same second). */
function ordersInWindow(count: number): PlatformOrder[] {
  const out: PlatformOrder[] = [];
  for (const g of generateOrders({ shops: [{ id: 'pdd-shop', platform: 'pdd', seed: 42 }], count, fromMs: NOW - 3 * 86_400_000, toMs: NOW - 60 * MIN })) {
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

let server: PlatformServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(orders: PlatformOrder[], settings: Record<string, unknown> = {}): Promise<{ srv: PlatformServer; adapter: PlatformAdapter }> {
  server = await startPlatformServer({ orders, ...APP, now: () => NOW });
  const shop: ShopRecord = { id: 'shop-pdd', name: '拼多多店', platform: 'pdd', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP, ...settings }) };
  return { srv: server, adapter: createPddAdapter(shop, { now: () => NOW }) };
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

describe('PDD adapter ↔ loopback PDD server', () => {
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
      expect(got.afterSale).toBe(want.afterSale === 'rejected' ? 'none' : want.afterSale); // PDD: 1 = 无售后或售后关闭
      expect([got.goodsFen, got.shippingFen, got.discountFen, got.paidFen]).toEqual([want.goodsFen, want.shippingFen, want.discountFen, want.paidFen]);
      expect(got.platformUpdatedAt).toBe(Math.floor(want.platformUpdatedAt / SEC) * SEC);
      expect(got.createdAt).toBe(Math.floor(want.createdAt / SEC) * SEC);
      expect(got.orderType).toBe(want.orderType);
      if (want.orderType === 'presale' && want.presaleDepositFen !== null) expect(got.presaleDepositFen).toBe(want.presaleDepositFen);
      expect(got.items.map((i) => [i.title, i.quantity, i.unitPriceFen])).toEqual(want.items.map((i) => [i.title, i.quantity, i.unitPriceFen]));
      expect(got.items.reduce((a, i) => a + i.paidFen, 0)).toBe(want.goodsFen - want.discountFen);
      // PII: ciphertext only while 待发货; masked copies always, never the plain phone.
      expect(got.receiver.cipher !== null).toBe(want.status === 'awaiting_shipment');
      if (/^\d{11}$/.test(want.receiver.phone)) expect(got.receiver.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(got.receiver.province).toBe(want.receiver.province);
    }
  });

  it('maps order_status / confirm_status / refund_status exactly as platforms.md says', async () => {
    const [base] = ordersInWindow(1) as [PlatformOrder];
    const cases: [Exclude<OrderStatus, 'unpaid'>, AfterSaleState, string, AfterSaleState][] = [
      ['awaiting_shipment', 'none', 'order_status=1,confirm_status=1', 'none'],
      ['shipped', 'requested', 'order_status=2,confirm_status=1', 'requested'],
      ['completed', 'in_progress', 'order_status=3,confirm_status=1', 'in_progress'],
      ['closed', 'refunded', 'order_status=1,confirm_status=2', 'refunded'],
    ];
    const orders = cases.map(([status, afterSale], i) => ({ ...base, platformOrderId: `260101-00000000${i}`, status, afterSale }));
    const { adapter } = await setup(orders);
    const got = (await pullAll(adapter, WINDOW)).map((p) => adapter.toOrder(p));
    for (const [i, [status, , platformStatus, afterSale]] of cases.entries()) {
      const o = got.find((g) => g.platformOrderId === `260101-00000000${i}`)!;
      expect([o.status, o.platformStatus, o.afterSale]).toEqual([status, platformStatus, afterSale]);
    }
  });

  it('parses amounts exactly (no float drift), including 0.01, 0.30 and ten-digit yuan', async () => {
    const [base] = ordersInWindow(1) as [PlatformOrder];
    const item = { ...base.items[0]!, quantity: 3, unitPriceFen: 10, paidFen: 30 };
    const order: PlatformOrder = { ...base, items: [item], goodsFen: 1_234_567_890_123, shippingFen: 1, discountFen: 30, paidFen: 1_234_567_890_094 };
    const { adapter } = await setup([order]);
    const [got] = (await pullAll(adapter, WINDOW)).map((p) => adapter.toOrder(p)) as [PlatformOrder];
    expect([got.goodsFen, got.shippingFen, got.discountFen, got.paidFen]).toEqual([1_234_567_890_123, 1, 30, 1_234_567_890_094]);
    expect(got.items[0]!.unitPriceFen).toBe(10);
    expect(adapter.toOrder({ ...(await rawOf(adapter)), pay_amount: '0.1' }).paidFen).toBe(10);
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
    const next = await pullAll(adapter, { fromMs: WINDOW.toMs, toMs: NOW + SEC });
    expect(new Set(next.map((p) => adapter.toOrder(p).platformOrderId))).toEqual(changed);
  });

  it('the server checks signatures: a request signed with the wrong secret gets 20004', async () => {
    const { srv } = await setup(ordersInWindow(3));
    const e = await rejection(pddCall({ ...APP, appSecret: 'wrong', gateway: srv.url }, 'pdd.order.number.list.increment.get', { start_updated_at: 1, end_updated_at: 2, order_status: 5, refund_status: 5 }, NOW));
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('PLATFORM_ERROR');
    expect((e as AppError).details).toMatchObject({ code: PDD_ERR.badSign, retryable: false, throttled: false });
  });

  it('the server checks the timestamp window (±10 min)', async () => {
    const { srv } = await setup([]);
    const call = (at: number) => pddCall({ ...APP, gateway: srv.url }, 'pdd.order.number.list.increment.get', { start_updated_at: Math.floor(WINDOW.fromMs / SEC), end_updated_at: Math.floor(WINDOW.toMs / SEC), order_status: 5, refund_status: 5 }, at);
    expect(((await rejection(call(NOW - 11 * MIN))) as AppError).details).toMatchObject({ code: PDD_ERR.badTimestamp });
    await expect(call(NOW - 9 * MIN)).resolves.toHaveProperty('order_sn_increment_get_response');
  });

  it('the server accepts a form-encoded request signed over the same params', async () => {
    const { srv } = await setup(ordersInWindow(4));
    const params: Record<string, string> = {
      type: 'pdd.order.number.list.increment.get', client_id: APP.appKey, access_token: APP.accessToken, timestamp: pddTimestamp(NOW), data_type: 'JSON',
      start_updated_at: String(WINDOW.fromMs / SEC), end_updated_at: String(WINDOW.toMs / SEC), order_status: '5', refund_status: '5', page: '1', page_size: '100',
    };
    const res = await fetch(srv.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...params, sign: pddSign(params, APP.appSecret) }) });
    const body = (await res.json()) as { order_sn_increment_get_response: { total_count: number } };
    expect(body.order_sn_increment_get_response.total_count).toBe(4);
  });

  it('a window over 30 minutes is refused by the server and by the adapter', async () => {
    const { srv, adapter } = await setup([]);
    const from = Math.floor(WINDOW.fromMs / SEC);
    const e = await rejection(pddCall({ ...APP, gateway: srv.url }, 'pdd.order.number.list.increment.get', { start_updated_at: from, end_updated_at: from + 1801, order_status: 5, refund_status: 5 }, NOW));
    expect((e as AppError).details).toMatchObject({ code: PDD_ERR.badParams, retryable: false });
    await expect(pddCall({ ...APP, gateway: srv.url }, 'pdd.order.number.list.increment.get', { start_updated_at: from, end_updated_at: from + 1800, order_status: 5, refund_status: 5 }, NOW)).resolves.toBeTruthy();
    const a = await rejection(adapter.pullPage({ fromMs: WINDOW.fromMs, toMs: WINDOW.fromMs + 31 * MIN }, null));
    expect((a as AppError).code).toBe('PLATFORM_ERROR');
  });

  it('page_size over 100 is refused by the server', async () => {
    const { srv } = await setup([]);
    const e = await rejection(pddCall({ ...APP, gateway: srv.url }, 'pdd.order.number.list.increment.get', { start_updated_at: Math.floor(WINDOW.fromMs / SEC), end_updated_at: Math.floor(WINDOW.toMs / SEC), order_status: 5, refund_status: 5, page_size: 101 }, NOW));
    expect((e as AppError).details).toMatchObject({ code: PDD_ERR.badParams });
  });

  it('throttling → PLATFORM_ERROR throttled and retryable', async () => {
    const { srv, adapter } = await setup(ordersInWindow(3));
    srv.setFault('throttled');
    const e = (await rejection(adapter.pullPage(WINDOW, null))) as AppError;
    expect(e.code).toBe('PLATFORM_ERROR');
    expect(e.details).toMatchObject({ code: PDD_ERR.throttled, throttled: true, retryable: true });
    srv.setFault(null);
    await expect(adapter.pullPage(WINDOW, null)).resolves.toMatchObject({ next: null });
  });

  it('expired token (fault) or a wrong token → SHOP_AUTH_EXPIRED', async () => {
    const { srv, adapter } = await setup(ordersInWindow(3));
    srv.setFault('tokenExpired');
    expect(((await rejection(adapter.pullPage(WINDOW, null))) as AppError).code).toBe('SHOP_AUTH_EXPIRED');
    srv.setFault(null);
    const stale = createPddAdapter({ id: 's', name: 'n', platform: 'pdd', state: 'active', settings: JSON.stringify({ gateway: srv.url, ...APP, accessToken: 'old' }) }, { now: () => NOW });
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

  it('a malformed order payload → AdapterPayloadError with a readable reason and the order_sn', async () => {
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
      expect((e as AdapterPayloadError).reason).toContain('pay_amount');
      expect((e as AdapterPayloadError).platformOrderId).toBe((p as { order_sn: string }).order_sn);
    }
    expect(() => adapter.toOrder({ order_sn: 'x', order_status: 9, confirm_status: 1 })).toThrow(AdapterPayloadError);
    expect(() => adapter.toOrder('not an order')).toThrow(AdapterPayloadError);
  });
});

/** One raw payload from the adapter's current server (for hand-made variants). */
async function rawOf(adapter: PlatformAdapter): Promise<Record<string, unknown>> {
  const page = await adapter.pullPage(WINDOW, null);
  return page.payloads[0] as Record<string, unknown>;
}
