// End to end: the SyncScheduler syncs a Kuaishou shop from the loopback Kuaishou server into a real
// SQLite file through ingestOrders, then picks up changes made on the "platform" on the next round.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../../shared/model.ts';
import { EventBus } from '../../api/events.ts';
import { openDatabase, type Db } from '../../db/open.ts';
import { SyncScheduler } from '../../sync/scheduler.ts';
import { ensureDemoTeam } from '../sandbox/demo-team.ts';
import { generateOrders } from '../sandbox/generator.ts';
import { createKuaishouAdapter } from './adapter.ts';
import { KS_ERR } from './errors.ts';
import { startPlatformServer, type PlatformServer } from './server.ts';
import { asSingleSkuOrder } from './payload.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const APP = { appKey: 'ks660000000000000001', appSecret: 'ks-sign-s3cret', accessToken: 'tok-123' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function stored(db: Db, shopId: string) {
  return (
    db.$client.prepare('SELECT platform_order_id AS id, status, paid_fen AS paid, platform_updated_at AS updated FROM orders WHERE shop_id = ?').all(shopId) as {
      id: string;
      status: string;
      paid: number;
      updated: number;
    }[]
  ).sort((a, b) => (a.id < b.id ? -1 : 1));
}
const expected = (orders: PlatformOrder[]) =>
  orders.map((o) => ({ id: o.platformOrderId, status: o.status, paid: o.paidFen, updated: o.platformUpdatedAt })).sort((a, b) => (a.id < b.id ? -1 : 1));

describe('SyncScheduler × Kuaishou adapter × loopback Kuaishou server', () => {
  it('syncs a Kuaishou shop into SQLite and picks up later changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-e2e-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = openDatabase(join(dir, 'shopfleet.db'));
    cleanups.push(() => {
      db.$client.close();
    });
    const clock = { now: NOW };

    // Orders modified over the last 10 hours at ms precision.
    const orders: PlatformOrder[] = [...generateOrders({ shops: [{ id: 'k', platform: 'kuaishou', seed: 9 }], count: 300, fromMs: NOW - 3 * 86_400_000, toMs: NOW - 11 * HOUR })]
      .map((g, i) => ({ ...asSingleSkuOrder(g.order), platformUpdatedAt: NOW - 10 * HOUR + i * 97_013 }))
      .filter((o) => o.platformUpdatedAt < NOW - 5 * MIN);
    const server: PlatformServer = await startPlatformServer({ orders, ...APP, now: () => clock.now });
    cleanups.push(() => server.close());

    ensureDemoTeam(db, NOW, { shops: 1 });
    const shopId = (db.$client.prepare('SELECT id FROM shops').get() as { id: string }).id;
    db.$client.prepare("UPDATE shops SET platform = 'kuaishou', settings = ? WHERE id = ?").run(JSON.stringify({ gateway: server.url, ...APP, pageSize: 25 }), shopId);

    const scheduler = new SyncScheduler({ db, events: new EventBus(), now: () => clock.now, backfillMs: 12 * HOUR, adapterFor: (shop) => createKuaishouAdapter(shop, { now: () => clock.now }) });
    cleanups.push(() => scheduler.stop());

    const first = await scheduler.syncShop(shopId);
    expect(first.error).toBeUndefined();
    expect(first.quarantined).toBe(0);
    expect(stored(db, shopId)).toEqual(expected(orders));

    // On the platform: ten awaiting orders ship, a few minutes pass.
    clock.now += 10 * MIN;
    const awaiting = orders.filter((o) => o.status === 'awaiting_shipment').slice(0, 10);
    expect(awaiting.length).toBeGreaterThan(0);
    const shippedAt = NOW + 2 * MIN + 123;
    server.orders = server.orders.map((o) => (awaiting.includes(o) ? { ...o, status: 'shipped' as const, platformUpdatedAt: shippedAt } : o));
    const second = await scheduler.syncShop(shopId);
    expect(second.error).toBeUndefined();
    expect(stored(db, shopId)).toEqual(expected(server.orders));

    // Throttled round: recorded on the cursor, nothing lost, the next round catches up.
    server.setFault('throttled');
    clock.now += 5 * MIN;
    expect((await scheduler.syncShop(shopId)).error).toMatch(new RegExp(String(KS_ERR.throttled)));
    server.setFault(null);
    expect((await scheduler.syncShop(shopId)).error).toBeUndefined();
    expect(stored(db, shopId)).toEqual(expected(server.orders));
  });
});
