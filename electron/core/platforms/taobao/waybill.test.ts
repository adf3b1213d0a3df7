// Cainiao e-waybills through the real TOP adapter against the loopback TOP gateway over HTTP:
// batches of ≤ 10 per call, the same object_id → the same number (a retry after a lost answer),
// oaid + tid for encrypted trades and plaintext otherwise, encrypted vs clear print data (三段码 in
// the clear routingInfo), one bad receiver refused without refusing its batch, and faults thrown.
import { afterEach, describe, expect, it } from 'vitest';
import type { CarrierCode } from '../../../shared/carriers.ts';
import type { PlatformOrder } from '../../../shared/model.ts';
import { AppError } from '../../../shared/result.ts';
import { markedRetryable } from '../../sync/backoff.ts';
import type { PlatformAdapter, ShopRecord } from '../contract.ts';
import { DAY, generateOrders, HOUR } from '../../../sandbox/demo/generator.ts';
import { createTaobaoAdapter } from './adapter.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/taobao/server.ts';
import { WAYBILL_METHOD, WAYBILL_PARAM } from './waybill.ts';
import { allocated, waybillRequest } from '../../../testkit/platforms/waybill-request.ts';

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const APP = { appKey: '12345678', appSecret: 'testsecret', accessToken: '6100a2b3c' };

const servers: PlatformServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function setup(count = 15) {
  const orders = [...generateOrders({ shops: [{ id: 'tb-1', platform: 'taobao', seed: 7 }], count, fromMs: T0 - 2 * DAY, toMs: T0 - HOUR })].map((g) => g.order);
  const server = await startPlatformServer({ orders, ...APP, now: () => T0 });
  servers.push(server);
  const shop: ShopRecord = { id: 'tb-1', name: '淘宝店', platform: 'taobao', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP }) };
  const adapter = createTaobaoAdapter(shop, { now: () => T0 }) as Required<Pick<PlatformAdapter, 'allocateWaybills'>> & PlatformAdapter;
  return { server, adapter, orders };
}

const request = waybillRequest;

