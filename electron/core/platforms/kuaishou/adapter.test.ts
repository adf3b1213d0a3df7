// The Kuaishou adapter against the loopback Kuaishou server over real HTTP. The shared pull contract
// (many-page window, cursor paging under change, throttling, token, 5xx, bad payload) runs from
// ../adapter-contract.ts with Kuaishou's values; this file keeps what is Kuaishou's own:
// orderBaseInfo.status / refund-list mapping, integer-分 amounts, MD5 and HMAC signing, tampered
// params, the window limit and signSecret settings.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result.ts';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';
import { AdapterPayloadError, type PullWindow, type ShopRecord } from '../contract.ts';
import { describeAdapterContract, LISTS_UNPAID, windowOrders } from '../../../testkit/platforms/adapter-contract.suite.ts';
import { pullPayloads, rejection, useLoopbackShop, platformUnderTest } from '../../../testkit/platforms/test-adapter.ts';
import { asSingleSkuOrder } from '../../../sandbox/platforms/kuaishou/server-order.ts';
import { createKuaishouAdapter, ksCall, type KsSettings } from './adapter.ts';
import { KS_ERR } from './errors.ts';
import { startPlatformServer } from '../../../sandbox/platforms/kuaishou/server.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const KUAISHOU = platformUnderTest('kuaishou', startPlatformServer, createKuaishouAdapter);
const { now: NOW, app: APP } = KUAISHOU;
const WINDOW: PullWindow = { fromMs: NOW - 40 * MIN, toMs: NOW - 40 * MIN + 29 * MIN };
const CALL: Pick<KsSettings, 'appKey' | 'signSecret' | 'accessToken' | 'signMethod'> = {
  appKey: APP.appKey,
  signSecret: APP.appSecret,
  accessToken: APP.accessToken,
  signMethod: 'HMAC_SHA256',
};

/**
 * Realistic generated orders made one-SKU (Kuaishou orders are 一单一品), modified inside WINDOW at
 * ms precision (several on the same ms, to exercise cursor tie-breaks).
 */
const ordersInWindow = windowOrders({
  platform: 'kuaishou',
  seed: 7,
  now: NOW,
  window: WINDOW,
  ...LISTS_UNPAID,
  listed: asSingleSkuOrder,
  updatedAfterMs: (i) => Math.floor(i / 3) * 997, // three orders per ms: cursor tie-breaks
});

