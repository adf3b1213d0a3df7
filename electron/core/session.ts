// Who is at this station. Every host (the desktop app, the web host, `shopfleet call`) calls the core
// without naming a person, and the core picks the actor here: without a team hub the station's owner
// (a fresh station gets one so it is usable from the start); on a station joined to a hub the person
// signed in there (hub/identity-local.ts), whose shop scope the core also enforces. Roles are checked
// in dispatch against the contract.
import { v7 as uuidv7 } from 'uuid';
import type { Actor, MappingList, MappingView, MethodName, StockPushView } from '../shared/contract.ts';
import { ROLES, type Role } from '../shared/model.ts';
import { reasonError } from '../shared/reasons.ts';
import { AppError, apiErrorOf, type Result } from '../shared/result.ts';
import { dispatch, type Handlers } from './api/dispatch.ts';
import { writeTx, type ReadDb } from './db/access.ts';
import type { StoredUser } from './db/rows.ts';
import { actorOfSignedIn, SIGNED_IN_KEY } from './hub/identity-local.ts';

type UserRow = Pick<StoredUser, 'id' | 'name' | 'role'>;

const asActor = (u: UserRow): Actor => ({ userId: u.id, name: u.name, role: (ROLES as readonly string[]).includes(u.role) ? (u.role as Role) : 'packer' });

/**
 * The station's first owner, created on first use. A joined station also holds the hub's users
 * (pulled, ids `user_…` as the hub makes them; the station's own are uuids): a hub owner is never
 * taken for the station's own, so leaving the hub gives the station back to the same person.
 */
export function defaultActor(db: ReadDb): Actor {
  const client = db.$client;
  const existing = client
    .prepare("SELECT id, name, role FROM users WHERE role = 'owner' AND id NOT LIKE 'user\\_%' ESCAPE '\\' ORDER BY created_at LIMIT 1")
    .get() as UserRow | undefined;
  if (existing) return asActor(existing);
  const user = { id: uuidv7(), name: '店主', role: 'owner' };
  // Setting the station up, not a command: no person to audit yet.
  writeTx(db, (tx) => tx.$client.prepare('INSERT INTO users (id, name, role, created_at) VALUES (?, ?, ?, ?)').run(user.id, user.name, user.role, Date.now()));
  return asActor(user);
}

/** Find or create a station user by name (used by the CLI's --user and by tests). */
export function actorNamed(db: ReadDb, name: string, role: Role): Actor {
  const client = db.$client;
  const existing = client.prepare('SELECT id, name, role FROM users WHERE name = ?').get(name) as UserRow | undefined;
  if (existing) return asActor(existing);
  const user = { id: uuidv7(), name, role };
  // Setting the station up, not a command: no person to audit yet.
  writeTx(db, (tx) => tx.$client.prepare('INSERT INTO users (id, name, role, created_at) VALUES (?, ?, ?, ?)').run(user.id, user.name, user.role, Date.now()));
  return asActor(user);
}

const HUB_SETTINGS_KEY = 'hub.settings';

/**
 * Who acts when a host names nobody: null on a joined station nobody is signed in to. One read of
 * two meta rows per call.
 */
export function stationActor(db: ReadDb, owner?: Actor): Actor | null {
  const rows = db.$client
    .prepare<[string, string], { key: string; value: string }>('SELECT key, value FROM meta WHERE key IN (?, ?)')
    .all(HUB_SETTINGS_KEY, SIGNED_IN_KEY);
  if (!rows.some((r) => r.key === HUB_SETTINGS_KEY)) return owner ?? defaultActor(db);
  const signedIn = rows.find((r) => r.key === SIGNED_IN_KEY);
  return signedIn ? actorOfSignedIn(JSON.parse(signedIn.value)) : null;
}

/** What a joined station answers while nobody is signed in: who may sign in, and the hub's state. */
const SIGNED_OUT_METHODS: ReadonlySet<string> = new Set<MethodName>(['session.status', 'session.people', 'session.signIn', 'session.signOut', 'session.verify', 'hub.status', 'hub.syncNow']);
/** The placeholder behind those calls: they act for nobody and write no op. */
const NOBODY: Actor = { userId: '', name: '', role: 'packer' };

