// Order search for the workbench's search box: keeps each order's search documents in two FTS5
// indexes and turns a query string into SQL that selects matching orders by orders.seq.
//
// Why two indexes: the trigram tokenizer matches any substring of 3+ characters (order-number
// fragments, phone last four, 西湖区, SKU codes) but cannot match 1–2 character queries, and Chinese
// names and places are often two characters (张伟, 杭州). The second index stores every CJK bigram
// (plus the last character of each run, so single characters are found too) as unicode61 tokens, so
// short queries are token lookups instead of a LIKE scan. Both are contentless, keyed by orders.seq.
//
// Waybill numbers are not in the documents: they change after the order is indexed (a package is
// allocated, re-allocated, shipped elsewhere) and are searched whole — a scanned parcel — so a search
// box holding one waybill-like token also looks it up exactly, through the partial waybill indexes of
// orders and packages.
import { writeTx, type ReadDb, type WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { Columns, StoredOrder, StoredOrderItem } from '../db/rows.ts';
import { RECEIVER_COLUMNS, receiverFromRow, type ReceiverColumns } from './receiver-row.ts';

export interface SearchSource {
  platformOrderId: string;
  buyerNick: string;
  receiver: { name: string; phone: string; province: string; city: string; district: string; town: string | null; address: string };
  items: { title: string; outerSkuCode: string | null }[];
}

/** Columns a query may be restricted to (the sku filter searches only `items`). */
export type SearchColumn = 'who' | 'addr' | 'items';

const HAN_RUN = /\p{Script=Han}+/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The last four digits service staff quote for a phone; virtual numbers also by their extension. */
export function phoneSearchDigits(phone: string): string[] {
  const p = phone.replace(/\s/g, '');
  const ext = /^(.*?\d{4})[-_#转](\d{1,6})$/.exec(p);
  const main = ext ? ext[1]! : p;
  const out: string[] = [];
  const last = /(\d{4})$/.exec(main);
  if (last) out.push(last[1]!);
  if (ext && ext[2]!.length >= 3) out.push(ext[2]!);
  return out;
}

/** Text → unicode61-ready text in which every Han run is spelled as its bigrams plus its last char. */
export function cjkBigramText(text: string): string {
  return text.replace(HAN_RUN, (run) => {
    const chars = [...run];
    const parts: string[] = [];
    for (let i = 0; i + 1 < chars.length; i++) parts.push(chars[i]! + chars[i + 1]!);
    parts.push(chars[chars.length - 1]!);
    return ` ${parts.join(' ')} `;
  });
}

/** A Han run of a 1–2 character query as index tokens: its pair, or the single character. */
function queryBigrams(run: string): string {
  const chars = [...run];
  if (chars.length === 1) return chars[0]!;
  const parts: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) parts.push(chars[i]! + chars[i + 1]!);
  return parts.join(' ');
}

interface Docs {
  no: string;
  who: string;
  addr: string;
  items: string;
}

export function searchColumns(s: SearchSource): Docs {
  const r = s.receiver;
  return {
    no: s.platformOrderId,
    who: [s.buyerNick, r.name, ...phoneSearchDigits(r.phone)].join('\n'),
    addr: [r.province, r.city, r.district, r.town ?? '', r.address].join('\n'),
    items: s.items.flatMap((i) => (i.outerSkuCode ? [i.title, i.outerSkuCode] : [i.title])).join('\n'),
  };
}

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();

function prepare(client: Db['$client']) {
  return {
    insertTri: client.prepare('INSERT INTO order_search (rowid, no, who, addr, items) VALUES (?, ?, ?, ?, ?)'),
    insertCjk: client.prepare('INSERT INTO order_search_cjk (rowid, who, addr, items) VALUES (?, ?, ?, ?)'),
    deleteTri: client.prepare('DELETE FROM order_search WHERE rowid = ?'),
    deleteCjk: client.prepare('DELETE FROM order_search_cjk WHERE rowid = ?'),
  };
}

function stmts(db: Db) {
  let s = statements.get(db.$client);
  if (!s) {
    s = prepare(db.$client);
    statements.set(db.$client, s);
  }
  return s;
}

/** Write an order's search documents; `replace` removes the previous ones first (updates). */
export function writeSearchDoc(tx: WriteTx, seq: number, source: SearchSource, replace: boolean): void {
  const s = stmts(tx);
  if (replace) deleteSearchDoc(tx, seq);
  const d = searchColumns(source);
  s.insertTri.run(seq, d.no, d.who, d.addr, d.items);
  s.insertCjk.run(seq, cjkBigramText(d.who), cjkBigramText(d.addr), cjkBigramText(d.items));
}

export function deleteSearchDoc(tx: WriteTx, seq: number): void {
  const s = stmts(tx);
  s.deleteTri.run(seq);
  s.deleteCjk.run(seq);
}

/**
 * Rebuild every order's search documents from the orders and order_items tables. Needed once after
 * upgrading a database that had orders before the search migration (it leaves meta 'search.rebuild').
 */
export function rebuildSearchIndex(db: ReadDb): number {
  const client = db.$client;
  type Row = ReceiverColumns & Pick<Columns<StoredOrder>, 'seq' | 'id' | 'platform_order_id' | 'buyer_nick'>;
  // Paged by seq: better-sqlite3 cannot write while a read cursor is open on the same connection.
  const page = client.prepare<[number], Row>(
    `SELECT seq, id, platform_order_id, buyer_nick, ${RECEIVER_COLUMNS} FROM orders WHERE seq > ? ORDER BY seq LIMIT 1000`,
  );
  const items = client.prepare<[string], Pick<Columns<StoredOrderItem>, 'title' | 'outer_sku_code'>>(
    'SELECT title, outer_sku_code FROM order_items WHERE order_id = ? ORDER BY line_no',
  );
  let n = 0;
  // Start-up upkeep, not a command: it opens its own write transaction.
  writeTx(db, (tx) => {
    client.exec('DELETE FROM order_search; DELETE FROM order_search_cjk;');
    for (let rows = page.all(0); rows.length > 0; rows = page.all(rows[rows.length - 1]!.seq)) {
      const docs = rows.map((o) => ({
        seq: o.seq,
        source: {
          platformOrderId: o.platform_order_id,
          buyerNick: o.buyer_nick,
          receiver: receiverFromRow(o),
          items: items.all(o.id).map((i) => ({ title: i.title, outerSkuCode: i.outer_sku_code })),
        },
      }));
      for (const d of docs) writeSearchDoc(tx, d.seq, d.source, false);
      n += docs.length;
    }
    client.prepare("DELETE FROM meta WHERE key = 'search.rebuild'").run();
  });
  return n;
}

/** Rebuild the search index if a migration asked for it; cheap no-op otherwise. */
export function ensureSearchIndex(db: ReadDb): boolean {
  const flag = db.$client.prepare("SELECT value FROM meta WHERE key = 'search.rebuild'").get();
  if (!flag) return false;
  rebuildSearchIndex(db);
  return true;
}

/** Scanned waybills: letters, digits and dashes, 8–40 long (no carrier's number is shorter). */
const WAYBILL = /^[A-Za-z0-9-]{8,40}$/;

/** The search box's waybill number, when it holds one waybill-like token and nothing else. */
export function waybillTerm(q: string): string | null {
  const t = q.trim();
  return WAYBILL.test(t) ? t : null;
}

/** Seqs of the orders that shipped with this waybill or have a package carrying it: two index lookups. */
export function waybillSeqs(db: ReadDb, waybill: string): number[] {
  return db.$client
    .prepare(
      `SELECT seq FROM orders WHERE waybill_no = ?
       UNION SELECT o.seq FROM packages p JOIN orders o ON o.id = p.order_id WHERE p.waybill_no = ?`,
    )
    .pluck()
    .all(waybill, waybill) as number[];
}

/** The same as a SQL condition on `${alias}`, for plans that do not read the matches first. */
export function waybillCondition(waybill: string, alias = 'o'): SearchClause {
  return { sql: `(${alias}.waybill_no = ? OR ${alias}.id IN (SELECT order_id FROM packages WHERE waybill_no = ?))`, params: [waybill, waybill] };
}

const quote = (token: string): string => `"${token.replace(/"/g, '""')}"`;

export interface SearchClause {
  /** SQL selecting matching orders; uses `alias`.seq. */
  sql: string;
  params: unknown[];
}

/** One FTS5 MATCH against one of the two indexes; all of a query's matches must hold. */
export interface SearchMatch {
  table: 'order_search' | 'order_search_cjk';
  expr: string;
}

/**
 * Parse a search-box string into FTS5 MATCH expressions. Whitespace separates terms; every term
 * must match. Terms of 3+ characters match any substring (trigram); 1–2 character terms match Han
 * bigrams/characters anywhere and other words by prefix.
 */
export function searchMatches(q: string, column?: SearchColumn): SearchMatch[] {
  const tri: string[] = [];
  const cjk: string[] = [];
  for (const term of q.trim().split(/\s+/u)) {
    if (!term || !WORD_CHAR.test(term)) continue;
    if ([...term].length >= 3) {
      tri.push(quote(term));
    } else {
      // Query side: a Han pair is a whole token of the index (nothing longer is stored), so it
      // matches exactly; the trailing single character the documents carry would only add an
      // expensive prefix scan. A lone Han character and other words match by prefix.
      const tokens = term
        .replace(HAN_RUN, (run) => ` ${queryBigrams(run)} `)
        .split(/[^\p{L}\p{N}]+/u)
        .filter((t) => t.length > 0);
      for (const t of tokens) cjk.push(/^\p{Script=Han}{2}$/u.test(t) ? quote(t) : `${quote(t)}*`);
    }
  }
  const scope = (expr: string) => (column ? `{${column}} : (${expr})` : expr);
  const out: SearchMatch[] = [];
  if (tri.length > 0) out.push({ table: 'order_search', expr: scope(tri.join(' AND ')) });
  if (cjk.length > 0) out.push({ table: 'order_search_cjk', expr: scope(cjk.join(' AND ')) });
  return out;
}

/**
 * Turn a search-box string into a SQL condition on `${alias}.seq`, or null when it has no terms.
 * `indexed: false` writes `+seq` so the planner filters by the match set instead of driving from it.
 */
export function searchCondition(q: string, alias = 'o', column?: SearchColumn, options: { indexed?: boolean } = {}): SearchClause | null {
  const matches = searchMatches(q, column);
  if (matches.length === 0) return null;
  const seq = `${options.indexed === false ? '+' : ''}${alias}.seq`;
  return {
    sql: matches.map((m) => `${seq} IN (SELECT rowid FROM ${m.table} WHERE ${m.table} MATCH ?)`).join(' AND '),
    params: matches.map((m) => m.expr),
  };
}

/** The seqs of orders matching one expression, at most `cap + 1` of them (more means "over cap"). */
export function searchSeqs(db: Db, match: SearchMatch, cap: number): number[] {
  return db.$client
    .prepare(`SELECT rowid FROM ${match.table} WHERE ${match.table} MATCH ? LIMIT ?`)
    .pluck()
    .all(match.expr, cap + 1) as number[];
}
