// orders.ship: mark orders shipped with a carrier and waybill here, and queue each one's online
// send (在线发货) in the pushes outbox — one command, one transaction, one ops row for the batch.
import type { ApiParsedInput, BatchResult } from '../../shared/contract.ts';
import type { CarrierCode } from '../../shared/carriers.ts';
import { isOpenAfterSale } from '../../shared/model.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import { readStationSettings } from '../station/settings.ts';
import { OfflineQuotas } from '../stock/quotas.ts';
import { settleOrders } from '../stock/reserve.ts';

/**
 * Why orders.ship skipped an order: the codes orders commands already use (SKIP_REASONS in
 * commands.ts, translated by the UI) plus shipped_other_waybill, which is ship's own.
 */
export const SHIP_SKIP_REASONS = {
  not_found: 'No order with this id exists at this station.',
  unchanged: 'The order was already shipped here with this carrier and waybill.',
  shipped_other_waybill: 'The order was already shipped here with another waybill.',
  shipped: 'The platform already shows the order shipped.',
  completed: 'The order is already completed.',
  closed: 'The order is closed.',
  unpaid: 'The order is not paid yet.',
  held: 'The order is on hold; release it first.',
  after_sale: 'The order has an open refund or after-sale request.',
  not_verified: 'This station requires scan verification before shipping, and a package of this order is not verified.',
  offline_quota: 'This station cannot reach its hub and has shipped or holds its offline quota of a SKU of this order (docs/team-hub.md#stock-quotas).',
} as const;
export type ShipSkipReason = keyof typeof SHIP_SKIP_REASONS;

interface ShipState {
  id: string;
  shopId: string;
  status: string;
  stage: string;
  afterSale: string;
  holdReason: string | null;
  carrierCode: string | null;
  waybillNo: string | null;
}

type ShipItem = ApiParsedInput<'orders.ship'>['items'][number];

/** Whether the order may be shipped now with this waybill, or why not. */
export function shipBlocker(o: ShipState, item: Pick<ShipItem, 'carrierCode' | 'waybillNo'>): ShipSkipReason | null {
  if (o.status === 'closed') return 'closed';
  if (o.status === 'completed') return 'completed';
  if (o.stage === 'shipped' || o.status === 'shipped') {
    // Asking twice with the same waybill (a double click, a retried request) is not an error.
    if (o.waybillNo === item.waybillNo && o.carrierCode === item.carrierCode) return 'unchanged';
    return o.waybillNo !== null ? 'shipped_other_waybill' : 'shipped';
  }
  if (o.status === 'unpaid') return 'unpaid';
  if (o.holdReason !== null) return 'held';
  // A refund requested after printing is exactly the parcel that must not leave (拦截).
  if (isOpenAfterSale(o.afterSale)) return 'after_sale';
  return null;
}

export function shipOrders(ctx: CoreContext, input: ApiParsedInput<'orders.ship'>): BatchResult {
  const client = ctx.db.$client;
  // One lookup per item (≤ 2000 by the contract) reads state this batch itself may have changed,
  // so the same order listed twice ships once and reports the second as unchanged or conflicting.
  const select = client.prepare<[string], ShipState>(
    `SELECT id, shop_id AS shopId, status, stage, after_sale AS afterSale, hold_reason AS holdReason,
            carrier_code AS carrierCode, waybill_no AS waybillNo FROM orders WHERE id = ?`,
  );
  const update = client.prepare(
    `UPDATE orders SET stage = 'shipped', shipped_at = ?, carrier_code = ?, waybill_no = ?, local_updated_at = ? WHERE id = ?`,
  );
  // Mandatory verification (station settings): every package of the order that is not cancelled
  // must be scan-verified, and an order without packages has nothing verified (packing/verify.ts).
  const mustVerify = readStationSettings(ctx.db).verificationRequired;
  const verification = client.prepare<[string], { total: number; verified: number }>(
    `SELECT count(*) AS total, count(verified_at) AS verified FROM packages WHERE order_id = ? AND state <> 'cancelled'`,
  );
  const unverified = (orderId: string): boolean => {
    const v = verification.get(orderId) as { total: number; verified: number };
    return v.total === 0 || v.verified < v.total;
  };
  const shipped: { id: string; carrierCode: CarrierCode; waybillNo: string }[] = [];
  // The op records what was actually shipped (runCommand serialises args at the end of the transaction).
  const args = { items: shipped };
  return runCommand(ctx, 'orders.ship', args, { tables: ['orders', 'stock_reservations', 'stock_movements', 'stock_dirty'] }, (scope) => {
    const skipped: BatchResult['skipped'] = [];
    // Offline with stock quotas, units held while the hub was reachable may leave only within them.
    let quotas: OfflineQuotas | null | undefined;
    const overQuota = (orderId: string): boolean => {
      quotas ??= OfflineQuotas.of(scope.tx);
      return quotas !== null && !quotas.mayShip(scope.tx, orderId);
    };
    for (const item of input.items) {
      const order = select.get(item.id);
      const blocker = order ? (shipBlocker(order, item) ?? (mustVerify && unverified(order.id) ? 'not_verified' : null)) : 'not_found';
      const reason = blocker ?? (order && overQuota(order.id) ? 'offline_quota' : null);
      if (reason || !order) {
        skipped.push({ id: item.id, reason: reason ?? 'not_found' });
        continue;
      }
      update.run(scope.at, item.carrierCode, item.waybillNo, scope.at, order.id);
      scope.audit({ entity: 'order', entityId: order.id, field: 'stage', before: order.stage, after: 'shipped' });
      scope.audit({ entity: 'order', entityId: order.id, field: 'waybill', before: null, after: `${item.carrierCode} ${item.waybillNo}` });
      scope.pushToPlatform({ orderId: order.id, shopId: order.shopId, request: { kind: 'ship', carrierCode: item.carrierCode, waybillNo: item.waybillNo } });
      shipped.push({ id: order.id, carrierCode: item.carrierCode, waybillNo: item.waybillNo });
    }
    // Held units leave as ship movements of this op.
    settleOrders(scope.tx, shipped.map((s) => s.id), scope.at, { actor: ctx.actor.name, opId: scope.opId });
    return { changed: shipped.length, skipped };
  });
}
