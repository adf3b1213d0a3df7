// PDD push-backs and decryption, adapter ↔ loopback PDD gateway over real HTTP: online send
// (confirmed, already shipped with the same or another tracking number, cancelled/after-sale
// refusals, throttling, 5xx, expired token), note + tag updates seen by the next pull, and
// pdd.open.decrypt.batch in batches of 100 paced to 1 call / 10 s per app on a fake clock.
import { afterEach, describe, expect, it } from 'vitest';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';
import { classifyError, markedRetryable } from '../../sync/backoff.ts';
import type { ShopRecord } from '../contract.ts';
import { generateOrders } from '../../../sandbox/demo/generator.ts';
import { pddCall, PddAdapter } from './adapter.ts';
import { PDD_ERR } from './errors.ts';
import { DECRYPT_INTERVAL_MS, IntervalGate } from './pace.ts';
import { DECRYPT_TYPE, DETAIL_TYPE, NOTE_TYPE, SHIP_TYPE } from './push.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/pdd/server.ts';
import { pullAll, rejection } from '../../../testkit/platforms/test-adapter.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const T0 = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: 'pdd-app-push', appSecret: 'pdd-s3cret', accessToken: 'tok-123' };

let server: PlatformServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** `count` generated orders awaiting shipment, modified 20 min before T0; a few refusal cases at the end. */
function fixture(count: number): PlatformOrder[] {
  const orders = [...generateOrders({ shops: [{ id: 'pdd-shop', platform: 'pdd', seed: 5 }], count, fromMs: T0 - 3 * 86_400_000, toMs: T0 - 60 * MIN })].map((g): PlatformOrder => ({
    ...g.order,
    status: 'awaiting_shipment' as OrderStatus,
    platformStatus: 'order_status=1,confirm_status=1',
    afterSale: 'none' as AfterSaleState,
    paidAt: g.order.paidAt ?? g.order.createdAt,
    platformUpdatedAt: T0 - 20 * MIN,
  }));
  const set = (i: number, status: OrderStatus, afterSale: AfterSaleState = 'none') => {
    orders[i] = { ...(orders[i] as PlatformOrder), status, afterSale };
  };
  set(count - 1, 'closed', 'refunded');
  set(count - 2, 'awaiting_shipment', 'in_progress');
  set(count - 3, 'shipped'); // shipped outside the station
  return orders;
}

async function setup(count = 20) {
  const clock = { now: T0 };
  const sleeps: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
    clock.now += ms;
  };
  server = await startPlatformServer({ orders: fixture(count), ...APP, now: () => clock.now });
  const srv = server;
  const shop: ShopRecord = { id: 'shop-pdd', name: '拼多多店', platform: 'pdd', state: 'active', settings: JSON.stringify({ gateway: srv.url, ...APP }) };
  const gate = new IntervalGate(DECRYPT_INTERVAL_MS);
  const makeAdapter = (g: IntervalGate = gate) => new PddAdapter(shop, { now: () => clock.now }, { sleep, decryptGate: g });
  const id = (i: number): string => (srv.orders[i] as PlatformOrder).platformOrderId;
  return { clock, sleeps, srv, adapter: makeAdapter(), makeAdapter, id, shop };
}

