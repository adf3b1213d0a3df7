// End to end on the wire: a Taobao shop synced from the loopback TOP gateway; orders.ship and
// orders.setFlag here → the outbox → the gateway's order is shipped (with our waybill) and carries
// our memo → the next sync pull shows it shipped. Also the real "already shipped" paths: a resend
// after a crash confirms, a parcel shipped from the back office with another waybill is a conflict.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../shared/model.ts';
import { EventBus } from '../api/events.ts';
import { HybridClock } from '../api/hlc.ts';
import type { CoreContext } from '../api/command.ts';
import { openDatabase } from '../db/open.ts';
import { setFlag } from '../orders/commands.ts';
import { shipOrders } from '../orders/ship.ts';
import { generateOrders } from '../../sandbox/demo/generator.ts';
import { startPlatformServer, type PlatformServer } from '../../sandbox/platforms/taobao/server.ts';
import { actorNamed } from '../session.ts';
import { Outbox } from './outbox.ts';
import { SyncScheduler } from './scheduler.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const APP = { appKey: '12345678', appSecret: 'testsecret', accessToken: '6100a2b3c' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('orders.ship → outbox → loopback TOP gateway → next pull', () => {
  it('ships and sets the memo on the platform, and the next pull shows the order shipped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-e2e-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const db = openDatabase(path.join(dir, 'shopfleet.db'));
    cleanups.push(() => {
      db.$client.close();
    });
    const clock = { now: NOW };
    const now = () => clock.now;
    const events = new EventBus();

    const orders: PlatformOrder[] = [...generateOrders({ shops: [{ id: 'tb', platform: 'taobao', seed: 21 }], count: 60, fromMs: NOW - 3 * DAY, toMs: NOW - 6 * HOUR })].map(
      (g, i) => ({ ...g.order, platformUpdatedAt: NOW - 5 * HOUR + i * 3 * MINUTE }),
    );
    const server: PlatformServer = await startPlatformServer({ orders, ...APP, now });
    cleanups.push(() => server.close());
    db.$client
      .prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('tb', '淘宝旗舰店', 'taobao', 'active', 0, ?)")
      .run(JSON.stringify({ gateway: server.url, ...APP, pageSize: 10 }));
    // The registry's Taobao adapter (no adapterFor given), as the app runs it.
    const scheduler = new SyncScheduler({ db, events, now, backfillMs: 12 * HOUR });
    cleanups.push(() => scheduler.stop());
    const first = await scheduler.syncShop('tb');
    expect(first.error).toBeUndefined();

    const shippable = orders.filter((o) => o.status === 'awaiting_shipment' && o.afterSale === 'none' && o.platformStatus === 'WAIT_SELLER_SEND_GOODS');
    expect(shippable.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = shippable as [PlatformOrder, PlatformOrder, PlatformOrder];
    const localId = (o: PlatformOrder) => db.$client.prepare("SELECT id FROM orders WHERE shop_id = 'tb' AND platform_order_id = ?").pluck().get(o.platformOrderId) as string;
    const row = (o: PlatformOrder) =>
      db.$client.prepare("SELECT status, stage, waybill_no AS waybill, seller_memo AS memo, seller_flag AS flag FROM orders WHERE shop_id = 'tb' AND platform_order_id = ?").get(o.platformOrderId) as {
        status: string;
        stage: string;
        waybill: string;
        memo: string | null;
        flag: number;
      };
    const pushStates = () => db.$client.prepare('SELECT kind, state, last_error AS lastError FROM pushes ORDER BY created_at, id').all() as { kind: string; state: string; lastError: string | null }[];
    const onServer = (o: PlatformOrder) => server.orders.find((x) => x.platformOrderId === o.platformOrderId)!;

    // Order c was shipped from the seller back office with another waybill meanwhile.
    const ci = server.orders.findIndex((x) => x.platformOrderId === c.platformOrderId);
    server.orders[ci] = { ...c, status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS', platformUpdatedAt: NOW - MINUTE };
    server.shipments.set(c.platformOrderId, { companyCode: 'YTO', outSid: 'YT7000000001', at: NOW - MINUTE });

    const ctx: CoreContext = { db, actor: actorNamed(db, '打包员小张', 'owner'), events, clock: new HybridClock('e2e', now), now };
    setFlag(ctx, { ids: [localId(a)], memo: '顺丰加急', flag: 1 });
    const shipped = shipOrders(ctx, {
      items: [
        { id: localId(a), carrierCode: 'SF', waybillNo: 'SF1400000001' },
        { id: localId(b), carrierCode: 'ZTO', waybillNo: '731400000002' },
        { id: localId(c), carrierCode: 'ZTO', waybillNo: '731400000003' },
      ],
    });
    expect(shipped).toEqual({ changed: 3, skipped: [] });

    const outbox = new Outbox({ db, events, now });
    expect(await outbox.flush()).toEqual({ sent: 4 });
    expect(pushStates()).toEqual([
      { kind: 'memo', state: 'confirmed', lastError: null },
      { kind: 'ship', state: 'confirmed', lastError: null },
      { kind: 'ship', state: 'confirmed', lastError: null },
      { kind: 'ship', state: 'conflict', lastError: 'The platform shows the order shipped under waybill YT7000000001, not the local 731400000003' },
    ]);
    // The gateway's orders now say what we pushed.
    expect(onServer(a)).toMatchObject({ status: 'shipped', sellerMemo: '顺丰加急', sellerFlag: 1 });
    expect(server.shipments.get(a.platformOrderId)).toMatchObject({ outSid: 'SF1400000001' });
    expect(server.shipments.get(b.platformOrderId)).toMatchObject({ outSid: '731400000002' });
    expect(server.shipments.get(c.platformOrderId)).toMatchObject({ outSid: 'YT7000000001' });

    // A crash after the send landed but before its outcome was written: the row is back in
    // 'sending' → a restarted outbox resends the same ship, TOP refuses it as already shipped, the
    // detail call shows our waybill, and the push is confirmed — no second, different shipment.
    db.$client.prepare("UPDATE pushes SET state = 'sending', done_at = NULL WHERE kind = 'ship' AND order_id = ?").run(localId(b));
    clock.now += MINUTE;
    const restarted = new Outbox({ db, events, now });
    expect(await restarted.flush()).toEqual({ sent: 1 });
    expect(pushStates()[2]).toEqual({ kind: 'ship', state: 'confirmed', lastError: null });
    expect(server.shipments.get(b.platformOrderId)).toMatchObject({ outSid: '731400000002' });

    // The next pull sees the shipments (and our memo) as the platform now has them.
    clock.now += 5 * MINUTE;
    const second = await scheduler.syncShop('tb');
    expect(second.error).toBeUndefined();
    expect(row(a)).toEqual({ status: 'shipped', stage: 'shipped', waybill: 'SF1400000001', memo: '顺丰加急', flag: 1 });
    expect(row(b)).toMatchObject({ status: 'shipped', stage: 'shipped', waybill: '731400000002' });
    expect(row(c)).toMatchObject({ status: 'shipped', stage: 'shipped', waybill: '731400000003' });
  });
});
