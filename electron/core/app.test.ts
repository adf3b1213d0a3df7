import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { ApiEvents, BatchResult, OrderDetail, OrderRow, ShopSummary, ShopSyncState } from '../shared/contract.ts';
import { tempDbFile } from '../testkit/api-fixtures.ts';
import { createCore, type Core } from './app.ts';
import { actorNamed } from './session.ts';
import { ok } from '../testkit/results.ts';
import { sandboxDemo } from '../sandbox/index.ts';
import { testDbOf } from '../testkit/station-db.ts';

let core: Core | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await core?.close();
  cleanup?.();
  core = undefined;
});

describe('createCore', () => {
  it('opens an empty station with a default owner and no shops', async () => {
    const tmp = tempDbFile();
    cleanup = tmp.cleanup;
    core = await createCore({ dbFile: tmp.file });
    expect(core.defaultActor.role).toBe('owner');
    expect(ok(await core.call('session.whoami', {}))).toEqual(core.defaultActor);
    expect(ok(await core.call('shops.list', {}))).toEqual([]);
    expect(ok(await core.call('sync.status', {}))).toEqual([]);
  });

  it('runs a demo station end to end: sync a shop, work its orders, export them', async () => {
    const tmp = tempDbFile();
    cleanup = tmp.cleanup;
    core = await createCore({ dbFile: tmp.file, demo: true, demoProvider: sandboxDemo, sync: false });
    const shops = ok<ShopSummary[]>(await core.call('shops.list', {}));
    expect(shops.length).toBeGreaterThan(1);
    expect(shops.every((s) => s.orderCount === 0)).toBe(true);
    const shop = shops[0]!;

    const changed: ApiEvents['db.changed'][] = [];
    core.on('db.changed', (e) => changed.push(e));
    const finished = new Promise<ApiEvents['sync.progress']>((resolve) => {
      core!.on('sync.progress', (p) => {
        if (p.shopId === shop.id && (p.phase === 'done' || p.phase === 'error')) resolve(p);
      });
    });
    expect(ok(await core.call('sync.now', { shopId: shop.id }))).toEqual({ started: [shop.id] });
    const progress = await finished;
    expect(progress.phase).toBe('done');
    expect(changed.some((e) => e.tables.includes('orders'))).toBe(true);
    const status = ok<ShopSyncState[]>(await core.call('sync.status', {})).find((s) => s.shopId === shop.id)!;
    expect(status.lastSuccessAt).not.toBeNull();

    const { rows, total } = ok<{ rows: OrderRow[]; total: number }>(
      await core.call('orders.list', { filter: { shopIds: [shop.id], queue: 'pending_review' }, limit: 5 }),
    );
    expect(total).toBeGreaterThan(0);
    const counted = ok<ShopSummary[]>(await core.call('shops.list', {})).find((s) => s.id === shop.id)!;
    expect(counted.orderCount).toBeGreaterThanOrEqual(total);

    const target = rows[0]!;
    const packer = actorNamed(testDbOf(core), '打包员小李', 'packer');
    expect((await core.call('orders.close', { ids: [target.id], reason: '取消' }, packer)).ok).toBe(false);
    const held = ok<BatchResult>(await core.call('orders.hold', { ids: [target.id], reason: '核对地址' }, packer));
    expect(held.changed).toBe(1);
    const detail = ok<OrderDetail>(await core.call('orders.get', { id: target.id }));
    expect(detail).toMatchObject({ queue: 'held', holdReason: '核对地址' });
    expect(detail.timeline[0]).toMatchObject({ command: 'orders.hold', actor: '打包员小李' });

    const out = ok<{ base64: string; rowCount: number }>(
      await core.call('orders.export', { ids: [target.id], columns: ['platformOrderId', 'shopName', 'holdReason', 'paidYuan'], format: 'csv' }),
    );
    const records = parse(Buffer.from(out.base64, 'base64').toString('utf8'), { bom: true }) as string[][];
    expect(records[1]).toEqual([target.platformOrderId, shop.name, '核对地址', `${Math.floor(target.paidFen / 100)}.${String(target.paidFen % 100).padStart(2, '0')}`]);
  });
});
