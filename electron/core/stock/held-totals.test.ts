// stock_held_totals: the units held per SKU and warehouse that every figure reads, kept by the
// triggers of migration 0022. Whatever writes reservations — a settle, a pull from the hub (an
// upsert), a deleted order's cascade, a hand edit — the totals must equal Σ held rows; and a
// database upgraded from before the table gets totals for the holds it already had.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/open.ts';
import { migrationsBefore } from '../../testkit/db/migrations-before.ts';
import { heldSums, heldTotals } from '../../testkit/held-totals.ts';
import { figuresOf } from './available.ts';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.$client.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const SKUS = ['sku-a', 'sku-b'];
const WAREHOUSES = ['wh-1', 'wh-2'];
const ORDERS = ['o-1', 'o-2', 'o-3'];
const STATES = ['held', 'shipped', 'released'] as const;

const ORDER_SQL = `INSERT INTO orders (id, shop_id, platform, platform_order_id, status, platform_status, buyer_nick, receiver_name, receiver_phone,
    receiver_province, receiver_city, receiver_district, receiver_address, goods_fen, shipping_fen, discount_fen, paid_fen, item_count,
    created_at, paid_at, platform_updated_at, local_updated_at, content_hash)
  VALUES (?, 's1', 'taobao', ?, 'awaiting_shipment', 'WAIT_SELLER_SEND_GOODS', 'b', 'n', 'p', '浙江省', '杭州市', '西湖区', 'a', 0, 0, 0, 0, 1, 1, 1, 1, 1, ?)`;

function seed(db: Db): void {
  db.$client.exec(`
    INSERT INTO shops (id, name, platform, created_at) VALUES ('s1', '店', 'taobao', 1);
    INSERT INTO products (id, title, created_at) VALUES ('p1', '袜子', 1);
    INSERT INTO skus (id, product_id, outer_sku_code, name, barcode, price_fen, cost_fen) VALUES ('sku-a', 'p1', 'A', '红', '', 100, 50), ('sku-b', 'p1', 'B', '蓝', '', 100, 50);
    INSERT INTO warehouses (id, code, name, regions, priority, created_at) VALUES ('wh-1', 'W1', '一仓', '[]', 1, 1), ('wh-2', 'W2', '二仓', '[]', 1, 1);`);
  const order = db.$client.prepare(ORDER_SQL);
  for (const id of ORDERS) order.run(id, `P-${id}`, id);
}

type Step =
  | { kind: 'insert'; id: number; order: string; sku: string; wh: string; q: number; state: (typeof STATES)[number] }
  | { kind: 'upsert'; id: number; order: string; sku: string; wh: string; q: number; state: (typeof STATES)[number] }
  | { kind: 'state'; id: number; state: (typeof STATES)[number] }
  | { kind: 'move'; id: number; sku: string; wh: string; q: number }
  | { kind: 'delete'; id: number }
  | { kind: 'deleteOrder'; order: string };

const row = { id: fc.integer({ min: 1, max: 8 }), order: fc.constantFrom(...ORDERS), sku: fc.constantFrom(...SKUS), wh: fc.constantFrom(...WAREHOUSES), q: fc.integer({ min: 1, max: 9 }), state: fc.constantFrom(...STATES) };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), ...row }),
  fc.record({ kind: fc.constant('upsert' as const), ...row }),
  fc.record({ kind: fc.constant('state' as const), id: row.id, state: row.state }),
  fc.record({ kind: fc.constant('move' as const), id: row.id, sku: row.sku, wh: row.wh, q: row.q }),
  fc.record({ kind: fc.constant('delete' as const), id: row.id }),
  fc.record({ kind: fc.constant('deleteOrder' as const), order: row.order }),
);

