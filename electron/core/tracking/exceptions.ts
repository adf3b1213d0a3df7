// tracking.exceptions: shipped packages whose trace looks wrong (rules.ts), oldest problem first,
// with the header's alert count. Only packages shipped in the last LOOKBACK_MS are examined: an old
// problem is the after-sale desk's by then, and the window keeps the query bounded.
import type { TrackingExceptions, TrackingExceptionView, TrackingState } from '../../shared/contract.ts';
import type { Db } from '../db/open.ts';
import { problemOf, STALE_WARNING_MS } from './rules.ts';

export const LOOKBACK_MS = 30 * 86_400_000;

export interface ShippedPackageRow extends Pick<TrackingExceptionView, 'packageId' | 'orderId' | 'platformOrderId' | 'shopName' | 'carrierCode' | 'waybillNo'> {
  province: string;
  trackingState: TrackingState;
  shippedAt: number;
  lastTraceAt: number | null;
  signedAt: number | null;
  lastDescription: string | null;
  signDescription: string | null;
}

/**
 * The columns every tracking report reads. The shipment time is the package's own, or the order's
 * when the order was shipped without the package being stamped (orders.ship marks orders).
 * tracking_events_package_idx serves both description subqueries.
 */
export const SHIPPED_PACKAGE_SELECT = `
  SELECT p.id AS packageId, p.order_id AS orderId, o.platform_order_id AS platformOrderId, s.name AS shopName,
         p.carrier_code AS carrierCode, p.waybill_no AS waybillNo, o.receiver_province AS province,
         p.tracking_state AS trackingState, COALESCE(p.shipped_at, o.shipped_at) AS shippedAt,
         p.last_trace_at AS lastTraceAt, p.signed_at AS signedAt,
         (SELECT e.description FROM tracking_events e WHERE e.package_id = p.id ORDER BY e.at DESC LIMIT 1) AS lastDescription,
         CASE WHEN p.tracking_state = 'signed' THEN
           (SELECT e.description FROM tracking_events e WHERE e.package_id = p.id AND e.status = 'signed' ORDER BY e.at LIMIT 1)
         END AS signDescription
    FROM packages p JOIN orders o ON o.id = p.order_id JOIN shops s ON s.id = o.shop_id`;

/** Packages that may have a problem now: quiet for 24 h and unsigned, or ended oddly (returned, exception, signed). */
function candidates(db: Db, now: number, shops: string | null): ShippedPackageRow[] {
  const since = now - LOOKBACK_MS;
  // packages_tracking_idx (tracking_state, last_trace_at) serves each arm of the OR.
  return db.$client
    .prepare<[number, number, number, string | null, string | null], ShippedPackageRow>(
      `${SHIPPED_PACKAGE_SELECT}
       WHERE p.state <> 'cancelled'
         AND ((p.tracking_state IN ('none', 'collected', 'in_transit', 'delivering') AND COALESCE(p.last_trace_at, 0) <= ?)
              OR (p.tracking_state IN ('returned', 'exception', 'signed') AND p.last_trace_at >= ?))
         AND COALESCE(p.shipped_at, o.shipped_at) >= ?
         AND (? IS NULL OR o.shop_id IN (SELECT value FROM json_each(?)))`,
    )
    .all(now - STALE_WARNING_MS, since, since, shops, shops);
}

/** `shops`: a scoped person's shops as JSON (scope.ts shopsJson), null for every shop; the badge counts theirs only. */
export function listTrackingExceptions(db: Db, now: number, opts: { limit: number }, shops: string | null = null): TrackingExceptions {
  const rows: TrackingExceptionView[] = [];
  let alertCount = 0;
  let warningCount = 0;
  for (const r of candidates(db, now, shops)) {
    const problem = problemOf(r, now);
    if (!problem) continue;
    if (problem.severity === 'exception') alertCount++;
    else warningCount++;
    rows.push({
      packageId: r.packageId,
      orderId: r.orderId,
      platformOrderId: r.platformOrderId,
      shopName: r.shopName,
      carrierCode: r.carrierCode,
      waybillNo: r.waybillNo,
      reason: problem.reason,
      severity: problem.severity,
      since: problem.since,
      ageMs: Math.max(0, now - problem.since),
      trackingState: r.trackingState,
      lastDescription: r.lastDescription,
    });
  }
  // Exceptions before warnings, then the oldest problem first: what to chase today is at the top.
  rows.sort((a, b) => (a.severity === b.severity ? a.since - b.since : a.severity === 'exception' ? -1 : 1));
  return { rows: rows.slice(0, opts.limit), alertCount, warningCount };
}
