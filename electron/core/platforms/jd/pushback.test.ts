// JD push-backs through the real adapter against the loopback JOS gateway over HTTP: shipment outcomes
// (confirmed, already shipped with the same or another waybill read back through enGet, refusals
// inside the result object, throttling, 5xx, expired token, carriers without a JD id), memo + flag
// then a pull, and the clear refusal to decrypt (JD decrypts with its TDE SDK, not an API).
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../../shared/model.ts';
import { classifyError, markedRetryable } from '../../sync/backoff.ts';
import type { PlatformAdapter, PullWindow, ShopRecord } from '../contract.ts';
import { generateOrders } from '../sandbox/generator.ts';
import { createJdAdapter } from './adapter.ts';
import { startPlatformServer, type PlatformServer } from './server.ts';
import { pullAll, rejection } from '../test-adapter.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: 'jd-app-1', appSecret: 'jd-s3cret', accessToken: 'tok-jd-123' };

function orders(count: number, over: Partial<PlatformOrder> = {}): PlatformOrder[] {
  return Array.from(generateOrders({ shops: [{ id: 'jd-shop', platform: 'jd', seed: 11 }], count, fromMs: NOW - 2 * 86_400_000, toMs: NOW - 60 * MIN })).map((g, i) => ({
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
  const shop: ShopRecord = { id: 'shop-jd', name: '京东店', platform: 'jd', state: 'active', settings: JSON.stringify({ gateway: server.url, ...APP }) };
  return { srv: server, adapter: createJdAdapter(shop, { now: () => NOW }) };
}

/** The current mapped state of one order, pulled through the adapter like the sync engine would. */
async function pulled(adapter: PlatformAdapter, id: string, window: PullWindow = { fromMs: NOW - 29 * MIN, toMs: NOW + 1000 }): Promise<PlatformOrder | undefined> {
  return (await pullAll(adapter, window)).find((o) => o.platformOrderId === id);
}

const ship = (id: string, waybillNo = 'ZT7812345678901', carrierCode: 'ZTO' | 'YTO' | 'JTSD' = 'ZTO') => ({ kind: 'ship' as const, platformOrderId: id, carrierCode, waybillNo });

describe('jd push: jingdong.pop.order.shipment', () => {
  it('ships: confirmed, the order moves to shipped at the platform with logiCoprId + logiNo, and a pull shows it', async () => {
    const list = orders(3);
    const id = list[1]!.platformOrderId;
    const { srv, adapter } = await setup(list);
    expect(await adapter.push(ship(id))).toEqual({ kind: 'confirmed' });
    const there = srv.orders.find((o) => o.platformOrderId === id)!;
    expect([there.status, there.platformUpdatedAt]).toEqual(['shipped', NOW]);
    expect(srv.shipments.get(id)).toMatchObject({ logiCoprId: '1499', logiNo: 'ZT7812345678901' });
    const got = await pulled(adapter, id);
    expect([got?.status, got?.platformStatus]).toEqual(['shipped', 'WAIT_GOODS_RECEIVE_CONFIRM']);
    expect(srv.orders.filter((o) => o.status === 'shipped')).toHaveLength(1);
  });

  it('a second ship is "already shipped" with the waybill read from enGet: the same one, or the other one', async () => {
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

  it('refusals are rejected with the platform words: cancelled, locked by a refund, bad waybill, unknown order, no JD carrier id', async () => {
    const [cancelled] = orders(1, { status: 'closed' });
    const [locked] = orders(1, { afterSale: 'requested' }).map((o) => ({ ...o, platformOrderId: `${o.platformOrderId}9` }));
    const [ok] = orders(1).map((o) => ({ ...o, platformOrderId: `${o.platformOrderId}8` }));
    const { srv, adapter } = await setup([cancelled!, locked!, ok!]);
    const c = await adapter.push(ship(cancelled!.platformOrderId));
    expect(c.kind === 'rejected' && c.reason).toMatch(/订单已取消.*order\.canceled/);
    const r = await adapter.push(ship(locked!.platformOrderId));
    expect(r.kind === 'rejected' && r.reason).toMatch(/锁定.*order\.locked/);
    const w = await adapter.push(ship(ok!.platformOrderId, 'bad-waybill!'));
    expect(w.kind === 'rejected' && w.reason).toMatch(/运单号不符合规则/);
    const u = await adapter.push(ship('30000000001'));
    expect(u.kind === 'rejected' && u.reason).toMatch(/order\.not\.exist/);
    const j = await adapter.push(ship(ok!.platformOrderId, 'JT0001234567', 'JTSD'));
    expect(j.kind === 'rejected' && j.reason).toMatch(/JTSD/);
    expect(srv.orders.every((o) => o.status !== 'shipped')).toBe(true);
  });

  it('throttling, 5xx and a cut-off body throw retryable errors; the retry after a lost answer reads our own waybill', async () => {
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

describe('jd push: jingdong.pop.order.modifyVenderRemark', () => {
  it('sets remark and flag; a pull reads the remark back (enSearch does not return the flag, the platform keeps it)', async () => {
    const list = orders(2);
    const id = list[0]!.platformOrderId;
    const { srv, adapter } = await setup(list);
    for (const flag of [1, 2, 3, 4, 5, 0] as const) {
      expect(await adapter.push({ kind: 'memo', platformOrderId: id, memo: `备注 ${flag}`, flag })).toEqual({ kind: 'confirmed' });
      expect((await pulled(adapter, id))?.sellerMemo).toBe(`备注 ${flag}`);
      expect(srv.orders[0]!.sellerFlag).toBe(flag);
    }
    expect(srv.orders[0]!.platformUpdatedAt).toBe(NOW);
    expect(await adapter.push({ kind: 'memo', platformOrderId: id, memo: null, flag: 0 })).toEqual({ kind: 'confirmed' });
    expect((await pulled(adapter, id))?.sellerMemo).toBeNull();
  });

  it('a remark over 500 characters is rejected with the reason, and nothing is sent; an unknown order is rejected by JD', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    const before = srv.orders[0];
    const out = await adapter.push({ kind: 'memo', platformOrderId: list[0]!.platformOrderId, memo: '字'.repeat(501), flag: 2 });
    expect(out.kind === 'rejected' && out.reason).toMatch(/500/);
    expect(srv.orders[0]).toBe(before);
    const u = await adapter.push({ kind: 'memo', platformOrderId: '30000000001', memo: 'x', flag: 2 });
    expect(u.kind === 'rejected' && u.reason).toMatch(/订单不存在/);
  });
});

describe('jd receivers', () => {
  it('are not decrypted: INVALID_STATE saying JD prints through its own waybill flow, with no call made', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    srv.setFault('http5xx'); // any call would fail differently
    const stored = JSON.stringify({ fullname: 'x', mobile: 'y', telephone: 'y', fullAddress: 'z' });
    const err = await rejection(adapter.decryptReceivers([{ platformOrderId: list[0]!.platformOrderId, cipher: stored }]));
    expect(err.code).toBe('INVALID_STATE');
    expect(err.message).toMatch(/TDE/);
    expect(err.message).toMatch(/面单/);
  });
});

