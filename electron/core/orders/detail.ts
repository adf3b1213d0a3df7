// The order detail drawer (orders.get): the table row plus lines, notes, change requests and the
// timeline of who changed what (audit_log, newest first).
import type { ChangeRequestView, NoteView, OrderDetail, OrderItemView, TimelineEntry } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import type { Db } from '../db/open.ts';
import type { StoredOrder, StoredOrderItem } from '../db/rows.ts';
import { listChangeRequests } from './change-requests.ts';
import { ordersByIds } from './query.ts';

/** The timeline shows this many newest entries; older history stays in audit_log. */
export const TIMELINE_CAP = 500;

type ExtraRow = Pick<StoredOrder, 'presaleDepositFen' | 'presaleBalanceFen' | 'discountFen' | 'receiverTown' | 'shippedAt'> & {
  /** receiver_cipher IS NOT NULL */
  receiverEncrypted: number;
};

type ItemRow = Pick<
  StoredOrderItem,
  'lineNo' | 'platformItemId' | 'platformSkuId' | 'outerSkuCode' | 'skuId' | 'title' | 'skuName' | 'quantity' | 'unitPriceFen' | 'paidFen' | 'isGift' | 'isBundle'
>;

export function getOrderDetail(db: Db, id: string): OrderDetail {
  const row = ordersByIds(db, [id])[0];
  if (!row) throw reasonError('order.not_found', { id }, `No order with id ${id}`);
  const client = db.$client;
  const extra = client
    .prepare(
      `SELECT presale_deposit_fen AS presaleDepositFen, presale_balance_fen AS presaleBalanceFen, discount_fen AS discountFen,
              receiver_town AS receiverTown, shipped_at AS shippedAt, receiver_cipher IS NOT NULL AS receiverEncrypted
         FROM orders WHERE id = ?`,
    )
    .get(id) as ExtraRow;
  const items = (
    client
      .prepare(
        `SELECT line_no AS lineNo, platform_item_id AS platformItemId, platform_sku_id AS platformSkuId, outer_sku_code AS outerSkuCode,
                sku_id AS skuId, title, sku_name AS skuName, quantity, unit_price_fen AS unitPriceFen, paid_fen AS paidFen,
                is_gift AS isGift, is_bundle AS isBundle
           FROM order_items WHERE order_id = ? ORDER BY line_no`,
      )
      .all(id) as ItemRow[]
  ).map((i): OrderItemView => ({ ...i, isGift: i.isGift === 1, isBundle: i.isBundle === 1 }));
  const notes = client
    .prepare('SELECT id, author, body, created_at AS createdAt FROM order_notes WHERE order_id = ? ORDER BY created_at DESC, id DESC')
    .all(id) as NoteView[];
  // uuidv7 ids sort by creation, so they break ties between entries written in the same millisecond.
  const timeline = client
    .prepare(
      `SELECT id, at, actor, command, field, before, after, reason FROM audit_log
        WHERE entity_id = ? ORDER BY at DESC, id DESC LIMIT ${TIMELINE_CAP}`,
    )
    .all(id) as TimelineEntry[];
  const changeRequests: ChangeRequestView[] = listChangeRequests(db, { orderId: id });
  return { ...row, ...extra, receiverEncrypted: extra.receiverEncrypted === 1, items, notes, timeline, changeRequests };
}
