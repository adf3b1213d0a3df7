// The one upsert path for platform data (docs/architecture.md#data-flow-rules, rule 3): a batch of adapter output
// becomes orders, items, payloads, search documents, quarantine rows, the shop's cursor and one ops
// row — all in one synchronous transaction, so a crash loses nothing and duplicates nothing.
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Platform, PlatformOrder, PlatformOrderItem } from '../../shared/model.ts';
import { redact } from '../../shared/redact.ts';
import { HybridClock } from '../api/hlc.ts';
import { stationId } from '../station/clock.ts';
import { writeTx, type ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { appendOp } from '../db/ops.ts';
import type { Columns, StoredOrder, StoredOrderItem } from '../db/rows.ts';
import { lineSkuMatcher } from '../stock/mapping-match.ts';
import { Settler, type KnownOrder } from '../stock/reserve.ts';
import { abnormalFlagsFor } from './abnormal.ts';
import { writeSearchDoc, type SearchSource } from './search.ts';
import { RECEIVER_COLUMNS, receiverFromRow, type ReceiverColumns } from './receiver-row.ts';

export interface IngestBatch {
  shopId: string;
  platform: Platform;
  orders: { order: PlatformOrder; raw: unknown }[];
  quarantined?: { platformOrderId: string | null; reason: string; payload: unknown }[];
  /** The shop's new cursor, stored in the same transaction as the rows it covers. */
  cursorMs?: number;
  /** The sync lease's fence this station pulled under (joined to a hub), recorded in the op for the hub to check. */
  leaseFence?: number;
}

export interface IngestResult {
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  /** Local ids (orders.id) of inserted and updated orders. */
  changedIds: string[];
}

/** Tables an ingest may write, for the db.changed event the caller emits after commit. */
export const INGEST_TABLES = ['orders', 'order_items', 'order_payloads', 'quarantine', 'sync_cursors', 'ops', 'stock_reservations', 'stock_movements', 'stock_dirty'] as const;

type ExistingOrder = ReceiverColumns &
  Pick<
    Columns<StoredOrder>,
    | 'seq'
    | 'id'
    | 'content_hash'
    | 'platform_updated_at'
    | 'stage'
    | 'shipped_at'
    | 'close_reason'
    | 'receiver_edited_at'
    | 'seller_memo'
    | 'seller_flag'
    | 'stock_state'
    | 'stock_short_reason'
  >;

type ItemRow = Pick<
  Columns<StoredOrderItem>,
  | 'platform_item_id'
  | 'platform_sku_id'
  | 'outer_sku_code'
  | 'title'
  | 'sku_name'
  | 'quantity'
  | 'unit_price_fen'
  | 'paid_fen'
  | 'is_gift'
  | 'is_bundle'
  | 'image_url'
>;

const ORDER_COLUMNS = `status, platform_status, after_sale, order_type, presale_deposit_fen, presale_balance_fen, buyer_nick,
  buyer_message, seller_memo, seller_flag, receiver_name, receiver_phone, receiver_province, receiver_city, receiver_district,
  receiver_town, receiver_address, receiver_cipher, goods_fen, shipping_fen, discount_fen, paid_fen, item_count, created_at,
  paid_at, platform_updated_at, shipped_at, local_updated_at, abnormal_flags, content_hash`;

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();

function prepare(client: Db['$client']) {
  const cols = ORDER_COLUMNS.split(',').map((c) => c.trim());
  return {
    find: client.prepare<[string, string], ExistingOrder>(
      `SELECT seq, id, content_hash, platform_updated_at, stage, shipped_at, close_reason, receiver_edited_at, seller_memo,
              seller_flag, stock_state, stock_short_reason, ${RECEIVER_COLUMNS}
         FROM orders WHERE shop_id = ? AND platform_order_id = ?`,
    ),
    // pushes_order_idx (order_id, kind, created_at): a memo edited here that has not reached the platform yet.
    memoPushOpen: client.prepare<[string], { one: number }>(
      `SELECT 1 AS one FROM pushes WHERE order_id = ? AND kind = 'memo' AND state IN ('pending', 'sending') LIMIT 1`,
    ),
    insert: client.prepare(
      `INSERT INTO orders (id, shop_id, platform, platform_order_id, stage, stock_state, stock_short_reason, ${ORDER_COLUMNS})
       VALUES (@id, @shop_id, @platform, @platform_order_id, @stage, @stock_state, @stock_short_reason, ${cols.map((c) => `@${c}`).join(', ')})`,
    ),
    update: client.prepare(`UPDATE orders SET stage = @stage, ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE seq = @seq`),
    items: client.prepare<[string], ItemRow>(
      `SELECT platform_item_id, platform_sku_id, outer_sku_code, title, sku_name, quantity, unit_price_fen, paid_fen, is_gift,
              is_bundle, image_url FROM order_items WHERE order_id = ? ORDER BY line_no`,
    ),
    deleteItems: client.prepare<[string]>('DELETE FROM order_items WHERE order_id = ?'),
    insertItem: client.prepare(
      `INSERT INTO order_items (order_id, line_no, platform_item_id, platform_sku_id, outer_sku_code, sku_id, title, sku_name,
                                quantity, unit_price_fen, paid_fen, is_gift, is_bundle, image_url)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    payload: client.prepare(
      `INSERT INTO order_payloads (order_id, payload, received_at) VALUES (?, ?, ?)
       ON CONFLICT(order_id) DO UPDATE SET payload = excluded.payload, received_at = excluded.received_at`,
    ),
    quarantine: client.prepare(
      `INSERT INTO quarantine (id, shop_id, platform, platform_order_id, reason, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    cursor: client.prepare(
      `INSERT INTO sync_cursors (shop_id, cursor_ms) VALUES (?, ?) ON CONFLICT(shop_id) DO UPDATE SET cursor_ms = excluded.cursor_ms`,
    ),
  };
}

/** Hash of the adapter output: equal hashes mean a re-pull has nothing new. */
export function contentHashOf(order: PlatformOrder): string {
  return hashJson(JSON.stringify(order));
}

const hashJson = (json: string): string => createHash('sha1').update(json).digest('base64');

const sameItems = (stored: ItemRow[], items: PlatformOrderItem[]): boolean =>
  stored.length === items.length &&
  stored.every((s, i) => {
    const n = items[i]!;
    return (
      s.platform_item_id === n.platformItemId &&
      s.platform_sku_id === n.platformSkuId &&
      s.outer_sku_code === n.outerSkuCode &&
      s.title === n.title &&
      s.sku_name === n.skuName &&
      s.quantity === n.quantity &&
      s.unit_price_fen === n.unitPriceFen &&
      s.paid_fen === n.paidFen &&
      s.is_gift === (n.isGift ? 1 : 0) &&
      s.is_bundle === (n.isBundle ? 1 : 0) &&
      s.image_url === n.imageUrl
    );
  });

/** A platform that reports the parcel gone has shipped it, whatever our stations last did. */
const platformShipped = (o: PlatformOrder): boolean => o.status === 'shipped' || o.status === 'completed';

/** clock: the station's (the sync engine passes it); without one, a clock on the station id just for this batch. */
export function ingestOrders(db: ReadDb, batch: IngestBatch, now: number, clock?: HybridClock): IngestResult {
  const client = db.$client;
  let st = statements.get(client);
  if (!st) {
    st = prepare(client);
    statements.set(client, st);
  }
  const s = st;
  const result: IngestResult = { inserted: 0, updated: 0, unchanged: 0, quarantined: 0, changedIds: [] };
  // The shop's 商品对应 first, then the outer code; memoised for the batch (ingest speed matters).
  const skuIdFor = lineSkuMatcher(db, batch.shopId, batch.platform);

  const writeItems = (orderId: string, items: PlatformOrderItem[], skuIdsOfLines: (string | null)[]) => {
    items.forEach((it, i) => {
      s.insertItem.run(
        orderId,
        i + 1,
        it.platformItemId,
        it.platformSkuId,
        it.outerSkuCode,
        skuIdsOfLines[i],
        it.title,
        it.skuName,
        it.quantity,
        it.unitPriceFen,
        it.paidFen,
        it.isGift ? 1 : 0,
        it.isBundle ? 1 : 0,
        it.imageUrl,
      );
    });
  };

  // FTS5 flushes its pending index to disk at every statement savepoint, and every write to orders
  // (triggers, constraints) opens one. So search documents are written after all row writes: one
  // flush per batch instead of one per order (measured: 4–5x faster ingest).
  const searchDocs: { seq: number; source: SearchSource; replace: boolean }[] = [];
  writeTx(db, (tx) => {
    const opId = uuidv7();
    // Stock follows the rows (a paid order holds its units, a platform shipment or cancel settles
    // them) in this transaction, with one batch's caches.
    const stock = new Settler(tx, now, { actor: 'sync', opId });
    // Units go first paid first within the batch: a page lists orders by update time, and a
    // later-paid order ahead in it must not take what an earlier-paid one wants (stable sort; unpaid last).
    const paidOrder = batch.orders.map((e, i) => ({ e, i, at: e.order.paidAt ?? Infinity })).sort((a, b) => a.at - b.at || a.i - b.i);
    for (const { order: o, raw } of paidOrder.map((p) => p.e)) {
      const json = JSON.stringify(o);
      const hash = hashJson(json);
      // Adapters often hand the parsed order itself as its raw payload: serialise it once.
      const rawJson = raw === o ? json : JSON.stringify(raw ?? null);
      const existing = s.find.get(batch.shopId, o.platformOrderId);
      // Pages can arrive out of order: an older version of an order never overwrites a newer one.
      if (existing && (existing.content_hash === hash || existing.platform_updated_at > o.platformUpdatedAt)) {
        result.unchanged++;
        continue;
      }
      const lineSkuIds = o.items.map(skuIdFor);
      // A receiver edited at this station survives later pulls of the same order.
      const receiver =
        existing && existing.receiver_edited_at !== null
          ? { ...receiverFromRow(existing), cipher: o.receiver.cipher }
          : o.receiver;
      const abnormalFlags = abnormalFlagsFor({
        receiver,
        buyerMessage: o.buyerMessage,
        afterSale: o.afterSale,
        items: o.items.map((it, i) => ({ skuId: lineSkuIds[i] ?? null, isGift: it.isGift })),
      });
      const shipped = platformShipped(o);
      const row = {
        status: o.status,
        platform_status: o.platformStatus,
        after_sale: o.afterSale,
        order_type: o.orderType,
        presale_deposit_fen: o.presaleDepositFen,
        presale_balance_fen: o.presaleBalanceFen,
        buyer_nick: o.buyerNick,
        buyer_message: o.buyerMessage,
        seller_memo: o.sellerMemo,
        seller_flag: o.sellerFlag,
        receiver_name: receiver.name,
        receiver_phone: receiver.phone,
        receiver_province: receiver.province,
        receiver_city: receiver.city,
        receiver_district: receiver.district,
        receiver_town: receiver.town,
        receiver_address: receiver.address,
        receiver_cipher: receiver.cipher,
        goods_fen: o.goodsFen,
        shipping_fen: o.shippingFen,
        discount_fen: o.discountFen,
        paid_fen: o.paidFen,
        item_count: o.items.reduce((n, it) => n + it.quantity, 0),
        created_at: o.createdAt,
        paid_at: o.paidAt,
        platform_updated_at: o.platformUpdatedAt,
        local_updated_at: now,
        abnormal_flags: abnormalFlags,
        content_hash: hash,
      };
      const search = { platformOrderId: o.platformOrderId, buyerNick: o.buyerNick, receiver, items: o.items };

      if (!existing) {
        const id = uuidv7();
        const stage = shipped ? 'shipped' : 'pending_review';
        // Decided before the row is written, so the new row carries its stock state; its held rows
        // are queued and written once the row exists (no Settler call comes between the two).
        const plan = stock.planNew(
          { id, platform: batch.platform, platformOrderId: o.platformOrderId, status: o.status, stage, afterSale: o.afterSale, province: receiver.province },
          o.items.map((it, i) => ({ lineNo: i + 1, skuId: lineSkuIds[i] ?? null, quantity: it.quantity })),
        );
        const info = s.insert.run({
          ...row,
          id,
          shop_id: batch.shopId,
          platform: batch.platform,
          platform_order_id: o.platformOrderId,
          stage,
          stock_state: plan.state,
          stock_short_reason: plan.reason,
          shipped_at: shipped ? o.platformUpdatedAt : null,
        });
        writeItems(id, o.items, lineSkuIds);
        s.payload.run(id, rawJson, now);
        searchDocs.push({ seq: Number(info.lastInsertRowid), source: search, replace: false });
        result.inserted++;
        result.changedIds.push(id);
      } else {
        // Local fields (stage, hold, read, tags, notes, close reason) stay; only a platform
        // shipment moves the local stage, so the packing queue never offers a gone parcel — and
        // nothing moves it back: an order shipped here keeps stage, time, carrier and waybill
        // (not in ORDER_COLUMNS) while the platform still says "awaiting shipment" before our push lands.
        // A memo/flag edited here whose push has not landed yet is newer than the platform's copy:
        // keep it. Once the push settles, the platform's value is the truth again (and after a
        // confirmed push it is ours).
        const keepMemo = s.memoPushOpen.get(existing.id) !== undefined;
        s.update.run({
          ...row,
          ...(keepMemo ? { seller_memo: existing.seller_memo, seller_flag: existing.seller_flag } : {}),
          // An order closed at this station (duplicate, fraud, ...) stays closed whatever the platform says.
          status: existing.close_reason !== null ? 'closed' : row.status,
          seq: existing.seq,
          stage: shipped ? 'shipped' : existing.stage,
          shipped_at: existing.shipped_at ?? (shipped ? o.platformUpdatedAt : null),
        });
        if (!sameItems(s.items.all(existing.id), o.items)) {
          s.deleteItems.run(existing.id);
          writeItems(existing.id, o.items, lineSkuIds);
        }
        // Settled here rather than after the loop, so it takes its turn in paid-time order with the new ones.
        const known: KnownOrder = {
          id: existing.id,
          platform: batch.platform,
          platformOrderId: o.platformOrderId,
          status: existing.close_reason !== null ? 'closed' : row.status,
          stage: shipped ? 'shipped' : existing.stage,
          afterSale: o.afterSale,
          province: receiver.province,
          stockState: existing.stock_state,
          stockShortReason: existing.stock_short_reason,
          lines: o.items.map((it, i) => ({ lineNo: i + 1, skuId: lineSkuIds[i] ?? null, quantity: it.quantity })),
        };
        // An order listed twice in one batch settles its second version here too: the Settler writes
        // the first one's queued held rows before it reads them.
        stock.settleKnown([known]);
        s.payload.run(existing.id, rawJson, now);
        searchDocs.push({ seq: existing.seq, source: search, replace: true });
        result.updated++;
        result.changedIds.push(existing.id);
      }
    }

    // Orders already here settled from what was just written, in the loop; the new orders' held rows
    // are written a few thousand to a statement (measured: a third of the cost of one by one), at
    // the latest in finish; all before the search documents, as settling writes to orders.
    stock.finish();
    for (const d of searchDocs) writeSearchDoc(tx, d.seq, d.source, d.replace);
    for (const q of batch.quarantined ?? []) {
      s.quarantine.run(uuidv7(), batch.shopId, batch.platform, q.platformOrderId, redact(q.reason), JSON.stringify(q.payload ?? null), now);
      result.quarantined++;
    }
    if (batch.cursorMs !== undefined) s.cursor.run(batch.shopId, batch.cursorMs);
    // Under a sync lease (a joined station) a window that only moved the cursor is an op too: the
    // cursor must reach the hub, so a station taking the shop over continues from it, fenced like
    // the rows.
    if (result.inserted + result.updated > 0 || (batch.leaseFence !== undefined && batch.cursorMs !== undefined)) {
      appendOp(tx, {
        id: opId,
        at: now,
        clock: clock ?? new HybridClock(stationId(tx), () => now),
        actor: 'sync',
        name: 'sync.ingest',
        args: {
          shopId: batch.shopId,
          inserted: result.inserted,
          updated: result.updated,
          cursorMs: batch.cursorMs ?? null,
          ...(batch.leaseFence === undefined ? {} : { leaseFence: batch.leaseFence }),
        },
      });
    }
  });
  return result;
}