function apply(db: Db, s: Step): void {
  const c = db.$client;
  const id = (n: number) => `r-${n}`;
  switch (s.kind) {
    case 'insert':
      c.prepare('INSERT OR IGNORE INTO stock_reservations (id, order_id, line_no, sku_id, warehouse_id, quantity, state, created_at) VALUES (?, ?, 1, ?, ?, ?, ?, 1)').run(
        id(s.id), s.order, s.sku, s.wh, s.q, s.state,
      );
      return;
    case 'upsert':
      // How a pull from the hub writes a row it may already have (hub/client.ts).
      c.prepare(
        `INSERT INTO stock_reservations (id, order_id, line_no, sku_id, warehouse_id, quantity, state, created_at) VALUES (?, ?, 1, ?, ?, ?, ?, 1)
         ON CONFLICT (id) DO UPDATE SET order_id = excluded.order_id, sku_id = excluded.sku_id, warehouse_id = excluded.warehouse_id, quantity = excluded.quantity, state = excluded.state`,
      ).run(id(s.id), s.order, s.sku, s.wh, s.q, s.state);
      return;
    case 'state':
      c.prepare('UPDATE stock_reservations SET state = ? WHERE id = ?').run(s.state, id(s.id));
      return;
    case 'move':
      c.prepare('UPDATE stock_reservations SET sku_id = ?, warehouse_id = ?, quantity = ? WHERE id = ?').run(s.sku, s.wh, s.q, id(s.id));
      return;
    case 'delete':
      c.prepare('DELETE FROM stock_reservations WHERE id = ?').run(id(s.id));
      return;
    case 'deleteOrder':
      // The reservations go with it (ON DELETE CASCADE), and their triggers run.
      c.prepare('DELETE FROM orders WHERE id = ?').run(s.order);
      c.prepare(
        ORDER_SQL,
      ).run(s.order, `P-${s.order}`, s.order);
      return;
  }
}

describe('held totals', () => {
  it('equal Σ held rows after any sequence of inserts, hub upserts, state changes, edits and deletes', () => {
    const db = openDatabase(':memory:');
    dbs.push(db);
    seed(db);
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        db.$client.exec('DELETE FROM stock_reservations');
        expect(heldTotals(db)).toEqual([]);
        for (const s of steps) {
          try {
            apply(db, s);
          } catch (e) {
            // A second held row for the same order line is refused (stock_reservations_held_uq):
            // the statement is undone, its triggers' writes with it.
            expect((e as { code?: string }).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
          }
          expect(heldTotals(db)).toEqual(heldSums(db));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('are what figuresOf reads as reserved', () => {
    const db = openDatabase(':memory:');
    dbs.push(db);
    seed(db);
    db.$client.exec(`
      INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES ('m1', 'sku-a', 'wh-1', 10, 'receive', 't', 1, 'op1');
      INSERT INTO stock_reservations (id, order_id, line_no, sku_id, warehouse_id, quantity, state, created_at) VALUES
        ('r1', 'o-1', 1, 'sku-a', 'wh-1', 3, 'held', 1), ('r2', 'o-2', 1, 'sku-a', 'wh-2', 2, 'held', 1), ('r3', 'o-3', 1, 'sku-a', 'wh-1', 4, 'released', 1);`);
    expect(figuresOf(db, 'sku-a')).toMatchObject({ onHand: 10, reserved: 5, available: 5 });
  });

  it('are built on upgrade from the holds a database already had', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-held-totals-'));
    dirs.push(dir);
    const file = path.join(dir, 'station.db');
    const before = openDatabase(file, { migrationsFolder: migrationsBefore('0022', dir) });
    seed(before);
    before.$client.exec(`
      INSERT INTO stock_reservations (id, order_id, line_no, sku_id, warehouse_id, quantity, state, created_at) VALUES
        ('r1', 'o-1', 1, 'sku-a', 'wh-1', 3, 'held', 1), ('r2', 'o-2', 1, 'sku-a', 'wh-1', 2, 'held', 1),
        ('r3', 'o-2', 2, 'sku-b', 'wh-2', 1, 'held', 1), ('r4', 'o-3', 1, 'sku-a', 'wh-1', 7, 'shipped', 1);`);
    before.$client.close();

    const db = openDatabase(file);
    dbs.push(db);
    expect(heldTotals(db)).toEqual([
      { s: 'sku-a', w: 'wh-1', n: 5 },
      { s: 'sku-b', w: 'wh-2', n: 1 },
    ]);
    db.$client.prepare("UPDATE stock_reservations SET state = 'released' WHERE id = 'r1'").run();
    expect(heldTotals(db)).toEqual(heldSums(db));
  });
});
