// A joined station's side of claims (docs/team-hub.md#claims): before it allocates a waybill or
// prints, it claims the orders on the hub. Online the hub decides per order (held here, or held by
// another station, named). Offline only orders whose claim this station already holds and has not
// expired may go on; the rest are refused, naming the last holder the hub told us of. The claims
// this station holds, and the holders it was told of, are kept as JSON in `meta` so the offline
// answer survives a restart; the hub also publishes every holder as a `claims` row that the pull
// brings (a pick wave a lead handed to this station arrives that way). Of the two, the claim with
// the later expiry is the newer (a take succeeds only once the previous holder's claim is over).
// A station without a hub is not affected: every order may go on.
import type { z } from 'zod';
import { CLAIM_PATHS, claimsReleaseResponse, claimsTakeResponse, DEFAULT_CLAIM_TTL_MS, type ClaimHolder } from '../../shared/hub/claims.ts';
import { hubError } from '../../shared/hub/protocol.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { loadHubToken, readHubSettings } from './settings.ts';
import { HubRequestError, HubUnreachable, type FetchLike } from './transport.ts';

const CLAIMS_KEY = 'hub.claims';
/** How long a station waits for the hub's answer before it decides offline (a print should not hang). */
const CLAIM_TIMEOUT_MS = 8000;

export interface ClaimDeps {
  cipher?: SecretCipher | undefined;
  fetch?: FetchLike;
  now?: () => number;
  ttlMs?: number;
}

/** What this station remembers: its own claims' expiry and the other holders it was told of. */
interface Remembered {
  mine: Record<string, number>;
  others: Record<string, ClaimHolder>;
}

export type ClaimRefusal =
  /** The hub says another station holds the order. */
  | { orderId: string; code: 'claim_held'; holder: ClaimHolder }
  /** The hub cannot be reached and this station holds no live claim on the order. */
  | { orderId: string; code: 'claim_offline'; holder: ClaimHolder | null };

export interface ClaimGate {
  /** Orders this station may allocate and print. */
  allowed: Set<string>;
  refused: ClaimRefusal[];
  /** false: the hub was not reached, the answer comes from the claims this station holds. */
  online: boolean;
}

function readRemembered(db: Db): Remembered {
  const raw = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(CLAIMS_KEY)?.value;
  const r = raw ? (JSON.parse(raw) as Partial<Remembered>) : {};
  return { mine: r.mine ?? {}, others: r.others ?? {} };
}

function writeRemembered(db: Db, r: Remembered, now: number): void {
  // Expired entries are no use offline: dropped so the JSON stays the size of the live claims.
  const mine = Object.fromEntries(Object.entries(r.mine).filter(([, exp]) => exp > now));
  const others = Object.fromEntries(Object.entries(r.others).filter(([, h]) => h.expiresAt > now));
  writeTx(db, (tx) => {
    tx.$client
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(CLAIMS_KEY, JSON.stringify({ mine, others }));
  });
}

/** One POST of the hub contract, answered through its schema; a station's other hub authorities (sync leases) use it too. */
export async function post<S extends z.ZodType>(deps: ClaimDeps, url: string, token: string, path: string, schema: S, body: unknown): Promise<z.infer<S>> {
  const base = url.replace(/\/+$/, '');
  let res: Response;
  try {
    res = await (deps.fetch ?? fetch)(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CLAIM_TIMEOUT_MS),
    });
  } catch (err) {
    throw new HubUnreachable(base, err);
  }
  const parsed: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = hubError.safeParse(parsed);
    throw new HubRequestError(res.status, e.success ? e.data : { code: 'INTERNAL', message: `the hub answered ${res.status}` });
  }
  const r = schema.safeParse(parsed);
  if (!r.success) throw new HubRequestError(res.status, { code: 'INTERNAL', message: `the hub's answer to ${path} does not match the contract` });
  return r.data;
}

function offlineGate(db: Db, orderIds: readonly string[], now: number): ClaimGate {
  const known = knownHolders(db, orderIds, now);
  const allowed = new Set<string>();
  const refused: ClaimRefusal[] = [];
  for (const id of orderIds) {
    const k = known.get(id);
    if (k?.mine) allowed.add(id);
    else refused.push({ orderId: id, code: 'claim_offline', holder: k?.holder ?? null });
  }
  return { allowed, refused, online: false };
}

/**
 * Claims the orders for this station before a waybill is allocated or a label printed. null: the
 * station has no hub (nothing to ask; every order goes on). A hub that refuses the station itself
 * (revoked, too old) throws its HubRequestError: printing stops with the hub's reason.
 */
export async function claimOrders(db: Db, deps: ClaimDeps, orderIds: readonly string[]): Promise<ClaimGate | null> {
  const settings = readHubSettings(db);
  if (!settings) return null;
  const now = (deps.now ?? Date.now)();
  const ids = [...new Set(orderIds)];
  if (ids.length === 0) return { allowed: new Set(), refused: [], online: true };
  let token: string;
  try {
    if (!deps.cipher) throw new Error('no secret store');
    token = loadHubToken(db, deps.cipher);
  } catch {
    // Without the token this station cannot speak for itself: what it already holds is all it has.
    return offlineGate(db, ids, now);
  }
  let answer: z.infer<typeof claimsTakeResponse>;
  try {
    answer = await post(deps, settings.url, token, CLAIM_PATHS.take, claimsTakeResponse, { orderIds: ids, ttlMs: deps.ttlMs ?? DEFAULT_CLAIM_TTL_MS });
  } catch (err) {
    if (err instanceof HubUnreachable) return offlineGate(db, ids, now);
    throw err;
  }
  const remembered = readRemembered(db);
  const allowed = new Set<string>();
  const refused: ClaimRefusal[] = [];
  for (const r of answer.results) {
    if (r.status === 'held') {
      allowed.add(r.orderId);
      remembered.mine[r.orderId] = r.expiresAt;
      delete remembered.others[r.orderId];
    } else {
      refused.push({ orderId: r.orderId, code: 'claim_held', holder: r.holder });
      remembered.others[r.orderId] = r.holder;
      delete remembered.mine[r.orderId];
    }
  }
  writeRemembered(db, remembered, now);
  return { allowed, refused, online: true };
}

