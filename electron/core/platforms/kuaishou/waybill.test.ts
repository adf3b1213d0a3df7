// Kuaishou e-waybills against the loopback Kuaishou gateway over HTTP, through the adapter's own
// signed caller: orders as the adapter stores them (masked receiver + the ciphertexts), ≤ 10 per call
// as POST, the package id as packageCode and requestId (asking again gets a new number: the project's
// notes record no idempotency for ebill.get, docs/platforms/kuaishou.md),
// the receiver sent as the order's ciphertexts only, a package whose ciphertexts are not its order's
// refused alone, and gateway faults thrown (retryable / SHOP_AUTH_EXPIRED).
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../../shared/model.ts';
import { AppError } from '../../../shared/result.ts';
import { markedRetryable } from '../../sync/backoff.ts';
import type { ShopRecord, WaybillRequest } from '../contract.ts';
import { DAY, generateOrders, HOUR } from '../../../sandbox/demo/generator.ts';
import { createKuaishouAdapter, ksCall, ksSettings } from './adapter.ts';
import { fromKsOrder } from './payload.ts';
import { asSingleSkuOrder, ksOrderPayload } from '../../../sandbox/platforms/kuaishou/server-order.ts';
import type { KsCaller } from './pushback.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/kuaishou/server.ts';
import { allocateKsWaybills } from './waybill.ts';
import { allocated, waybillRequest } from '../../../testkit/platforms/waybill-request.ts';

const EBILL_GET = 'open.express.ebill.get';
/** A 中通-looking sandbox number: 7 and thirteen digits (server-waybill-numbers.ts). */
const ZTO_NO = /^7\d{13}$/;

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const APP = { appKey: 'ks660000000000000009', appSecret: 'ks-sign-s3cret', accessToken: 'ks-token' };

let server: PlatformServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(count: number) {
  const orders = [...generateOrders({ shops: [{ id: 'ks-1', platform: 'kuaishou', seed: 5 }], count, fromMs: NOW - 2 * DAY, toMs: NOW - HOUR })].map(
    (g): PlatformOrder => asSingleSkuOrder({ ...g.order, status: 'awaiting_shipment', afterSale: 'none' }),
  );
  server = await startPlatformServer({ orders, ...APP, now: () => NOW });
  const shop: ShopRecord = { id: 'ks-1', name: '快手店', platform: 'kuaishou', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP }) };
  const settings = ksSettings(shop);
  const sent: Array<{ method: string; param: Record<string, unknown>; http: string }> = [];
  // The adapter's own signed caller, with what it sends recorded.
  const call: KsCaller = (method, param, http) => {
    sent.push({ method, param, http });
    return ksCall(settings, method, param, NOW, http);
  };
  const stored = orders.map((o) => fromKsOrder(ksOrderPayload(o, APP.appSecret)));
  return { srv: server, shop, call, sent, orders, stored };
}

const request = (o: PlatformOrder, packageId: string): WaybillRequest => waybillRequest(o, packageId);

