// Stock: the SKU catalogue (商家编码, barcodes, costs, safety stock), warehouses, and the movement
// ledger — on hand is the sum of a SKU's movements in a warehouse, never a stored figure
// (docs/stock.md). SKUs and warehouses are named by their codes, as people and scripts know them.
// Handlers: electron/core/stock/api.ts.
import { z } from 'zod';
import { ALL_ROLES, EXPORTERS, MANAGERS, STOCK_KEEPERS } from '../roles.ts';
import { lineText } from '../text-guard.ts';
import { id } from './common.ts';
import { type MethodDecl, out } from './define.ts';

/** Why a movement happened. A correction reverses one earlier movement; nothing is ever edited. */
export const MOVEMENT_REASONS = ['receive', 'count', 'adjust', 'transfer_out', 'transfer_in', 'ship', 'return', 'correction'] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

/**
 * Why an order waits in 缺货 (orders.stock_short_reason), with its words: insufficient = the team has
 * fewer available units of a SKU than the order needs, in all warehouses together; no_single_warehouse
 * = enough units exist, but no one warehouse holds the whole order (or a whole line) and the platform
 * does not let the order leave in several packages (shared/split-shipment.ts).
 */
export const SHORT_REASONS = {
  insufficient: { zh: '库存不足', en: 'Not enough stock' },
  no_single_warehouse: { zh: '无单仓可发（平台不支持拆单）', en: 'No single warehouse holds it (the platform does not split)' },
  offline_quota: { zh: '离线配额已用完（连上团队服务器后自动重试）', en: 'Offline quota used up (retried once the station reaches the hub)' },
} as const;
export type ShortReason = keyof typeof SHORT_REASONS;

/** Where an order stands with stock, as order rows show it: units held, waiting in 缺货, or nothing held. */
export const ORDER_STOCK_STATES = ['reserved', 'short'] as const;
export type OrderStockState = (typeof ORDER_STOCK_STATES)[number];

/** The most units one movement may move: far beyond any warehouse, never an overflow. */
export const MAX_STOCK_UNITS = 100_000_000;
/** The longest 到货周期 a SKU may have (days). */
export const MAX_LEAD_TIME_DAYS = 365;
/** A cost price past ¥1,000,000 per unit is a typo. */
export const MAX_COST_FEN = 100_000_000;
export const MAX_WEIGHT_G = 1_000_000;
export const MAX_BARCODES_PER_SKU = 20;

/** 商家编码 or a warehouse code: what people type and scanners read, one line, no spaces around. */
export const stockCode = lineText(z.string().trim().min(1, 'a code is required').max(64, 'a code is at most 64 characters'));
const barcode = lineText(z.string().trim().min(1).max(64, 'a barcode is at most 64 characters'));
const units = z.number().int().min(0).max(MAX_STOCK_UNITS);
const text = (max: number) => lineText(z.string().trim().max(max, `at most ${max} characters`));
const requestId = lineText(z.string().trim().min(1).max(100)).optional();

/** One SKU as the catalogue holds it. */
export interface SkuView {
  id: string;
  /** 商家编码 */
  code: string;
  /** 商品名称 (the product's title) */
  title: string;
  /** 规格 */
  spec: string;
  /** Every barcode the SKU answers to, the first one first. */
  barcodes: string[];
  costFen: number | null;
  weightG: number | null;
  imageUrl: string | null;
  /** 储位 */
  location: string | null;
  safetyStock: number;
  lowStockThreshold: number;
  /** 到货周期 (days): how long more takes to arrive once ordered. */
  leadTimeDays: number;
}

export interface WarehouseView {
  id: string;
  code: string;
  name: string;
  address: string | null;
  regions: string[];
  priority: number;
}

/**
 * One SKU in one warehouse. on hand = Σ movements; available = the warehouse's free units (on hand −
 * reserved there); the SKU's safety stock is subtracted once, from skuAvailable.
 */
