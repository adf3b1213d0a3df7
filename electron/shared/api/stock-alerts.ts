// Stock alerts (库存预警) and restock suggestions (补货建议): alerts raised and cleared by the core as
// stock moves (low, out, oversold, a failed push), their counts for the header, a mute per SKU for
// desktop notifications, and per SKU how many units to order (docs/stock.md#alerts).
// Handlers: electron/core/stock/alerts-api.ts.
import { z } from 'zod';
import { ALL_ROLES, EXPORTERS, MANAGERS } from '../roles.ts';
import type { StockFile } from './stock.ts';
import { stockCode } from './stock.ts';
import { type MethodDecl, out } from './define.ts';

/** low: at or below the threshold, or fewer days of cover than the lead time; out: nothing available while it sells or orders wait; oversold: more held than on hand in a warehouse; push_failed: a shop was not told its figure. */
export const ALERT_KINDS = ['low', 'out', 'oversold', 'push_failed'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The sales windows velocity is read over, in days. */
export const VELOCITY_DAYS = [7, 30] as const;
export type VelocityDays = (typeof VELOCITY_DAYS)[number];

/** Why a low alert is raised: the threshold (预警库存), the days of cover against the lead time, or both. */
export type LowBy = 'threshold' | 'cover';

/** What each kind's alert says, as stored in stock_alerts.details. */
export interface AlertDetails {
  /** Team-wide figures when the alert was last evaluated (low, out), or the warehouse's (oversold). */
  onHand?: number;
  reserved?: number;
  available?: number;
  threshold?: number;
  /** Units per day over `window` days (the faster of the two windows), and the days they cover. */
  perDay?: number;
  window?: VelocityDays;
  daysOfCover?: number | null;
  leadTimeDays?: number;
  lowBy?: LowBy[];
  /** out: orders wait for it (units held, or orders in 缺货). */
  waiting?: boolean;
  /** push_failed: the target and the platform's words. */
  platformProductId?: string;
  platformSkuId?: string;
  pushState?: string;
  error?: string | null;
  errorCode?: string | null;
  errorReason?: string | null;
  lockedByPromotion?: boolean;
  quantity?: number;
  /** push_failed: how many of the shop's listings of this SKU failed (details name the latest). */
  failedTargets?: number;
}

/** One alert as the list shows it. */
export interface AlertView {
  id: string;
  kind: AlertKind;
  /** The SKU's outer code (商家编码), its product title and spec. */
  sku: string;
  title: string;
  spec: string;
  /** The warehouse's code (oversold), or null. */
  warehouse: string | null;
  /** The shop (push_failed), or null. */
  shopId: string | null;
  shopName: string | null;
  details: AlertDetails;
  /** The SKU's figures now, over every warehouse. */
  onHand: number;
  reserved: number;
  available: number;
  raisedAt: number;
  clearedAt: number | null;
  notifiedAt: number | null;
  /** The SKU raises no desktop notification (its alerts still show here). */
  muted: boolean;
}

export interface AlertCounts {
  low: number;
  out: number;
  oversold: number;
  push_failed: number;
  /** All open alerts. */
  total: number;
}

/** An alert a face shows as a desktop notification. */
export interface AlertNotice {
  id: string;
  kind: AlertKind;
  sku: string;
  title: string;
  warehouse: string | null;
  shopName: string | null;
  details: AlertDetails;
}

/** One desktop notification, worded in the language the face asked for. */
export interface NoticeText {
  title: string;
  body: string;
  /** The alert it is about; null for a summary of several. */
  alertId: string | null;
}

export interface AlertClaim {
  /** The first few newly raised alerts of SKUs not muted. */
  notices: AlertNotice[];
  /** Newly raised alerts of SKUs not muted: more than notices.length means one summary notification instead. */
  total: number;
  /** What to show: one per notice, or one summary (shared/stock-alert-notice.ts words them). */
  show: NoticeText[];
}

/** One SKU's restock suggestion: units per day × lead time + safety stock − what is free of orders, rounded up. */
export interface RestockRow {
  sku: string;
  title: string;
  spec: string;
  perDay: number;
  leadTimeDays: number;
  safety: number;
  onHand: number;
  reserved: number;
  /** on hand − reserved − safety (what the stock list and the shops see). */
  available: number;
  daysOfCover: number | null;
  /** Units to order: ⌈perDay × leadTimeDays + safety − (onHand − reserved)⌉, always > 0 in the list. */
  suggest: number;
  costFen: number | null;
}

export interface RestockResult {
  days: VelocityDays;
  rows: RestockRow[];
  /** SKUs with a suggestion (rows is a page of them). */
  total: number;
}

const window = z.union([z.literal(7), z.literal(30)]);

export const stockAlertsMethods = {
  /** Alerts, open first then newest first; the SKU's figures now and whether it is muted. */
  'alerts.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['stock_alerts', 'stock_alert_mutes', 'skus', 'products', 'warehouses', 'shops', 'stock_movements', 'stock_reservations'],
    input: z
      .object({
        kind: z.enum(ALERT_KINDS).optional(),
        includeCleared: z.boolean().default(false),
        limit: z.number().int().min(1).max(1000).default(200),
        offset: z.number().int().min(0).max(1_000_000).default(0),
      })
      .strict(),
    output: out<{ rows: AlertView[]; total: number }>(),
  },
  /** Open alerts per kind (the header's badge and the list's chips). */
  'alerts.counts': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['stock_alerts'],
    input: z.object({}).strict(),
    output: out<AlertCounts>(),
  },
  /** No desktop notifications for this SKU's alerts (they still show in the list). */
  'alerts.mute': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z.object({ sku: stockCode }).strict(),
    output: out<{ sku: string; muted: true }>(),
  },
  'alerts.unmute': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z.object({ sku: stockCode }).strict(),
    output: out<{ sku: string; muted: false }>(),
  },
  /**
   * Takes the alerts raised since the last claim for one face to show (the Electron main process, or
   * the web page): each alert is claimed once, whichever face asks first, so none is shown twice.
   * Alerts of muted SKUs are claimed and not returned.
   */
  'alerts.claimNotifications': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z.object({ lang: z.enum(['zh', 'en']).default('zh') }).strict(),
    output: out<AlertClaim>(),
  },
  /** Evaluates every stocked SKU's alerts now (the background worker does it on a schedule). */
  'alerts.evaluate': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({}).strict(),
    output: out<{ evaluated: number; raised: number; cleared: number }>(),
  },
  /** Restock suggestions, most units first. */
  'stock.restock': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['skus', 'products', 'bundle_components', 'stock_movements', 'stock_reservations', 'orders', 'order_items'],
    input: z
      .object({
        days: window.default(30),
        limit: z.number().int().min(1).max(200_000).default(500),
        offset: z.number().int().min(0).max(10_000_000).default(0),
      })
      .strict(),
    output: out<RestockResult>(),
  },
  /** Every suggestion as a file (.xlsx, or CSV in UTF-8 with a BOM). */
  'stock.restockExport': {
    kind: 'query',
    roles: EXPORTERS,
    reads: ['skus', 'products', 'bundle_components', 'stock_movements', 'stock_reservations', 'orders', 'order_items'],
    input: z.object({ days: window.default(30), format: z.enum(['xlsx', 'csv']).default('xlsx') }).strict(),
    output: out<StockFile>(),
  },
} as const satisfies Record<string, MethodDecl>;

export type StockAlertsMethod = keyof typeof stockAlertsMethods;
