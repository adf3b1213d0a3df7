// The station's sync client (docs/team-hub.md#push-station--hub, #pull-hub--station): join a hub
// with a one-time code, push this station's ops in seq order with their effects, pull what the
// team changed and apply it in one SQLite transaction. The scheduler (schedule.ts) and the API and
// CLI (api.ts, hosts/cli/commands/station.ts) all call these; nothing here runs unless the
// station has joined a hub.
import { HUB_SCHEMA_VERSION, type OpEffect, type OpResult, type PulledRow, type PushOp } from '../../shared/hub/protocol.ts';
import { stationWrittenTables, syncedTable, type SyncedTable } from '../../shared/hub/tables.ts';
import { writeTx, type WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { appendOp } from '../db/ops.ts';
import { deleteSearchDoc, writeSearchDoc } from '../orders/search.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { createStationClock, observeRemoteHlc } from '../station/clock.ts';
import { v7 as uuidv7 } from 'uuid';
import { clearHub, loadHubToken, patchHubSettings, readHubSettings, saveHubToken, setCapture, writeHubSettings, type HubSettings } from './settings.ts';
import { httpTransport, HubRequestError, type FetchLike, type HubTransport } from './transport.ts';
import { applyPulledPerson, clearIdentity, writeSignedIn } from './identity-local.ts';

/** The op name of the rows a first station brings into a new team (the join command's own name). */
export const BOOTSTRAP_OP = 'hub.join';
/** Effects per bootstrap op, and per push request (the contract allows 10,000 per op). */
const EFFECTS_PER_OP = 5000;
const OPS_PER_PUSH = 200;
/** Rows gathered from pull pages before they are applied in one transaction. */
const PULL_PAGE = 2000;
const PULL_ROWS_PER_APPLY = 100_000;

export interface HubDeps {
  cipher: SecretCipher;
  fetch?: FetchLike;
  now?: () => number;
  /** Told after a pull changed rows (the core emits db.changed). */
  onChanged?: (tables: string[]) => void;
  /** Overrides the HTTP transport (tests of transport failures). */
  transport?: (url: string, token: string | null) => HubTransport;
}

function transportOf(deps: HubDeps, url: string, token: string | null): HubTransport {
  return deps.transport ? deps.transport(url, token) : httpTransport(url, token, deps.fetch);
}

export class HubNotJoined extends Error {
  constructor() {
    super('this station is not joined to a hub (shopfleet station join --hub URL --code CODE --name NAME)');
  }
}

// ---------- join / leave ----------

export interface JoinInput {
  url: string;
  code: string;
  name: string;
}

export interface JoinOutcome {
  settings: HubSettings;
  /** Rows this station brought into a team that had none (0 when the team already had rows). */
  broughtRows: number;
  bootstrapOps: number;
}

export async function joinHub(db: Db, deps: HubDeps, input: JoinInput): Promise<JoinOutcome> {
  if (readHubSettings(db)) throw new Error('this station is already joined to a hub: leave it first');
  const url = new URL(input.url).toString().replace(/\/+$/, '');
  // Saying whether it holds rows lets the hub refuse a first join that could not bring them (a code not the owner's).
  const joined = await transportOf(deps, url, null).join({ code: input.code, name: input.name, bringsRows: holdsRows(db) });
  // The first station of a new team brings what it holds; a team that has rows is bootstrapped from them.
  // (The hub's own rows, its users, are there from the team's creation and do not count.)
  const teamIsEmpty = await holdsNoStationRows(transportOf(deps, url, joined.token));
  const now = (deps.now ?? Date.now)();
  let broughtRows = 0;
  let bootstrapOps = 0;
  const settings = writeTx(db, (tx) => {
    const seqBase = tx.$client.prepare<[], { s: number | null }>('SELECT max(seq) AS s FROM ops').get()?.s ?? 0;
    tx.$client.prepare(`UPDATE ops SET hub_state = 'local' WHERE hub_state = 'pending'`).run();
    tx.$client.prepare('DELETE FROM op_effects').run();
    saveHubToken(tx, deps.cipher, joined.token);
    const s: HubSettings = {
      url,
      stationId: joined.stationId,
      stationName: input.name,
      team: joined.team,
      user: joined.user,
      seqBase,
      cursor: 0,
      resultsAfter: 0,
      joinedAt: now,
      lastPushAt: null,
      lastPullAt: null,
      lastError: null,
      tooOld: false,
    };
    writeHubSettings(tx, s);
    // The person the code was made for is signed in: a station is never joined with nobody at it.
    writeSignedIn(tx, joined.user, now);
    if (teamIsEmpty) ({ rows: broughtRows, ops: bootstrapOps } = bringHeldRows(tx, joined.user.name, now));
    setCapture(tx, true);
    return s;
  });
  return { settings, broughtRows, bootstrapOps };
}

/** Whether this station holds any row of the synced tables it writes (what a first station brings). */
function holdsRows(db: Db): boolean {
  return stationWrittenTables().some((t) => db.$client.prepare(`SELECT 1 FROM ${q(t.name)} LIMIT 1`).get() !== undefined);
}

async function holdsNoStationRows(transport: HubTransport): Promise<boolean> {
  let cursor = 0;
  for (;;) {
    const page = await transport.pull({ cursor, limit: PULL_PAGE });
    if (page.rows.some((r) => syncedTable(r.table)?.rule !== 'hub')) return false;
    if (!page.more) return true;
    cursor = page.cursor;
  }
}

/** Every row this station holds in the synced tables, as effects of bootstrap ops of at most EFFECTS_PER_OP rows. */
function bringHeldRows(tx: WriteTx, actor: string, now: number): { rows: number; ops: number } {
  const clock = createStationClock(tx);
  const c = tx.$client;
  // Marked '' (no op, but not the unassigned NULL appendOp takes), then given out in chunks.
  let rows = 0;
  for (const t of stationWrittenTables()) {
    rows += c
      .prepare(`INSERT INTO op_effects (op_id, tbl, key, cols, kind) SELECT '', ?, json_array(${t.key.map(q).join(', ')}), NULL, 'i' FROM ${q(t.name)}`)
      .run(t.name).changes;
  }
  const assign = c.prepare<[string]>(
    `UPDATE op_effects SET op_id = ? WHERE id IN (SELECT id FROM op_effects WHERE op_id = '' ORDER BY id LIMIT ${EFFECTS_PER_OP})`,
  );
  let ops = 0;
  for (;;) {
    const id = uuidv7();
    if (assign.run(id).changes === 0) break;
    ops += 1;
    appendOp(tx, { id, at: now, clock, actor, name: BOOTSTRAP_OP, args: { bootstrap: ops } });
  }
  return { rows, ops };
}

/** Leaves the hub: forgets its URL and token and stops recording effects; every row stays here. */
export function leaveHub(db: Db): boolean {
  if (!readHubSettings(db)) return false;
  writeTx(db, (tx) => {
    clearHub(tx);
    // The team's people and their verifiers go with the hub: the station's own owner acts again.
    clearIdentity(tx);
  });
  return true;
}

// ---------- push ----------

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface OpRow {
  id: string;
  seq: number;
  name: string;
  hlc: string;
  actor: string;
  args: string;
}

const rowReaders = new WeakMap<Db['$client'], Map<string, { get(...key: unknown[]): Record<string, unknown> | undefined }>>();

function readRow(db: Db, t: SyncedTable, key: unknown[]): Record<string, unknown> | undefined {
  let m = rowReaders.get(db.$client);
  if (!m) rowReaders.set(db.$client, (m = new Map()));
  let stmt = m.get(t.name);
  if (!stmt) {
    stmt = db.$client.prepare(`SELECT ${t.columns.map(q).join(', ')} FROM ${q(t.name)} WHERE ${t.key.map((c) => `${q(c)} = ?`).join(' AND ')}`) as never;
    m.set(t.name, stmt!);
  }
  return stmt!.get(...key);
}

/** An op's effects as they travel: each changed row once, with the current values of its changed columns. */
export function effectsOf(db: Db, opId: string): OpEffect[] {
  const rows = db.$client.prepare<[string], { tbl: string; key: string; cols: string | null }>(`SELECT tbl, key, cols FROM op_effects WHERE op_id = ? ORDER BY id`).all(opId);
  const byRow = new Map<string, { t: SyncedTable; key: unknown[]; cols: Set<string> | null }>();
  for (const r of rows) {
    const t = syncedTable(r.tbl);
    if (!t) continue;
    const id = `${r.tbl}\u0000${r.key}`;
    const cols = r.cols === null ? null : (JSON.parse(r.cols) as string[]);
    const seen = byRow.get(id);
    if (!seen) byRow.set(id, { t, key: JSON.parse(r.key) as unknown[], cols: cols === null ? null : new Set(cols) });
    else if (seen.cols !== null) {
      if (cols === null) seen.cols = null;
      else for (const c of cols) seen.cols.add(c);
    }
  }
  const out: OpEffect[] = [];
  for (const { t, key, cols } of byRow.values()) {
    const row = readRow(db, t, key);
    if (!row) {
      out.push({ table: t.name, key: key as (string | number)[], columns: {}, deleted: true });
      continue;
    }
    const columns: Record<string, unknown> = {};
    for (const c of t.columns) if (cols === null || cols.has(c) || t.key.includes(c)) columns[c] = row[c];
    out.push({ table: t.name, key: key as (string | number)[], columns });
  }
  return out;
}

export interface PushOutcome {
  pushed: number;
  refused: number;
  lastSeq: number | null;
}

/** Ops to send after the given wire seq: the pending ones, or (resending after a 409) every one. */
function pendingOps(db: Db, s: HubSettings, afterWireSeq: number, resend: boolean): OpRow[] {
  return db.$client
    .prepare<[number, number], OpRow>(
      `SELECT id, seq, name, hlc, actor, args FROM ops WHERE (hub_state = 'pending' OR ?) AND seq > ? ORDER BY seq LIMIT ${OPS_PER_PUSH}`,
    )
    .all(resend ? 1 : 0, s.seqBase + afterWireSeq);
}

/** Marks ops acked or refused by the hub's results and lets their effects go. */
function markResults(tx: WriteTx, s: HubSettings, results: readonly OpResult[]): number {
  const mark = tx.$client.prepare<[string, string | null, string | null, string, number]>(
    `UPDATE ops SET hub_state = ?, hub_reason = ?, hub_details = ? WHERE id = ? AND seq = ? AND hub_state = 'pending'`,
  );
  const drop = tx.$client.prepare<[string]>('DELETE FROM op_effects WHERE op_id = ?');
  let refused = 0;
  for (const r of results) {
    const state = r.status === 'applied' ? 'acked' : 'refused';
    const changed = mark.run(state, r.reason ?? null, r.details ? JSON.stringify(r.details) : null, r.opId, s.seqBase + r.seq).changes;
    if (changed > 0 && state === 'refused') refused += 1;
    drop.run(r.opId);
  }
  return refused;
}

export async function pushOnce(db: Db, deps: HubDeps): Promise<PushOutcome> {
  const s = readHubSettings(db);
  if (!s) throw new HubNotJoined();
  const transport = transportOf(deps, s.url, loadHubToken(db, deps.cipher));
  let pushed = 0;
  let refused = 0;
  let lastSeq: number | null = null;
  let after = 0;
  let resend = false;
  let gaps = 0;
  for (;;) {
    const ops = pendingOps(db, s, after, resend);
    if (ops.length === 0) break;
    const batch: PushOp[] = [];
    let effects = 0;
    for (const o of ops) {
      const fx = effectsOf(db, o.id);
      if (batch.length > 0 && effects + fx.length > 2 * EFFECTS_PER_OP) break;
      effects += fx.length;
      batch.push({ seq: o.seq - s.seqBase, id: o.id, name: o.name, hlc: o.hlc, actor: o.actor, args: JSON.parse(o.args), effects: fx });
    }
    let answer;
    try {
      answer = await transport.push({ stationId: s.stationId, schemaVersion: HUB_SCHEMA_VERSION, ops: batch });
    } catch (err) {
      if (err instanceof HubRequestError && err.code === 'OUT_OF_ORDER' && err.body.lastSeq !== undefined) {
        // The hub stands elsewhere than this batch assumed: resend from the op after its last.
        if (++gaps > 3) throw err;
        after = err.body.lastSeq;
        resend = true;
        continue;
      }
      if (err instanceof HubRequestError && err.code === 'STATION_TOO_OLD') {
        writeTx(db, (tx) => patchHubSettings(tx, { tooOld: true }));
      }
      throw err;
    }
    lastSeq = answer.lastSeq;
    writeTx(db, (tx) => {
      refused += markResults(tx, s, answer.results);
      patchHubSettings(tx, { lastPushAt: (deps.now ?? Date.now)(), tooOld: false });
    });
    pushed += answer.results.length;
    resend = false;
    // Ops the hub had already (a lost answer) get their results on the next pull.
    after = Math.max(after, answer.lastSeq, batch.at(-1)!.seq);
  }
  return { pushed, refused, lastSeq };
}

// ---------- pull ----------

export interface PullOutcome {
  pulled: number;
  /** Rows not applied because this station still has unacknowledged writes to them. */
  kept: number;
  /** Rows a local constraint refused (the same platform order under another id, say). */
  conflicts: number;
  refused: number;
  cursor: number;
}

type AnyStatement = { run(...params: unknown[]): unknown };
const upserts = new WeakMap<Db['$client'], Map<string, AnyStatement>>();

function upsertStmt(tx: WriteTx, t: SyncedTable, cols: string[]) {
  let m = upserts.get(tx.$client);
  if (!m) upserts.set(tx.$client, (m = new Map()));
  const id = `${t.name}:${cols.join(',')}`;
  let stmt = m.get(id);
  if (!stmt) {
    const nonKey = cols.filter((c) => !t.key.includes(c));
    const onConflict =
      t.rule === 'append' || nonKey.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET ${nonKey.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
    stmt = tx.$client.prepare<unknown[]>(
      `INSERT INTO ${q(t.name)} (${cols.map(q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT (${t.key.map(q).join(', ')}) ${onConflict}`,
    );
    m.set(id, stmt);
  }
  return stmt;
}

function sqliteValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}

/** Applies pulled rows and results in one transaction; answers what it did. */
export function applyPull(
  db: Db,
  s: HubSettings,
  page: { rows: readonly PulledRow[]; results: readonly OpResult[]; cursor: number },
  now: number,
): PullOutcome & { tables: string[]; rescoped: boolean } {
  const fkWasOn = db.$client.pragma('foreign_keys', { simple: true }) === 1;
  // The hub's rows arrive in its order (an item may come before its order); the pull is the hub's
  // consistent view, so references are not checked row by row while it is applied.
  if (fkWasOn) db.$client.pragma('foreign_keys = OFF');
  try {
    return writeTx(db, (tx) => {
      setCapture(tx, false);
      const refused = markResults(tx, s, page.results);
      const resultsAfter = page.results.reduce((m, r) => Math.max(m, r.seq), s.resultsAfter);
      const pending = new Set(
        tx.$client
          .prepare<[], { tbl: string; key: string }>('SELECT DISTINCT tbl, key FROM op_effects')
          .all()
          .map((r) => `${r.tbl}\u0000${r.key}`),
      );
      let pulled = 0;
      let kept = 0;
      let conflicts = 0;
      let rescoped = false;
      const tables = new Set<string>();
      const searchOrders = new Set<string>();
      // The hub's state wins over a refused op (docs/team-hub.md#refused-ops): the rows it will not
      // send back are deleted here, before this page's rows (a newer image of one of them wins).
      // A refused bootstrap op carried what this station held before it joined, not a change to
      // the team's rows: those stay.
      for (const r of page.results) {
        for (const ref of r.status === 'refused' && r.name !== BOOTSTRAP_OP ? (r.reverts ?? []) : []) {
          const t = syncedTable(ref.table);
          if (!t || t.key.length !== ref.key.length) continue;
          if (pending.has(`${t.name}\u0000${JSON.stringify(ref.key)}`)) {
            kept += 1;
            continue;
          }
          if (deleteRow(tx, t, ref.key) > 0) {
            pulled += 1;
            tables.add(t.name);
          }
        }
      }
      for (const row of page.rows) {
        const t = syncedTable(row.table);
        if (!t) continue;
        if (pending.has(`${t.name}\u0000${JSON.stringify(row.key)}`)) {
          kept += 1;
          continue;
        }
        try {
          if (row.image === null) {
            if (t.rule === 'append') continue;
            deleteRow(tx, t, row.key);
          } else {
            const cols = t.columns.filter((c) => Object.hasOwn(row.image!, c));
            if (!t.key.every((c) => cols.includes(c))) continue;
            upsertStmt(tx, t, cols).run(...cols.map((c) => sqliteValue(row.image![c])));
            if (t.name === 'orders') searchOrders.add(String(row.image.id));
            if (t.name === 'order_items') searchOrders.add(String(row.image.order_id));
            if (t.name === 'users' && Object.hasOwn(row.image, 'shops')) rescoped = applyPerson(tx, s, row.image) || rescoped;
          }
          pulled += 1;
          tables.add(t.name);
        } catch (err) {
          if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
            conflicts += 1;
            continue;
          }
          throw err;
        }
      }
      for (const id of searchOrders) reindexOrder(tx, id);
      // The clock moves past every write this page shows (kept rows too: their hub timestamp is real).
      const newest = page.rows.reduce<string | null>((m, r) => (r.hlc !== undefined && (m === null || r.hlc > m) ? r.hlc : m), null);
      if (newest !== null) observeRemoteHlc(tx, newest);
      // A station whose person gained shops pulls again from 0, as a bootstrap does: the hub sends
      // a group's rows only as they change, so the gained shops' older rows come no other way.
      const cursor = rescoped ? 0 : page.cursor;
      patchHubSettings(tx, { cursor, resultsAfter, lastPullAt: now, lastError: null });
      setCapture(tx, true);
      return { pulled, kept, conflicts, refused, cursor, tables: [...tables], rescoped };
    });
  } finally {
    if (fkWasOn) db.$client.pragma('foreign_keys = ON');
  }
}