export interface StockRow {
  /** The SKU's outer code (商家编码). */
  sku: string;
  title: string;
  spec: string;
  /** The warehouse's code. */
  warehouse: string;
  onHand: number;
  /** Units held in this warehouse for paid orders not yet shipped. */
  reserved: number;
  /** Units this warehouse can still hand out: on hand − reserved here (safety stock is the SKU's, below). */
  available: number;
  /** The SKU's safety stock, held back once over all warehouses. */
  safety: number;
  threshold: number;
  /** The SKU over every warehouse: on hand − reserved − safety (the figure orders and platforms get); the same in each of its rows. */
  skuAvailable: number;
  /** skuAvailable ≤ threshold. */
  low: boolean;
  /** Some shop's platform SKU maps to this SKU (商品对应). */
  mapped: boolean;
  /** A 组合装: it holds no stock of its own (its components do), so it is never low or out by itself. */
  bundle: boolean;
  /** Units of the SKU sold per day over the last 30 days (bundles counted into their components). */
  perDay: number;
  /** Days the SKU's available stock over every warehouse lasts at perDay; null when nothing sells. */
  daysOfCover: number | null;
}

/** One row of a SKU's ledger. */
export interface MovementView {
  id: string;
  sku: string;
  warehouse: string;
  delta: number;
  reason: MovementReason;
  reference: string | null;
  note: string | null;
  actor: string;
  at: number;
  opId: string;
  /** The movement this one reverses (a correction). */
  correctsId: string | null;
  /** The correction that reversed this one, when there is one. */
  correctedBy: string | null;
  /** On hand in this warehouse right after this movement. */
  balance: number;
}

