// The PDD adapter against the loopback PDD server over real HTTP. The shared pull contract (many-page
// window, backwards paging under change, throttling, token, 5xx, bad payload) runs from
// ../adapter-contract.ts with PDD's values; this file keeps what is PDD's own: order_status /
// confirm_status / refund_status mapping, 元 amounts, signature/timestamp checks, form encoding and limits.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result.ts';
import type { PlatformOrder } from '../../../shared/model.ts';
import type { PlatformAdapter, PullWindow } from '../contract.ts';
import { describeAdapterContract, LISTS_PAID_ONLY, windowOrders } from '../../../testkit/platforms/adapter-contract.suite.ts';
import { expectStatusCases, pullPayloads, rejection, useLoopbackShop, platformUnderTest, type StatusCase } from '../../../testkit/platforms/test-adapter.ts';
import { createPddAdapter, pddCall } from './adapter.ts';
import { PDD_ERR } from './errors.ts';
import { startPlatformServer } from '../../../sandbox/platforms/pdd/server.ts';
import { pddSign, pddTimestamp } from './sign.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const PDD = platformUnderTest('pdd', startPlatformServer, createPddAdapter);
const { now: NOW, app: APP } = PDD;
const WINDOW: PullWindow = { fromMs: NOW - 40 * MIN, toMs: NOW - 40 * MIN + 29 * MIN };

/** Realistic generated orders, all modified inside WINDOW (some on the same second); PDD lists paid orders only. */
const ordersInWindow = windowOrders({
  platform: 'pdd',
  seed: 42,
  now: NOW,
  window: WINDOW,
  ...LISTS_PAID_ONLY,
});

describeAdapterContract({
  ...PDD,
  label: 'PDD adapter ↔ loopback PDD server',
  now: NOW,
  window: WINDOW,
  ordersInWindow,
  errors: { throttled: PDD_ERR.throttled, tokenExpired: PDD_ERR.tokenExpired },
  fullPull: {
    paging: 'backwards',
    expectMapped(got, want) {
      expect(got.afterSale).toBe(want.afterSale === 'rejected' ? 'none' : want.afterSale); // PDD: 1 = 无售后或售后关闭
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
    },
  },
  // Whole-second update times: the changed orders fall in the next window, which starts where this one ends.
  midPull: { change: (o) => ({ ...o, platformUpdatedAt: NOW }), next: { fromMs: WINDOW.toMs, toMs: NOW + SEC } },
  badPayload: { field: 'pay_amount', idOf: (p) => (p as { order_sn: string }).order_sn, alsoRefused: [{ order_sn: 'x', order_status: 9, confirm_status: 1 }] },
});

const setup = useLoopbackShop(PDD, NOW);

/** An order's status and after-sale state → the platformStatus and after-sale state its payload maps to. */
const STATUS_CASES: StatusCase[] = [
  ['awaiting_shipment', 'none', 'order_status=1,confirm_status=1', 'none'],
  ['shipped', 'requested', 'order_status=2,confirm_status=1', 'requested'],
  ['completed', 'in_progress', 'order_status=3,confirm_status=1', 'in_progress'],
  ['closed', 'refunded', 'order_status=1,confirm_status=2', 'refunded'],
];

describe('PDD adapter ↔ loopback PDD server: particulars', () => {
  it('maps order_status / confirm_status / refund_status exactly as docs/platforms/common.md says', async () => {
    await expectStatusCases(setup, WINDOW, ordersInWindow(1)[0]!, STATUS_CASES, (i) => `260101-00000000${i}`);
  });

  it('parses amounts exactly (no float drift), including 0.01, 0.30 and ten-digit yuan', async () => {
    const [base] = ordersInWindow(1) as [PlatformOrder];
    const item = { ...base.items[0]!, quantity: 3, unitPriceFen: 10, paidFen: 30 };
    const order: PlatformOrder = { ...base, items: [item], goodsFen: 1_234_567_890_123, shippingFen: 1, discountFen: 30, paidFen: 1_234_567_890_094 };
    const { adapter } = await setup([order]);
    const [got] = (await pullPayloads(adapter, WINDOW)).payloads.map((p) => adapter.toOrder(p)) as [PlatformOrder];
    expect([got.goodsFen, got.shippingFen, got.discountFen, got.paidFen]).toEqual([1_234_567_890_123, 1, 30, 1_234_567_890_094]);
    expect(got.items[0]!.unitPriceFen).toBe(10);
    expect(adapter.toOrder({ ...(await rawOf(adapter)), pay_amount: '0.1' }).paidFen).toBe(10);
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
});

/** One raw payload from the adapter's current server (for hand-made variants). */
async function rawOf(adapter: PlatformAdapter): Promise<Record<string, unknown>> {
  const page = await adapter.pullPage(WINDOW, null);
  return page.payloads[0] as Record<string, unknown>;
}
