// 商品对应 and 组合装: each shop's platform SKUs as its listing says, and the local SKU each stands for;
// bundles as their component SKUs. Order lines find their SKU through the mapping before the outer
// code, and a mapping added or changed re-checks the open orders that carry that platform SKU
// (docs/stock.md#商品对应). Handlers: electron/core/stock/mapping-api.ts.
import { z } from 'zod';
import { ALL_ROLES, EXPORTERS, MANAGERS } from '../roles.ts';
import type { SyncError } from '../sync-errors.ts';
import { lineText } from '../text-guard.ts';
import { id } from './common.ts';
import { type MethodDecl, out } from './define.ts';
import { stockCode, type StockFile } from './stock.ts';

/** How a row came to be mapped (or unmapped): by its outer code, by a person, from a file. */
export const MATCHED_BY = ['outer_code', 'hand', 'import'] as const;
export type MatchedBy = (typeof MATCHED_BY)[number];

/** One platform SKU of one shop: its key. platformSkuId '' is a product sold without SKUs. */
export interface MappingKey {
  shopId: string;
  platformProductId: string;
  platformSkuId: string;
}

export interface MappingView extends MappingKey {
  shopName: string;
  platform: string;
  /** The SKU 商家编码 the platform lists (the product's own for a product without SKUs). */
  outerCode: string | null;
  productOuterCode: string | null;
  title: string;
  spec: string | null;
  platformStock: number | null;
  onSale: boolean | null;
  /** The local SKU's 商家编码; null while unmapped. */
  sku: string | null;
  skuTitle: string | null;
  skuSpec: string | null;
  /** The local SKU is a 组合装. */
  skuIsBundle: boolean;
  /** How the mapping (or a person's unmapping) was made; null: nobody decided yet. */
  matchedBy: MatchedBy | null;
  mappedAt: number | null;
  mappedBy: string | null;
  listedAt: number;
  /** The shop's last complete pull no longer listed it: kept (orders may still name it), flagged. */
  delisted: boolean;
}

export interface MappingList {
  /** Unmapped first, then by shop, product and SKU id. */
  rows: MappingView[];
  /** Rows the filter matches (all pages). */
  total: number;
  /** Unmapped rows the filter matches. */
  unmapped: number;
  /** The last complete pull of each shop in the filter (of every shop without one). */
  lastPulls: MappingPullRecord[];
  /** Shops in the filter whose latest pull failed (until a pull of theirs completes). */
  failedPulls: MappingPullFailure[];
}

/**
 * A shop's latest pull that failed, kept until one of its pulls completes: when, why (classified as
 * a sync round's error is, so the words and what to do are the same), and whether the background
 * schedule pulled (it tries again at retryAt) or a person did.
 */
export interface MappingPullFailure {
  shopId: string;
  at: number;
  error: SyncError;
  scheduled: boolean;
  retryAt: number | null;
}

/** A shop's last complete pull: when, how much it listed, and the products it could not read. */
export interface MappingPullRecord {
  shopId: string;
  at: number;
  listed: number;
  quarantinedCount: number;
  /** The first 100. */
  quarantined: QuarantinedListing[];
}

/** A listed product the adapter could not read, as the pull reported and kept it. */
export interface QuarantinedListing {
  platformProductId: string | null;
  reason: string;
}

export interface MappingPullShop {
  shopId: string;
  shopName: string;
  platform: string;
  /** Platform SKUs the listing returned. */
  listed: number;
  /** Of those, rows the station did not have before. */
  added: number;
  /** Rows the listing no longer has (kept, flagged delisted). */
  delisted: number;
  autoMatched: number;
  /** The first 100 quarantined products (all are counted, and kept for the 商品对应 view). */
  quarantined: QuarantinedListing[];
  quarantinedCount: number;
  /** Open orders whose lines found a SKU through the new mappings. */
  rechecked: number;
  /** Why this shop was not pulled (the rest go on); null when it was. */
  error: string | null;
}

export interface MappingChangeResult {
  /** Rows whose mapping changed. */
  changed: number;
  /** Open orders whose lines were re-checked against the new mappings. */
  rechecked: number;
}

export const MAPPING_IMPORT_FIELDS = ['shop', 'productId', 'skuId', 'sku'] as const;
export type MappingImportField = (typeof MAPPING_IMPORT_FIELDS)[number];
export const MAPPING_IMPORT_PROBLEMS = ['missing', 'invalid_text', 'unknown_shop', 'not_listed', 'ambiguous', 'unknown_sku', 'duplicate_in_file'] as const;
export type MappingImportProblem = (typeof MAPPING_IMPORT_PROBLEMS)[number];

export interface MappingImportBadRow {
  line: number;
  field: MappingImportField | 'row';
  problem: MappingImportProblem;
  message: string;
}

