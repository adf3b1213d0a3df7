// Migrations: the journal only moves forward, replays on an empty database, upgrades a database
// from the first schema keeping its rows (with a backup first), and a newer database is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { countOrders } from '../orders/query.ts';
import { ensureSearchIndex, searchCondition } from '../orders/search.ts';
import { migrationsBefore } from '../../testkit/db/migrations-before.ts';
import { defaultMigrationsFolder, openDatabase } from './open.ts';

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}
const folder = defaultMigrationsFolder();
const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as Journal;

describe('migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-migrations-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has journal timestamps that strictly increase, one SQL file per entry', () => {
    expect(journal.entries.length).toBeGreaterThan(1);
    journal.entries.forEach((e, i) => {
      expect(e.idx).toBe(i);
      if (i > 0) expect(e.when).toBeGreaterThan(journal.entries[i - 1]!.when);
      expect(fs.existsSync(path.join(folder, `${e.tag}.sql`))).toBe(true);
    });
  });

  it('replays on an empty database, and reopening applies nothing twice', () => {
    const file = path.join(dir, 'fresh.db');
    const db = openDatabase(file);
    const applied = db.$client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get();
    expect(applied).toBe(journal.entries.length);
    const names = db.$client.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')").pluck().all();
    expect(names).toEqual(expect.arrayContaining(['orders', 'order_counts', 'order_search', 'order_search_cjk', 'orders_counts_ai']));
    db.$client.close();
    const again = openDatabase(file);
    expect(again.$client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(journal.entries.length);
    again.$client.close();
    expect(fs.readdirSync(dir).filter((f) => f.includes('.bak-'))).toEqual([]);
  });

  it('upgrades a database at the first schema, keeping rows, after a backup', () => {
    // A migrations folder holding only the first migration stands for the previous app version.
    const old = migrationsBefore('0001', dir);
    const first = journal.entries[0]!;

    const file = path.join(dir, 'station.db');
    const v0 = openDatabase(file, { migrationsFolder: old });
    v0.$client.exec(`
      INSERT INTO shops (id, name, platform, created_at) VALUES ('s1', '老店', 'taobao', 1);
      INSERT INTO orders (id, shop_id, platform, platform_order_id, status, platform_status, buyer_nick, receiver_name,
        receiver_phone, receiver_province, receiver_city, receiver_district, receiver_address, goods_fen, shipping_fen,
        discount_fen, paid_fen, item_count, created_at, paid_at, platform_updated_at, local_updated_at, content_hash, abnormal_flags)
      VALUES ('o1', 's1', 'taobao', '123456789', 'awaiting_shipment', 'WAIT', 'nick', '张伟', '138****0000', '浙江省', '杭州市',
        '西湖区', '文三路1号', 100, 0, 0, 100, 1, 1, 2, 3, 3, 'h', 8);
      INSERT INTO order_items (order_id, line_no, platform_item_id, title, quantity, unit_price_fen, paid_fen)
      VALUES ('o1', 1, 'i1', '纯棉T恤', 1, 100, 100);`);
    v0.$client.close();

    const db = openDatabase(file);
    expect(fs.existsSync(`${file}.bak-${first.when}`)).toBe(true);
    const backup = openDatabase(`${file}.bak-${first.when}`, { readonly: true });
    expect(backup.$client.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(1);
    backup.$client.close();

    expect(db.$client.prepare('SELECT id, receiver_edited_at FROM orders').all()).toEqual([{ id: 'o1', receiver_edited_at: null }]);
    expect(db.$client.prepare('SELECT count(*) FROM order_items').pluck().get()).toBe(1);
    // The counts table was backfilled, so tab counts include the old order.
    const counts = countOrders(db, {});
    expect(counts.all).toBe(1);
    expect(counts.queues.pending_review).toBe(1);
    expect(counts.abnormal.buyer_message).toBe(1);
    // Search documents for old orders are built once, on request of the migration.
    const find = (q: string) => {
      const c = searchCondition(q)!;
      return db.$client.prepare(`SELECT count(*) FROM orders o WHERE ${c.sql}`).pluck().get(...c.params);
    };
    expect(find('张伟')).toBe(0);
    expect(ensureSearchIndex(db)).toBe(true);
    expect(find('张伟')).toBe(1);
    expect(find('纯棉T')).toBe(1);
    db.$client.close();
  });

  it('splits a sync error stored as "CODE: message" into its message, code and kind on upgrade', () => {
    const old = migrationsBefore('0008', dir);
    const file = path.join(dir, 'kinds.db');
    const v7 = openDatabase(file, { migrationsFolder: old });
    v7.$client.exec(`
      INSERT INTO shops (id, name, platform, created_at) VALUES ('s1', '老店', 'taobao', 1), ('s2', '新店', 'pdd', 2), ('s3', '好店', 'jd', 3);
      INSERT INTO sync_cursors (shop_id, cursor_ms, last_error, last_error_at) VALUES
        ('s1', 1, 'SHOP_AUTH_EXPIRED: 授权已过期: no session', 5), ('s2', 1, 'disk I/O error', 5), ('s3', 1, NULL, NULL);
      INSERT INTO sync_runs (id, shop_id, trigger, started_at, error) VALUES
        ('r1', 's2', 'schedule', 1, 'PLATFORM_ERROR: TOP unreachable: fetch failed'), ('r2', 's2', 'schedule', 2, NULL);`);
    v7.$client.close();

    const db = openDatabase(file);
    expect(db.$client.prepare('SELECT shop_id, last_error, last_error_code, last_error_kind FROM sync_cursors ORDER BY shop_id').all()).toEqual([
      { shop_id: 's1', last_error: '授权已过期: no session', last_error_code: 'SHOP_AUTH_EXPIRED', last_error_kind: 'auth' },
      { shop_id: 's2', last_error: 'disk I/O error', last_error_code: 'INTERNAL', last_error_kind: 'retryable' },
      { shop_id: 's3', last_error: null, last_error_code: null, last_error_kind: null },
    ]);
    expect(db.$client.prepare('SELECT id, error, error_code, error_kind FROM sync_runs ORDER BY id').all()).toEqual([
      { id: 'r1', error: 'TOP unreachable: fetch failed', error_code: 'PLATFORM_ERROR', error_kind: 'retryable' },
      { id: 'r2', error: null, error_code: null, error_kind: null },
    ]);
    db.$client.close();
  });

  it('refuses a database written by a newer version', () => {
    const file = path.join(dir, 'future.db');
    const db = openDatabase(file);
    const newest = Math.max(...journal.entries.map((e) => e.when));
    db.$client.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', newest + 1000);
    db.$client.close();
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('DB_NEWER_THAN_APP');
  });
});