/** Order reads whose `filter` takes shop ids: a scoped person's filter is narrowed to their shops. */
const SHOP_FILTERED: ReadonlySet<string> = new Set<MethodName>(['orders.list', 'orders.counts', 'orders.ids', 'orders.shopCounts', 'orders.export']);
/** A shop id no shop has: a filter narrowed to no shop at all. */
const NO_SHOP = '(none)';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The order ids a call names: `ids`, `id`, `orderId`, and the same inside `items`. */
function namedIds(input: Record<string, unknown>): string[] {
  const out: string[] = [];
  const take = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
  };
  if (Array.isArray(input.ids)) for (const v of input.ids) take(v);
  take(input.id);
  take(input.orderId);
  if (Array.isArray(input.items)) for (const it of input.items) if (isRecord(it)) (take(it.id), take(it.orderId));
  return out;
}

/** The shops a call names: `shopId`, `shopIds`, `rows[].shopId` (mapping rows); a shop method's `id`. */
function namedShops(name: string, input: Record<string, unknown>): string[] {
  const out: string[] = [];
  const take = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
  };
  take(input.shopId);
  if (Array.isArray(input.shopIds)) for (const v of input.shopIds) take(v);
  if (Array.isArray(input.rows)) for (const r of input.rows) if (isRecord(r)) take(r.shopId);
  if (name.startsWith('shops.')) take(input.id);
  return out;
}

/**
 * Commands over one shop or, without `shopId`, every shop: a person scoped to one shop runs them on
 * it, one scoped to several names which (every shop would reach shops outside theirs).
 */
const SHOP_OR_EVERY: ReadonlySet<string> = new Set<MethodName>(['mapping.pull', 'mapping.autoMatch', 'stock.push', 'mapping.export']);

/**
 * A person scoped to some shops sees and changes only those shops' orders: order filters are
 * narrowed to them, and a call naming an order of another shop is refused whole. Ids that are not
 * order ids match no order and pass (they name printers, jobs, requests). A call naming another
 * shop (a mapping row, a push, an allocation, a shop's settings) is refused the same way.
 */
export function scopeInput(db: ReadDb, name: string, input: unknown, actor: Actor): unknown {
  const shops = actor.shops;
  if (shops === null || shops === undefined || !isRecord(input)) return input;
  let scoped = input;
  if (SHOP_FILTERED.has(name) && (name !== 'orders.export' || input.filter !== undefined)) {
    const filter = isRecord(input.filter) ? input.filter : {};
    const asked = Array.isArray(filter.shopIds) ? (filter.shopIds as unknown[]).filter((x): x is string => typeof x === 'string') : null;
    const allowed = asked === null ? [...shops] : asked.filter((x) => shops.includes(x));
    scoped = { ...input, filter: { ...filter, shopIds: allowed.length > 0 ? allowed : [NO_SHOP] } };
  }
  const shopsNamed = namedShops(name, input).filter((x) => !shops.includes(x));
  if (shopsNamed.length > 0) {
    const unique = [...new Set(shopsNamed)];
    throw reasonError('shop.out_of_scope', { shopIds: unique.slice(0, 20), count: unique.length }, `${unique.length} of these shops are outside ${actor.name}'s`);
  }
  if (SHOP_OR_EVERY.has(name) && input.shopId === undefined) {
    if (shops.length !== 1) throw reasonError('shop.scope_needs_shop', { shops: [...shops] }, `${actor.name} works on some shops only: name one of them (shopId)`);
    scoped = { ...scoped, shopId: shops[0] };
  }
  const ids = namedIds(input);
  if (ids.length > 0) {
    const outside = db.$client
      .prepare<[string, string], { id: string }>(
        'SELECT o.id FROM json_each(?) j JOIN orders o ON o.id = j.value WHERE o.shop_id NOT IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(ids), JSON.stringify(shops));
    if (outside.length > 0) {
      const sample = outside.slice(0, 20).map((r) => r.id);
      throw reasonError('order.out_of_scope', { ids: sample, count: outside.length }, `${outside.length} of these orders belong to shops outside ${actor.name}'s`);
    }
  }
  return scoped;
}

/** Reads answering every shop's rows: a scoped person's answer keeps only their shops' (by this field). */
const SHOP_ROWS: Readonly<Record<string, string>> = { 'shops.list': 'id', 'shops.connections': 'id', 'shops.overview': 'id', 'stock.allocations': 'shopId' };

/**
 * Paged reads of per-shop rows with one optional `shopId`: a scoped person's read without one is
 * made shop by shop (each page as deep as asked) and merged in the read's own order, so totals and
 * pages count their shops' rows only.
 */
const SHOP_MERGED: Readonly<Record<string, (input: Record<string, unknown>, parts: unknown[]) => unknown>> = {
  'mapping.list': (input, parts) => {
    const lists = parts as MappingList[];
    const key = (r: MappingView) => [r.sku === null ? 0 : 1, r.shopId, r.platformProductId, r.platformSkuId] as const;
    const rows = lists.flatMap((l) => l.rows).sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as string | number) < (y[i] as string | number) ? -1 : 1;
      return 0;
    });
    const offset = typeof input.offset === 'number' ? input.offset : 0;
    const limit = typeof input.limit === 'number' ? input.limit : DEFAULT_LIMIT;
    return {
      rows: rows.slice(offset, offset + limit),
      total: lists.reduce((n, l) => n + l.total, 0),
      unmapped: lists.reduce((n, l) => n + l.unmapped, 0),
      lastPulls: lists.flatMap((l) => l.lastPulls),
      failedPulls: lists.flatMap((l) => l.failedPulls),
    } satisfies MappingList;
  },
  'stock.pushes': (input, parts) => {
    const rows = (parts as StockPushView[][]).flat().sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return rows.slice(0, typeof input.limit === 'number' ? input.limit : DEFAULT_LIMIT);
  },
};
/** Both merged reads' default page (their schemas' `limit` default). */
const DEFAULT_LIMIT = 500;
/** The deepest page a merged read asks each shop for (the reads' own limit). */
const MERGED_MAX = { 'mapping.list': 100_000, 'stock.pushes': 10_000 } as Record<string, number>;

