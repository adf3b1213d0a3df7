// Parcel tracking: trace timelines, carrier CSV imports, exceptions and the carrier scorecard.
// Handlers: electron/core/tracking/api.ts.
import { z } from 'zod';
import { ALL_ROLES, ANALYSTS, DESK } from '../roles.ts';
import { lineText } from '../text-guard.ts';
import { epochMs, id, reason } from './common.ts';
import { type MethodDecl, out } from './define.ts';

/** Where a package's trace stands (packages.tracking_state). */
export const TRACKING_STATES = ['none', 'collected', 'in_transit', 'delivering', 'signed', 'returned', 'exception'] as const;
export type TrackingState = (typeof TRACKING_STATES)[number];

/** One trace event of a package. */
export interface TraceEventView {
  at: number;
  status: Exclude<TrackingState, 'none'>;
  description: string;
  location: string | null;
  source: 'platform' | 'csv';
}

/** One package with its trace timeline (newest first). */
export interface PackageTraceView {
  packageId: string;
  orderId: string;
  seq: number;
  carrierCode: string;
  waybillNo: string | null;
  shippedAt: number | null;
  trackingState: TrackingState;
  lastTraceAt: number | null;
  signedAt: number | null;
  events: TraceEventView[];
}

/** Why a row of a trace import is bad; the import dialog words each (src/i18n/tracking.*.ts, traceImportProblem). */
export const TRACE_IMPORT_PROBLEMS = ['missing_waybill', 'no_package', 'ambiguous_waybill', 'bad_time', 'bad_status'] as const;
export type TraceImportProblem = (typeof TRACE_IMPORT_PROBLEMS)[number];

/** One bad CSV row (1-based line number in the file, the header is line 1). */
export interface TraceImportLineError {
  line: number;
  waybillNo: string | null;
  problem: TraceImportProblem;
  /** The cell that could not be read (bad_time: the time, bad_status: the status), cut to 64 characters. */
  value?: string;
  /** An English sentence for logs and the CLI; the dialog words `problem`. */
  message: string;
}

export interface TraceImportResult {
  /** Rows read (not counting the header). */
  rows: number;
  /** New trace events written. */
  imported: number;
  /** Rows that were already recorded (same package, time and description). */
  duplicates: number;
  /** Packages whose tracking state was recomputed. */
  packages: number;
  /** The first 100 bad rows by line; errorCount counts them all. */
  errors: TraceImportLineError[];
  errorCount: number;
  /** False when there were bad rows and skipBad was off: nothing was written. */
  committed: boolean;
}

export const TRACKING_EXCEPTION_REASONS = ['stale_warning', 'stale_exception', 'returned', 'carrier_exception', 'signed_before_shipped', 'signed_by_proxy'] as const;
export type TrackingExceptionReason = (typeof TRACKING_EXCEPTION_REASONS)[number];

export interface TrackingExceptionView {
  packageId: string;
  orderId: string;
  platformOrderId: string;
  shopName: string;
  carrierCode: string;
  waybillNo: string | null;
  reason: TrackingExceptionReason;
  /** warning: look soon; exception: act now. */
  severity: 'warning' | 'exception';
  /** Since when the problem stands (last trace or shipment for stale ones, the event otherwise), epoch ms. */
  since: number;
  /** now − since, ms. */
  ageMs: number;
  trackingState: TrackingState;
  lastDescription: string | null;
}

export interface TrackingExceptions {
  rows: TrackingExceptionView[];
  /** For the header badge: every package with an exception-severity problem (not capped by limit). */
  alertCount: number;
  warningCount: number;
}

export interface ScorecardRow {
  carrierCode: string;
  province: string;
  /** Packages shipped in the window. */
  shipped: number;
  /** Of those, signed for (they give the transit times). */
  signed: number;
  medianHours: number | null;
  p90Hours: number | null;
  /** Packages in the window with an exception (returned, carrier exception, stale ≥ 48 h, odd signing) ÷ shipped. */
  exceptionRate: number;
}

export const trackingMethods = {
  /** One package's trace timeline, or every package of one order (newest event first per package). */
  'tracking.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['tracking_events', 'packages'],
    input: z.union([z.object({ packageId: id }).strict(), z.object({ orderId: id }).strict()]),
    output: out<PackageTraceView[]>(),
  },
  /** Import trace events from a carrier CSV (waybill no., time, status text, description, location). */
  'tracking.import': {
    kind: 'command',
    roles: DESK,
    input: z
      .object({
        fileName: lineText(z.string().trim().min(1).max(255)),
        base64: z.string().min(1).max(70_000_000),
        /** Import the good rows and report the bad ones; false = nothing is imported while any row is bad. */
        skipBad: z.boolean().default(false),
      })
      .strict(),
    output: out<TraceImportResult>(),
  },
  /** Shipped packages whose trace looks wrong (stale, returned, odd signing), oldest problem first. */
  'tracking.exceptions': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['tracking_events', 'packages', 'orders'],
    input: z.object({ limit: z.number().int().min(1).max(5000).default(500) }).strict().default({ limit: 500 }),
    output: out<TrackingExceptions>(),
  },
  /** Transit time (shipped → signed) by carrier and receiver province, for packages shipped in [from, to). */
  'tracking.scorecard': {
    kind: 'query',
    roles: ANALYSTS,
    reads: ['tracking_events', 'packages'],
    input: z.object({ from: epochMs, to: epochMs }).strict(),
    output: out<ScorecardRow[]>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type TrackingMethod = keyof typeof trackingMethods;
