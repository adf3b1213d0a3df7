// Douyin e-waybills through the real doudian adapter against the loopback doudian server over HTTP:
// logistics.newCreateOrder with order_id + pack_id (same pair → the old number, a new pack_id → a
// new one), the receiver as the order's own ciphertexts, routing marks (sort code, 集包地, 大头笔),
// per-order refusals from err_infos (cancelled, foreign ciphertexts) and gateway faults thrown.
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../../shared/model.ts';
import { AppError } from '../../../shared/result.ts';
import { markedRetryable } from '../../sync/backoff.ts';
import type { PlatformAdapter, ShopRecord, WaybillRequest } from '../contract.ts';
import { generateOrders } from '../../../sandbox/demo/generator.ts';
import { sandboxWaybillNo } from '../../../sandbox/platforms/server-waybill-numbers.ts';
import { createDouyinAdapter } from './adapter.ts';
import { fromDoudianOrder } from './payload.ts';
import { doudianShopOrder } from '../../../sandbox/platforms/douyin/server-order.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/douyin/server.ts';
import { allocated, waybillRequest } from '../../../testkit/platforms/waybill-request.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: '7000000000000000001', appSecret: 'dd-s3cret', accessToken: 'tok-dd-123' };
const SENDER = { name: '王仓管', mobile: '13900001111', province: '广东省', city: '广州市', district: '白云区', address: '太和镇 1 号仓' };

let server: PlatformServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(count: number) {
  const orders = [...generateOrders({ shops: [{ id: 'dy-1', platform: 'douyin', seed: 3 }], count, fromMs: NOW - 2 * 86_400_000, toMs: NOW - 3_600_000 })].map(
    (g): PlatformOrder => ({ ...g.order, status: 'awaiting_shipment', afterSale: 'none' }),
  );
  server = await startPlatformServer({ orders, ...APP, now: () => NOW });
  const shop: ShopRecord = { id: 'dy-1', name: '抖店', platform: 'douyin', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP }) };
  const adapter = createDouyinAdapter(shop, { now: () => NOW }) as Required<Pick<PlatformAdapter, 'allocateWaybills'>> & PlatformAdapter;
  const stored = orders.map((o) => fromDoudianOrder(doudianShopOrder(o, APP.appSecret)));
  return { srv: server, adapter, orders, stored };
}

const request = (o: PlatformOrder, packageId: string): WaybillRequest => waybillRequest(o, packageId, { sender: SENDER });

describe('logistics.newCreateOrder through the doudian adapter', () => {
  it('allocates per order_id + pack_id with routing marks; the same pair returns the old number, a new pack_id a new one', async () => {
    const { adapter, stored } = await setup(12);
    expect(stored[0]?.receiver.cipher).toContain('#');
    const res = await adapter.allocateWaybills(stored.map((o, i) => request(o, `pack-${i}`)));
    for (const [i, r] of res.entries()) {
      const a = allocated(r);
      expect(a.waybillNo).toBe(sandboxWaybillNo('ZTO', `${stored[i]?.platformOrderId}|pack-${i}`));
      expect(a.routing.sortCode).toMatch(/^\d{3}-[A-Z]\d{2} \d{2}$/);
      expect(a.routing.packageCenterName).toMatch(/集包中心$/);
      expect(a.routing.shortAddressCode).toBeTruthy();
      expect(a.printData).toBeNull(); // doudian returns none: printing uses its templates (docs/platforms/douyin.md#waybill-idempotency-sourced)
    }
    const again = await adapter.allocateWaybills([request(stored[7] as PlatformOrder, 'pack-7'), request(stored[7] as PlatformOrder, 'pack-7b')]);
    expect(allocated(again[0]).waybillNo).toBe(allocated(res[7]).waybillNo);
    expect(allocated(again[1]).waybillNo).not.toBe(allocated(res[7]).waybillNo);
  });

  it('refuses a cancelled order and foreign ciphertexts per package (err_infos), allocating the rest', async () => {
    const { srv, adapter, stored } = await setup(3);
    srv.orders = srv.orders.map((o, i) => (i === 0 ? { ...o, status: 'closed', platformStatus: '4' } : o));
    const foreign = request(stored[2] as PlatformOrder, 'pack-x');
    foreign.receiver.cipher = (stored[1] as PlatformOrder).receiver.cipher;
    const res = await adapter.allocateWaybills([request(stored[0] as PlatformOrder, 'pack-0'), request(stored[1] as PlatformOrder, 'pack-1'), foreign]);
    expect(res[0]).toMatchObject({ kind: 'refused', reason: expect.stringContaining('60021') });
    expect(allocated(res[1]).waybillNo).toBeTruthy();
    expect(res[2]).toMatchObject({ kind: 'refused', reason: expect.stringContaining('不匹配') });
  });

  it('throws retryable errors for 5xx and throttling, SHOP_AUTH_EXPIRED for an expired token', async () => {
    const { srv, adapter, stored } = await setup(1);
    const reqs = [request(stored[0] as PlatformOrder, 'pack-f')];
    srv.setFault('http5xx');
    expect(markedRetryable(await adapter.allocateWaybills(reqs).catch((e: unknown) => e))).toBe(true);
    srv.setFault('throttled');
    expect(((await adapter.allocateWaybills(reqs).catch((e: unknown) => e)) as AppError).details).toMatchObject({ throttled: true });
    srv.setFault('tokenExpired');
    expect(((await adapter.allocateWaybills(reqs).catch((e: unknown) => e)) as AppError).code).toBe('SHOP_AUTH_EXPIRED');
    srv.setFault(null);
    expect(allocated((await adapter.allocateWaybills(reqs))[0]).waybillNo).toBeTruthy();
  });
});