describeAdapterContract({
  ...KUAISHOU,
  label: 'Kuaishou adapter ↔ loopback Kuaishou server',
  now: NOW,
  window: WINDOW,
  ordersInWindow,
  errors: { throttled: KS_ERR.throttled, tokenExpired: KS_ERR.tokenExpired },
  fullPull: {
    paging: 'cursor',
    expectPull({ mapped, pages }) {
      expect(pages).toBe(12);
      // Newest first (sort=1).
      const times = mapped.map((o) => o.platformUpdatedAt);
      expect(times).toEqual([...times].sort((a, b) => b - a));
    },
    expectMapped(got, want) {
      expect(got.afterSale).toBe(want.afterSale);
      expect([got.platformUpdatedAt, got.createdAt, got.paidAt]).toEqual([want.platformUpdatedAt, want.createdAt, want.paidAt]);
      expect(got.orderType).toBe(want.orderType);
      expect([got.presaleDepositFen, got.presaleBalanceFen]).toEqual([want.presaleDepositFen, want.presaleBalanceFen]);
      expect([got.buyerNick, got.buyerMessage, got.sellerMemo, got.sellerFlag]).toEqual([want.buyerNick, want.buyerMessage, want.sellerMemo, want.sellerFlag]);
      expect(got.items.map((i) => [i.platformItemId, i.platformSkuId, i.title, i.quantity, i.unitPriceFen, i.paidFen])).toEqual(
        want.items.map((i) => [i.platformItemId, i.platformSkuId, i.title, i.quantity, i.unitPriceFen, i.paidFen]),
      );
      // PII: masked copies shown, ciphertext kept for the decrypt API, never the plain phone or name.
      expect(got.receiver.cipher).not.toBeNull();
      expect(got.receiver.cipher).not.toContain(want.receiver.phone);
      if (/^\d{11}$/.test(want.receiver.phone)) expect(got.receiver.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(got.receiver.name).not.toBe(want.receiver.name);
      expect([got.receiver.province, got.receiver.city, got.receiver.district]).toEqual([want.receiver.province, want.receiver.city, want.receiver.district]);
    },
  },
  // Millisecond update times and a cursor: the changed orders (closed now) are read by the next window.
  midPull: {
    change: (o) => ({ ...o, status: 'closed', platformUpdatedAt: NOW - 5 * MIN }),
    next: { fromMs: WINDOW.toMs, toMs: NOW },
    expectNext: (changed) => expect(changed.every((o) => o.status === 'closed')).toBe(true),
  },
  badPayload: { field: 'totalFee', idOf: (p) => String((p as { orderBaseInfo: { oid: unknown } }).orderBaseInfo.oid) },
});

const setup = useLoopbackShop(KUAISHOU, NOW);

/** A raw order payload as the server sends it, loose enough to make variants of. */
type RawOrder = Record<string, unknown> & { orderBaseInfo: Record<string, unknown> };

const listParams = (extra: Record<string, unknown> = {}) => ({
  beginTime: WINDOW.fromMs,
  endTime: WINDOW.toMs,
  queryType: 2,
  orderViewStatus: 1,
  sort: 1,
  cursor: '',
  pageSize: 100,
  ...extra,
});

describe('Kuaishou adapter ↔ loopback Kuaishou server: particulars', () => {
  it('maps orderBaseInfo.status and the refund list exactly as the docs say', async () => {
    const [base] = ordersInWindow(1) as [PlatformOrder];
    const { srv, adapter } = await setup([base]);
    const [raw] = (await pullPayloads(adapter, WINDOW)).payloads as [RawOrder];
    const variant = (status: number, refunds: number[]) => ({
      ...raw,
      orderBaseInfo: { ...raw.orderBaseInfo, status },
      orderRefundList: refunds.map((refundStatus, i) => ({ refundId: i + 1, refundStatus, refundFee: 100 })),
    });
    const cases: [number, number[], OrderStatus, AfterSaleState][] = [
      [10, [], 'unpaid', 'none'],
      [30, [10], 'awaiting_shipment', 'requested'],
      [40, [20], 'shipped', 'in_progress'],
      // Refund codes per docs/platforms/refund-status.md#kuaishou: 60 退款成功, 12 卖家已拒绝, 70 退款关闭.
      [50, [60], 'completed', 'refunded'],
      [70, [12], 'completed', 'rejected'],
      [80, [60, 70], 'closed', 'none'],
    ];
    for (const [status, refunds, wantStatus, wantAfterSale] of cases) {
      const o = adapter.toOrder(variant(status, refunds));
      expect([o.status, o.platformStatus, o.afterSale], String(status)).toEqual([wantStatus, String(status), wantAfterSale]);
    }
    expect(() => adapter.toOrder(variant(20, []))).toThrow(/unknown orderBaseInfo.status 20/);
    const warnings: string[] = [];
    expect(adapter.toOrder(variant(30, [99]), (m) => warnings.push(m)).afterSale).toBe('unknown');
    expect(warnings).toEqual(['orderRefundList[0].refundStatus 99 is not in the documented table; after-sale state unknown, kept raw']);
    expect(srv.orders).toHaveLength(1);
  });

  it('parses amounts exactly as integer fen, including 1 fen and 13-digit amounts', async () => {
    const [base] = ordersInWindow(1) as [PlatformOrder];
    const item = { ...base.items[0]!, quantity: 3, unitPriceFen: 411_522_630_041, paidFen: 1_234_567_890_093 };
    const order: PlatformOrder = { ...base, orderType: 'normal', presaleDepositFen: null, presaleBalanceFen: null, items: [item], goodsFen: 1_234_567_890_123, shippingFen: 1, discountFen: 30, paidFen: 1_234_567_890_094 };
    const { adapter } = await setup([order]);
    const [raw] = (await pullPayloads(adapter, WINDOW)).payloads as [RawOrder];
    expect(raw.orderBaseInfo.totalFee).toBe(1_234_567_890_094); // Kuaishou sends 分, not 元
    const got = adapter.toOrder(raw);
    expect([got.goodsFen, got.shippingFen, got.discountFen, got.paidFen]).toEqual([1_234_567_890_123, 1, 30, 1_234_567_890_094]);
    expect(got.items[0]!.unitPriceFen).toBe(411_522_630_041);
    for (const bad of [12.5, -1, '12.34', 2 ** 53]) {
      expect(() => adapter.toOrder({ ...raw, orderBaseInfo: { ...raw.orderBaseInfo, totalFee: bad } }), String(bad)).toThrow(AdapterPayloadError);
    }
  });

  it('the server checks signatures: a request signed with the wrong secret gets the signature error', async () => {
    const { srv } = await setup(ordersInWindow(3));
    for (const signMethod of ['MD5', 'HMAC_SHA256'] as const) {
      const e = await rejection(ksCall({ ...CALL, signMethod, signSecret: 'wrong', gateway: srv.url }, 'open.order.cursor.list', listParams(), NOW));
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('PLATFORM_ERROR');
      expect((e as AppError).details).toMatchObject({ code: KS_ERR.badSign, retryable: false, throttled: false });
      // The same call with the right secret succeeds, so it was the signature that failed.
      await expect(ksCall({ ...CALL, signMethod, gateway: srv.url }, 'open.order.cursor.list', listParams(), NOW)).resolves.toMatchObject({ result: 1 });
    }
  });

  it('the server checks a tampered param and the timestamp window', async () => {
    const { srv } = await setup([]);
    const good = await ksCall({ ...CALL, gateway: srv.url }, 'open.order.cursor.list', listParams(), NOW);
    expect(good).toMatchObject({ result: 1, data: { cursor: 'nomore', orderList: [] } });
    // Re-send a correctly signed URL with `param` changed: the signature no longer matches.
    const url = new URL(`${srv.url}/open/order/cursor/list`);
    const params = { appkey: APP.appKey, method: 'open.order.cursor.list', version: '1', param: JSON.stringify(listParams()), access_token: APP.accessToken, timestamp: String(NOW), signMethod: 'MD5' };
    const { kuaishouSign } = await import('./sign.ts');
    const sign = kuaishouSign(params, APP.appSecret, 'MD5');
    url.search = new URLSearchParams({ ...params, param: JSON.stringify(listParams({ pageSize: 99 })), sign }).toString();
    expect(await (await fetch(url)).json()).toMatchObject({ result: KS_ERR.badSign });
    url.search = new URLSearchParams({ ...params, sign }).toString();
    expect(await (await fetch(url)).json()).toMatchObject({ result: 1 });
    const late = await rejection(ksCall({ ...CALL, gateway: srv.url }, 'open.order.cursor.list', listParams(), NOW - 11 * MIN));
    expect((late as AppError).details).toMatchObject({ code: KS_ERR.badTimestamp });
  });

  it('a window over the limit is refused by the server and by the adapter; pageSize over 100 too', async () => {
    const { srv, adapter } = await setup([]);
    const e = await rejection(ksCall({ ...CALL, gateway: srv.url }, 'open.order.cursor.list', listParams({ endTime: WINDOW.fromMs + 30 * MIN + 1 }), NOW));
    expect((e as AppError).details).toMatchObject({ code: KS_ERR.badParams, retryable: false });
    expect((e as AppError).message).toContain('endTime无效');
    await expect(ksCall({ ...CALL, gateway: srv.url }, 'open.order.cursor.list', listParams({ endTime: WINDOW.fromMs + 30 * MIN }), NOW)).resolves.toMatchObject({ result: 1 });
    const a = await rejection(adapter.pullPage({ fromMs: WINDOW.fromMs, toMs: WINDOW.fromMs + 31 * MIN }, null));
    expect((a as AppError).code).toBe('PLATFORM_ERROR');
    const p = await rejection(ksCall({ ...CALL, gateway: srv.url }, 'open.order.cursor.list', listParams({ pageSize: 101 }), NOW));
    expect((p as AppError).details).toMatchObject({ code: KS_ERR.badParams });
  });

  it('settings: missing appKey / secret is INVALID_STATE; signSecret wins over appSecret', async () => {
    expect(() => createKuaishouAdapter({ id: 's', name: 'n', platform: 'kuaishou', state: 'active', settings: JSON.stringify({ appKey: 'k', accessToken: 't' }) }, { now: () => NOW })).toThrow(/signSecret/);
    const { srv } = await setup(ordersInWindow(2));
    const shop = (extra: object): ShopRecord => ({ id: 's', name: 'n', platform: 'kuaishou', state: 'active', settings: JSON.stringify({ gateway: srv.url, ...APP, ...extra }) });
    const wrong = createKuaishouAdapter(shop({ signSecret: 'not-it' }), { now: () => NOW });
    expect(((await rejection(wrong.pullPage(WINDOW, null))) as AppError).details).toMatchObject({ code: KS_ERR.badSign });
    const md5 = createKuaishouAdapter(shop({ signMethod: 'MD5', appSecret: 'unused', signSecret: APP.appSecret }), { now: () => NOW });
    await expect(md5.pullPage(WINDOW, null)).resolves.toMatchObject({ next: null });
  });
});
