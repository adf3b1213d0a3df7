// Douyin push-backs and receiver decryption through the real adapter against the loopback doudian
// server over HTTP: ship outcomes (confirmed, already shipped with the same or another waybill,
// business refusals, throttling, 5xx, expired token), memo + star then a pull, batchDecrypt batching,
// partial failure and the server's batch-size and rate limits.
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../../shared/model.ts';
import { AppError } from '../../../shared/result.ts';
import { classifyError, markedRetryable } from '../../sync/backoff.ts';
import type { PlatformAdapter, PullWindow, ShopRecord } from '../contract.ts';
import { generateOrders } from '../sandbox/generator.ts';
import { createDouyinAdapter, doudianCall } from './adapter.ts';
import { DOUDIAN_ERR } from './errors.ts';
import { BATCH_DECRYPT } from './pushback.ts';
import { DECRYPT_CALLS_PER_SECOND } from './server-actions.ts';
import { startPlatformServer, type PlatformServer } from './server.ts';
import { pullAll, rejection } from '../test-adapter.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: '7000000000000000001', appSecret: 'dd-s3cret', accessToken: 'tok-dd-123' };

function orders(count: number, over: Partial<PlatformOrder> = {}): PlatformOrder[] {
  return Array.from(generateOrders({ shops: [{ id: 'dy-shop', platform: 'douyin', seed: 11 }], count, fromMs: NOW - 2 * 86_400_000, toMs: NOW - 60 * MIN })).map((g, i) => ({
    ...g.order,
    status: 'awaiting_shipment',
    afterSale: 'none',
    sellerMemo: null,
    sellerFlag: 0,
    platformUpdatedAt: NOW - 50 * MIN + i * 1000,
    ...over,
  }));
}

let server: PlatformServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(list: PlatformOrder[]): Promise<{ srv: PlatformServer; adapter: PlatformAdapter }> {
  server = await startPlatformServer({ orders: list, ...APP, now: () => NOW });
  const shop: ShopRecord = { id: 'shop-dy', name: '抖店', platform: 'douyin', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP }) };
  return { srv: server, adapter: createDouyinAdapter(shop, { now: () => NOW }) };
}

/** The current mapped state of one order, pulled through the adapter like the sync engine would. */
async function pulled(adapter: PlatformAdapter, id: string, window: PullWindow = { fromMs: NOW - 29 * MIN, toMs: NOW + 1000 }): Promise<PlatformOrder | undefined> {
  return (await pullAll(adapter, window)).find((o) => o.platformOrderId === id);
}

const ship = (id: string, waybillNo = 'ZT7812345678901', carrierCode: 'ZTO' | 'YTO' = 'ZTO') => ({ kind: 'ship' as const, platformOrderId: id, carrierCode, waybillNo });

