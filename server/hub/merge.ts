// Merging an op's effects into the hub's rows, table by table by the rule of
// electron/shared/hub/tables.ts: lww per column by the op's hybrid timestamp (string order is
// clock order), append by key (a second copy is a no-op), platform columns by the newer platform
// version (the rest lww). Every row an op touches gets a new sync id, even when the op lost on
// every column, so the station that sent it receives the winning image. The merge runs in memory
// over the push's RowSet: a push loads the rows it touches in one SELECT and writes them in one
// INSERT, however many ops and effects it carries.
import type { OpEffect, PushOp } from '../../electron/shared/hub/protocol.ts';
import { SYNCED_TABLES, syncedTable, type SyncedTable } from '../../electron/shared/hub/tables.ts';
import { OpRefusal } from './errors.ts';
import { keyText, type RowSet, type RowState } from './rows.ts';

export interface MergeScope {
  teamId: string;
  /** The actor's shops; null = every shop of the team. */
  shops: string[] | null;
}

export interface MergeOutcome {
  touched: number;
  groups: Set<string>;
  /** The greatest sync id the mutator drew itself (rows it wrote through SQL); 0 for a pure merge. */
  maxSyncId: number;
}

const TABLE_ORDER = new Map(SYNCED_TABLES.map((t, i) => [t.name, i]));