/** Gives claims back (an operator stops working a wave). Offline: forgotten here, they expire on the hub. */
export async function releaseOrders(db: Db, deps: ClaimDeps, orderIds: readonly string[]): Promise<string[]> {
  const settings = readHubSettings(db);
  if (!settings || !deps.cipher) return [];
  const now = (deps.now ?? Date.now)();
  const remembered = readRemembered(db);
  for (const id of orderIds) delete remembered.mine[id];
  writeRemembered(db, remembered, now);
  try {
    const r = await post(deps, settings.url, loadHubToken(db, deps.cipher), CLAIM_PATHS.release, claimsReleaseResponse, { orderIds: [...new Set(orderIds)] });
    return r.released;
  } catch (err) {
    if (err instanceof HubUnreachable) return [];
    throw err;
  }
}

export interface KnownHolder {
  mine: boolean;
  holder: ClaimHolder | null;
  expiresAt: number;
}

/** Live holders of these orders in the pulled `claims` table (the hub's published rows). */
function pulledHolders(db: Db, orderIds: readonly string[], now: number, stationId: string): Map<string, KnownHolder> {
  const out = new Map<string, KnownHolder>();
  const read = (chunk: readonly string[]) =>
    db.$client
      .prepare<unknown[], { order_id: string; station_id: string; station_name: string | null; user_name: string | null; expires_at: number }>(
        `SELECT order_id, station_id, station_name, user_name, expires_at FROM claims
          WHERE order_id IN (${chunk.map(() => '?').join(', ')}) AND station_id IS NOT NULL AND expires_at > ?`,
      )
      .all(...chunk, now);
  for (let i = 0; i < orderIds.length; i += 500) {
    for (const r of read(orderIds.slice(i, i + 500))) {
      const mine = r.station_id === stationId;
      out.set(r.order_id, {
        mine,
        holder: mine ? null : { stationId: r.station_id, stationName: r.station_name ?? '', userName: r.user_name, expiresAt: r.expires_at },
        expiresAt: r.expires_at,
      });
    }
  }
  return out;
}

/**
 * The live holders this station knows of for these orders (the print dialog's column, the order
 * list's badge, the offline gate): its own take answers and the hub's pulled rows, the later expiry
 * winning. Orders nobody is known to hold are left out.
 */
export function knownHolders(db: Db, orderIds: readonly string[], now = Date.now()): Map<string, KnownHolder> {
  const settings = readHubSettings(db);
  if (!settings) return new Map();
  const r = readRemembered(db);
  const out = pulledHolders(db, orderIds, now, settings.stationId);
  const offer = (id: string, k: KnownHolder) => {
    const seen = out.get(id);
    if (!seen || k.expiresAt > seen.expiresAt) out.set(id, k);
  };
  for (const id of orderIds) {
    const mine = r.mine[id];
    if (mine !== undefined && mine > now) offer(id, { mine: true, holder: null, expiresAt: mine });
    const other = r.others[id];
    if (other && other.expiresAt > now) offer(id, { mine: false, holder: other, expiresAt: other.expiresAt });
  }
  return out;
}

/** The sentence a person reads for a refused order (zh-CN, like the print flow's other reasons). */
export function claimRefusalWords(r: ClaimRefusal): string {
  const who = (h: ClaimHolder) => `${h.stationName}${h.userName ? `（${h.userName}）` : ''}`;
  const until = (h: ClaimHolder) => new Date(h.expiresAt).toISOString().slice(11, 16);
  if (r.code === 'claim_held') return `订单已被 ${who(r.holder)} 认领（到 ${until(r.holder)} UTC），本工作站不能取号或打印；请让对方释放或等认领过期`;
  return r.holder
    ? `连不上团队服务器，且订单由 ${who(r.holder)} 认领（到 ${until(r.holder)} UTC）：离线时只能打印本工作站已认领的订单`
    : '连不上团队服务器，本工作站没有认领这个订单：离线时只能打印本工作站已认领且未过期的订单';
}

/** How many orders this station holds a live claim on (the status area's count). */
export function claimsHeldHere(db: Db, now = Date.now()): number {
  const settings = readHubSettings(db);
  if (!settings) return 0;
  const held = new Set(
    db.$client
      .prepare<[string, number], { order_id: string }>('SELECT order_id FROM claims WHERE station_id = ? AND expires_at > ?')
      .all(settings.stationId, now)
      .map((r) => r.order_id),
  );
  for (const [id, exp] of Object.entries(readRemembered(db).mine)) if (exp > now) held.add(id);
  // An order whose newer known claim is another station's is not held here any more.
  for (const [id, k] of knownHolders(db, [...held], now)) if (!k.mine) held.delete(id);
  return held.size;
}