/** The sync groups a scope reaches (null = every shop), as the hub names them. */
const groupsOfShops = (shops: readonly string[] | null): Set<string> | null => (shops === null ? null : new Set(shops.map((x) => `shop:${x}`)));

/**
 * A pulled users row with its shop scope: a signed-in person's role and shops follow it; when it is
 * the station's own person (whose groups the hub pulls for) and they gained a shop, answers true
 * and keeps the new scope in the settings, so the caller pulls again from 0.
 */
function applyPerson(tx: WriteTx, s: HubSettings, image: Record<string, unknown>): boolean {
  const shops = Array.isArray(image.shops) ? image.shops.filter((x): x is string => typeof x === 'string') : image.shops === null ? null : undefined;
  if (shops === undefined || typeof image.id !== 'string' || typeof image.role !== 'string') return false;
  applyPulledPerson(tx, { id: image.id, role: image.role, shops });
  const current = readHubSettings(tx)!;
  if (image.id !== s.user.id) return false;
  const before = groupsOfShops(current.user.shops ?? null);
  const after = groupsOfShops(shops);
  const gained = before !== null && (after === null || [...after].some((g) => !before.has(g)));
  if (gained || JSON.stringify(current.user.shops ?? null) !== JSON.stringify(shops) || current.user.role !== image.role) {
    patchHubSettings(tx, { user: { ...current.user, role: image.role as HubSettings['user']['role'], shops } });
  }
  return gained;
}