describe('cainiao.waybill.ii.get through the TOP adapter', () => {
  it('allocates in calls of ≤ 10 with encrypted print data; a retry of the same package id is another number', async () => {
    const { server, adapter, orders } = await setup(12);
    const reqs = orders.map((o, i) => request(o, `pkg-${i}`));
    const first = await adapter.allocateWaybills(reqs);
    const calls = server.calls.filter((c) => c.method === WAYBILL_METHOD);
    expect(calls.map((c) => JSON.parse(c.params[WAYBILL_PARAM] as string).trade_order_info_dtos.length)).toEqual([10, 2]);
    // Encrypted trades go as oaid + tid, never as the masked plaintext
    // (docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget).
    const dto = JSON.parse(calls[0]?.params[WAYBILL_PARAM] as string).trade_order_info_dtos[0];
    expect(dto.recipient).toMatchObject({ oaid: orders[0]?.receiver.cipher, tid: orders[0]?.platformOrderId });
    expect(dto.recipient.name).toBeUndefined();
    expect(first.map((r) => r.packageId)).toEqual(reqs.map((r) => r.packageId));
    for (const [i, r] of first.entries()) {
      const a = allocated(r);
      expect(a.waybillNo).toMatch(/^7\d{13}$/);
      expect(a.routing.sortCode).toBeNull(); // inside encryptedData: the print component renders it
      const pd = JSON.parse(a.printData as string);
      expect(pd).toMatchObject({ templateURL: expect.stringContaining('cloudprint.cainiao.com'), ver: expect.any(String) });
      expect(pd.encryptedData).toMatch(/^[A-Za-z0-9+/=]+$/);
      expect(a.printData).not.toContain(orders[i]?.receiver.name as string);
    }
    expect(new Set(first.map((r) => allocated(r).waybillNo)).size).toBe(12);
    // A retry (the answer was lost) asks with the same object_ids: Cainiao promises nothing, so the
    // station must not rely on getting the same numbers (docs/platforms/common.md).
    const again = await adapter.allocateWaybills(reqs.slice(3, 5));
    const firstNumbers = new Set(first.map((r) => allocated(r).waybillNo));
    expect(again.map((r) => allocated(r).waybillNo).filter((n) => firstNumbers.has(n))).toEqual([]);
    // Another package of the same order is another number.
    const other = await adapter.allocateWaybills([request(orders[3] as PlatformOrder, 'pkg-3-second')]);
    expect(allocated(other[0]).waybillNo).not.toBe(allocated(first[3]).waybillNo);
  });

  it('returns the 三段码 from clear print data, and sends plaintext receivers for unencrypted orders', async () => {
    const { server, adapter, orders } = await setup(2);
    const plain = { ...(orders[1] as PlatformOrder).receiver, cipher: null };
    const [a, b] = await adapter.allocateWaybills([
      request(orders[0] as PlatformOrder, 'p-a', { options: { needEncrypt: 'false' }, carrierCode: 'YTO' as CarrierCode }),
      request(orders[1] as PlatformOrder, 'p-b', { options: { needEncrypt: 'false' }, carrierCode: 'YTO' as CarrierCode, receiver: plain }),
    ]);
    expect(allocated(a).routing.sortCode).toMatch(/^\d{3}-[A-Z]\d{2} \d{2}$/);
    expect(allocated(a).routing.packageCenterName).toMatch(/集包中心$/);
    expect(allocated(b).waybillNo).toMatch(/^YT\d{13}$/);
    const dto = JSON.parse(server.calls.at(-1)?.params[WAYBILL_PARAM] as string).trade_order_info_dtos[1];
    expect(dto.recipient).toMatchObject({ name: plain.name, mobile: plain.phone });
    expect(JSON.parse(server.calls.at(-1)?.params[WAYBILL_PARAM] as string).cp_code).toBe('YTO');
  });

  it('refuses only the package whose oaid no longer matches its trade, one call at a time after the batch is refused', async () => {
    const { server, adapter, orders } = await setup(3);
    const stale = request(orders[1] as PlatformOrder, 'p-stale');
    stale.receiver.cipher = 'stale-oaid';
    const res = await adapter.allocateWaybills([request(orders[0] as PlatformOrder, 'p-0'), stale, request(orders[2] as PlatformOrder, 'p-2')]);
    expect(res.map((r) => r.kind)).toEqual(['allocated', 'refused', 'allocated']);
    expect(res[1]).toMatchObject({ kind: 'refused', reason: expect.stringContaining('oaid') });
    expect(server.calls.filter((c) => c.method === WAYBILL_METHOD)).toHaveLength(4); // the batch, then one by one
  });

  it('throws retryable errors for a 5xx and for throttling, and SHOP_AUTH_EXPIRED for an expired session', async () => {
    const { server, adapter, orders } = await setup(1);
    const reqs = [request(orders[0] as PlatformOrder, 'p-f')];
    server.setFault({ kind: '5xx' });
    const e1 = await adapter.allocateWaybills(reqs).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(AppError);
    expect(markedRetryable(e1)).toBe(true);
    server.setFault({ kind: 'throttle', banSeconds: 2 });
    const e2 = (await adapter.allocateWaybills(reqs).catch((e: unknown) => e)) as AppError;
    expect(e2.details).toMatchObject({ throttled: true, retryAfterMs: 2000 });
    server.setFault({ kind: 'token-expired' });
    expect(((await adapter.allocateWaybills(reqs).catch((e: unknown) => e)) as AppError).code).toBe('SHOP_AUTH_EXPIRED');
    server.setFault(null);
    expect(allocated((await adapter.allocateWaybills(reqs))[0]).waybillNo).toMatch(/^7\d{13}$/);
  });
});
