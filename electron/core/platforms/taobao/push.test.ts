// TOP push-backs and oaid decryption, adapter ↔ loopback TOP gateway over real HTTP: online send
// (confirmed, already shipped with the same or another waybill, closed/refunding refusals,
// throttling, 5xx, expired session), memo + flag updates seen by the next pull, and oaid decryption
// in batches of 20 with the orders TOP will not decrypt left out.
import { afterEach, describe, expect, it } from 'vitest';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';
import { classifyError, markedRetryable } from '../../sync/backoff.ts';
import type { ShopRecord } from '../contract.ts';
import { DAY, generateOrders, HOUR, MINUTE } from '../../../sandbox/demo/generator.ts';
import { createTaobaoAdapter, TaobaoAdapter } from './adapter.ts';
import { DECRYPT_METHOD, FULLINFO_METHOD, MEMO_METHOD, SHIP_METHOD } from './push.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/taobao/server.ts';
import { pullAll, rejection } from '../../../testkit/platforms/test-adapter.ts';

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const APP = { appKey: '12345678', appSecret: 'testsecret', accessToken: '6100a2b3c' };

const servers: PlatformServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** 50 generated orders: 0–39 awaiting shipment, then one of each refusal case. */
function fixture(): PlatformOrder[] {
  const orders = [...generateOrders({ shops: [{ id: 'tb-1', platform: 'taobao', seed: 11 }], count: 50, fromMs: T0 - 3 * DAY, toMs: T0 - HOUR })].map((g) => ({
    ...g.order,
    status: 'awaiting_shipment' as OrderStatus,
    platformStatus: 'WAIT_SELLER_SEND_GOODS',
    afterSale: 'none' as AfterSaleState,
    platformUpdatedAt: T0 - 2 * HOUR,
  }));
  const set = (i: number, platformStatus: string, status: OrderStatus, afterSale: AfterSaleState = 'none') => {
    orders[i] = { ...(orders[i] as PlatformOrder), platformStatus, status, afterSale };
  };
  set(40, 'TRADE_CLOSED', 'closed', 'refunded');
  set(41, 'WAIT_SELLER_SEND_GOODS', 'awaiting_shipment', 'requested');
  set(42, 'WAIT_BUYER_CONFIRM_GOODS', 'shipped'); // shipped outside the station: no waybill known to TOP's trade here
  set(43, 'TRADE_CLOSED_BY_TAOBAO', 'closed');
  return orders;
}

async function setup() {
  const clock = { now: T0 };
  const orders = fixture();
  const server = await startPlatformServer({ orders, ...APP, now: () => clock.now });
  servers.push(server);
  const shop: ShopRecord = { id: 'tb-1', name: '淘宝店', platform: 'taobao', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP }) };
  const adapter = createTaobaoAdapter(shop, { now: () => clock.now });
  const id = (i: number): string => (server.orders[i] as PlatformOrder).platformOrderId;
  return { clock, server, adapter, id };
}