describe('PDD push: pdd.logistics.online.send', () => {
  it('confirms a send, moves the order to 已发货 at the gateway, and the next pull shows it shipped', async () => {
    const { clock, srv, adapter, id } = await setup();
    clock.now += 4 * MIN;
    expect(await adapter.push({ kind: 'ship', platformOrderId: id(0), carrierCode: 'ZTO', waybillNo: '78123456789012' })).toEqual({ kind: 'confirmed' });
    expect(srv.calls.find((c) => c.type === SHIP_TYPE)?.params).toMatchObject({ order_sn: id(0), logistics_id: '115', tracking_number: '78123456789012' });
    const o = srv.orders[0] as PlatformOrder;
    expect([o.status, o.platformUpdatedAt]).toEqual(['shipped', clock.now]);
    clock.now += 4 * MIN; // PDD wants the window's end ≥ 3 min behind its clock
    const pulled = await pullAll(adapter, { fromMs: clock.now - 10 * MIN, toMs: clock.now - 3 * MIN });
    expect(pulled.map((p) => [p.platformOrderId, p.status, p.receiver.cipher])).toEqual([[id(0), 'shipped', null]]);
  });

  it('a second send is already_shipped with the tracking number PDD holds — the same one, or the first when they differ', async () => {
    const { srv, adapter, id } = await setup();
    await adapter.push({ kind: 'ship', platformOrderId: id(1), carrierCode: 'YTO', waybillNo: 'YT10000001' });
    expect(await adapter.push({ kind: 'ship', platformOrderId: id(1), carrierCode: 'YTO', waybillNo: 'YT10000001' })).toEqual({ kind: 'already_shipped', waybillNo: 'YT10000001' });
    expect(await adapter.push({ kind: 'ship', platformOrderId: id(1), carrierCode: 'STO', waybillNo: 'ST99999999' })).toEqual({ kind: 'already_shipped', waybillNo: 'YT10000001' });
    expect(srv.shipments.get(id(1))).toMatchObject({ logisticsId: 85, trackingNumber: 'YT10000001' });
    expect(srv.calls.filter((c) => c.type === DETAIL_TYPE)).toHaveLength(2);
  });

  it('an order shipped elsewhere is already_shipped with an unknown tracking number', async () => {
    const { adapter, id } = await setup();
    expect(await adapter.push({ kind: 'ship', platformOrderId: id(17), carrierCode: 'SF', waybillNo: 'SF1234567' })).toEqual({ kind: 'already_shipped', waybillNo: null });
  });

  it('rejects cancelled, after-sale and unknown orders and bad tracking numbers with PDD’s words, leaving them untouched', async () => {
    const { srv, adapter, id } = await setup();
    const before = srv.orders.map((o) => ({ ...o }));
    const push = (i: number | string, waybillNo = 'ZT12345678') =>
      adapter.push({ kind: 'ship', platformOrderId: typeof i === 'number' ? id(i) : i, carrierCode: 'ZTO', waybillNo });
    expect(await push(19)).toEqual({ kind: 'rejected', reason: '订单已取消，不能发货' });
    expect(await push(18)).toEqual({ kind: 'rejected', reason: '订单售后处理中，不能发货' });
    expect(await push('240101-000000000')).toEqual({ kind: 'rejected', reason: '订单240101-000000000不存在' });
    expect(await push(2, 'no spaces allowed')).toEqual({ kind: 'rejected', reason: '快递单号格式不正确' });
    expect(srv.orders).toEqual(before);
    expect(srv.shipments.size).toBe(0);
  });

  it('throws retryable on throttling, 5xx and cut-off replies, SHOP_AUTH_EXPIRED on an expired token', async () => {
    const { srv, adapter, id } = await setup();
    const req = { kind: 'ship', platformOrderId: id(3), carrierCode: 'YUNDA', waybillNo: 'YD00000003' } as const;
    srv.setFault('throttled');
    expect(classifyError(await rejection(adapter.push(req))).kind).toBe('throttled');
    srv.setFault('http5xx');
    expect(classifyError(await rejection(adapter.push(req))).kind).toBe('retryable');
    srv.setFault('tokenExpired');
    expect((await rejection(adapter.push(req))).code).toBe('SHOP_AUTH_EXPIRED');
    expect((srv.orders[3] as PlatformOrder).status).toBe('awaiting_shipment');
    // The send lands but its reply is cut off: retryable, and the retry finds it shipped with this number.
    srv.setFault('malformedJson');
    expect(markedRetryable(await rejection(adapter.push(req)))).toBe(true);
    srv.setFault(null);
    expect(await adapter.push(req)).toEqual({ kind: 'already_shipped', waybillNo: 'YD00000003' });
  });
});

describe('PDD push: pdd.order.note.update', () => {
  it('sets note and tag (with its colour name), and the next pull shows them', async () => {
    const { clock, srv, adapter, id } = await setup();
    clock.now += MIN;
    expect(await adapter.push({ kind: 'memo', platformOrderId: id(4), memo: '送运费险', flag: 3 })).toEqual({ kind: 'confirmed' });
    expect(srv.calls.find((c) => c.type === NOTE_TYPE)?.params).toMatchObject({ order_sn: id(4), note: '送运费险', tag: '3', tag_name: '绿色' });
    clock.now += 4 * MIN;
    const pulled = await pullAll(adapter, { fromMs: clock.now - 10 * MIN, toMs: clock.now - 3 * MIN });
    expect(pulled.map((o) => [o.platformOrderId, o.sellerMemo, o.sellerFlag])).toEqual([[id(4), '送运费险', 3]]);
  });

  it('flag 0 sends neither tag nor tag_name; a null memo is an empty note; both clear at the gateway', async () => {
    const { srv, adapter, id } = await setup();
    await adapter.push({ kind: 'memo', platformOrderId: id(5), memo: '旧', flag: 5 });
    expect(await adapter.push({ kind: 'memo', platformOrderId: id(5), memo: null, flag: 0 })).toEqual({ kind: 'confirmed' });
    const params = srv.calls.filter((c) => c.type === NOTE_TYPE)[1]?.params ?? {};
    expect([params.note, 'tag' in params, 'tag_name' in params]).toEqual(['', false, false]);
    expect([(srv.orders[5] as PlatformOrder).sellerMemo, (srv.orders[5] as PlatformOrder).sellerFlag]).toEqual([null, 0]);
  });

  it('rejects a note for an unknown order (success=false in the response) and throws on an expired token', async () => {
    const { srv, adapter } = await setup();
    expect(await adapter.push({ kind: 'memo', platformOrderId: '240101-1', memo: 'x', flag: 1 })).toEqual({ kind: 'rejected', reason: '订单240101-1不存在' });
    srv.setFault('tokenExpired');
    expect((await rejection(adapter.push({ kind: 'memo', platformOrderId: '240101-1', memo: 'x', flag: 1 }))).code).toBe('SHOP_AUTH_EXPIRED');
  });
});

