// Marking printed: a package whose waybill label was delivered is printed, and its order moves to
// stage 'printed' once every open package of it is. The print service calls it after each delivery
// and at start; 验货 calls it after a scan-back confirmed a label.
import { runCommand, type CoreContext } from '../api/command.ts';

/**
 * Marks packages printed whose waybill job was delivered (sent or confirmed) and that are not marked
 * yet — packages.printed_at, state 'printed' — and moves their orders to stage 'printed' once every
 * open package of the order is printed. One command (audit per package and order). Idempotent: it
 * derives everything from the jobs, so the print queue calls it after each delivery and on start
 * (a crash between delivery and marking is healed then). packageIds narrows it; none = all.
 */
export function markDeliveredPrinted(ctx: CoreContext, packageIds?: readonly string[]): { packages: number; orders: number } {
  const client = ctx.db.$client;
  const scope = packageIds ? 'AND p.id IN (SELECT value FROM json_each(@ids))' : '';
  const due = client
    .prepare<{ ids: string }, { packageId: string; orderId: string; deliveredAt: number }>(
      `SELECT p.id AS packageId, p.order_id AS orderId, min(coalesce(j.sent_at, j.confirmed_at, j.created_at)) AS deliveredAt
       FROM packages p JOIN print_jobs j ON j.package_id = p.id AND j.doc_type = 'waybill'
            -- A print component's 'sent' only means it accepted the task; its printed is 'confirmed'.
            AND (j.state = 'confirmed' OR (j.state = 'sent' AND NOT EXISTS (SELECT 1 FROM printers pr WHERE pr.id = j.printer_id AND pr.uri LIKE 'component:%')))
       WHERE p.printed_at IS NULL AND p.state <> 'cancelled' ${scope}
       GROUP BY p.id`,
    )
    .all({ ids: JSON.stringify(packageIds ?? []) });
  if (due.length === 0) return { packages: 0, orders: 0 };
  return runCommand(ctx, 'print.markPrinted', { packageIds: due.map((d) => d.packageId) }, { tables: ['packages', 'orders'] }, (s) => {
    const setPackage = client.prepare(
      `UPDATE packages SET printed_at = ?, state = CASE WHEN state IN ('new', 'allocated') THEN 'printed' ELSE state END WHERE id = ? AND printed_at IS NULL`,
    );
    for (const d of due) {
      setPackage.run(d.deliveredAt, d.packageId);
      s.audit({ entity: 'package', entityId: d.packageId, field: 'printed_at', after: d.deliveredAt });
    }
    const allPrinted = client.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM packages WHERE order_id = ? AND state <> 'cancelled' AND printed_at IS NULL`);
    const setStage = client.prepare(`UPDATE orders SET stage = 'printed', local_updated_at = ? WHERE id = ? AND stage IN ('pending_review', 'awaiting_print')`);
    const stageOf = client.prepare<[string], { stage: string }>('SELECT stage FROM orders WHERE id = ?');
    let orders = 0;
    for (const orderId of new Set(due.map((d) => d.orderId))) {
      if ((allPrinted.get(orderId) as { n: number }).n > 0) continue;
      const before = stageOf.get(orderId)?.stage;
      if (setStage.run(s.at, orderId).changes === 1) {
        orders += 1;
        s.audit({ entity: 'order', entityId: orderId, field: 'stage', before, after: 'printed' });
      }
    }
    return { packages: due.length, orders };
  });
}