export const RESERVATION_STATES = ['held', 'shipped', 'released'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

/** Units of one SKU an order line holds, held or settled (where a SKU's stock went). */
export interface ReservationView {
  id: string;
  orderId: string;
  /** The platform's order number; null only if the order is gone. */
  platformOrderId: string | null;
  shopName: string | null;
  lineNo: number;
  warehouse: string;
  quantity: number;
  state: ReservationState;
  createdAt: number;
  settledAt: number | null;
  /** The ship movement a shipped reservation became. */
  movementId: string | null;
}

/** What a ledger command wrote: the movements (two for a transfer) and where on hand now stands. */
export interface MovementResult {
  movements: MovementView[];
  /** false: this requestId was recorded before; those movements are returned and nothing new is written. */
  created: boolean;
}

export const SKU_IMPORT_FIELDS = ['code', 'title', 'spec', 'barcodes', 'costYuan', 'weightG', 'location', 'safetyStock', 'lowStockThreshold', 'leadTimeDays'] as const;
export type SkuImportField = (typeof SKU_IMPORT_FIELDS)[number];

/** One refused row of a SKU import: the file's line, the field at fault, and why (English; the problem is stable). */
export interface SkuImportBadRow {
  line: number;
  code: string | null;
  field: SkuImportField | 'row';
  problem: SkuImportProblem;
  message: string;
}
export const SKU_IMPORT_PROBLEMS = ['missing', 'invalid_number', 'invalid_text', 'too_long', 'duplicate_in_file', 'barcode_taken', 'barcode_repeated', 'too_many_barcodes'] as const;
export type SkuImportProblem = (typeof SKU_IMPORT_PROBLEMS)[number];

/** One SKU the import adds or changes, with the fields that change (a dry run's preview). */
export interface SkuImportChange {
  line: number;
  code: string;
  action: 'add' | 'update';
  /** For an update: the fields whose value changes. */
  fields: SkuImportField[];
}

export interface SkuImportResult {
  /** Rows read under the header. */
  rows: number;
  added: number;
  updated: number;
  /** Rows whose SKU already says exactly this. */
  unchanged: number;
  /** The first 100 changes in file order (all counted in added/updated). */
  changes: SkuImportChange[];
  /** The first 100 refused rows; badCount counts them all. */
  bad: SkuImportBadRow[];
  badCount: number;
  /** True only when the rows were written: never in a dry run, never while any row is refused. */
  committed: boolean;
  dryRun: boolean;
}

/** A file to save: its name and its bytes as base64. */
export interface StockFile {
  fileName: string;
  mime: string;
  base64: string;
}

const skuFields = {
  title: lineText(z.string().trim().min(1, 'a title is required').max(200, 'a title is at most 200 characters')),
  spec: text(200).optional(),
  barcodes: z.array(barcode).max(MAX_BARCODES_PER_SKU, `at most ${MAX_BARCODES_PER_SKU} barcodes`).optional(),
  costFen: z.number().int().min(0).max(MAX_COST_FEN).nullable().optional(),
  weightG: z.number().int().min(0).max(MAX_WEIGHT_G).nullable().optional(),
  imageUrl: lineText(z.string().trim().max(1000).regex(/^https?:\/\//i, 'an image URL starts with http:// or https://')).nullable().optional(),
  location: text(64).nullable().optional(),
  safetyStock: units.optional(),
  lowStockThreshold: units.optional(),
  /** 到货周期: days from ordering more to having it (restock suggestions, days-of-cover alerts). */
  leadTimeDays: z.number().int().min(0).max(MAX_LEAD_TIME_DAYS).optional(),
};

const warehouseFields = {
  name: lineText(z.string().trim().min(1, 'a name is required').max(100, 'a name is at most 100 characters')),
  address: text(300).nullable().optional(),
  regions: z.array(lineText(z.string().trim().min(1).max(32))).max(64, 'at most 64 regions').optional(),
  priority: z.number().int().min(-1000).max(1000).optional(),
};

export const stockMethods = {
  /** The catalogue, by outer code; q matches a code, a barcode or a title fragment. */
  'skus.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['skus', 'sku_barcodes', 'products'],
    input: z
      .object({
        q: text(100).optional(),
        limit: z.number().int().min(1).max(200_000).default(1000),
        offset: z.number().int().min(0).max(10_000_000).default(0),
      })
      .strict(),
    output: out<SkuView[]>(),
  },
  /** The SKU a scanned or typed code names exactly: its 商家编码, else one of its barcodes; sku null when none. */
  'skus.scan': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['skus', 'sku_barcodes', 'products'],
    input: z.object({ code: stockCode }).strict(),
    output: out<{ sku: SkuView | null }>(),
  },
  /** Add one SKU (its product is the one with this title, or a new one). */
  'skus.add': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ code: stockCode, ...skuFields }).strict(),
    output: out<SkuView>(),
  },
  /** Change a SKU's fields; barcodes, when given, replace its list. */
  'skus.update': {
    kind: 'command',
    roles: MANAGERS,
    input: z
      .object({ code: stockCode, patch: z.object({ ...skuFields, title: skuFields.title.optional() }).strict() })
      .strict(),
    output: out<SkuView>(),
  },
  /** Import SKUs from .xlsx or .csv: all rows or none, with a per-row report; dryRun only reports what would change. */
  'skus.import': {
    kind: 'command',
    roles: MANAGERS,
    input: z
      .object({
        fileName: lineText(z.string().trim().min(1).max(255)),
        base64: z.string().min(1).max(70_000_000),
        dryRun: z.boolean().default(false),
      })
      .strict(),
    output: out<SkuImportResult>(),
  },
  /** The catalogue as a CSV file (UTF-8 with a BOM, so Excel opens it), in the import's columns. */
  'skus.export': {
    kind: 'query',
    roles: EXPORTERS,
    reads: ['skus', 'sku_barcodes', 'products'],
    input: z.object({}).strict(),
    output: out<StockFile>(),
  },
  /** An empty import file with the headers and one example row. */
  'skus.template': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: [],
    input: z.object({}).strict(),
    output: out<StockFile>(),
  },
  'warehouses.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['warehouses'],
    input: z.object({}).strict(),
    output: out<WarehouseView[]>(),
  },
  'warehouses.add': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ code: stockCode, ...warehouseFields }).strict(),
    output: out<WarehouseView>(),
  },
  'warehouses.update': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ code: stockCode, patch: z.object({ ...warehouseFields, name: warehouseFields.name.optional() }).strict() }).strict(),
    output: out<WarehouseView>(),
  },
  /** 入库: units arrived (a purchase, a delivery). */
  'stock.receive': {
    kind: 'command',
    roles: STOCK_KEEPERS,
    input: z
      .object({ sku: stockCode, warehouse: stockCode, quantity: units.min(1), reference: text(100).optional(), requestId })
      .strict(),
    output: out<MovementResult>(),
  },
  /** 盘点: the counted figure; the movement is the difference from on hand (none when they agree). */
  'stock.count': {
    kind: 'command',
    roles: STOCK_KEEPERS,
    input: z.object({ sku: stockCode, warehouse: stockCode, counted: units, reference: text(100).optional(), requestId }).strict(),
    output: out<MovementResult>(),
  },
  /** 调整: a change by hand, with the reason in words. */
  'stock.adjust': {
    kind: 'command',
    roles: MANAGERS,
    input: z
      .object({
        sku: stockCode,
        warehouse: stockCode,
        delta: z
          .number()
          .int()
          .min(-MAX_STOCK_UNITS)
          .max(MAX_STOCK_UNITS)
          .refine((n) => n !== 0, 'a change of 0 changes nothing'),
        reason: lineText(z.string().trim().min(1, 'a reason is required').max(200, 'a reason is at most 200 characters')),
        requestId,
      })
      .strict(),
    output: out<MovementResult>(),
  },
  /** 调拨: units from one warehouse to another — two movements, one op. */
  'stock.transfer': {
    kind: 'command',
    roles: STOCK_KEEPERS,
    input: z
      .object({ sku: stockCode, from: stockCode, to: stockCode, quantity: units.min(1), reference: text(100).optional(), requestId })
      .strict(),
    output: out<MovementResult>(),
  },
  /** Reverse a mistaken movement with a row of the opposite delta (both rows of a transfer). Once per movement. */
  'stock.correct': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ movementId: id, reason: lineText(z.string().trim().min(1, 'a reason is required').max(200)) }).strict(),
    output: out<MovementResult>(),
  },
  /** One row per SKU and warehouse, by SKU code then warehouse code; page by `after` (keyset) or offset. */
  'stock.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['stock_movements', 'stock_reservations', 'skus', 'sku_barcodes', 'sku_mappings', 'warehouses', 'products', 'orders', 'order_items', 'bundle_components'],
    input: z
      .object({
        warehouse: stockCode.optional(),
        sku: stockCode.optional(),
        /** Only rows at or below their low-stock threshold. */
        low: z.boolean().default(false),
        /** Only rows with nothing available (available ≤ 0). */
        out: z.boolean().default(false),
        /** Only SKUs no shop's platform SKU maps to. */
        unmapped: z.boolean().default(false),
        /** A code or barcode exactly, or a fragment of a code or title. */
        q: text(100).optional(),
        /** Keyset paging: the rows after this one (the last row of the page before). */
        after: z.object({ sku: stockCode, warehouse: stockCode }).strict().optional(),
        limit: z.number().int().min(1).max(1_000_000).default(500),
        offset: z.number().int().min(0).max(10_000_000).default(0),
      })
      .strict(),
    output: out<StockRow[]>(),
  },
  /** Where a SKU's stock went: its reservations (held, shipped, released) with their orders, newest first. */
  'stock.reservations': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['stock_reservations', 'skus', 'warehouses', 'orders', 'shops'],
    input: z.object({ sku: stockCode, state: z.enum(RESERVATION_STATES).optional(), limit: z.number().int().min(1).max(10_000).default(200) }).strict(),
    output: out<ReservationView[]>(),
  },
  /** A SKU's ledger, newest first, each row with its warehouse's balance right after it. */
  'stock.ledger': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['stock_movements', 'skus', 'warehouses'],
    input: z.object({ sku: stockCode, warehouse: stockCode.optional(), limit: z.number().int().min(1).max(100_000).default(1000) }).strict(),
    output: out<MovementView[]>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type StockMethod = keyof typeof stockMethods;