describe('PDD decrypt: pdd.open.decrypt.batch', () => {
  it('decrypts pulled ciphertexts ≤ 100 items a call, 10 s apart, into the plaintext the gateway holds', async () => {
    const { clock, sleeps, srv, adapter } = await setup(125);
    clock.now += 4 * MIN;
    const pulled = (await pullAll(adapter, { fromMs: T0 - 25 * MIN, toMs: T0 - 5 * MIN })).filter((o) => o.receiver.cipher !== null);
    expect(pulled).toHaveLength(123); // the shipped and the cancelled order carry no ciphertext
    const got = await adapter.decryptReceivers(pulled.map((o) => ({ platformOrderId: o.platformOrderId, cipher: o.receiver.cipher as string })));
    const calls = srv.calls.filter((c) => c.type === DECRYPT_TYPE);
    expect(calls.map((c) => (JSON.parse(c.params.data_list as string) as unknown[]).length)).toEqual([100, 100, 100, 69]);
    expect(sleeps).toEqual([DECRYPT_INTERVAL_MS, DECRYPT_INTERVAL_MS, DECRYPT_INTERVAL_MS]);
    const gaps = calls.slice(1).map((c, i) => c.at - (calls[i] as { at: number }).at);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(DECRYPT_INTERVAL_MS);
    expect(got.size).toBe(123);
    const truth = new Map(srv.orders.map((o) => [o.platformOrderId, o.receiver]));
    for (const [sn, r] of got) {
      const t = truth.get(sn);
      expect(r).toEqual({ name: t?.name, phone: t?.phone, address: t?.address });
    }
  });

  it('leaves out orders PDD will not decrypt: a ciphertext from before an address change, a garbled cipher', async () => {
    const { clock, srv, adapter } = await setup();
    clock.now += 4 * MIN;
    const pulled = (await pullAll(adapter, { fromMs: T0 - 25 * MIN, toMs: T0 - 5 * MIN })).filter((o) => o.receiver.cipher !== null);
    const [a, b, c] = pulled as [PlatformOrder, PlatformOrder, PlatformOrder];
    const i = srv.orders.findIndex((o) => o.platformOrderId === b.platformOrderId);
    const ob = srv.orders[i] as PlatformOrder;
    srv.orders[i] = { ...ob, receiver: { ...ob.receiver, address: `${ob.receiver.address}（新）` } };
    const got = await adapter.decryptReceivers([
      { platformOrderId: a.platformOrderId, cipher: a.receiver.cipher as string },
      { platformOrderId: b.platformOrderId, cipher: b.receiver.cipher as string },
      { platformOrderId: c.platformOrderId, cipher: 'not json' },
    ]);
    expect([...got.keys()]).toEqual([a.platformOrderId]);
    // The name and phone of b still decrypted item by item; only its address failed.
    const list = JSON.parse((srv.calls.find((x) => x.type === DECRYPT_TYPE)?.params.data_list as string) ?? '[]') as unknown[];
    expect(list).toHaveLength(6);
  });

  it('two adapters of one app share its gate; an unpaced caller is throttled by the gateway (retryable, 10 s)', async () => {
    const { clock, sleeps, srv, adapter, makeAdapter } = await setup();
    clock.now += 4 * MIN;
    const pulled = (await pullAll(adapter, { fromMs: T0 - 25 * MIN, toMs: T0 - 5 * MIN })).filter((o) => o.receiver.cipher !== null);
    const req = (o: PlatformOrder) => [{ platformOrderId: o.platformOrderId, cipher: o.receiver.cipher as string }];
    const other = makeAdapter();
    const [x, y] = await Promise.all([adapter.decryptReceivers(req(pulled[0] as PlatformOrder)), other.decryptReceivers(req(pulled[1] as PlatformOrder))]);
    expect([x.size, y.size]).toEqual([1, 1]);
    expect(sleeps).toEqual([DECRYPT_INTERVAL_MS]);
    const unpaced = makeAdapter(new IntervalGate(DECRYPT_INTERVAL_MS));
    clock.now += 3 * SEC;
    const err = await rejection(unpaced.decryptReceivers(req(pulled[2] as PlatformOrder)));
    expect(classifyError(err)).toEqual({ kind: 'throttled', retryAfterMs: DECRYPT_INTERVAL_MS });
    expect(srv.calls.filter((c) => c.type === DECRYPT_TYPE)).toHaveLength(3);
  });

  it('the gateway refuses 101 items in one call', async () => {
    const { clock, srv } = await setup();
    const items = Array.from({ length: 101 }, (_, i) => ({ data_tag: `x-${i}`, encrypted_data: '~AgAAAA==~1~' }));
    const settings = { gateway: srv.url, ...APP };
    const err = await rejection(pddCall(settings, DECRYPT_TYPE, { data_list: items }, clock.now));
    expect((err.details as { code: number }).code).toBe(PDD_ERR.badParams);
  });
});
