// `shopfleet orders list --json` carries the whole receiver address, town included: a courier's
// import sheet built from it must not drop the 乡镇/街道 line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../core/app.ts';
import { ingestOrders } from '../../../core/orders/ingest.ts';
import { platformOrder, T0 } from '../../../testkit/api-fixtures.ts';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';
import type { ListedOrder } from './orders-list.ts';
import { testDbOf } from '../../../testkit/station-db.ts';

let dir: string;
let dbFile: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-town-'));
  dbFile = path.join(dir, 'station.db');
  const core = await createCore({ dbFile, demo: false, sync: false });
  try {
    testDbOf(core).$client.prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('s1', '杭州女装旗舰店', 'sandbox', 'active', ?, '{}')").run(T0);
    const receiver = (town: string | null) => ({ name: '李娜', phone: '13900002222', province: '浙江省', city: '杭州市', district: '西湖区', town, address: '文三路 100 号', cipher: null });
    const orders = [platformOrder(1, { receiver: receiver('古荡街道') }), platformOrder(2, { receiver: receiver(null) })];
    ingestOrders(testDbOf(core), { shopId: 's1', platform: 'sandbox', orders: orders.map((o) => ({ order: o, raw: o })) }, T0);
  } finally {
    await core.close();
  }
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shopfleet orders list --json', () => {
  it('gives each order its town beside province, city, district and street', async () => {
    const r = await shopfleet(['orders', 'list', '--db', dbFile, '--all', '--json']);
    expect(r.code).toBe(0);
    const byId = new Map((JSON.parse(r.stdout) as ListedOrder[]).map((o) => [o.platformOrderId, o]));
    expect(byId.get('P00000001')).toMatchObject({ receiverProvince: '浙江省', receiverCity: '杭州市', receiverDistrict: '西湖区', receiverTown: '古荡街道', receiverAddress: '文三路 100 号' });
    // No town is an explicit null, so a reader can tell "none" from "not exported".
    expect(byId.get('P00000002')).toHaveProperty('receiverTown', null);
  }, 60_000);
});
