// The exception rules for one shipped package, as a pure function of its summary and the clock, so
// the list (exceptions.ts), the header's alert count and the scorecard's exception rate agree.
//   stale_warning    no trace update for 24 h after shipping or the last event (not signed/returned)
//   stale_exception  the same for 48 h
//   returned         the carrier reports the parcel returned (退回/拒收)
//   carrier_exception the carrier reports a problem (异常/问题件) as the latest event
//   signed_before_shipped  the signing is dated before the shipment (a wrong waybill, or a reused one)
//   signed_by_proxy  signed by a locker, station or neighbour (代收/驿站/快递柜, status-words.ts)
import type { TrackingExceptionReason, TrackingState } from '../../shared/contract.ts';
import { PROXY_SIGN_WORDS } from './status-words.ts';

export const HOUR_MS = 3_600_000;
export const STALE_WARNING_MS = 24 * HOUR_MS;
export const STALE_EXCEPTION_MS = 48 * HOUR_MS;

export interface PackageTraceSummary {
  shippedAt: number;
  trackingState: TrackingState;
  lastTraceAt: number | null;
  signedAt: number | null;
  /** The description of the first signing event, when signed. */
  signDescription: string | null;
}

export interface Problem {
  reason: TrackingExceptionReason;
  severity: 'warning' | 'exception';
  since: number;
}

/** The package's one most pressing problem, or null when its trace looks normal. */
export function problemOf(p: PackageTraceSummary, now: number): Problem | null {
  if (p.trackingState === 'returned') return { reason: 'returned', severity: 'exception', since: p.lastTraceAt ?? p.shippedAt };
  if (p.trackingState === 'exception') return { reason: 'carrier_exception', severity: 'exception', since: p.lastTraceAt ?? p.shippedAt };
  if (p.trackingState === 'signed') {
    const signedAt = p.signedAt ?? p.lastTraceAt ?? p.shippedAt;
    if (signedAt < p.shippedAt) return { reason: 'signed_before_shipped', severity: 'exception', since: signedAt };
    if (p.signDescription !== null && PROXY_SIGN_WORDS.test(p.signDescription)) return { reason: 'signed_by_proxy', severity: 'warning', since: signedAt };
    return null;
  }
  // Not yet signed: how long since anything happened (the shipment itself counts as the first event).
  const last = Math.max(p.shippedAt, p.lastTraceAt ?? 0);
  const quiet = now - last;
  if (quiet >= STALE_EXCEPTION_MS) return { reason: 'stale_exception', severity: 'exception', since: last };
  if (quiet >= STALE_WARNING_MS) return { reason: 'stale_warning', severity: 'warning', since: last };
  return null;
}
