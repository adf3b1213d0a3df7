// Stock pushed to every shop (docs/stock.md#pushes): each shop's allocation of a SKU's available
// stock (share %, fixed units, reserve-for-this-shop; min/max), "push now" with a dry run, and the
// pushes the sender made with the platform's words for a refusal. Handlers: electron/core/stock/push-api.ts.
import { z } from 'zod';
import { ALL_ROLES, MANAGERS } from '../roles.ts';
import { id } from './common.ts';
import { type MethodDecl, out } from './define.ts';
import { stockCode } from './stock.ts';

export const ALLOCATION_MODES = ['share', 'fixed', 'reserve'] as const;
export type AllocationModeName = (typeof ALLOCATION_MODES)[number];
/** '*': the shop's rule for every SKU without its own. */
export const ALLOCATION_DEFAULT_SKU = '*';

export const STOCK_PUSH_STATES = ['pending', 'sending', 'confirmed', 'refused', 'failed', 'superseded'] as const;
export type StockPushState = (typeof STOCK_PUSH_STATES)[number];

/** One shop's rule for one SKU (or, sku '*', for every SKU without its own). */
export interface AllocationView {
  shopId: string;
  shopName: string;
  /** The SKU's outer code, or '*'. */
  sku: string;
  mode: AllocationModeName;
  /** share: percent; fixed and reserve: units. */
  value: number;
  minQty: number | null;
  maxQty: number | null;
  updatedAt: number;
  updatedBy: string;
}

/** One (shop, platform SKU) a push round looked at: what it is, or would be, told. */
export interface StockPushFigure {
  shopId: string;
  shopName: string;
  /** The local SKU's outer code. */
  sku: string;
  platformProductId: string;
  platformSkuId: string;
  mode: 'set' | 'delta';
  quantity: number;
  /** What the shop was last told, or the platform's own figure; null when neither is known. */
  told: number | null;
  changed: boolean;
}

export interface StockPushRun {
  dryRun: boolean;
  figures: StockPushFigure[];
  /** Push rows written (in a dry run: that would be). */
  written: number;
  superseded: number;
  /** Shops not told, and why: its authorisation expired, it is paused, or its platform cannot write stock. */
  skipped: { shopId: string; shopName: string; platform: string; reason: 'auth_expired' | 'paused' | 'no_stock_write' }[];
  /** What the sender did right after (null in a dry run). */
  sent: { confirmed: number; refused: number; failed: number; retrying: number } | null;
}

/** One push as sent (or waiting to be). */
export interface StockPushView {
  id: string;
  shopId: string;
  shopName: string;
  platform: string;
  sku: string;
  title: string;
  platformProductId: string;
  platformSkuId: string;
  mode: 'set' | 'delta';
  quantity: number;
  state: StockPushState;
  attempts: number;
  platformBefore: number | null;
  sentDelta: number | null;
  platformAfter: number | null;
  /** English and redacted, for logs and the CLI. */
  lastError: string | null;
  /** The stable reason (stock_push.refused, …) and its details, for the words a person reads. */
  lastErrorReason: string | null;
  lastErrorDetails: Record<string, unknown> | null;
  lockedByPromotion: boolean;
  createdAt: number;
  nextAt: number;
  doneAt: number | null;
}

const qty = z.number().int().min(0).max(100_000_000);

export const stockPushMethods = {
  /** Run a push round now (every mapped SKU of every shop, or of one) and send it; dryRun: the figures only, nothing written. */
  'stock.push': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ shopId: id.optional(), dryRun: z.boolean().default(false) }).strict(),
    output: out<StockPushRun>(),
  },
  /** Recent pushes, newest first. */
  'stock.pushes': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['stock_pushes', 'shops', 'skus', 'products'],
    input: z
      .object({
        shopId: id.optional(),
        sku: stockCode.optional(),
        states: z.array(z.enum(STOCK_PUSH_STATES)).max(STOCK_PUSH_STATES.length).optional(),
        limit: z.number().int().min(1).max(10_000).default(500),
      })
      .strict(),
    output: out<StockPushView[]>(),
  },
  'stock.allocations': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['stock_allocations', 'shops', 'skus'],
    input: z.object({ shopId: id.optional() }).strict(),
    output: out<AllocationView[]>(),
  },
  /** Set a shop's rule for a SKU ('*': its default); the SKUs it covers are pushed again. */
  'stock.setAllocation': {
    kind: 'command',
    roles: MANAGERS,
    input: z
      .object({
        shopId: id,
        sku: z.union([z.literal(ALLOCATION_DEFAULT_SKU), stockCode]),
        mode: z.enum(ALLOCATION_MODES),
        value: qty,
        minQty: qty.nullable().default(null),
        maxQty: qty.nullable().default(null),
      })
      .strict()
      .refine((a) => a.mode !== 'share' || a.value <= 100, { message: 'a share is a percent: 0 to 100', path: ['value'] })
      .refine((a) => a.minQty === null || a.maxQty === null || a.minQty <= a.maxQty, { message: 'min is more than max', path: ['minQty'] }),
    output: out<AllocationView>(),
  },
  /** Remove a shop's rule for a SKU: it falls back to the shop's default, or the whole available figure. */
  'stock.removeAllocation': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ shopId: id, sku: z.union([z.literal(ALLOCATION_DEFAULT_SKU), stockCode]) }).strict(),
    output: out<{ removed: boolean }>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type StockPushMethod = keyof typeof stockPushMethods;
