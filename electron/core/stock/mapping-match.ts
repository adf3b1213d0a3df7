// Which local SKU an order line stands for: the shop's mapping of the line's platform SKU (商品对应)
// first, then the line's outer code (商家编码) as the catalogue has it. One rule for the ingest and
// for the re-check after a mapping changes, so a line reads the same whichever path set it.
import type { Platform, PlatformOrder } from '../../shared/model.ts';
import { fromTopTrade } from '../platforms/taobao/adapter.ts';
import type { ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';

/** What of an order line the match reads. */
export interface LineForMatch {
  platformItemId: string;
  /** The product id the adapter read beside the line's own id (Taobao's num_iid); not stored. */
  platformProductId?: string | null | undefined;
  platformSkuId: string | null;
  outerSkuCode: string | null;
}

/**
 * The platform product id of a line sold without a SKU, where it is known: PDD's line id is the
 * goods_id when there is no sku_id, Kuaishou's is the item id; a Taobao line's id is the sub-order
 * (oid, which shipping names), so its product is the num_iid the adapter read beside it
 * (platformProductId; for a stored line, from the order's payload: storedProductIds). Douyin lines
 * carry neither, so such lines match by outer code only.
 */
export function skuLessProductId(platform: Platform | string, line: LineForMatch): string | null {
  if (line.platformSkuId !== null && line.platformSkuId !== '') return null;
  if (line.platformProductId) return line.platformProductId;
  if (platform === 'pdd' || platform === 'kuaishou') return line.platformItemId;
  return null;
}

/** Platforms whose stored lines do not carry their product id, and how to read it from the kept payload. */
const PAYLOAD_READERS: Partial<Record<string, (payload: unknown) => PlatformOrder>> = { taobao: fromTopTrade, tmall: fromTopTrade };

/**
 * The product id of each line (by line number − 1) of a stored order, read from its kept platform
 * payload (order_payloads) with the adapter's own parser; null when the platform's lines carry it
 * already, or the payload is missing or unreadable (the line then matches by outer code, as before).
 */
export function storedProductIds(db: ReadDb, platform: Platform | string, orderId: string): (string | null)[] | null {
  const read = PAYLOAD_READERS[platform];
  if (!read) return null;
  const row = db.$client.prepare<[string], { payload: string }>('SELECT payload FROM order_payloads WHERE order_id = ?').get(orderId);
  if (!row) return null;
  try {
    return read(JSON.parse(row.payload)).items.map((i) => i.platformProductId ?? null);
  } catch {
    return null;
  }
}

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();
function prepare(client: Db['$client']) {
  return {
    // sku_mappings_shop_sku_idx (shop_id, platform_sku_id). Platform SKU ids are unique within a
    // platform, so the product id is not needed; a mapped row wins over an unmapped one.
    bySkuId: client.prepare<[string, string], { skuId: string }>(
      'SELECT sku_id AS skuId FROM sku_mappings WHERE shop_id = ? AND platform_sku_id = ? AND sku_id IS NOT NULL LIMIT 1',
    ),
    byProduct: client.prepare<[string, string], { skuId: string }>(
      "SELECT sku_id AS skuId FROM sku_mappings WHERE shop_id = ? AND platform_product_id = ? AND platform_sku_id = '' AND sku_id IS NOT NULL",
    ),
    byCode: client.prepare<[string], { id: string }>('SELECT id FROM skus WHERE outer_sku_code = ?'),
  };
}

function statementsOf(db: ReadDb) {
  let st = statements.get(db.$client);
  if (!st) {
    st = prepare(db.$client);
    statements.set(db.$client, st);
  }
  return st;
}

/**
 * A matcher for one batch of one shop's lines, memoised: a batch looks each platform SKU and each
 * outer code up once (mappings change only by a command, never inside a batch).
 */
export function lineSkuMatcher(db: ReadDb, shopId: string, platform: Platform | string): (line: LineForMatch) => string | null {
  const st = statementsOf(db);
  const bySku = new Map<string, string | null>();
  const byProduct = new Map<string, string | null>();
  const byCode = new Map<string, string | null>();
  const codeMatch = (code: string | null): string | null => {
    if (code === null || code === '') return null;
    let id = byCode.get(code);
    if (id === undefined) {
      id = st.byCode.get(code)?.id ?? null;
      byCode.set(code, id);
    }
    return id;
  };
  return (line) => {
    let mapped: string | null = null;
    if (line.platformSkuId !== null && line.platformSkuId !== '') {
      const k = line.platformSkuId;
      let id = bySku.get(k);
      if (id === undefined) {
        id = st.bySkuId.get(shopId, k)?.skuId ?? null;
        bySku.set(k, id);
      }
      mapped = id;
    } else {
      const product = skuLessProductId(platform, line);
      if (product !== null) {
        let id = byProduct.get(product);
        if (id === undefined) {
          id = st.byProduct.get(shopId, product)?.skuId ?? null;
          byProduct.set(product, id);
        }
        mapped = id;
      }
    }
    return mapped ?? codeMatch(line.outerSkuCode);
  };
}
