// `shopfleet print picklist` / `print slips` in a child process: a PDF for chosen orders, ESC/POS bytes
// for a status tab, and bad arguments refused with exit code 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../core/app.ts';
import { ingestOrders } from '../../../core/orders/ingest.ts';
import { order, T0 } from '../../../testkit/ingest-fixtures.ts';
import { decodeEscpos, receiptDocuments } from '../../../core/picking/escpos-decode.ts';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';
import { testDbOf } from '../../../testkit/station-db.ts';


let dir: string;
let dbFile: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-picklist-'));
  dbFile = path.join(dir, 'station.db');
  const core = await createCore({ dbFile, demo: false, sync: false });
  try {
    const c = testDbOf(core).$client;
    c.prepare("INSERT INTO shops (id, name, platform, created_at) VALUES ('shop-a', '甲店', 'taobao', 0)").run();
    c.prepare("INSERT INTO products (id, title, created_at) VALUES ('p1', 'T恤', 0)").run();
    c.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen, location) VALUES ('sku-1', 'p1', 'NZ-2301-BK-M', '黑M', 1999, 'C-03-01')").run();
    ingestOrders(testDbOf(core), { shopId: 'shop-a', platform: 'taobao', orders: [1, 2, 3].map((n) => ({ order: order(n), raw: {} })) }, T0);
    // Two of the three wait for printing.
    c.prepare("UPDATE orders SET stage = 'awaiting_print' WHERE platform_order_id IN (?, ?)").run(order(1).platformOrderId, order(3).platformOrderId);
  } finally {
    await core.close();
  }
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shopfleet print picklist / slips', () => {
  it('writes an A4 PDF pick list for orders named by platform order number', async () => {
    const out = path.join(dir, 'pick.pdf');
    const r = await shopfleet(['print', 'picklist', '--db', dbFile, '--orders', `${order(1).platformOrderId},${order(2).platformOrderId}`, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('pick list for 2 order(s) (pdf)');
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  it('writes ESC/POS bytes for the awaiting-print tab at 58 mm', async () => {
    const out = path.join(dir, 'pick.bin');
    const r = await shopfleet(['print', 'picklist', '--db', dbFile, '--status', 'awaiting_print', '--out', out, '--width', '58']);
    expect(r.code, r.stderr).toBe(0);
    const lines = decodeEscpos(fs.readFileSync(out)).lines.map((l) => l.text.replace(/ +/g, ' '));
    expect(lines).toContain('2 单 · 1 种 · 4 件');
    expect(lines).toContain('C-03-01 NZ-2301-BK-M ×4');

    const slips = path.join(dir, 'slips.bin');
    const s = await shopfleet(['print', 'slips', '--db', dbFile, '--status', 'awaiting_print', '--out', slips]);
    expect(s.code, s.stderr).toBe(0);
    const docs = receiptDocuments(decodeEscpos(fs.readFileSync(slips)));
    expect(docs.map((d) => d.find((l) => l.startsWith('订单号')))).toEqual([`订单号：${order(1).platformOrderId}`, `订单号：${order(3).platformOrderId}`]);
  }, 60_000);

  it('refuses bad arguments with exit code 2 and unknown orders by name', async () => {
    const both = await shopfleet(['print', 'picklist', '--db', dbFile, '--orders', 'x', '--status', 'awaiting_print', '--out', path.join(dir, 'x.pdf')]);
    expect(both.code).toBe(2);
    const ext = await shopfleet(['print', 'picklist', '--db', dbFile, '--status', 'awaiting_print', '--out', path.join(dir, 'x.txt')]);
    expect(ext.code).toBe(2);
    expect(ext.stderr).toContain('--format must be pdf or escpos');
    const unknown = await shopfleet(['print', 'slips', '--db', dbFile, '--orders', 'no-such', '--out', path.join(dir, 'x.pdf')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown order(s): no-such');
  }, 60_000);
});