/** A platform version: numbers by value, anything else as text; absent is older than everything. */
function compareVersions(a: unknown, b: unknown): number {
  const absent = (v: unknown) => v === null || v === undefined;
  if (absent(a)) return absent(b) ? 0 : -1;
  if (absent(b)) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function shopGroup(shopId: unknown): string | null {
  return typeof shopId === 'string' && shopId !== '' ? `shop:${shopId}` : typeof shopId === 'number' ? `shop:${shopId}` : null;
}

/** The parent row a child table takes its group or platform version from, if it has one. */
function parentRefs(t: SyncedTable): Array<{ table: string; fk: string }> {
  const out: Array<{ table: string; fk: string }> = [];
  if (t.group.kind !== 'team' && 'via' in t.group) out.push({ table: t.group.via.table, fk: t.group.via.fk });
  const v = t.platformVersion;
  if (v && 'via' in v) out.push({ table: v.via.table, fk: v.via.fk });
  return out;
}

/**
 * Loads every row these effects touch, then the parents their groups and platform versions come
 * from: two SELECTs at most, whatever the number of effects (rows already loaded are not asked again).
 */
export async function loadForEffects(rows: RowSet, effects: readonly OpEffect[]): Promise<void> {
  const known = effects.filter((e) => syncedTable(e.table) !== undefined);
  await rows.load(known.map((e) => ({ tbl: e.table, key: keyText(e.key) })));
  const parents: Array<{ tbl: string; key: string }> = [];
  for (const e of known) {
    const t = syncedTable(e.table)!;
    for (const p of parentRefs(t)) {
      const fk = e.columns[p.fk] ?? rows.get(t.name, keyText(e.key))?.image[p.fk];
      if (fk !== undefined && fk !== null) parents.push({ tbl: p.table, key: keyText([fk]) });
    }
  }
  await rows.load(parents);
}

/** A parent row's image as this push sees it (its own earlier effects included). */
async function parentImage(rows: RowSet, table: string, fk: unknown): Promise<Record<string, unknown> | null> {
  if (fk === undefined || fk === null) return null;
  const key = keyText([fk]);
  if (rows.get(table, key) === undefined) await rows.load([{ tbl: table, key }]);
  return rows.get(table, key)?.image ?? null;
}

async function groupOf(rows: RowSet, t: SyncedTable, image: Record<string, unknown>): Promise<string> {
  const g = t.group;
  if (g.kind === 'team') return 'team';
  if ('column' in g) {
    const grp = shopGroup(image[g.column]);
    if (grp === null) throw new OpRefusal('ROW_WITHOUT_SHOP', { table: t.name, column: g.column });
    return grp;
  }
  const parentKey = image[g.via.fk];
  const parent = await parentImage(rows, g.via.table, parentKey);
  const grp = parent ? shopGroup(parent[g.via.column]) : null;
  if (grp !== null) return grp;
  if (g.orTeam) return 'team';
  throw new OpRefusal('PARENT_UNKNOWN', { table: t.name, parentTable: g.via.table, parentKey: parentKey ?? null });
}

function checkScope(scope: MergeScope, grp: string, table: string): void {
  if (scope.shops === null || !grp.startsWith('shop:')) return;
  const shop = grp.slice('shop:'.length);
  if (!scope.shops.includes(shop)) throw new OpRefusal('SHOP_OUT_OF_SCOPE', { table, shop });
}

function validate(e: OpEffect): SyncedTable {
  const t = syncedTable(e.table);
  if (!t) throw new OpRefusal('UNKNOWN_TABLE', { table: e.table });
  if (t.rule === 'hub') throw new OpRefusal('HUB_OWNED_TABLE', { table: e.table });
  if (e.key.length !== t.key.length) throw new OpRefusal('BAD_KEY', { table: e.table, expected: [...t.key] });
  const unknown = Object.keys(e.columns).filter((c) => !t.columns.includes(c));
  if (unknown.length > 0) throw new OpRefusal('UNKNOWN_COLUMN', { table: e.table, columns: unknown });
  return t;
}

/** The platform version an effect's platform columns came with (the parent's, for lines). */
function incomingVersion(t: SyncedTable, e: OpEffect, opVersions: Map<string, unknown>, existing: RowState | null, parentImage: Record<string, unknown> | null): unknown {
  const v = t.platformVersion;
  if (!v) return null;
  if ('column' in v) return v.column in e.columns ? e.columns[v.column] : (existing?.image[v.column] ?? null);
  const fk = e.columns[v.via.fk] ?? existing?.image[v.via.fk];
  const sameOp = opVersions.get(`${v.via.table}\u0000${keyText([fk])}`);
  if (sameOp !== undefined) return sameOp;
  return parentImage?.[v.via.column] ?? null;
}

/**
 * Merges the effects of one op into the push's rows (in memory; the push writes them in one
 * statement when its ops are done); throws OpRefusal to refuse the op whole.
 */
export async function mergeEffects(rows: RowSet, scope: MergeScope, op: Pick<PushOp, 'hlc' | 'effects'>): Promise<MergeOutcome> {
  const effects = [...op.effects].map((e, i) => ({ e, i, t: validate(e) }));
  // Parents before children (orders before their lines), as the tables are listed.
  effects.sort((a, b) => (TABLE_ORDER.get(a.t.name)! - TABLE_ORDER.get(b.t.name)!) || a.i - b.i);
  const outcome: MergeOutcome = { touched: 0, groups: new Set(), maxSyncId: 0 };
  await loadForEffects(rows, op.effects);
  // Platform versions this op carries, so a line is judged by the order version it came with.
  const opVersions = new Map<string, unknown>();
  for (const { e, t } of effects) {
    if (t.platformVersion && 'column' in t.platformVersion && t.platformVersion.column in e.columns) {
      opVersions.set(`${t.name}\u0000${keyText(e.key)}`, e.columns[t.platformVersion.column]);
    }
  }
  for (const { e, t } of effects) {
    const key = keyText(e.key);
    const existing = rows.get(t.name, key) ?? null;
    const image: Record<string, unknown> = { ...(existing?.image ?? {}) };
    const hlcs: Record<string, unknown> = { ...(existing?.hlcs ?? {}) };
    let deleted = existing?.deleted ?? false;
    if (t.rule === 'append') {
      // Rows of an append table never change: a copy of a known id only bumps it; a deletion is ignored.
      if (!existing) {
        if (e.deleted) continue;
        Object.assign(image, e.columns);
      }
    } else {
      let platformWins = false;
      let incoming: unknown = null;
      if (t.rule === 'platform') {
        const v = t.platformVersion;
        const parent = v && 'via' in v ? await parentImage(rows, v.via.table, e.columns[v.via.fk] ?? existing?.image[v.via.fk]) : null;
        incoming = incomingVersion(t, e, opVersions, existing, parent);
        platformWins = !existing || compareVersions(incoming, hlcs.$pv) >= 0;
      }
      const platformColumns = new Set(t.platformColumns ?? []);
      for (const [c, value] of Object.entries(e.columns)) {
        if (t.key.includes(c)) continue;
        if (platformColumns.has(c)) {
          if (platformWins) image[c] = value;
          continue;
        }
        const prior = hlcs[c];
        if (typeof prior !== 'string' || op.hlc > prior) {
          image[c] = value;
          hlcs[c] = op.hlc;
        }
      }
      if (platformWins && t.rule === 'platform' && incoming !== null && incoming !== undefined) hlcs.$pv = incoming;
      // Deletion is one more last-writer-wins register: a later write brings a deleted row back.
      const priorDelete = hlcs.$deleted;
      const laterThanDelete = typeof priorDelete !== 'string' || op.hlc > priorDelete;
      if (e.deleted && laterThanDelete) {
        deleted = true;
        hlcs.$deleted = op.hlc;
      } else if (!e.deleted && deleted && laterThanDelete && Object.keys(e.columns).length > 0) {
        deleted = false;
        hlcs.$deleted = op.hlc;
      }
    }
    t.key.forEach((c, i) => {
      image[c] = e.key[i];
    });
    const grp = await groupOf(rows, t, image);
    checkScope(scope, grp, t.name);
    // Moving a row out of a shop is a change to that shop too.
    if (existing && existing.grp !== grp) {
      checkScope(scope, existing.grp, t.name);
      outcome.groups.add(existing.grp);
    }
    rows.put(t.name, key, { grp, image, hlcs, deleted });
    outcome.touched += 1;
    outcome.groups.add(grp);
  }
  return outcome;
}
