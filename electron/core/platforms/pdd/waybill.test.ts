// PDD e-waybills through the real PDD adapter against the loopback PDD gateway over HTTP: orders as
// the adapter stores them (masked receiver + the ciphertexts), ≤ 10 per call, a new number whenever
// the same object_id is asked again (PDD promises no idempotency, docs/platforms/pdd.md), ciphertexts
// that do not belong to the order refused alone, clear print data with a 三段码, and gateway faults
// thrown (retryable / SHOP_AUTH_EXPIRED).
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../../shared/model.ts';
import { AppError } from '../../../shared/result.ts';
import { markedRetryable } from '../../sync/backoff.ts';
import type { PlatformAdapter, ShopRecord, WaybillRequest } from '../contract.ts';
import { DAY, generateOrders, HOUR } from '../../../sandbox/demo/generator.ts';
import { createPddAdapter } from './adapter.ts';
import { fromPddOrder } from './payload.ts';
import { pddOrderPayload } from '../../../sandbox/platforms/pdd/server-order.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/pdd/server.ts';
import { allocated, waybillRequest } from '../../../testkit/platforms/waybill-request.ts';

// The API and its one request param, as docs/platforms/pdd.md names them.
const WAYBILL_TYPE = 'pdd.waybill.get';
const WAYBILL_PARAM = 'param_waybill_cloud_print_apply_new_request';
/** A 韵达-looking sandbox number: 43 and twelve digits (server-waybill-numbers.ts). */
const YUNDA_NO = /^43\d{12}$/;
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const APP = { appKey: 'pdd-client', appSecret: 'pdd-s3cret', accessToken: 'pdd-token' };

let server: PlatformServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(count: number) {
  const orders = [...generateOrders({ shops: [{ id: 'pdd-1', platform: 'pdd', seed: 5 }], count, fromMs: NOW - 2 * DAY, toMs: NOW - HOUR })].map(
    (g): PlatformOrder => ({ ...g.order, status: 'awaiting_shipment', afterSale: 'none' }),
  );
  server = await startPlatformServer({ orders, ...APP, now: () => NOW });
  const shop: ShopRecord = { id: 'pdd-1', name: '拼多多店', platform: 'pdd', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP }) };
  const adapter = createPddAdapter(shop, { now: () => NOW }) as Required<Pick<PlatformAdapter, 'allocateWaybills'>> & PlatformAdapter;
  // What the station holds: the order as the adapter maps PDD's payload (masked + ciphertexts).
  const stored = orders.map((o) => fromPddOrder(pddOrderPayload(o, APP.appSecret)));
  return { srv: server, adapter, orders, stored };
}

const request = (o: PlatformOrder, packageId: string, options: Record<string, string> = {}): WaybillRequest => waybillRequest(o, packageId, { carrierCode: 'YUNDA', options });

describe('pdd.waybill.get through the PDD adapter', () => {
  it('allocates with the stored ciphertexts in calls of ≤ 10, and the same object_id asked again gets another number', async () => {
    const { srv, adapter, orders, stored } = await setup(11);
    expect(stored[0]?.receiver.cipher).toBeTruthy();
    const res = await adapter.allocateWaybills(stored.map((o, i) => request(o, `pk-${i}`)));
    const calls = srv.calls.filter((c) => c.type === WAYBILL_TYPE);
    const sent = calls.map((c) => JSON.parse(c.params[WAYBILL_PARAM] as string));
    expect(sent.map((s) => s.trade_order_info_dtos.length)).toEqual([10, 1]);
    expect(sent[0].wp_code).toBe('YUNDA');
    // The receiver travels as PDD's own ciphertexts, never as the plaintext the gateway holds.
    expect(sent[0].trade_order_info_dtos[0].recipient.name).toMatch(/^~.+~1~$/);
    expect(JSON.stringify(sent)).not.toContain(orders[0]?.receiver.name as string);
    for (const r of res) {
      expect(allocated(r).waybillNo).toMatch(YUNDA_NO);
      expect(JSON.parse(allocated(r).printData as string).encryptedData).toBeTruthy();
    }
    expect(new Set(res.map((r) => allocated(r).waybillNo)).size).toBe(11);
    const again = await adapter.allocateWaybills([request(stored[4] as PlatformOrder, 'pk-4')]);
    expect(allocated(again[0]).waybillNo).toMatch(YUNDA_NO);
    expect(allocated(again[0]).waybillNo).not.toBe(allocated(res[4]).waybillNo);
  });

  it('refuses only a package whose ciphertexts are not its order’s; clear print data carries the 三段码', async () => {
    const { adapter, stored } = await setup(3);
    const wrong = request(stored[1] as PlatformOrder, 'pk-wrong');
    wrong.receiver.cipher = (stored[2] as PlatformOrder).receiver.cipher; // another order's ciphertexts
    const res = await adapter.allocateWaybills([request(stored[0] as PlatformOrder, 'pk-0', { needEncrypt: 'false' }), { ...wrong, options: { needEncrypt: 'false' } }]);
    expect(allocated(res[0]).routing.sortCode).toMatch(/^\d{3}-[A-Z]\d{2} \d{2}$/);
    expect(res[1]).toMatchObject({ kind: 'refused', reason: expect.stringContaining('无法解密') });
  });

  it('throws retryable errors for 5xx and throttling, SHOP_AUTH_EXPIRED for an expired token', async () => {
    const { srv, adapter, stored } = await setup(1);
    const reqs = [request(stored[0] as PlatformOrder, 'pk-f')];
    srv.setFault('http5xx');
    expect(markedRetryable(await adapter.allocateWaybills(reqs).catch((e: unknown) => e))).toBe(true);
    srv.setFault('throttled');
    const t = (await adapter.allocateWaybills(reqs).catch((e: unknown) => e)) as AppError;
    expect(t.details).toMatchObject({ throttled: true });
    srv.setFault('tokenExpired');
    expect(((await adapter.allocateWaybills(reqs).catch((e: unknown) => e)) as AppError).code).toBe('SHOP_AUTH_EXPIRED');
    srv.setFault(null);
    expect(allocated((await adapter.allocateWaybills(reqs))[0]).waybillNo).toMatch(YUNDA_NO);
  });
});
