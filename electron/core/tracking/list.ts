// tracking.list: one package's trace timeline, or those of every package of an order (newest event
// first), for the timeline drawer on the 物流 page and the order detail.
import type { PackageTraceView, TraceEventView } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import type { Db } from '../db/open.ts';

type PackageRow = Omit<PackageTraceView, 'events'>;

export function listTraces(db: Db, input: { packageId: string } | { orderId: string }): PackageTraceView[] {
  const c = db.$client;
  const cols = `p.id AS packageId, p.order_id AS orderId, p.seq, p.carrier_code AS carrierCode, p.waybill_no AS waybillNo,
                COALESCE(p.shipped_at, o.shipped_at) AS shippedAt, p.tracking_state AS trackingState,
                p.last_trace_at AS lastTraceAt, p.signed_at AS signedAt
           FROM packages p JOIN orders o ON o.id = p.order_id`;
  const packages =
    'packageId' in input
      ? c.prepare<[string], PackageRow>(`SELECT ${cols} WHERE p.id = ?`).all(input.packageId)
      : // packages_order_seq_uq (order_id, seq) serves this.
        c.prepare<[string], PackageRow>(`SELECT ${cols} WHERE p.order_id = ? ORDER BY p.seq`).all(input.orderId);
  if (packages.length === 0 && 'packageId' in input) throw reasonError('package.not_found', { packageId: input.packageId }, `No package ${input.packageId}`);
  const events = c.prepare<[string], TraceEventView>(
    'SELECT at, status, description, location, source FROM tracking_events WHERE package_id = ? ORDER BY at DESC, rowid DESC',
  );
  return packages.map((p) => ({ ...p, events: events.all(p.packageId) }));
}
