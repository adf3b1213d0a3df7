// mapping.pull: each shop's listing through its adapter's listProducts (the adapter pages and windows
// within the platform's limits; we pass its cursor back until it says done), kept in sku_mappings.
// The network walk happens outside any transaction; what it found is written per shop in one
// command: rows upserted, rows no longer listed flagged (kept: a person's mapping is never dropped
// silently, and old orders still name them), the unreadable products kept with their reason, then
// the auto-match by outer code and the re-check of open orders. A shop that fails (no listing API,
// an expired token, the platform down) is reported and the others go on.
import type { ApiParsedInput, MappingPullShop, QuarantinedListing } from '../../shared/contract.ts';
import { redact } from '../../shared/redact.ts';
import { AppError } from '../../shared/result.ts';
import type { PlatformSku, ProductCursor, QuarantinedProduct } from '../../shared/stock-model.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { classifyError, markedRetryable } from '../sync/backoff.ts';
import { MAX_LISTED_BAD_ROWS } from '../imports/limits.ts';
import { afterMappingChanges, autoMatchIn, keyText, MAPPING_TABLES, recordPull, recordPullFailure, shopById, skuCodes, type MappingChange, type ShopRow } from './mapping.ts';

export interface MappingPullDeps {
  /** The shop's adapter with its secrets merged (registry.adapterFor over shopWithSecrets in the app). */
  adapterFor: (shop: ShopRecord) => PlatformAdapter;
  sleep?: (ms: number) => Promise<void>;
  /** Set by the background schedule: a failed shop is tried again this long after (the record says when). */
  retryAfterMs?: number;
}

/** A listing longer than this many pages is a paging bug, not a catalogue. */
const MAX_PAGES = 100_000;
/** Retries of one page the adapter marked transient (throttled, a 5xx), with a growing pause. */
const PAGE_RETRIES = 3;
/** The raw copy of a quarantined product kept for a person: enough to see what was wrong. */
const RAW_KEPT_CHARS = 4000;

interface Listing {
  items: Map<string, PlatformSku & { platformSkuId: string }>;
  quarantined: QuarantinedProduct[];
  warnings: number;
}

async function walkListing(adapter: PlatformAdapter, sleep: (ms: number) => Promise<void>): Promise<Listing> {
  const list = adapter.listProducts?.bind(adapter);
  if (!list) throw new AppError('INVALID_STATE', `the ${adapter.platform} adapter cannot list products`);
  const out: Listing = { items: new Map(), quarantined: [], warnings: 0 };
  let cursor: ProductCursor | null = null;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    let page;
    for (let retry = 0; ; retry++) {
      try {
        page = await list(cursor, () => (out.warnings += 1));
        break;
      } catch (err) {
        if (retry >= PAGE_RETRIES || !markedRetryable(err)) throw err;
        await sleep(1000 * (retry + 1));
      }
    }
    for (const item of page.items) {
      const platformSkuId = item.platformSkuId ?? '';
      // A SKU listed twice (a product moved between pages while we walked) is one row: the later copy wins.
      out.items.set(`${item.platformProductId}\u0000${platformSkuId}`, { ...item, platformSkuId });
    }
    out.quarantined.push(...page.quarantined);
    cursor = page.next;
    if (cursor === null) return out;
  }
  throw new AppError('PLATFORM_ERROR', `the ${adapter.platform} listing did not end after ${MAX_PAGES} pages`);
}

const rawText = (raw: unknown): string => {
  let t: string;
  try {
    t = JSON.stringify(raw) ?? 'null';
  } catch {
    t = String(raw);
  }
  return t.length > RAW_KEPT_CHARS ? `${t.slice(0, RAW_KEPT_CHARS)}…` : t;
};

interface ExistingRow {
  outerCode: string | null;
  productOuterCode: string | null;
  skuId: string | null;
  matchedBy: string | null;
}

