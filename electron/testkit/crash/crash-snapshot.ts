// What the crash test compares: a station database's synced content keyed by platform identity
// (platform order id, line no), without the station's own bookkeeping (row ids, shop UUIDs, ingest
// and local-update times), so a database that survived kill -9 can be compared with one that did not.
import Database from 'better-sqlite3';
import { searchMatches } from '../../core/orders/search.ts';

/** Columns that differ between two correct syncs of the same platform data: station ids and local clocks. */
const LOCAL_ORDER_COLUMNS = ['seq', 'id', 'shop_id', 'local_updated_at'];
const LOCAL_ITEM_COLUMNS = ['seq', 'order_id'];

type Row = Record<string, unknown>;

export interface SyncSnapshot {
  shopCount: number;
  /** Platform order id → the order row without local columns, plus its content hash. */
  orders: Map<string, string>;
  /** `${platformOrderId}#${lineNo}` → the item row without local columns. */
  items: Map<string, string>;
  /** Platform order id → the raw payload kept for replay. */
  payloads: Map<string, string>;
  /** Quarantined payloads as `${platformOrderId}\t${reason}\t${payload}`, sorted (duplicates kept). */
  quarantine: string[];
  /** The trigger-kept tab counts, shop id left out, sorted. */
  orderCounts: string[];
  /** Platform order ids that appear more than once in this shop (the unique index should make this empty). */
  duplicateIds: string[];
  /** Platform order ids whose row has a document in each search index. */
  searchDocs: { trigram: string[]; cjk: string[] };
  /** Platform order ids found by searching each sampled order's own number. */
  searchHits: Map<string, string[]>;
  /**
   * Orders inserted and updated as the ops log tells it (one sync.ingest op per committed page):
   * every order inserted exactly once, and a re-pulled unchanged order never counted as an update.
   */
  ingestOps: { inserted: number; updated: number };
  cursorMs: number | null;
  lastError: string | null;
  integrity: string;
}

const without = (row: Row, columns: readonly string[]): Row => {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) if (!columns.includes(k)) out[k] = v;
  return out;
};

/**
 * Reads the whole synced state of a database that holds one shop. `searchSample` picks the orders
 * whose numbers are searched (the same ids in both databases make the hit lists comparable).
 */
export function readSyncSnapshot(file: string, searchSample: readonly string[] = []): SyncSnapshot {
  const db = new Database(file);
  try {
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? '';
    const orderRows = db.prepare('SELECT * FROM orders').all() as Row[];
    const orders = new Map<string, string>();
    const poidBySeq = new Map<number, string>();
    for (const r of orderRows) {
      orders.set(String(r.platform_order_id), JSON.stringify(without(r, LOCAL_ORDER_COLUMNS)));
      poidBySeq.set(Number(r.seq), String(r.platform_order_id));
    }
    const items = new Map<string, string>();
    const itemRows = db.prepare('SELECT o.platform_order_id AS poid, i.* FROM order_items i JOIN orders o ON o.id = i.order_id').all() as Row[];
    for (const r of itemRows) items.set(`${String(r.poid)}#${String(r.line_no)}`, JSON.stringify(without(r, [...LOCAL_ITEM_COLUMNS, 'poid'])));
    const payloads = new Map<string, string>();
    for (const r of db.prepare('SELECT o.platform_order_id AS poid, p.payload FROM order_payloads p JOIN orders o ON o.id = p.order_id').all() as Row[]) {
      payloads.set(String(r.poid), String(r.payload));
    }
    const quarantine = (db.prepare('SELECT platform_order_id, reason, payload FROM quarantine').all() as Row[])
      .map((r) => `${String(r.platform_order_id)}\t${String(r.reason)}\t${String(r.payload)}`)
      .sort();
    const orderCounts = (db.prepare('SELECT queue, abnormal_flags, n FROM order_counts WHERE n <> 0').all() as Row[]).map((r) => `${String(r.queue)}/${String(r.abnormal_flags)}=${String(r.n)}`).sort();
    const duplicateIds = (db.prepare('SELECT platform_order_id FROM orders GROUP BY shop_id, platform_order_id HAVING count(*) > 1').pluck().all() as string[]).sort();
    // Contentless FTS5 tables still list their rowids: every order has exactly one document, no orphans.
    const docs = (table: string) =>
      (db.prepare(`SELECT rowid FROM ${table}`).pluck().all() as number[]).map((seq) => poidBySeq.get(seq) ?? `orphan:${seq}`).sort();
    const searchHits = new Map<string, string[]>();
    for (const poid of searchSample) {
      const hits = new Set<number>();
      searchMatches(poid).forEach((m, i) => {
        const seqs = db.prepare(`SELECT rowid FROM ${m.table} WHERE ${m.table} MATCH ?`).pluck().all(m.expr) as number[];
        if (i === 0) seqs.forEach((s) => hits.add(s));
        else for (const s of [...hits]) if (!seqs.includes(s)) hits.delete(s);
      });
      searchHits.set(poid, [...hits].map((s) => poidBySeq.get(s) ?? `orphan:${s}`).sort());
    }
    const ingestOps = { inserted: 0, updated: 0 };
    for (const args of db.prepare("SELECT args FROM ops WHERE name = 'sync.ingest'").pluck().all() as string[]) {
      const a = JSON.parse(args) as { inserted?: number; updated?: number };
      ingestOps.inserted += a.inserted ?? 0;
      ingestOps.updated += a.updated ?? 0;
    }
    const cursor = db.prepare('SELECT cursor_ms, last_error FROM sync_cursors').get() as { cursor_ms: number | null; last_error: string | null } | undefined;
    return {
      shopCount: db.prepare('SELECT count(*) FROM shops').pluck().get() as number,
      orders,
      items,
      payloads,
      quarantine,
      orderCounts,
      duplicateIds,
      searchDocs: { trigram: docs('order_search'), cjk: docs('order_search_cjk') },
      searchHits,
      ingestOps,
      cursorMs: cursor?.cursor_ms ?? null,
      lastError: cursor?.last_error ?? null,
      integrity,
    };
  } finally {
    db.close();
  }
}

/** Keys present in one map and not the other, and keys whose values differ: counted, and the first few shown. */
export function mapDiff(expected: Map<string, string>, actual: Map<string, string>, cap = 3) {
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  const differing = [...expected.entries()]
    .filter(([k, v]) => actual.has(k) && actual.get(k) !== v)
    .map(([key, v]) => ({ key, expected: v, actual: actual.get(key) ?? '' }));
  return {
    counts: { missing: missing.length, extra: extra.length, differing: differing.length },
    missing: missing.slice(0, cap),
    extra: extra.slice(0, cap),
    differing: differing.slice(0, cap),
  };
}

/**
 * How far a (possibly half-written) database got: the crash test's "did the kill land mid-sync" probe.
 * A cursor means at least one window committed; last_success_at is written only when the sync finished.
 */
export function syncProgressOf(file: string): { orders: number; cursorMs: number | null; finished: boolean } {
  const db = new Database(file);
  try {
    const hasSchema = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sync_cursors'").pluck().get() === 1;
    if (!hasSchema) return { orders: 0, cursorMs: null, finished: false };
    const cursor = db.prepare('SELECT cursor_ms, last_success_at FROM sync_cursors').get() as { cursor_ms: number | null; last_success_at: number | null } | undefined;
    return {
      orders: db.prepare('SELECT count(*) FROM orders').pluck().get() as number,
      cursorMs: cursor?.cursor_ms ?? null,
      finished: (cursor?.last_success_at ?? null) !== null,
    };
  } finally {
    db.close();
  }
}