/** A scoped person's read of per-shop rows: narrowed to their shops (see SHOP_ROWS, SHOP_MERGED). */
async function scopedShopRead(handlers: Handlers, name: string, input: unknown, actor: Actor): Promise<Result<unknown> | null> {
  const shops = actor.shops;
  if (shops === null || shops === undefined) return null;
  const merge = SHOP_MERGED[name];
  if (merge && isRecord(input) && input.shopId === undefined) {
    const offset = typeof input.offset === 'number' ? input.offset : 0;
    const depth = Math.min(offset + (typeof input.limit === 'number' ? input.limit : DEFAULT_LIMIT), MERGED_MAX[name] ?? DEFAULT_LIMIT);
    const parts: unknown[] = [];
    for (const shopId of shops) {
      const part = await dispatch(handlers, name, { ...input, shopId, ...(name === 'mapping.list' ? { offset: 0 } : {}), limit: depth }, actor);
      if (!part.ok) return part;
      parts.push(part.value);
    }
    return { ok: true, value: merge(input, parts) };
  }
  const field = SHOP_ROWS[name];
  if (field === undefined) return null;
  const result = await dispatch(handlers, name, input, actor);
  if (!result.ok || !Array.isArray(result.value)) return result;
  return { ok: true, value: (result.value as Record<string, unknown>[]).filter((r) => shops.includes(r[field] as string)) };
}

/**
 * The core's entry for every host: the actor is the one named (tests, the CLI's --user) or the
 * station's (stationActor); a joined station nobody is signed in to answers only SIGNED_OUT_METHODS.
 */
export async function dispatchAsStation(handlers: Handlers, db: ReadDb, name: string, input: unknown, named: Actor | undefined, owner: Actor): Promise<Result<unknown>> {
  try {
    let actor = named ?? stationActor(db, owner);
    if (actor === null) {
      if (!SIGNED_OUT_METHODS.has(name)) throw reasonError('session.sign_in_needed', { method: name }, `nobody is signed in at this station: sign in before calling ${name}`);
      actor = NOBODY;
    }
    const scoped = scopeInput(db, name, input, actor);
    return (await scopedShopRead(handlers, name, scoped, actor)) ?? (await dispatch(handlers, name, scoped, actor));
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: apiErrorOf(err) };
    throw err;
  }
}