export interface MappingImportResult {
  rows: number;
  /** Rows mapped that were unmapped. */
  mapped: number;
  /** Rows mapped to another SKU than before. */
  remapped: number;
  /** Rows already mapped to exactly this SKU. */
  unchanged: number;
  bad: MappingImportBadRow[];
  badCount: number;
  committed: boolean;
  dryRun: boolean;
  /** Open orders re-checked (0 unless committed). */
  rechecked: number;
}

export interface BundleView {
  /** The bundle's 商家编码. */
  sku: string;
  title: string;
  spec: string;
  components: { sku: string; title: string; spec: string; quantity: number }[];
}

/** The most components one bundle may have: a gift box, not a warehouse. */
export const MAX_BUNDLE_COMPONENTS = 50;
/** The most units of one component per bundle. */
export const MAX_BUNDLE_QUANTITY = 10_000;
/** Rows one mapping.set may change at once (a select-all of a shop's listing). */
export const MAX_MAPPING_ROWS = 20_000;

const platformId = (min: number) => lineText(z.string().trim().min(min, 'a platform product id is required').max(64, 'a platform id is at most 64 characters'));
const mappingKey = z.object({ shopId: id, platformProductId: platformId(1), platformSkuId: platformId(0) }).strict();
const text = (max: number) => lineText(z.string().trim().max(max, `at most ${max} characters`));

export const mappingMethods = {
  /**
   * Pull each shop's listing (one shop, or every active shop) through its platform's listing API,
   * keep it in the mapping table, flag what is no longer listed, and map by outer code what nobody
   * decided yet. A shop that fails is reported and the others go on.
   */
  'mapping.pull': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ shopId: id.optional() }).strict(),
    output: out<{ shops: MappingPullShop[] }>(),
  },
  /** The mapping table, unmapped first; q matches a title, an outer code, a platform id or the local SKU's code; sku: one SKU's rows. */
  'mapping.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['sku_mappings', 'skus', 'products', 'shops', 'bundle_components', 'meta'],
    input: z
      .object({
        shopId: id.optional(),
        unmapped: z.boolean().optional(),
        q: text(100).optional(),
        /** Only the rows mapped to this local SKU (its 商家编码): a SKU's own platform listings. */
        sku: stockCode.optional(),
        limit: z.number().int().min(1).max(100_000).default(500),
        offset: z.number().int().min(0).max(10_000_000).default(0),
      })
      .strict(),
    output: out<MappingList>(),
  },
  /** Map rows to one local SKU (its 商家编码), or unmap them (null); a person's decision auto-match never overrides. */
  'mapping.set': {
    kind: 'command',
    roles: MANAGERS,
    input: z
      .object({
        rows: z.array(mappingKey).min(1, 'select at least one row').max(MAX_MAPPING_ROWS, `at most ${MAX_MAPPING_ROWS} rows at once`),
        sku: stockCode.nullable(),
      })
      .strict(),
    output: out<MappingChangeResult>(),
  },
  /** Map every row nobody decided yet whose outer code is a local SKU's 商家编码. */
  'mapping.autoMatch': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ shopId: id.optional() }).strict(),
    output: out<MappingChangeResult>(),
  },
  /** Map rows from .xlsx or CSV (店铺, 平台商品ID, 平台SKU ID, 商家编码): all rows or none, per-row report, dry run. */
  'mapping.import': {
    kind: 'command',
    roles: MANAGERS,
    input: z
      .object({
        fileName: lineText(z.string().trim().min(1).max(255)),
        base64: z.string().min(1).max(70_000_000),
        dryRun: z.boolean().default(false),
      })
      .strict(),
    output: out<MappingImportResult>(),
  },
  /** The mapping table as CSV in the import's columns: fill 商家编码 in an export of the unmapped rows and import it back. */
  'mapping.export': {
    kind: 'query',
    roles: EXPORTERS,
    reads: ['sku_mappings', 'skus', 'shops'],
    input: z.object({ shopId: id.optional(), unmapped: z.boolean().optional() }).strict(),
    output: out<StockFile>(),
  },
  'bundles.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['bundle_components', 'skus', 'products'],
    input: z.object({ sku: stockCode.optional() }).strict(),
    output: out<BundleView[]>(),
  },
  /** Make a SKU a 组合装 of these components (replacing any it had). A bundle holds plain SKUs only. */
  'bundles.set': {
    kind: 'command',
    roles: MANAGERS,
    input: z
      .object({
        sku: stockCode,
        components: z
          .array(z.object({ sku: stockCode, quantity: z.number().int().min(1).max(MAX_BUNDLE_QUANTITY) }).strict())
          .min(1, 'a bundle has at least one component')
          .max(MAX_BUNDLE_COMPONENTS, `at most ${MAX_BUNDLE_COMPONENTS} components`),
      })
      .strict(),
    output: out<BundleView>(),
  },
  /** The SKU is a plain SKU again. */
  'bundles.remove': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ sku: stockCode }).strict(),
    output: out<{ removed: number }>(),
  },
} satisfies Record<string, MethodDecl>;

export type MappingMethod = keyof typeof mappingMethods;