describe('doudian push: order.logisticsAdd', () => {
  it('ships: confirmed, the order moves to shipped at the platform with the waybill, and a pull shows it', async () => {
    const list = orders(3);
    const id = list[1]!.platformOrderId;
    const { srv, adapter } = await setup(list);
    expect(await adapter.push(ship(id))).toEqual({ kind: 'confirmed' });
    const there = srv.orders.find((o) => o.platformOrderId === id)!;
    expect([there.status, there.platformUpdatedAt]).toEqual(['shipped', NOW]);
    expect(srv.shipments.get(id)).toMatchObject({ companyCode: 'zhongtong', trackingNo: 'ZT7812345678901' });
    expect((await pulled(adapter, id))?.status).toBe('shipped');
    // The others are untouched.
    expect(srv.orders.filter((o) => o.status === 'shipped')).toHaveLength(1);
  });

  it('a second ship is "already shipped" carrying the platform waybill: the same one, or the other one', async () => {
    const list = orders(2);
    const id = list[0]!.platformOrderId;
    const { adapter } = await setup(list);
    await adapter.push(ship(id, 'ZT1111111111'));
    expect(await adapter.push(ship(id, 'ZT1111111111'))).toEqual({ kind: 'already_shipped', waybillNo: 'ZT1111111111' });
    expect(await adapter.push(ship(id, 'YT2222222222', 'YTO'))).toEqual({ kind: 'already_shipped', waybillNo: 'ZT1111111111' });
  });

  it('already shipped elsewhere (no waybill on the platform): already_shipped with an unknown waybill', async () => {
    const list = orders(1, { status: 'shipped' });
    const { adapter } = await setup(list);
    expect(await adapter.push(ship(list[0]!.platformOrderId))).toEqual({ kind: 'already_shipped', waybillNo: null });
  });

  it('business refusals are rejected with the platform words: cancelled, refund pending, bad waybill, unknown order', async () => {
    const [cancelled] = orders(1, { status: 'closed' });
    const [refund] = orders(1, { afterSale: 'requested' }).map((o) => ({ ...o, platformOrderId: `${o.platformOrderId}9` }));
    const [ok] = orders(1).map((o) => ({ ...o, platformOrderId: `${o.platformOrderId}8` }));
    const { srv, adapter } = await setup([cancelled!, refund!, ok!]);
    const c = await adapter.push(ship(cancelled!.platformOrderId));
    expect(c).toMatchObject({ kind: 'rejected' });
    expect(c.kind === 'rejected' && c.reason).toMatch(/订单已取消.*60021/);
    const r = await adapter.push(ship(refund!.platformOrderId));
    expect(r.kind === 'rejected' && r.reason).toMatch(/有退款申请需要处理.*60040/);
    const w = await adapter.push(ship(ok!.platformOrderId, 'bad-waybill!'));
    expect(w.kind === 'rejected' && w.reason).toMatch(/物流单号不符合规则.*60017/);
    const u = await adapter.push(ship('6999999999999999999'));
    expect(u.kind === 'rejected' && u.reason).toMatch(/60033/);
    expect(srv.orders.every((o) => o.status !== 'shipped')).toBe(true);
  });

  it('throttling, 5xx and a cut-off body throw retryable errors; nothing ships; then the retry ships', async () => {
    const list = orders(1);
    const id = list[0]!.platformOrderId;
    const { srv, adapter } = await setup(list);
    srv.setFault('throttled');
    const t = await rejection(adapter.push(ship(id)));
    expect(markedRetryable(t)).toBe(true);
    expect(classifyError(t).kind).toBe('throttled');
    srv.setFault('http5xx');
    const f = await rejection(adapter.push(ship(id)));
    expect([markedRetryable(f), classifyError(f).kind]).toEqual([true, 'retryable']);
    srv.setFault('malformedJson');
    // The body is cut after the server acted: the retry must then read "already shipped" with our waybill.
    expect(markedRetryable(await rejection(adapter.push(ship(id))))).toBe(true);
    srv.setFault(null);
    expect(await adapter.push(ship(id))).toEqual({ kind: 'already_shipped', waybillNo: 'ZT7812345678901' });
  });

  it('an expired token is SHOP_AUTH_EXPIRED, as for pulls', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    srv.setFault('tokenExpired');
    expect((await rejection(adapter.push(ship(list[0]!.platformOrderId)))).code).toBe('SHOP_AUTH_EXPIRED');
    expect((await rejection(adapter.push({ kind: 'memo', platformOrderId: list[0]!.platformOrderId, memo: 'x', flag: 1 }))).code).toBe('SHOP_AUTH_EXPIRED');
    expect(srv.orders[0]!.status).toBe('awaiting_shipment');
  });
});

describe('doudian push: order.addOrderRemark', () => {
  it('sets memo and star (nearest colour), the platform bumps update_time, and a pull reads them back', async () => {
    const list = orders(2);
    const id = list[0]!.platformOrderId;
    const { srv, adapter } = await setup(list);
    for (const flag of [1, 2, 3, 4, 5, 0] as const) {
      expect(await adapter.push({ kind: 'memo', platformOrderId: id, memo: `备注 ${flag}`, flag })).toEqual({ kind: 'confirmed' });
      const got = await pulled(adapter, id);
      expect([got?.sellerMemo, got?.sellerFlag]).toEqual([`备注 ${flag}`, flag]);
    }
    expect(srv.orders[0]!.platformUpdatedAt).toBe(NOW);
    expect(await adapter.push({ kind: 'memo', platformOrderId: id, memo: null, flag: 0 })).toEqual({ kind: 'confirmed' });
    expect((await pulled(adapter, id))?.sellerMemo).toBeNull();
  });

  it('a memo over 60 characters is rejected with the reason, and nothing is sent', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    const before = srv.orders[0];
    const out = await adapter.push({ kind: 'memo', platformOrderId: list[0]!.platformOrderId, memo: '字'.repeat(61), flag: 2 });
    expect(out.kind).toBe('rejected');
    expect(out.kind === 'rejected' && out.reason).toMatch(/60/);
    expect(srv.orders[0]).toBe(before);
    // Exactly 60 characters (astral ones counted as one) goes through.
    expect(await adapter.push({ kind: 'memo', platformOrderId: list[0]!.platformOrderId, memo: '𠀀'.repeat(60), flag: 2 })).toEqual({ kind: 'confirmed' });
  });
});