/** Deletes one row (an order's search document with it); answers how many rows went. */
function deleteRow(tx: WriteTx, t: SyncedTable, key: readonly unknown[]): number {
  if (t.name === 'orders') {
    const seq = tx.$client.prepare<[unknown], { seq: number }>('SELECT seq FROM orders WHERE id = ?').get(key[0])?.seq;
    if (seq !== undefined) deleteSearchDoc(tx, seq);
  }
  return tx.$client.prepare(`DELETE FROM ${q(t.name)} WHERE ${t.key.map((c) => `${q(c)} = ?`).join(' AND ')}`).run(...key).changes;
}

/** Rewrites a pulled order's search documents (the index is written by code, not by triggers). */
function reindexOrder(tx: WriteTx, orderId: string): void {
  const o = tx.$client
    .prepare<[string], Record<string, string | number | null>>(
      `SELECT seq, platform_order_id, buyer_nick, receiver_name, receiver_phone, receiver_province, receiver_city, receiver_district, receiver_town, receiver_address FROM orders WHERE id = ?`,
    )
    .get(orderId);
  if (!o) return;
  const items = tx.$client
    .prepare<[string], { title: string; outer_sku_code: string | null }>('SELECT title, outer_sku_code FROM order_items WHERE order_id = ? ORDER BY line_no')
    .all(orderId);
  writeSearchDoc(
    tx,
    Number(o.seq),
    {
      platformOrderId: String(o.platform_order_id),
      buyerNick: String(o.buyer_nick),
      receiver: {
        name: String(o.receiver_name),
        phone: String(o.receiver_phone),
        province: String(o.receiver_province),
        city: String(o.receiver_city),
        district: String(o.receiver_district),
        town: o.receiver_town === null ? null : String(o.receiver_town),
        address: String(o.receiver_address),
      },
      items: items.map((i) => ({ title: i.title, outerSkuCode: i.outer_sku_code })),
    },
    true,
  );
}

