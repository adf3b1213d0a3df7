// tracking.scorecard: how each carrier does per receiver province — transit time from shipment to
// signing (median and p90 hours) and the share of packages with a problem (rules.ts), for packages
// shipped in [from, to). Percentiles interpolate linearly between ranks (the "R-7" definition).
import type { ScorecardRow } from '../../shared/contract.ts';
import type { Db } from '../db/open.ts';
import { SHIPPED_PACKAGE_SELECT, type ShippedPackageRow } from './exceptions.ts';
import { HOUR_MS, problemOf } from './rules.ts';

/** The q-quantile (0..1) of sorted values, linear between closest ranks; null for none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const round1 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

export function carrierScorecard(db: Db, now: number, range: { from: number; to: number }): ScorecardRow[] {
  // [UNVERIFIED perf] packages has no index on shipped_at (schema change asked of the lead); this
  // scans shipped packages once per report, which is what a report over a date range costs anyway.
  const rows = db.$client
    .prepare<[number, number], ShippedPackageRow>(
      `${SHIPPED_PACKAGE_SELECT}
       WHERE p.state <> 'cancelled' AND COALESCE(p.shipped_at, o.shipped_at) >= ? AND COALESCE(p.shipped_at, o.shipped_at) < ?`,
    )
    .all(range.from, range.to);
  const groups = new Map<string, { carrierCode: string; province: string; shipped: number; hours: number[]; problems: number }>();
  for (const r of rows) {
    const key = `${r.carrierCode}\u0000${r.province}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { carrierCode: r.carrierCode, province: r.province, shipped: 0, hours: [], problems: 0 }));
    g.shipped++;
    const problem = problemOf(r, now);
    // A proxy signature is worth a look but is a delivery, not a carrier failure.
    if (problem && problem.reason !== 'signed_by_proxy' && problem.severity === 'exception') g.problems++;
    if (r.signedAt !== null && r.signedAt >= r.shippedAt && r.trackingState === 'signed') g.hours.push((r.signedAt - r.shippedAt) / HOUR_MS);
  }
  return [...groups.values()]
    .map((g) => {
      const sorted = g.hours.sort((a, b) => a - b);
      return {
        carrierCode: g.carrierCode,
        province: g.province,
        shipped: g.shipped,
        signed: sorted.length,
        medianHours: round1(quantile(sorted, 0.5)),
        p90Hours: round1(quantile(sorted, 0.9)),
        exceptionRate: g.shipped === 0 ? 0 : g.problems / g.shipped,
      };
    })
    .sort((a, b) => a.carrierCode.localeCompare(b.carrierCode) || b.shipped - a.shipped || a.province.localeCompare(b.province));
}
