// `shopfleet orders list --json` says where each order stands with stock (stock, stockShortReason,
// the warehouse per line), and `--stock short` lists the 缺货 queue.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../core/app.ts';
import { ingestOrders } from '../../../core/orders/ingest.ts';
import { platformOrder, T0 } from '../../../testkit/api-fixtures.ts';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';
import { testDbOf } from '../../../testkit/station-db.ts';
import type { ListedOrder } from './orders-list.ts';

let dir: string;
let dbFile: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-stock-'));
  dbFile = path.join(dir, 'station.db');
  const core = await createCore({ dbFile, demo: false, sync: false });
  try {
    const c = testDbOf(core).$client;
    c.prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('s1', '杭州女装旗舰店', 'sandbox', 'active', ?, '{}')").run(T0);
    c.prepare("INSERT INTO products (id, title, created_at) VALUES ('p1', '女装纯棉T恤', 0), ('p2', '棉袜', 0)").run();
    c.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen) VALUES ('k1', 'p1', 'NZ-2301-BK-M', '黑M', 1999), ('k2', 'p2', 'SOCK-01', '均码', 500)").run();
    c.prepare("INSERT INTO warehouses (id, code, name, regions, priority, created_at) VALUES ('w1', 'HZ', '杭州仓', '[\"浙江\"]', 0, 0)").run();
    c.prepare(
      "INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES ('m1', 'k1', 'w1', 2, 'receive', 't', 0, 'o1'), ('m2', 'k2', 'w1', 9, 'receive', 't', 0, 'o2')",
    ).run();
    const orders = [platformOrder(1), platformOrder(2)];
    ingestOrders(testDbOf(core), { shopId: 's1', platform: 'sandbox', orders: orders.map((o) => ({ order: o, raw: o })) }, T0);
  } finally {
    await core.close();
  }
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shopfleet orders list --json and stock', () => {
  it('gives each order its stock state and the warehouse per line; --stock short lists the waiting ones', async () => {
    const all = await shopfleet(['orders', 'list', '--db', dbFile, '--all', '--json']);
    expect(all.code).toBe(0);
    const byNo = new Map((JSON.parse(all.stdout) as ListedOrder[]).map((o) => [o.platformOrderId, o]));
    expect(byNo.get('P00000001')).toMatchObject({ stock: 'reserved', stockShortReason: null, lineWarehouses: [{ lineNo: 1, warehouse: 'HZ' }, { lineNo: 2, warehouse: 'HZ' }] });
    expect(byNo.get('P00000002')).toMatchObject({ stock: 'short', stockShortReason: 'insufficient', lineWarehouses: [{ lineNo: 1, warehouse: null }, { lineNo: 2, warehouse: null }] });
    const short = await shopfleet(['orders', 'list', '--db', dbFile, '--stock', 'short', '--all', '--json']);
    expect((JSON.parse(short.stdout) as ListedOrder[]).map((o) => o.platformOrderId)).toEqual(['P00000002']);
    const bad = await shopfleet(['orders', 'list', '--db', dbFile, '--stock', 'gone', '--json']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--stock');
  }, 60_000);
});
