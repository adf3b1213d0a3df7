// Kuaishou push-backs and receiver decryption through the real adapter against the loopback Kuaishou
// gateway over HTTP: goods.deliver outcomes (confirmed, the same waybill again idempotent, another
// waybill "already delivered" read back through open.order.detail, refusals, throttling, 5xx, expired
// token), note.add memo + flag then a pull, decrypt.batch batching, partial failure, size and rate limits.
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../../shared/model.ts';
import { AppError } from '../../../shared/result.ts';
import { classifyError, markedRetryable } from '../../sync/backoff.ts';
import type { PlatformAdapter, PullWindow, ShopRecord } from '../contract.ts';
import { generateOrders } from '../sandbox/generator.ts';
import { createKuaishouAdapter, ksCall } from './adapter.ts';
import { KS_ERR } from './errors.ts';
import { asSingleSkuOrder } from './payload.ts';
import { DECRYPT_BATCH } from './pushback.ts';
import { DECRYPT_CALLS_PER_SECOND } from './server-actions.ts';
import { startPlatformServer, type PlatformServer } from './server.ts';
import { pullAll, rejection } from '../test-adapter.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: 'ks660000000000000001', appSecret: 'ks-sign-s3cret', accessToken: 'tok-123' };

function orders(count: number, over: Partial<PlatformOrder> = {}): PlatformOrder[] {
  return Array.from(generateOrders({ shops: [{ id: 'ks-shop', platform: 'kuaishou', seed: 11 }], count, fromMs: NOW - 2 * 86_400_000, toMs: NOW - 60 * MIN })).map((g, i) => ({
    ...asSingleSkuOrder(g.order),
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
  const shop: ShopRecord = { id: 'shop-ks', name: '快手店', platform: 'kuaishou', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP }) };
  return { srv: server, adapter: createKuaishouAdapter(shop, { now: () => NOW }) };
}

/** The current mapped state of one order, pulled through the adapter like the sync engine would. */
async function pulled(adapter: PlatformAdapter, id: string, window: PullWindow = { fromMs: NOW - 29 * MIN, toMs: NOW + 1000 }): Promise<PlatformOrder | undefined> {
  return (await pullAll(adapter, window)).find((o) => o.platformOrderId === id);
}

const ship = (id: string, waybillNo = 'ZT7812345678901', carrierCode: 'ZTO' | 'YTO' = 'ZTO') => ({ kind: 'ship' as const, platformOrderId: id, carrierCode, waybillNo });
const CALL = { appKey: APP.appKey, signSecret: APP.appSecret, accessToken: APP.accessToken, signMethod: 'HMAC_SHA256' as const };

describe('kuaishou push: open.seller.order.goods.deliver', () => {
  it('ships: confirmed, the order moves to shipped at the platform with the waybill, and a pull shows it', async () => {
    const list = orders(3);
    const id = list[1]!.platformOrderId;
    const { srv, adapter } = await setup(list);
    expect(await adapter.push(ship(id))).toEqual({ kind: 'confirmed' });
    const there = srv.orders.find((o) => o.platformOrderId === id)!;
    expect([there.status, there.platformUpdatedAt]).toEqual(['shipped', NOW]);
    expect(srv.shipments.get(id)).toMatchObject({ expressCode: 4, expressNo: 'ZT7812345678901' });
    expect((await pulled(adapter, id))?.status).toBe('shipped');
    expect(srv.orders.filter((o) => o.status === 'shipped')).toHaveLength(1);
  });

  it('the same waybill again is idempotent success; another waybill is "already shipped" with the platform waybill', async () => {
    const list = orders(2);
    const id = list[0]!.platformOrderId;
    const { adapter } = await setup(list);
    await adapter.push(ship(id, 'ZT1111111111'));
    expect(await adapter.push(ship(id, 'ZT1111111111'))).toEqual({ kind: 'confirmed' });
    expect(await adapter.push(ship(id, 'YT2222222222', 'YTO'))).toEqual({ kind: 'already_shipped', waybillNo: 'ZT1111111111' });
  });

  it('already shipped elsewhere (no waybill on the platform): already_shipped with an unknown waybill', async () => {
    const list = orders(1, { status: 'shipped' });
    const { adapter } = await setup(list);
    expect(await adapter.push(ship(list[0]!.platformOrderId))).toEqual({ kind: 'already_shipped', waybillNo: null });
  });

  it('business refusals are rejected with the platform words: closed, refund pending, bad waybill, unknown order', async () => {
    const [closed] = orders(1, { status: 'closed' });
    const [refund] = orders(1, { afterSale: 'in_progress' }).map((o) => ({ ...o, platformOrderId: `${o.platformOrderId}9` }));
    const [ok] = orders(1).map((o) => ({ ...o, platformOrderId: `${o.platformOrderId}8` }));
    const { srv, adapter } = await setup([closed!, refund!, ok!]);
    const c = await adapter.push(ship(closed!.platformOrderId));
    expect(c.kind === 'rejected' && c.reason).toMatch(/订单已关闭.*ORDER_STATUS_CLOSED/);
    const r = await adapter.push(ship(refund!.platformOrderId));
    expect(r.kind === 'rejected' && r.reason).toMatch(/退款.*ORDER_REFUNDING/);
    const w = await adapter.push(ship(ok!.platformOrderId, 'bad-waybill!'));
    expect(w.kind === 'rejected' && w.reason).toMatch(/快递单号格式错误.*EXPRESS_NO_INVALID/);
    const u = await adapter.push(ship('123456789'));
    expect(u.kind === 'rejected' && u.reason).toMatch(/ORDER_NOT_EXIST/);
    expect(srv.orders.every((o) => o.status !== 'shipped')).toBe(true);
  });

  it('throttling, 5xx and a cut-off body throw retryable errors; the retry after a lost answer is idempotent', async () => {
    const list = orders(1);
    const id = list[0]!.platformOrderId;
    const { srv, adapter } = await setup(list);
    srv.setFault('throttled');
    const t = await rejection(adapter.push(ship(id)));
    expect([markedRetryable(t), classifyError(t).kind]).toEqual([true, 'throttled']);
    expect(srv.orders[0]!.status).toBe('awaiting_shipment');
    srv.setFault('http5xx');
    const f = await rejection(adapter.push(ship(id)));
    expect([markedRetryable(f), classifyError(f).kind]).toEqual([true, 'retryable']);
    srv.setFault('malformedJson');
    expect(markedRetryable(await rejection(adapter.push(ship(id))))).toBe(true);
    srv.setFault(null);
    // The cut-off answer came after the server shipped: the same waybill again confirms.
    expect(await adapter.push(ship(id))).toEqual({ kind: 'confirmed' });
  });

  it('an expired token is SHOP_AUTH_EXPIRED, as for pulls', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    srv.setFault('tokenExpired');
    expect((await rejection(adapter.push(ship(list[0]!.platformOrderId)))).code).toBe('SHOP_AUTH_EXPIRED');
    expect((await rejection(adapter.push({ kind: 'memo', platformOrderId: list[0]!.platformOrderId, memo: 'x', flag: 1 }))).code).toBe('SHOP_AUTH_EXPIRED');
    expect(srv.orders[0]!.status).toBe('awaiting_shipment');
  });

  it('the write APIs are POST only, as §5.1 says', async () => {
    const list = orders(1);
    const { srv } = await setup(list);
    const err = await rejection(ksCall({ gateway: srv.url, ...CALL }, 'open.seller.order.goods.deliver', { orderId: 1, expressNo: 'ZT1111111111', expressCode: 4 }, NOW, 'GET'));
    expect((err.details as { code: number }).code).toBe(KS_ERR.badParams);
  });
});