describe('TOP push: taobao.logistics.online.send', () => {
  it('confirms a send, moves the trade to shipped at the gateway, and the next pull shows it shipped', async () => {
    const { clock, server, adapter, id } = await setup();
    clock.now += 5 * MINUTE;
    const out = await adapter.push({ kind: 'ship', platformOrderId: id(0), carrierCode: 'ZTO', waybillNo: '78123456789012' });
    expect(out).toEqual({ kind: 'confirmed' });
    const call = server.calls.find((c) => c.method === SHIP_METHOD);
    expect(call?.params).toMatchObject({ tid: id(0), company_code: 'ZTO', out_sid: '78123456789012' });
    const o = server.orders[0] as PlatformOrder;
    expect([o.status, o.platformStatus, o.platformUpdatedAt]).toEqual(['shipped', 'WAIT_BUYER_CONFIRM_GOODS', clock.now]);
    expect(server.shipments.get(id(0))).toMatchObject({ companyCode: 'ZTO', outSid: '78123456789012' });
    clock.now += MINUTE;
    const pulled = await pullAll(adapter, { fromMs: clock.now - 10 * MINUTE, toMs: clock.now });
    expect(pulled.map((p) => [p.platformOrderId, p.status])).toEqual([[id(0), 'shipped']]);
  });

  it('maps carriers to TOP company codes (德邦 → DBKD)', async () => {
    const { server, adapter, id } = await setup();
    expect(await adapter.push({ kind: 'ship', platformOrderId: id(1), carrierCode: 'DBL', waybillNo: 'DPK300000001' })).toEqual({ kind: 'confirmed' });
    expect(server.calls.find((c) => c.method === SHIP_METHOD)?.params.company_code).toBe('DBKD');
  });

  it('a second send is already_shipped with the waybill TOP holds — the same one, or the first when they differ', async () => {
    const { server, adapter, id } = await setup();
    await adapter.push({ kind: 'ship', platformOrderId: id(2), carrierCode: 'YTO', waybillNo: 'YT100' });
    const modified = (server.orders[2] as PlatformOrder).platformUpdatedAt;
    expect(await adapter.push({ kind: 'ship', platformOrderId: id(2), carrierCode: 'YTO', waybillNo: 'YT100' })).toEqual({ kind: 'already_shipped', waybillNo: 'YT100' });
    expect(await adapter.push({ kind: 'ship', platformOrderId: id(2), carrierCode: 'STO', waybillNo: 'ST999' })).toEqual({ kind: 'already_shipped', waybillNo: 'YT100' });
    // The refusals changed nothing, and the detail call is what told the adapter.
    expect(server.shipments.get(id(2))?.outSid).toBe('YT100');
    expect((server.orders[2] as PlatformOrder).platformUpdatedAt).toBe(modified);
    expect(server.calls.filter((c) => c.method === FULLINFO_METHOD).map((c) => c.params.tid)).toEqual([id(2), id(2)]);
  });

  it('a trade shipped elsewhere is already_shipped with an unknown waybill', async () => {
    const { adapter, id } = await setup();
    expect(await adapter.push({ kind: 'ship', platformOrderId: id(42), carrierCode: 'SF', waybillNo: 'SF1' })).toEqual({ kind: 'already_shipped', waybillNo: null });
  });

  it('rejects closed and refunding trades and unknown tids with TOP’s words, leaving them untouched', async () => {
    const { server, adapter, id } = await setup();
    const before = server.orders.slice(40, 44).map((o) => ({ ...o }));
    const closed = await adapter.push({ kind: 'ship', platformOrderId: id(40), carrierCode: 'ZTO', waybillNo: 'Z1' });
    expect(closed).toEqual({ kind: 'rejected', reason: '交易已关闭，不能发货' });
    expect(await adapter.push({ kind: 'ship', platformOrderId: id(43), carrierCode: 'ZTO', waybillNo: 'Z1' })).toEqual({ kind: 'rejected', reason: '交易已关闭，不能发货' });
    const refunding = await adapter.push({ kind: 'ship', platformOrderId: id(41), carrierCode: 'ZTO', waybillNo: 'Z2' });
    expect(refunding).toEqual({ kind: 'rejected', reason: '订单退款中，不能发货' });
    const unknown = await adapter.push({ kind: 'ship', platformOrderId: '999000111', carrierCode: 'ZTO', waybillNo: 'Z3' });
    expect(unknown.kind).toBe('rejected');
    expect(server.orders.slice(40, 44)).toEqual(before);
    expect(server.shipments.size).toBe(0);
  });

  it('throws retryable on throttling (with TOP’s ban as retryAfterMs) and 5xx, SHOP_AUTH_EXPIRED on an expired session', async () => {
    const { server, adapter, id } = await setup();
    const req = { kind: 'ship', platformOrderId: id(3), carrierCode: 'ZTO', waybillNo: 'Z4' } as const;
    server.setFault({ kind: 'throttle', banSeconds: 7 });
    const throttled = await rejection(adapter.push(req));
    expect(markedRetryable(throttled)).toBe(true);
    expect(classifyError(throttled)).toEqual({ kind: 'throttled', retryAfterMs: 7000 });
    server.setFault({ kind: '5xx' });
    const fiveHundred = await rejection(adapter.push(req));
    expect([fiveHundred.code, markedRetryable(fiveHundred)]).toEqual(['PLATFORM_ERROR', true]);
    server.setFault({ kind: 'token-expired' });
    expect((await rejection(adapter.push(req))).code).toBe('SHOP_AUTH_EXPIRED');
    expect((server.orders[3] as PlatformOrder).status).toBe('awaiting_shipment');
    // A cut-off answer: the send took effect but the reply was lost. It throws retryable, and the
    // retry learns from TOP that the trade went out with this very waybill.
    server.setFault({ kind: 'malformed-json' });
    expect(markedRetryable(await rejection(adapter.push(req)))).toBe(true);
    expect((server.orders[3] as PlatformOrder).status).toBe('shipped');
    server.setFault(null);
    expect(await adapter.push(req)).toEqual({ kind: 'already_shipped', waybillNo: 'Z4' });
  });

  it('a detail call that fails transiently after a refusal throws, so the outbox asks again later', async () => {
    const { server, adapter, id } = await setup();
    await adapter.push({ kind: 'ship', platformOrderId: id(4), carrierCode: 'ZTO', waybillNo: 'Z5' });
    // The send is refused (already shipped); the fullinfo.get that follows hits a 502.
    const origFetch = globalThis.fetch;
    let n = 0;
    globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
      n += 1;
      if (n === 2) return new Response('<html>502</html>', { status: 502 });
      return origFetch(...args);
    }) as typeof fetch;
    try {
      expect(markedRetryable(await rejection(adapter.push({ kind: 'ship', platformOrderId: id(4), carrierCode: 'ZTO', waybillNo: 'Z5' })))).toBe(true);
    } finally {
      globalThis.fetch = origFetch;
    }
    expect(server.calls.filter((c) => c.method === SHIP_METHOD)).toHaveLength(2);
  });
});

