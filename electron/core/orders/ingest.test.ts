// The ingest path: insert, update, unchanged re-pull writes nothing, local fields survive, the
// cursor moves with its rows, quarantine, SKU matching and the one ops row per batch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../shared/model.ts';
import { abnormalBit } from '../../shared/model.ts';
import type { Db } from '../db/open.ts';
import { order, setupDb, T0 } from '../../testkit/ingest-fixtures.ts';
import { ingestOrders, type IngestBatch } from './ingest.ts';

const batch = (orders: PlatformOrder[], extra: Partial<IngestBatch> = {}): IngestBatch => ({
  shopId: 'shop-a',
  platform: 'taobao',
  orders: orders.map((o) => ({ order: o, raw: { tid: o.platformOrderId, v: o.platformUpdatedAt } })),
  ...extra,
});

const count = (db: Db, sql: string): number => db.$client.prepare(sql).pluck().get() as number;

describe('ingestOrders', () => {
  let db: Db;
  beforeEach(() => {
    db = setupDb();
  });
  afterEach(() => db.$client.close());

  it('inserts orders with items, payload, search docs, sku match, cursor and one ops row', () => {
    const r = ingestOrders(db, batch([order(1), order(2)], { cursorMs: 5000 }), T0);
    expect(r).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, quarantined: 0 });
    expect(r.changedIds).toHaveLength(2);
    expect(count(db, 'SELECT count(*) FROM orders')).toBe(2);
    expect(count(db, "SELECT count(*) FROM order_items WHERE sku_id = 'sku-1'")).toBe(2);
    expect(count(db, 'SELECT count(*) FROM order_payloads')).toBe(2);
    expect(count(db, "SELECT count(*) FROM order_search WHERE order_search MATCH '\"杭州市\"'")).toBe(2);
    expect(count(db, "SELECT cursor_ms FROM sync_cursors WHERE shop_id = 'shop-a'")).toBe(5000);
    const ops = db.$client.prepare("SELECT name, args, actor FROM ops").all() as { name: string; args: string; actor: string }[];
    expect(ops).toHaveLength(1);
    expect(ops[0]!.name).toBe('sync.ingest');
    expect(JSON.parse(ops[0]!.args)).toEqual({ shopId: 'shop-a', inserted: 2, updated: 0, cursorMs: 5000 });
    const row = db.$client.prepare('SELECT stage, queue, item_count, abnormal_flags FROM orders WHERE id = ?').get(r.changedIds[0]);
    expect(row).toEqual({ stage: 'pending_review', queue: 'pending_review', item_count: 2, abnormal_flags: 0 });
    expect(r.changedIds[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('writes nothing for an unchanged re-pull', () => {
    ingestOrders(db, batch([order(1), order(2)]), T0);
    const changes = db.$client.prepare('SELECT total_changes() AS n').pluck();
    const before = changes.get() as number;
    const r = ingestOrders(db, batch([order(1), order(2)]), T0 + 10_000);
    expect(r).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, changedIds: [] });
    expect(changes.get() as number).toBe(before);
    expect(count(db, 'SELECT count(*) FROM ops')).toBe(1);
  });

  it('updates platform fields, keeps id and local fields, replaces items only when changed', () => {
    const [id] = ingestOrders(db, batch([order(1)]), T0).changedIds;
    db.$client
      .prepare("UPDATE orders SET stage = 'awaiting_print', hold_reason = '等通知', is_read = 1 WHERE id = ?")
      .run(id);
    db.$client.prepare("INSERT INTO tags (id, name) VALUES ('t1', '加急')").run();
    db.$client.prepare("INSERT INTO order_tags (order_id, tag_id) VALUES (?, 't1')").run(id);
    const itemSeq = count(db, 'SELECT seq FROM order_items');

    const v2 = order(1, { sellerMemo: '送小样', buyerMessage: '请发顺丰', platformUpdatedAt: T0 + 999_000 });
    const r = ingestOrders(db, batch([v2]), T0 + 1);
    expect(r).toMatchObject({ inserted: 0, updated: 1, changedIds: [id] });
    const row = db.$client.prepare('SELECT * FROM orders WHERE id = ?').get(id) as Record<string, unknown>;
    expect(row).toMatchObject({ seller_memo: '送小样', buyer_message: '请发顺丰', stage: 'awaiting_print', hold_reason: '等通知', is_read: 1, close_reason: null, queue: 'held' });
    expect(row.abnormal_flags).toBe(abnormalBit('buyer_message'));
    expect(count(db, 'SELECT seq FROM order_items')).toBe(itemSeq); // items untouched
    expect(count(db, 'SELECT count(*) FROM order_tags')).toBe(1);

    const v3 = order(1, { ...v2, platformUpdatedAt: T0 + 2_000_000, items: [{ ...v2.items[0]!, quantity: 3, outerSkuCode: 'NOPE' }] });
    ingestOrders(db, batch([v3]), T0 + 2);
    expect(db.$client.prepare('SELECT quantity, sku_id FROM order_items').all()).toEqual([{ quantity: 3, sku_id: null }]);
    const flags = count(db, 'SELECT abnormal_flags FROM orders');
    expect(flags & abnormalBit('unmatched_sku')).not.toBe(0);
    expect(count(db, 'SELECT count(*) FROM ops')).toBe(3);
  });

  it('ignores an older version of an order than the stored one', () => {
    ingestOrders(db, batch([order(1, { platformUpdatedAt: T0 + 500_000, sellerMemo: 'new' })]), T0);
    const r = ingestOrders(db, batch([order(1, { platformUpdatedAt: T0 + 100_000, sellerMemo: 'old' })]), T0);
    expect(r.unchanged).toBe(1);
    expect(db.$client.prepare('SELECT seller_memo FROM orders').pluck().get()).toBe('new');
  });

  it('moves the local stage to shipped when the platform ships', () => {
    const [id] = ingestOrders(db, batch([order(1)]), T0).changedIds;
    ingestOrders(db, batch([order(1, { status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS', platformUpdatedAt: T0 + 9e6 })]), T0);
    expect(db.$client.prepare('SELECT stage, queue, shipped_at FROM orders WHERE id = ?').get(id)).toEqual({
      stage: 'shipped',
      queue: 'shipped',
      shipped_at: T0 + 9e6,
    });
    ingestOrders(db, batch([order(2, { status: 'completed' })]), T0);
    expect(db.$client.prepare("SELECT stage FROM orders WHERE platform_order_id = ?").pluck().get(order(2).platformOrderId)).toBe('shipped');
  });

  it('keeps a locally edited receiver across later pulls', () => {
    const [id] = ingestOrders(db, batch([order(1)]), T0).changedIds;
    db.$client
      .prepare("UPDATE orders SET receiver_name = '王芳', receiver_address = '新地址88号', receiver_edited_at = ? WHERE id = ?")
      .run(T0, id);
    ingestOrders(db, batch([order(1, { sellerFlag: 2, platformUpdatedAt: T0 + 9e6 })]), T0);
    expect(db.$client.prepare('SELECT receiver_name, receiver_address, seller_flag FROM orders').get()).toEqual({
      receiver_name: '王芳',
      receiver_address: '新地址88号',
      seller_flag: 2,
    });
    // The search document follows the kept receiver, not the platform's.
    expect(count(db, "SELECT count(*) FROM order_search WHERE order_search MATCH '\"新地址88\"'")).toBe(1);
    expect(count(db, "SELECT count(*) FROM order_search WHERE order_search MATCH '\"文三路\"'")).toBe(0);
  });

  it('keeps an order closed at this station closed across later pulls', () => {
    const [id] = ingestOrders(db, batch([order(1)]), T0).changedIds;
    db.$client.prepare("UPDATE orders SET status = 'closed', close_reason = '重复下单' WHERE id = ?").run(id);
    ingestOrders(db, batch([order(1, { sellerFlag: 3, platformUpdatedAt: T0 + 9e6 })]), T0);
    expect(db.$client.prepare('SELECT status, close_reason, queue, seller_flag FROM orders').get()).toEqual({
      status: 'closed',
      close_reason: '重复下单',
      queue: 'closed',
      seller_flag: 3,
    });
  });

  it('stores quarantined payloads and advances the cursor even when no order changed', () => {
    ingestOrders(db, batch([order(1)], { cursorMs: 100 }), T0);
    const r = ingestOrders(
      db,
      batch([order(1)], { cursorMs: 200, quarantined: [{ platformOrderId: 'X1', reason: 'items: too small', payload: { tid: 'X1' } }] }),
      T0,
    );
    expect(r).toMatchObject({ unchanged: 1, quarantined: 1 });
    expect(db.$client.prepare('SELECT shop_id, platform, platform_order_id, reason, payload FROM quarantine').get()).toEqual({
      shop_id: 'shop-a',
      platform: 'taobao',
      platform_order_id: 'X1',
      reason: 'items: too small',
      payload: '{"tid":"X1"}',
    });
    expect(count(db, 'SELECT cursor_ms FROM sync_cursors')).toBe(200);
    expect(count(db, 'SELECT count(*) FROM ops')).toBe(1);
  });

  it('rolls back rows and cursor together when the batch fails', () => {
    ingestOrders(db, batch([order(1)], { cursorMs: 100 }), T0);
    // Unknown shop violates the shops foreign key half-way through the batch.
    const bad: IngestBatch = { ...batch([order(2), order(3)], { cursorMs: 999 }), shopId: 'no-such-shop' };
    expect(() => ingestOrders(db, bad, T0)).toThrow();
    expect(count(db, 'SELECT count(*) FROM orders')).toBe(1);
    expect(count(db, 'SELECT cursor_ms FROM sync_cursors')).toBe(100);
    expect(count(db, "SELECT count(*) FROM order_search_cjk WHERE order_search_cjk MATCH '\"杭州\"'")).toBe(1);
  });

  it('keeps the same order number apart in different shops', () => {
    ingestOrders(db, batch([order(1)]), T0);
    const r = ingestOrders(db, { ...batch([order(1)]), shopId: 'shop-b', platform: 'pdd' }, T0);
    expect(r.inserted).toBe(1);
    expect(count(db, 'SELECT count(*) FROM orders')).toBe(2);
  });

  it('keeps order_counts equal to a GROUP BY over orders', () => {
    ingestOrders(db, batch([order(1), order(2, { status: 'unpaid', paidAt: null }), order(3, { buyerMessage: '快点' })]), T0);
    ingestOrders(db, batch([order(2, { platformUpdatedAt: T0 + 9e6 })]), T0);
    db.$client.prepare("UPDATE orders SET hold_reason = 'x' WHERE platform_order_id = ?").run(order(1).platformOrderId);
    db.$client.prepare('DELETE FROM orders WHERE platform_order_id = ?').run(order(3).platformOrderId);
    const fromTable = db.$client
      .prepare('SELECT shop_id, queue, abnormal_flags, n FROM order_counts WHERE n > 0 ORDER BY 1, 2, 3')
      .all();
    const fromOrders = db.$client
      .prepare('SELECT shop_id, queue, abnormal_flags, count(*) AS n FROM orders GROUP BY 1, 2, 3 ORDER BY 1, 2, 3')
      .all();
    expect(fromTable).toEqual(fromOrders);
    // Deleting an order takes its search documents with it.
    expect(count(db, "SELECT count(*) FROM order_search_cjk WHERE order_search_cjk MATCH '\"杭州\"'")).toBe(2);
  });
});