export async function pullOnce(db: Db, deps: HubDeps): Promise<PullOutcome> {
  const s0 = readHubSettings(db);
  if (!s0) throw new HubNotJoined();
  const transport = transportOf(deps, s0.url, loadHubToken(db, deps.cipher));
  const total: PullOutcome = { pulled: 0, kept: 0, conflicts: 0, refused: 0, cursor: s0.cursor };
  const changed = new Set<string>();
  for (;;) {
    const s = readHubSettings(db)!;
    const rows: PulledRow[] = [];
    const results: OpResult[] = [];
    let cursor = s.cursor;
    let resultsAfter = s.resultsAfter;
    let more = true;
    while (more && rows.length < PULL_ROWS_PER_APPLY) {
      const page = await transport.pull({ cursor, limit: PULL_PAGE, resultsAfter });
      rows.push(...page.rows);
      results.push(...page.results);
      resultsAfter = page.results.reduce((m, r) => Math.max(m, r.seq), resultsAfter);
      cursor = page.cursor;
      more = page.more;
    }
    const out = applyPull(db, s, { rows, results, cursor }, (deps.now ?? Date.now)());
    total.pulled += out.pulled;
    total.kept += out.kept;
    total.conflicts += out.conflicts;
    total.refused += out.refused;
    total.cursor = out.cursor;
    for (const t of out.tables) changed.add(t);
    if (!more && !out.rescoped) break;
  }
  if (changed.size > 0) deps.onChanged?.([...changed]);
  return total;
}

// ---------- one round ----------

export interface SyncOutcome {
  pushed: number;
  pulled: number;
  refused: number;
  kept: number;
  conflicts: number;
  cursor: number;
}

/** Push, then pull: one round. A failure is recorded for the status and thrown. */
export async function syncOnce(db: Db, deps: HubDeps): Promise<SyncOutcome> {
  try {
    const p = await pushOnce(db, deps);
    const l = await pullOnce(db, deps);
    return { pushed: p.pushed, pulled: l.pulled, refused: p.refused + l.refused, kept: l.kept, conflicts: l.conflicts, cursor: l.cursor };
  } catch (err) {
    if (readHubSettings(db)) {
      const code = err instanceof HubRequestError ? err.code : null;
      writeTx(db, (tx) => patchHubSettings(tx, { lastError: { at: (deps.now ?? Date.now)(), message: (err as Error).message, code } }));
    }
    throw err;
  }
}