describe('TOP push: taobao.trade.memo.update', () => {
  it('sets memo and flag (our purple → TOP 5), and the next pull shows them', async () => {
    const { clock, server, adapter, id } = await setup();
    clock.now += 2 * MINUTE;
    expect(await adapter.push({ kind: 'memo', platformOrderId: id(5), memo: '加急，送小样', flag: 5 })).toEqual({ kind: 'confirmed' });
    expect(server.calls.find((c) => c.method === MEMO_METHOD)?.params).toMatchObject({ tid: id(5), memo: '加急，送小样', flag: '5' });
    clock.now += MINUTE;
    const [got] = await pullAll(adapter, { fromMs: clock.now - 10 * MINUTE, toMs: clock.now });
    expect([got?.platformOrderId, got?.sellerMemo, got?.sellerFlag, got?.platformUpdatedAt]).toEqual([id(5), '加急，送小样', 5, clock.now - MINUTE]);
  });

  it('a null memo is sent as reset=true and clears it; flag 0 clears the flag', async () => {
    const { server, adapter, id } = await setup();
    await adapter.push({ kind: 'memo', platformOrderId: id(6), memo: '旧备注', flag: 1 });
    expect(await adapter.push({ kind: 'memo', platformOrderId: id(6), memo: null, flag: 0 })).toEqual({ kind: 'confirmed' });
    const params = server.calls.filter((c) => c.method === MEMO_METHOD)[1]?.params;
    expect(params?.reset).toBe('true');
    expect(params?.memo).toBeUndefined();
    expect([(server.orders[6] as PlatformOrder).sellerMemo, (server.orders[6] as PlatformOrder).sellerFlag]).toEqual([null, 0]);
  });

  it('rejects a memo TOP refuses (over 1000 bytes) and throws on throttling', async () => {
    const { server, adapter, id } = await setup();
    const long = await adapter.push({ kind: 'memo', platformOrderId: id(7), memo: '长'.repeat(400), flag: 2 });
    expect(long.kind).toBe('rejected');
    expect((server.orders[7] as PlatformOrder).sellerFlag).not.toBe(2);
    server.setFault({ kind: 'throttle' });
    expect(classifyError(await rejection(adapter.push({ kind: 'memo', platformOrderId: id(7), memo: 'x', flag: 2 }))).kind).toBe('throttled');
  });
});

describe('TOP decrypt: taobao.top.oaid.decrypt', () => {
  it('decrypts by oaid in batches of 20 and returns the plaintext the gateway holds', async () => {
    const { server, adapter } = await setup();
    const orders = server.orders.slice(0, 45);
    const got = await adapter.decryptReceivers(orders.map((o) => ({ platformOrderId: o.platformOrderId, cipher: o.receiver.cipher as string })));
    const calls = server.calls.filter((c) => c.method === DECRYPT_METHOD);
    expect(calls.map((c) => (JSON.parse(c.params.query_list as string) as unknown[]).length)).toEqual([20, 20, 5]);
    expect(JSON.parse(calls[0]?.params.query_list as string)[0]).toEqual({ tid: orders[0]?.platformOrderId, oaid: orders[0]?.receiver.cipher, scene: '1004' });
    expect(got.size).toBe(45);
    for (const o of orders) expect(got.get(o.platformOrderId)).toEqual({ name: o.receiver.name, phone: o.receiver.phone, address: o.receiver.address });
  });

  it('leaves out what TOP will not decrypt: a stale oaid and an unknown trade', async () => {
    const { server, adapter } = await setup();
    const [a, b] = server.orders as [PlatformOrder, PlatformOrder];
    const got = await adapter.decryptReceivers([
      { platformOrderId: a.platformOrderId, cipher: a.receiver.cipher as string },
      { platformOrderId: b.platformOrderId, cipher: 'stale-oaid' },
      { platformOrderId: '424242', cipher: 'whatever' },
    ]);
    expect([...got.keys()]).toEqual([a.platformOrderId]);
  });

  it('the gateway refuses 21 queries in one call; throttling throws retryable', async () => {
    const { server, adapter } = await setup();
    const tooMany = server.orders.slice(0, 21).map((o) => ({ tid: o.platformOrderId, oaid: o.receiver.cipher, scene: '1004' }));
    const refused = await rejection((adapter as TaobaoAdapter).call(DECRYPT_METHOD, { query_list: JSON.stringify(tooMany) }));
    expect([refused.code, (refused.details as { subCode?: string }).subCode]).toEqual(['PLATFORM_ERROR', 'isv.invalid-parameter:query_list']);
    server.setFault({ kind: 'throttle', banSeconds: 3 });
    const o = server.orders[0] as PlatformOrder;
    const err = await rejection(adapter.decryptReceivers([{ platformOrderId: o.platformOrderId, cipher: o.receiver.cipher as string }]));
    expect(classifyError(err)).toEqual({ kind: 'throttled', retryAfterMs: 3000 });
  });
});
