// The real `shopfleet` binary in child processes: demo, orders list, export, and its exit codes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core/app.ts';
import type { OrderRow } from '../../shared/contract.ts';
import type { ListedOrder } from './commands/orders-list.ts';
import { shopfleet } from '../../testkit/run-shopfleet.ts';
import { testDbOf } from '../../testkit/station-db.ts';


const ORDERS = 400;
let dir: string;
let dbFile: string;
let demoRun: Awaited<ReturnType<typeof shopfleet>>;

/** Reads the built database in-process through the same API, to check the CLI's answers. */
async function withCore<T>(body: (core: Core) => Promise<T>): Promise<T> {
  const core = await createCore({ dbFile, demo: false, sync: false });
  try {
    return await body(core);
  } finally {
    await core.close();
  }
}

async function apiIds(filter: Record<string, unknown>): Promise<string[]> {
  return withCore(async (core) => {
    const r = await core.call('orders.list', { filter, limit: 1000, withTotal: false });
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as { rows: OrderRow[] }).rows.map((o) => o.id);
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-'));
  dbFile = path.join(dir, 'demo.db');
  demoRun = await shopfleet(['demo', '--db', dbFile, '--orders', String(ORDERS), '--shops', '4', '--seed', '11']);
}, 120_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('shopfleet demo', () => {
  it('builds a database of the requested size, reporting progress on stderr', async () => {
    expect(demoRun.stderr).toMatch(/demo: \d+\/400 orders/);
    expect(demoRun.code).toBe(0);
    expect(demoRun.stdout).toBe('');
    const shops = await withCore(async (core) => {
      const r = await core.call('shops.list', {});
      if (!r.ok) throw new Error(r.error.message);
      return r.value as { orderCount: number }[];
    });
    expect(shops).toHaveLength(4);
    expect(shops.reduce((n, s) => n + s.orderCount, 0)).toBe(ORDERS);
  });
});

describe('shopfleet orders list', () => {
  it('prints one JSON array of orders with their items', async () => {
    const r = await shopfleet(['orders', 'list', '--db', dbFile, '--limit', '25', '--json']);
    expect(r.code).toBe(0);
    const orders = JSON.parse(r.stdout) as ListedOrder[];
    expect(orders).toHaveLength(25);
    for (const o of orders) {
      expect(o.items.length).toBeGreaterThan(0);
      expect(o.items.reduce((n, i) => n + i.quantity, 0)).toBe(o.itemCount);
    }
    // Default sort is the workbench's: newest paid first.
    const paid = orders.map((o) => o.paidAt ?? -1);
    expect([...paid].sort((a, b) => b - a)).toEqual(paid);
  });

  it('finds by Chinese search text exactly what the search box finds', async () => {
    const sample = await withCore(async (core) => {
      const r = await core.call('orders.list', { filter: {}, limit: 50, withTotal: false });
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as { rows: OrderRow[] }).rows.find((o) => /[\u4e00-\u9fff]/.test(o.receiverName))!;
    });
    expect(sample).toBeDefined();
    const q = sample.receiverName;
    const r = await shopfleet(['orders', 'list', '--db', dbFile, '--q', q, '--all', '--json']);
    expect(r.code).toBe(0);
    const found = JSON.parse(r.stdout) as ListedOrder[];
    expect(found.map((o) => o.id)).toContain(sample.id);
    expect(found.length).toBeLessThan(ORDERS);
    expect(found.map((o) => o.id)).toEqual(await apiIds({ q }));
  });

  it('applies status and queue filters like the API', async () => {
    const r = await shopfleet(['orders', 'list', '--db', dbFile, '--status', 'awaiting_shipment', '--queue', 'pending_review', '--all', '--json']);
    expect(r.code).toBe(0);
    const found = JSON.parse(r.stdout) as ListedOrder[];
    expect(found.every((o) => o.status === 'awaiting_shipment' && o.queue === 'pending_review')).toBe(true);
    expect(found.map((o) => o.id)).toEqual(await apiIds({ statuses: ['awaiting_shipment'], queue: 'pending_review' }));
  });

  it('prints an empty array when nothing matches', async () => {
    const r = await shopfleet(['orders', 'list', '--db', dbFile, '--q', '不存在的买家名字zzqx', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe('shopfleet export', () => {
  it('writes an xlsx that ExcelJS reads back, with the chosen columns and every filtered order', async () => {
    const out = path.join(dir, 'out', 'orders.xlsx');
    const r = await shopfleet(['export', '--db', dbFile, '--queue', 'all', '--columns', 'platformOrderId,receiverName,paidYuan', '--out', out]);
    expect(r.stderr).toMatch(new RegExp(`exported ${ORDERS} orders`));
    expect(r.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const sheet = book.worksheets[0]!;
    expect(sheet.actualRowCount).toBe(ORDERS + 1);
    const header = (sheet.getRow(1).values as unknown[]).filter((v) => v !== undefined && v !== null);
    expect(header).toHaveLength(3);
  });

  it('writes a csv with a header and one line per order', async () => {
    const out = path.join(dir, 'shipped.csv');
    const r = await shopfleet(['export', '--db', dbFile, '--status', 'shipped', '--columns', 'platformOrderId,status', '--out', out]);
    expect(r.code).toBe(0);
    const rows = parseCsv(fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][];
    const expected = await apiIds({ statuses: ['shipped'] });
    expect(rows.length - 1).toBe(expected.length);
    expect(rows.slice(1).every((row) => row.length === 2)).toBe(true);
  });
});

// Independent child processes: run them side by side.
describe.concurrent('shopfleet arguments and errors', () => {
  it.each([
    [['orders', 'list', '--db', 'x.db', '--bogus']],
    [['orders', 'list', '--limit', 'ten']],
    [['orders', 'list', '--db', 'PLACEHOLDER', '--status', 'lost']],
    [['orders']],
    [['frobnicate']],
    [['demo', '--db', 'x.db']],
    [['demo', '--db', 'x.db', '--orders', '-5']],
    [['export', '--db', 'PLACEHOLDER', '--out', 'orders.pdf']],
    [['export', '--db', 'PLACEHOLDER', '--columns', 'platformOrderId,shoeSize', '--out', 'o.csv']],
  ])('%j exits 2 with usage on stderr', async (args) => {
    const r = await shopfleet(args.map((a) => (a === 'PLACEHOLDER' ? dbFile : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: shopfleet /);
    expect(r.stdout).toBe('');
  });

  it('refuses a missing database with exit 2 rather than creating an empty one', async () => {
    const missing = path.join(dir, 'nope.db');
    const r = await shopfleet(['orders', 'list', '--db', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No database at/);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('exits 1 with the typed message when the core refuses the database', async () => {
    const newer = path.join(dir, 'newer.db');
    fs.copyFileSync(dbFile, newer);
    const core = await createCore({ dbFile: newer, demo: false, sync: false });
    // Pretend a newer ShopFleet migrated this file.
    testDbOf(core).$client.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 99_999_999_999_999);
    await core.close();
    const r = await shopfleet(['orders', 'list', '--db', newer, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DB_NEWER_THAN_APP/);
  });

  it('prints help with exit 0', async () => {
    const r = await shopfleet(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/demo +--db FILE --orders N/);
    expect(r.stdout).toMatch(/--q TEXT/);
  });
});