describe('kuaishou push: open.seller.order.note.add', () => {
  it('sets note and flag, the platform bumps updateTime, and a pull reads them back', async () => {
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

  it('a note over 500 characters is rejected with the reason, and nothing is sent', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    const before = srv.orders[0];
    const out = await adapter.push({ kind: 'memo', platformOrderId: list[0]!.platformOrderId, memo: '字'.repeat(501), flag: 2 });
    expect(out.kind === 'rejected' && out.reason).toMatch(/500/);
    expect(srv.orders[0]).toBe(before);
  });
});

describe('kuaishou open.order.decrypt.batch', () => {
  it('decrypts many orders in ≤100-item batches, paced under the rate limit, returning the plaintext receivers', async () => {
    const list = orders(70); // 70 orders × 3 ciphers = 3 calls of ≤33 orders
    const { srv, adapter } = await setup(list);
    const stored = await allPulled(adapter);
    const started = Date.now();
    const got = await adapter.decryptReceivers(stored.map((o) => ({ platformOrderId: o.platformOrderId, cipher: o.receiver.cipher! })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 250 - 20); // paced: 3 calls, 2 waits
    expect(got.size).toBe(70);
    for (const o of srv.orders) expect(got.get(o.platformOrderId)).toEqual({ name: o.receiver.name, phone: o.receiver.phone, address: o.receiver.address });
  });

  it('partial failure: orders whose cipher does not decrypt are left out, the rest come back', async () => {
    const list = orders(4);
    const { adapter } = await setup(list);
    const stored = await allPulled(adapter);
    const requests = stored.map((o, i) => {
      const c = JSON.parse(o.receiver.cipher!) as Record<string, string>;
      return { platformOrderId: o.platformOrderId, cipher: i === 2 ? JSON.stringify({ ...c, address: 'Zm9yZ2Vk' }) : o.receiver.cipher! };
    });
    requests.push({ platformOrderId: '42', cipher: 'not json' });
    const got = await adapter.decryptReceivers(requests);
    expect([...got.keys()].sort()).toEqual(stored.filter((_, i) => i !== 2).map((o) => o.platformOrderId).sort());
  });

  it('the server refuses over 100 items and throttles calls over its rate; the adapter surfaces throttling as retryable', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    const s = { gateway: srv.url, ...CALL };
    const item = { bizId: list[0]!.platformOrderId, encryptedData: 'x' };
    const tooMany = await rejection(ksCall(s, DECRYPT_BATCH, { batchDecryptList: Array.from({ length: 101 }, () => item) }, NOW, 'POST'));
    expect((tooMany.details as { code: number }).code).toBe(KS_ERR.badParams);
    await new Promise((r) => setTimeout(r, 1100));
    const results = await Promise.allSettled(Array.from({ length: DECRYPT_CALLS_PER_SECOND + 1 }, () => ksCall(s, DECRYPT_BATCH, { batchDecryptList: [item] }, NOW, 'POST')));
    const throttled = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as AppError);
    expect(throttled).toHaveLength(1);
    expect(classifyError(throttled[0]).kind).toBe('throttled');
    srv.setFault('throttled');
    expect(markedRetryable(await rejection(adapter.decryptReceivers([{ platformOrderId: list[0]!.platformOrderId, cipher: '{"name":"a","phone":"b","address":"c"}' }])))).toBe(true);
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