describe('doudian order.batchDecrypt', () => {
  it('decrypts many orders in ≤50-cipher batches, paced under the rate limit, returning the plaintext receivers', async () => {
    const list = orders(70); // 70 orders × 3 ciphers = 5 calls of ≤16 orders
    const { srv, adapter } = await setup(list);
    const stored = await allPulled(adapter);
    const requests = stored.map((o) => ({ platformOrderId: o.platformOrderId, cipher: o.receiver.cipher! }));
    const started = Date.now();
    const got = await adapter.decryptReceivers(requests);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 250 - 20); // paced: 5 calls, 4 waits
    expect(got.size).toBe(70);
    for (const o of srv.orders) expect(got.get(o.platformOrderId)).toEqual({ name: o.receiver.name, phone: o.receiver.phone, address: o.receiver.address });
  });

  it('partial failure (300008): orders whose cipher does not decrypt are left out, the rest come back', async () => {
    const list = orders(4);
    const { adapter } = await setup(list);
    const stored = await allPulled(adapter);
    const requests = stored.map((o, i) => {
      const c = JSON.parse(o.receiver.cipher!) as Record<string, string>;
      return { platformOrderId: o.platformOrderId, cipher: i === 2 ? JSON.stringify({ ...c, phone: '#forged#cipher##' }) : o.receiver.cipher! };
    });
    requests.push({ platformOrderId: 'not-json', cipher: 'not json' });
    const got = await adapter.decryptReceivers(requests);
    expect([...got.keys()].sort()).toEqual(stored.filter((_, i) => i !== 2).map((o) => o.platformOrderId).sort());
  });

  it('the server refuses over 50 cipher_infos and throttles calls over its rate; the adapter surfaces throttling as retryable', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    const s = { gateway: srv.url, ...APP };
    const info = { auth_id: list[0]!.platformOrderId, cipher_text: 'x' };
    const tooMany = await rejection(doudianCall(s, BATCH_DECRYPT, { cipher_infos: Array.from({ length: 51 }, () => info) }, NOW));
    expect((tooMany.details as { code: number }).code).toBe(DOUDIAN_ERR.badParam);
    // Back to back, the (DECRYPT_CALLS_PER_SECOND+1)th call within a second is throttled.
    await new Promise((r) => setTimeout(r, 1100));
    const results = await Promise.allSettled(Array.from({ length: DECRYPT_CALLS_PER_SECOND + 1 }, () => doudianCall(s, BATCH_DECRYPT, { cipher_infos: [info] }, NOW)));
    const throttled = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as AppError);
    expect(throttled).toHaveLength(1);
    expect(classifyError(throttled[0]).kind).toBe('throttled');
    srv.setFault('throttled');
    const stored = await rejection(adapter.decryptReceivers([{ platformOrderId: list[0]!.platformOrderId, cipher: '{"name":"a","phone":"b","address":"c"}' }]));
    expect(markedRetryable(stored)).toBe(true);
  });
});

async function allPulled(adapter: PlatformAdapter): Promise<PlatformOrder[]> {
  const found: PlatformOrder[] = [];
  let token: string | null = null;
  do {
    const page = await adapter.pullPage({ fromMs: NOW - 51 * MIN, toMs: NOW - 22 * MIN }, token);
    found.push(...page.payloads.map((p) => adapter.toOrder(p)));
    token = page.next;
  } while (token !== null);
  return found;
}
