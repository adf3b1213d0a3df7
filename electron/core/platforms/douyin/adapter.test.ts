// The doudian adapter against the loopback doudian server over real HTTP. The shared pull contract
// (many-page window, backwards paging under change, throttling, token, 5xx, bad payload) runs from
// ../adapter-contract.ts with doudian's values; this file keeps what is doudian's own: order_status /
// after_sale_status mapping, integer-分 amounts, the signed exact body, md5 signing, and the window,
// size, depth and horizon limits.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result.ts';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';
import { AdapterPayloadError, type PullWindow } from '../contract.ts';
import { describeAdapterContract, LISTS_UNPAID, windowOrders } from '../../../testkit/platforms/adapter-contract.suite.ts';
import { rejection, thrown, useLoopbackShop, platformUnderTest } from '../../../testkit/platforms/test-adapter.ts';
import { createDouyinAdapter, doudianCall } from './adapter.ts';
import { DOUDIAN_ERR } from './errors.ts';
import { startPlatformServer } from '../../../sandbox/platforms/douyin/server.ts';
import { doudianParamJson, doudianSign, doudianTimestamp } from './sign.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const DAY = 24 * 60 * MIN;
const DOUYIN = platformUnderTest('douyin', startPlatformServer, createDouyinAdapter);
const { now: NOW, app: APP } = DOUYIN;
const WINDOW: PullWindow = { fromMs: NOW - 40 * MIN, toMs: NOW - 40 * MIN + 29 * MIN };
const S = (ms: number): number => Math.floor(ms / SEC);

/** Realistic generated orders, all modified inside WINDOW (some on the same second), unpaid ones and seller flags too. */
const ordersInWindow = windowOrders({
  platform: 'douyin',
  seed: 7,
  now: NOW,
  window: WINDOW,
  ...LISTS_UNPAID,
  listed: (o, i) => ({ ...o, sellerFlag: i % 6 }),
});

describeAdapterContract({
  ...DOUYIN,
  label: 'doudian adapter ↔ loopback doudian server',
  now: NOW,
  window: WINDOW,
  ordersInWindow,
  errors: { throttled: DOUDIAN_ERR.throttled, tokenExpired: DOUDIAN_ERR.tokenExpired },
  fullPull: {
    paging: 'backwards',
    expectMapped(got, want) {
      expect(got.afterSale).toBe(want.afterSale);
      expect(got.sellerFlag).toBe(want.sellerFlag);
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
    },
  },
  midPull: { change: (o) => ({ ...o, platformUpdatedAt: NOW }), next: { fromMs: WINDOW.toMs, toMs: NOW + SEC } },
  badPayload: { field: 'pay_amount', idOf: (p) => (p as { order_id: string }).order_id, alsoRefused: [{ order_id: 'x', order_status: 3 }] },
});

const setup = useLoopbackShop(DOUYIN, NOW);

const listParam = (extra: Record<string, unknown> = {}) => ({ update_time_start: S(WINDOW.fromMs), update_time_end: S(WINDOW.toMs), order_by: 'update_time', page: 0, size: 100, ...extra });

describe('doudian adapter ↔ loopback doudian server: particulars', () => {
  it('maps order_status and after_sale_status exactly as docs/platforms/common.md says', async () => {
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
    // An after-sale code the documented table does not list keeps the order, as an unknown after-sale.
    const warnings: string[] = [];
    const odd = adapter.toOrder({ ...raw, order_status: 3, sku_order_list: skus.map((s) => ({ ...s, after_sale_info: { after_sale_status: 99, refund_status: 0 } })) }, (m) => warnings.push(m));
    expect(odd.afterSale).toBe('unknown');
    expect(warnings.join('\n')).toMatch(/after_sale_status 99 is not in the documented table/);
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
    // promotion_amount is not named in the notes ("discounts"): an impossible one is replaced by
    // order_amount − pay_amount with a warning, and the order is kept.
    const warned: string[] = [];
    const kept = adapter.toOrder({ ...raw, promotion_amount: 2_000_000_000_000 }, (m) => warned.push(m));
    expect(kept.discountFen).toBe(30);
    expect(warned.join('\n')).toMatch(/promotion_amount 2000000000000 exceeds the goods amount/);
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

  it('settings without appKey/appSecret/accessToken are refused when the adapter is made', () => {
    const e = thrown(() => createDouyinAdapter({ id: 's', name: 'n', platform: 'douyin', state: 'active', settings: JSON.stringify({ appKey: 'k' }) }, { now: () => NOW })) as AppError;
    expect(e).toBeInstanceOf(AppError);
    expect(e.message).toMatch(/appSecret/);
  });
});