describe('open.express.ebill.get', () => {
  it('allocates with the stored ciphertexts, ≤ 10 a call, package id as packageCode; asking again gets another number', async () => {
    const { call, sent, orders, stored } = await setup(11);
    expect(stored[0]?.receiver.cipher).toBeTruthy();
    const res = await allocateKsWaybills(call, stored.map((o, i) => request(o, `pk-${i}`)));
    const calls = sent.filter((s) => s.method === EBILL_GET);
    expect(calls.map((c) => [c.http, (c.param.getEbillOrderRequest as unknown[]).length])).toEqual([
      ['POST', 10],
      ['POST', 1],
    ]);
    const first = (calls[0]?.param.getEbillOrderRequest as Array<Record<string, unknown> & { receiverContract: { name: string } }>)[0];
    expect(first).toMatchObject({ requestId: 'pk-0', packageCode: 'pk-0', tradeOrderCode: stored[0]?.platformOrderId, orderChannel: 'KUAI_SHOU', expressCompanyCode: 'ZTO' });
    // The receiver travels as Kuaishou's own ciphertexts, never as the plaintext the gateway holds.
    expect(JSON.stringify(calls)).not.toContain(orders[0]?.receiver.name as string);
    expect(first?.receiverContract.name).toBe(JSON.parse(stored[0]?.receiver.cipher as string).name);
    for (const r of res) {
      expect(allocated(r).waybillNo).toMatch(ZTO_NO);
      expect(JSON.parse(allocated(r).printData as string).encryptedData).toBeTruthy();
    }
    expect(new Set(res.map((r) => allocated(r).waybillNo)).size).toBe(11);
    const again = await allocateKsWaybills(call, [request(stored[4] as PlatformOrder, 'pk-4')]);
    expect(allocated(again[0]).waybillNo).toMatch(ZTO_NO);
    expect(allocated(again[0]).waybillNo).not.toBe(allocated(res[4]).waybillNo);
  });

  it('refuses only the package whose ciphertexts are not its order’s, in the platform’s words', async () => {
    const { call, stored } = await setup(3);
    const wrong = request(stored[1] as PlatformOrder, 'pk-wrong');
    wrong.receiver.cipher = (stored[2] as PlatformOrder).receiver.cipher; // another order's ciphertexts
    const res = await allocateKsWaybills(call, [request(stored[0] as PlatformOrder, 'pk-0'), wrong]);
    expect(res[0]?.kind).toBe('allocated');
    expect(res[1]).toEqual({ kind: 'refused', packageId: 'pk-wrong', reason: expect.stringContaining('收件人密文与订单不匹配') });
  });

  it('never moves a number onto another package: answers match by requestId, by position only when whole', async () => {
    const { stored } = await setup(3);
    const reqs = stored.map((o, i) => request(o, `pk-${i}`));
    const answering =
      (data: unknown[]): KsCaller =>
      async () => ({ result: 1, data });
    // One entry left out and no requestIds: position would shift numbers, so nothing is taken.
    const short = await allocateKsWaybills(answering([{ data: [{ waybillCode: 'A1' }] }, { data: [{ waybillCode: 'B2' }] }]), reqs);
    expect(short.map((r) => r.kind)).toEqual(['refused', 'refused', 'refused']);
    // Whole and without requestIds: by position. Out of order with requestIds: by requestId.
    const whole = await allocateKsWaybills(answering(['A1', 'B2', 'C3'].map((w) => ({ data: [{ waybillCode: w }] }))), reqs);
    expect(whole.map((r) => allocated(r).waybillNo)).toEqual(['A1', 'B2', 'C3']);
    const shuffled = await allocateKsWaybills(answering([{ requestId: 'pk-2', data: [{ waybillCode: 'C3' }] }, { requestId: 'pk-0', data: [{ waybillCode: 'A1' }] }]), reqs);
    expect(shuffled.map((r) => (r.kind === 'allocated' ? r.waybillNo : r.kind))).toEqual(['A1', 'refused', 'C3']);
    // An answer naming another package is not taken for this one.
    const foreign = await allocateKsWaybills(answering([{ requestId: 'pk-0', packageCode: 'pk-9', data: [{ waybillCode: 'X' }] }]), reqs.slice(0, 1));
    expect(foreign[0]?.kind).toBe('refused');
  });

  it('throws retryable errors for 5xx and throttling, SHOP_AUTH_EXPIRED for an expired token — through the adapter', async () => {
    const { srv, shop, stored } = await setup(1);
    const adapter = createKuaishouAdapter(shop, { now: () => NOW });
    const reqs = [request(stored[0] as PlatformOrder, 'pk-f')];
    srv.setFault('http5xx');
    expect(markedRetryable(await adapter.allocateWaybills!(reqs).catch((e: unknown) => e))).toBe(true);
    srv.setFault('throttled');
    expect(((await adapter.allocateWaybills!(reqs).catch((e: unknown) => e)) as AppError).details).toMatchObject({ throttled: true });
    srv.setFault('tokenExpired');
    expect(((await adapter.allocateWaybills!(reqs).catch((e: unknown) => e)) as AppError).code).toBe('SHOP_AUTH_EXPIRED');
    srv.setFault(null);
    expect(allocated((await adapter.allocateWaybills!(reqs))[0]).waybillNo).toMatch(ZTO_NO);
  });
});
