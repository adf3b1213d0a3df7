// Scan verification (验货) at the packing station. Handlers: electron/core/packing/api.ts.
import { z } from 'zod';
import type { FulfilmentStage, OrderStatus, Platform } from '../model.ts';
import { SHIPPERS } from '../roles.ts';
import { id, reason } from './common.ts';
import { type MethodDecl, out } from './define.ts';

/** Why a scanned parcel must not leave (拦截). */
export const INTERCEPT_REASONS = ['refund_requested', 'refund_in_progress', 'refunded', 'closed', 'held', 'package_cancelled'] as const;
export type InterceptReason = (typeof INTERCEPT_REASONS)[number];

export interface PackingIntercept {
  reason: InterceptReason;
  /** The hold or close reason as someone wrote it, when there is one. */
  detail: string | null;
  /** The label was printed before this was found: a parcel exists and must be pulled from the line. */
  afterPrint: boolean;
}

/** One order line at the packing station: what to put in, how many, and the codes that match it. */
export interface PackingLine {
  lineNo: number;
  title: string;
  skuName: string | null;
  /** The line's outer SKU code (商家编码) as the platform sent it. */
  outerSkuCode: string | null;
  /** The matched local SKU's barcode, when it has one. */
  barcode: string | null;
  /** The matched local SKU's location (储位). */
  location: string | null;
  imageUrl: string | null;
  isGift: boolean;
  isBundle: boolean;
  expected: number;
  scanned: number;
}

export interface PackingPackage {
  packageId: string;
  orderId: string;
  platformOrderId: string;
  shopName: string;
  platform: Platform;
  seq: number;
  /** The order's packages that are not cancelled. */
  packageCount: number;
  carrierCode: string;
  waybillNo: string | null;
  printedAt: number | null;
  verifiedAt: number | null;
  verifiedBy: string | null;
  orderStatus: OrderStatus;
  stage: FulfilmentStage;
  /** When the order was shipped (here or on the platform), else null. */
  shippedAt: number | null;
  buyerMessage: string | null;
  sellerMemo: string | null;
  receiverName: string;
  receiverProvince: string;
  receiverCity: string;
}

/** A package's scan session: its lines with counts so far, and whether it must be intercepted. */
export interface PackingScan {
  package: PackingPackage;
  lines: PackingLine[];
  intercept: PackingIntercept | null;
  /** Every line has its expected count scanned (or the package was verified before). */
  complete: boolean;
}

export type PackingScanWaybillResult =
  | { kind: 'package'; scan: PackingScan }
  /** No package has this waybill number and no order this platform number. */
  | { kind: 'not_found'; code: string }
  /** The order exists but has no package yet (no waybill allocated, nothing printed). */
  | { kind: 'no_package'; code: string; orderId: string; platformOrderId: string };

/** Why a scanned item was refused: not in this order, more than ordered, a code nobody knows, or the package cannot take scans. */
export const SCAN_REFUSALS = ['wrong_item', 'extra', 'unknown_code', 'intercepted', 'already_verified'] as const;
export type ScanRefusal = (typeof SCAN_REFUSALS)[number];

export type PackingScanItemResult =
  | { outcome: 'matched'; code: string; lineNo: number; scan: PackingScan }
  | {
      outcome: 'refused';
      reason: ScanRefusal;
      code: string;
      /** extra: the line that is already complete. */
      lineNo: number | null;
      /** wrong_item: the product the code belongs to (from the SKU list or another order's line). */
      itemTitle: string | null;
      scan: PackingScan;
    };

export type PackingCompleteResult =
  | {
      outcome: 'verified';
      verifiedAt: number;
      verifiedBy: string;
      /** It was verified before this call (a repeated complete changes nothing but may still ship). */
      alreadyVerified: boolean;
      /** The station ships on scan and orders.ship shipped the order now. */
      shipped: boolean;
      /** Ships on scan but orders.ship skipped it: its skip code (SHIP_SKIP_REASONS, or no_waybill). */
      shipSkipped: string | null;
      scan: PackingScan;
    }
  | { outcome: 'refused'; reason: 'incomplete' | 'intercepted'; scan: PackingScan };

export const packingMethods = {
  /**
   * Scan verification (验货): a waybill number (or platform order number) scanned at the packing
   * station → the package, its order's lines with expected/scanned counts and codes, and an
   * intercept verdict (拦截: refund, closed, held). Starts (or resumes) the package's scan session.
   */
  'packing.scanWaybill': {
    kind: 'query',
    roles: SHIPPERS,
    reads: ['packages', 'orders', 'order_items', 'skus'],
    input: z
      .object({
        code: z.string().trim().min(1, 'scan a waybill or order number').max(64),
        /** Typed or pasted, not read by a scanner: the waybill then proves no label exists (no scan-back). */
        keyed: z.boolean().optional(),
      })
      .strict(),
    output: out<PackingScanWaybillResult>(),
  },
  /** One item barcode / outer SKU code scanned into a package: the matched line, or a refusal (wrong, extra, unknown) as a result. */
  'packing.scanItem': {
    kind: 'query',
    roles: SHIPPERS,
    reads: ['packages', 'order_items', 'skus'],
    input: z.object({ packageId: id, code: z.string().trim().min(1, 'scan an item').max(64) }).strict(),
    output: out<PackingScanItemResult>(),
  },
  /** Every line scanned: mark the package verified (已验货), and ship it when the station ships on scan. Refused (a result) when incomplete or intercepted. */
  'packing.complete': {
    kind: 'command',
    roles: SHIPPERS,
    input: z.object({ packageId: id }).strict(),
    output: out<PackingCompleteResult>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type PackingMethod = keyof typeof packingMethods;