/** Writes one shop's listing and what follows from it; one command, one transaction. */
function landListing(ctx: CoreContext, shop: ShopRow, listing: Listing): MappingPullShop {
  const quarantined: QuarantinedListing[] = listing.quarantined.slice(0, MAX_LISTED_BAD_ROWS).map((q) => ({ platformProductId: q.platformProductId, reason: q.reason }));
  return runCommand(
    ctx,
    'mapping.pull',
    { shopId: shop.id, listed: listing.items.size, quarantined: listing.quarantined.length },
    { tables: MAPPING_TABLES },
    (scope) => {
      const c = scope.tx.$client;
      const existing = c.prepare<[string, string, string], ExistingRow>(
        `SELECT outer_code AS outerCode, product_outer_code AS productOuterCode, sku_id AS skuId, matched_by AS matchedBy
           FROM sku_mappings WHERE shop_id = ? AND platform_product_id = ? AND platform_sku_id = ?`,
      );
      const upsert = c.prepare(
        `INSERT INTO sku_mappings (shop_id, platform_product_id, platform_sku_id, outer_code, product_outer_code, title, spec, platform_stock, on_sale, listed_at)
         VALUES (@shop, @product, @sku, @outer, @productOuter, @title, @spec, @stock, @onSale, @at)
         ON CONFLICT (shop_id, platform_product_id, platform_sku_id) DO UPDATE SET outer_code = excluded.outer_code,
           product_outer_code = excluded.product_outer_code, title = excluded.title, spec = excluded.spec,
           platform_stock = excluded.platform_stock, on_sale = excluded.on_sale, listed_at = excluded.listed_at`,
      );
      // A row matched by its outer code whose code changed on the platform no longer matches by it:
      // it goes back to undecided, and the auto-match below decides again.
      const unmatch = c.prepare<[string, string, string]>(
        `UPDATE sku_mappings SET sku_id = NULL, matched_by = NULL, mapped_at = NULL, mapped_by = NULL
          WHERE shop_id = ? AND platform_product_id = ? AND platform_sku_id = ?`,
      );
      let added = 0;
      const changes: MappingChange[] = [];
      for (const it of listing.items.values()) {
        const before = existing.get(shop.id, it.platformProductId, it.platformSkuId);
        if (!before) added += 1;
        upsert.run({
          shop: shop.id,
          product: it.platformProductId,
          sku: it.platformSkuId,
          outer: it.outerCode,
          productOuter: it.productOuterCode,
          title: it.title,
          spec: it.spec,
          stock: it.platformStock,
          onSale: it.onSale === null ? null : it.onSale ? 1 : 0,
          at: scope.at,
        });
        const codeMoved = before !== undefined && (before.outerCode !== it.outerCode || before.productOuterCode !== it.productOuterCode);
        if (codeMoved && before.matchedBy === 'outer_code' && before.skuId !== null) {
          unmatch.run(shop.id, it.platformProductId, it.platformSkuId);
          changes.push({ shopId: shop.id, platformProductId: it.platformProductId, platformSkuId: it.platformSkuId, before: before.skuId, after: null });
        }
      }
      const delisted = c.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM sku_mappings WHERE shop_id = ? AND listed_at < ?').get(shop.id, scope.at)?.n ?? 0;
      recordPull(scope.tx, shop.id, {
        at: scope.at,
        listed: listing.items.size,
        quarantinedCount: listing.quarantined.length,
        quarantined: listing.quarantined.slice(0, MAX_LISTED_BAD_ROWS).map((q) => ({ platformProductId: q.platformProductId, reason: redact(q.reason), raw: rawText(q.raw) })),
      });
      const matched = autoMatchIn(scope.tx, shop.id, ctx.actor.name, scope.at);
      // A row unmatched above and matched again to the same SKU is no change at all.
      const net = new Map<string, MappingChange>();
      for (const ch of [...changes, ...matched]) {
        const k = keyText(ch);
        const prior = net.get(k);
        net.set(k, prior ? { ...ch, before: prior.before } : ch);
      }
      const real = [...net.values()].filter((ch) => ch.before !== ch.after);
      const codeOf = skuCodes(scope.tx);
      for (const ch of real) scope.audit({ entity: 'sku_mapping', entityId: keyText(ch), field: 'sku', before: codeOf(ch.before), after: codeOf(ch.after), reason: 'outer code' });
      scope.audit({ entity: 'shop', entityId: shop.id, field: 'listing', after: { listed: listing.items.size, added, delisted, quarantined: listing.quarantined.length } });
      const rechecked = afterMappingChanges(scope.tx, real, scope.at, { actor: ctx.actor.name, opId: scope.opId });
      return {
        shopId: shop.id,
        shopName: shop.name,
        platform: shop.platform,
        listed: listing.items.size,
        added,
        delisted,
        autoMatched: matched.length,
        quarantined,
        quarantinedCount: listing.quarantined.length,
        rechecked,
        error: null,
      };
    },
  );
}

export async function pullMappings(ctx: CoreContext, deps: MappingPullDeps, input: ApiParsedInput<'mapping.pull'>): Promise<{ shops: MappingPullShop[] }> {
  const shops =
    input.shopId !== undefined
      ? [shopById(ctx.db, input.shopId)]
      : ctx.db.$client.prepare<[], ShopRow>("SELECT id, name, platform, state, settings FROM shops WHERE state = 'active' ORDER BY name, id").all();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const out: MappingPullShop[] = [];
  for (const shop of shops) {
    try {
      const listing = await walkListing(deps.adapterFor(shop), sleep);
      out.push(landListing(ctx, shop, listing));
    } catch (err) {
      const at = ctx.now();
      recordPullFailure(ctx.db, ctx.events, shop.id, {
        at,
        error: { code: err instanceof AppError ? err.code : 'INTERNAL', kind: classifyError(err).kind, message: redact(err instanceof Error ? err.message : String(err)) },
        scheduled: deps.retryAfterMs !== undefined,
        retryAt: deps.retryAfterMs === undefined ? null : at + deps.retryAfterMs,
      });
      out.push({
        shopId: shop.id,
        shopName: shop.name,
        platform: shop.platform,
        listed: 0,
        added: 0,
        delisted: 0,
        autoMatched: 0,
        quarantined: [],
        quarantinedCount: 0,
        rechecked: 0,
        error: redact(err instanceof Error ? err.message : String(err)),
      });
    }
  }
  return { shops: out };
}
