// Who is at this station. Every host (the desktop app, the web host, `shopfleet call`) calls the core
// without naming a person, and the core picks the actor here: without a team hub the station's owner
// (a fresh station gets one so it is usable from the start); on a station joined to a hub the person
// signed in there (hub/identity-local.ts), whose shop scope the core also enforces. Roles are checked
// in dispatch against the contract.
import { v7 as uuidv7 } from 'uuid';
import type { Actor, MethodName } from '../shared/contract.ts';
import { ROLES, type Role } from '../shared/model.ts';
import { reasonError } from '../shared/reasons.ts';
import { AppError, apiErrorOf, type Result } from '../shared/result.ts';
import { dispatch, type Handlers } from './api/dispatch.ts';
import { writeTx, type ReadDb } from './db/access.ts';
import type { StoredUser } from './db/rows.ts';
import { actorOfSignedIn, SIGNED_IN_KEY } from './hub/identity-local.ts';
import { scopeOf } from './scope.ts';

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

function outOfScope(reason: 'order.out_of_scope' | 'shop.out_of_scope', outside: string[], actor: Actor): never {
  const unique = [...new Set(outside)];
  const details = reason === 'shop.out_of_scope' ? { shopIds: unique.slice(0, 20), count: unique.length } : { ids: unique.slice(0, 20), count: unique.length };
  const what = reason === 'shop.out_of_scope' ? 'shops are' : 'orders belong to shops';
  throw reasonError(reason, details, `${unique.length} of these ${what} outside ${actor.name}'s`);
}

/**
 * A person scoped to some shops sees and changes only those shops' orders and rows, method by
 * method as SCOPE (scope.ts) says. For every method, a call naming an order or a shop outside the
 * scope is refused whole; ids that are not order ids match no order and pass (they name printers,
 * jobs, requests), and SCOPE's `owned` rules look those up.
 */
export function scopeInput(db: ReadDb, name: string, input: unknown, actor: Actor): unknown {
  const shops = actor.shops;
  if (shops === null || shops === undefined || !isRecord(input)) return input;
  const rule = scopeOf(name);
  let scoped = input;
  if (rule && 'by' in rule && rule.by === 'filter' && (name !== 'orders.export' || input.filter !== undefined)) {
    const filter = isRecord(input.filter) ? input.filter : {};
    const asked = Array.isArray(filter.shopIds) ? (filter.shopIds as unknown[]).filter((x): x is string => typeof x === 'string') : null;
    const allowed = asked === null ? [...shops] : asked.filter((x) => shops.includes(x));
    scoped = { ...input, filter: { ...filter, shopIds: allowed.length > 0 ? allowed : [NO_SHOP] } };
  }
  const shopsNamed = namedShops(name, input).filter((x) => !shops.includes(x));
  if (shopsNamed.length > 0) outOfScope('shop.out_of_scope', shopsNamed, actor);
  if (rule && 'by' in rule && rule.by === 'everyShop' && input.shopId === undefined) {
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
    if (outside.length > 0) outOfScope('order.out_of_scope', outside.map((r) => r.id), actor);
  }
  if (rule && 'by' in rule && rule.by === 'owned') {
    const owned = rule.owned.ids(input);
    if (owned.length > 0) {
      const rowShops = db.$client.prepare<[string], { shop: string | null }>(rule.owned.sql).all(JSON.stringify(owned));
      const outside = rowShops.map((r) => r.shop).filter((x): x is string => x !== null && !shops.includes(x));
      if (outside.length > 0) outOfScope(rule.owned.reason, rule.owned.reason === 'shop.out_of_scope' ? outside : owned, actor);
    }
  }
  return scoped;
}

/** The shops of these orders that are outside the scope (a lookup for answers naming orders). */
function ordersOutside(db: ReadDb, orderIds: string[], shops: readonly string[]): Set<string> {
  if (orderIds.length === 0) return new Set();
  const rows = db.$client
    .prepare<[string, string], { id: string }>('SELECT o.id FROM json_each(?) j JOIN orders o ON o.id = j.value WHERE o.shop_id NOT IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify([...new Set(orderIds)]), JSON.stringify(shops));
  return new Set(rows.map((r) => r.id));
}

/** A scoped person's answer, narrowed as SCOPE says (rows, orderRows, perShop, answerOrder). */
async function scopedRead(handlers: Handlers, db: ReadDb, name: string, input: unknown, actor: Actor): Promise<Result<unknown> | null> {
  const shops = actor.shops;
  if (shops === null || shops === undefined) return null;
  const rule = scopeOf(name);
  if (!rule || !('by' in rule)) return null;
  if (rule.by === 'perShop') {
    if (!isRecord(input) || input.shopId !== undefined) return null;
    const parts: unknown[] = [];
    for (const shopId of shops) {
      const part = await dispatch(handlers, name, rule.read.part(input, shopId), actor);
      if (!part.ok) return part;
      parts.push(part.value);
    }
    return { ok: true, value: rule.read.merge(input, parts) };
  }
  if (rule.by !== 'rows' && rule.by !== 'orderRows' && rule.by !== 'answerOrder') return null;
  const result = await dispatch(handlers, name, input, actor);
  if (!result.ok) return result;
  if (rule.by === 'answerOrder') {
    const orderId = rule.orderOf(result.value);
    if (typeof orderId === 'string' && ordersOutside(db, [orderId], shops).size > 0) outOfScope('order.out_of_scope', [orderId], actor);
    return result;
  }
  if (!Array.isArray(result.value)) return result;
  const rows = result.value as Record<string, unknown>[];
  const { field } = rule;
  if (rule.by === 'rows') return { ok: true, value: rows.filter((r) => shops.includes(r[field] as string)) };
  const outside = ordersOutside(db, rows.map((r) => r[field]).filter((x): x is string => typeof x === 'string'), shops);
  return { ok: true, value: rows.filter((r) => !outside.has(r[field] as string)) };
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
    return (await scopedRead(handlers, db, name, scoped, actor)) ?? (await dispatch(handlers, name, scoped, actor));
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: apiErrorOf(err) };
    throw err;
  }
}
