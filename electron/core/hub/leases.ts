// A joined station's side of sync leases (docs/team-hub.md#sync-leases): the platform scheduler
// asks the LeaseGate before each shop's round. Without a hub every shop goes on as before. Joined,
// the station takes (or renews) the shop's lease on the hub and pulls the platform only under a
// lease it holds, stamping each ingest with the lease's fence; held leases are renewed at half
// their length while the scheduler runs. When the hub cannot be reached a station keeps pulling
// the shops it last held (the fence keeps a lost lease from overwriting: the hub refuses those
// ingests with LEASE_LOST) and leaves every other shop to its holder. What it holds and the holders
// it was told of are kept as JSON in `meta`, so status and the offline answer survive a restart.
import type { TakeoverAuthProblem } from '../../shared/hub/credentials.ts';
import { DEFAULT_LEASE_TTL_MS, LEASE_PATHS, leasesReleaseResponse, leasesTakeResponse, type LeaseHolder, type LeaseView } from '../../shared/hub/leases.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { post as postHub } from './claims.ts';
import { readCredentialState } from './credential-state.ts';
import { loadHubToken, readHubSettings } from './settings.ts';
import { ensureShopCredentials } from './shop-credentials.ts';
import { HubRequestError, HubUnreachable, type FetchLike } from './transport.ts';

const LEASES_KEY = 'hub.leases';
/** A shop not asked for this long is no longer pulled here (paused, gone): its lease is left to lapse. */
const RENEW_WHILE_ASKED_WITHIN_MS = 10 * 60_000;

/** What the scheduler is told before a shop's platform round. */
export type LeaseAdmission =
  /** Pull the shop; stamp its ingests with `fence` (null: no hub, nothing to stamp). */
  | { sync: true; fence: number | null; offline?: boolean }
  /** Leave it: another station syncs it, this station's person may not work it, or the hub is out of reach and the shop is not held here. */
  | { sync: false; reason: 'held_elsewhere' | 'out_of_scope' | 'offline_not_held'; holder: LeaseHolder | null }
  /** Taken, then given back: this station has no authorisation of the shop and the hub gave none (`problem` says why). */
  | { sync: false; reason: 'no_authorisation'; holder: null; problem: TakeoverAuthProblem };

/** The scheduler's seam: asked before every platform round of a shop. */
export interface LeaseGate {
  admit(shopId: string): Promise<LeaseAdmission>;
  /** Begins renewing held leases (the scheduler starts). */
  start(): void;
  /** Stops renewing (the scheduler stops); held leases lapse on the hub at their expiry. */
  stop(): Promise<void>;
  /** Gives a shop back at once (this station cannot pull it: its authorisation ran out here). */
  release(shopId: string): Promise<void>;
}

/** A station without a hub: every shop is pulled, nothing stamped. */
export const NO_LEASES: LeaseGate = {
  admit: () => Promise.resolve({ sync: true, fence: null }),
  start: () => undefined,
  stop: () => Promise.resolve(),
  release: () => Promise.resolve(),
};

interface Remembered {
  /**
   * Shops this station holds: the fence, the lease's expiry on the hub's clock, and when this
   * station's own clock says it runs out (asked-at + length: no trust in the two clocks agreeing).
   */
  mine: Record<string, { fence: number; expiresAt: number; heldUntil: number }>;
  /** The holders of other shops, as the hub last answered. */
  others: Record<string, LeaseHolder>;
  /** Shops the hub said this station's person may not work. */
  outOfScope: string[];
}

function readRemembered(db: Db): Remembered {
  const raw = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(LEASES_KEY)?.value;
  const r = raw ? (JSON.parse(raw) as Partial<Remembered>) : {};
  return { mine: r.mine ?? {}, others: r.others ?? {}, outOfScope: r.outOfScope ?? [] };
}

function writeRemembered(db: Db, r: Remembered): void {
  writeTx(db, (tx) => {
    tx.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(LEASES_KEY, JSON.stringify(r));
  });
}

export interface LeaseGateDeps {
  db: Db;
  cipher: SecretCipher;
  fetch?: FetchLike;
  /** This station's wall clock for lease timing (default Date.now; not the scheduler's clock, which tests move). */
  now?: () => number;
  /** Lease length asked for (default 2 minutes); renewed at half of it. */
  ttlMs?: number;
}

/** The gate of a station that may be joined to a hub (asked per round: joining or leaving needs no restart). */
export class HubLeaseGate implements LeaseGate {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;
  /** When the scheduler last asked for each shop: only those are renewed. */
  private readonly askedAt = new Map<string, number>();

  constructor(private readonly d: LeaseGateDeps) {
    this.ttlMs = d.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.now = d.now ?? Date.now;
  }

  async admit(shopId: string): Promise<LeaseAdmission> {
    if (!readHubSettings(this.d.db)) return { sync: true, fence: null };
    const now = this.now();
    this.askedAt.set(shopId, now);
    const held = readRemembered(this.d.db).mine[shopId];
    // Renewed recently enough: no request per round.
    if (held && held.heldUntil - now > this.ttlMs / 2) return { sync: true, fence: held.fence };
    const heldFence = held?.fence ?? null;
    let r: Remembered;
    try {
      r = await this.take([shopId]);
    } catch (err) {
      if (!(err instanceof HubUnreachable || err instanceof HubRequestError || err instanceof TokenMissing)) throw err;
      // Out of the hub's reach: go on with a shop held here (even past its expiry: the fence guards
      // it), leave every other shop to whoever the hub last said holds it.
      const known = readRemembered(this.d.db);
      const mine = known.mine[shopId];
      // A published change of holder pulled since (a higher fence) says the shop is no longer ours.
      const published = publishedLease(this.d.db, shopId);
      const lost = mine && published && published.fence > mine.fence;
      if (mine && !lost) return { sync: true, fence: mine.fence, offline: true };
      if (lost && published.station_id !== null) return { sync: false, reason: 'offline_not_held', holder: { stationId: published.station_id, stationName: published.station_name ?? '', expiresAt: published.expires_at } };
      return { sync: false, reason: 'offline_not_held', holder: known.others[shopId] ?? null };
    }
    const mine = r.mine[shopId];
    if (mine) return this.withAuthorisation(shopId, mine.fence, heldFence);
    if (r.outOfScope.includes(shopId)) return { sync: false, reason: 'out_of_scope', holder: null };
    return { sync: false, reason: 'held_elsewhere', holder: r.others[shopId] ?? null };
  }

  /**
   * A shop just taken (a new fence), or held without an authorisation matched with the hub's: the
   * station gets the shop's authorisation from the hub before pulling it. Without one, the lease goes
   * back at once so a station that can pull the shop takes it.
   */
  private async withAuthorisation(shopId: string, fence: number, heldFence: number | null): Promise<LeaseAdmission> {
    const db = this.d.db;
    const stored = db.$client.prepare<[string], { shop_id: string }>('SELECT shop_id FROM shop_secrets WHERE shop_id = ?').get(shopId) !== undefined;
    // A token in the shop's settings and no stored secrets (a sandbox, a station set up by hand): the pull uses it, the hub has nothing to add.
    if (!stored && tokenInSettings(db, shopId)) return { sync: true, fence };
    const matched = readCredentialState(db)[shopId]?.version !== undefined;
    if (heldFence === fence && stored && matched) return { sync: true, fence };
    const auth = await ensureShopCredentials(db, { cipher: this.d.cipher, ...(this.d.fetch ? { fetch: this.d.fetch } : {}) }, shopId, fence);
    if (auth.ok) return { sync: true, fence };
    await this.release(shopId);
    return { sync: false, reason: 'no_authorisation', holder: null, problem: auth.reason };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.renew(), Math.max(1000, Math.floor(this.ttlMs / 2)));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.renewing;
  }

  /** Renews every lease held here for shops the scheduler still asks for; answers when done. */
  renew(): Promise<void> {
    if (this.renewing) return this.renewing;
    this.renewing = (async () => {
      try {
        if (!readHubSettings(this.d.db)) return;
        const now = this.now();
        const held = Object.keys(readRemembered(this.d.db).mine).filter((id) => (this.askedAt.get(id) ?? -Infinity) > now - RENEW_WHILE_ASKED_WITHIN_MS);
        if (held.length > 0) await this.take(held);
      } catch (err) {
        // The next round's admit tries again (and decides offline if it must).
        if (!(err instanceof HubUnreachable || err instanceof HubRequestError || err instanceof TokenMissing)) console.error('[leases] renewal failed', err);
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
  }

  async release(shopId: string): Promise<void> {
    const settings = readHubSettings(this.d.db);
    const r = readRemembered(this.d.db);
    if (!settings || !r.mine[shopId]) return;
    delete r.mine[shopId];
    writeRemembered(this.d.db, r);
    try {
      await postHub({ fetch: this.d.fetch ?? fetch }, settings.url, loadHubToken(this.d.db, this.d.cipher), LEASE_PATHS.release, leasesReleaseResponse, { shopIds: [shopId] });
    } catch (err) {
      // Unreachable or refused: the lease lapses on the hub at its expiry instead.
      console.error(`[leases] ${shopId}: could not give the lease back`, (err as Error).message);
    }
  }

  /** Asks the hub for these shops and records its answer. */
  private async take(shopIds: string[]): Promise<Remembered> {
    const settings = readHubSettings(this.d.db);
    if (!settings) throw new TokenMissing();
    let token: string;
    try {
      token = loadHubToken(this.d.db, this.d.cipher);
    } catch {
      throw new TokenMissing();
    }
    const askedAt = this.now();
    const answer = await postHub({ fetch: this.d.fetch ?? fetch }, settings.url, token, LEASE_PATHS.take, leasesTakeResponse, { shopIds, ttlMs: this.ttlMs });
    const r = readRemembered(this.d.db);
    const outOfScope = new Set(r.outOfScope);
    for (const x of answer.results) {
      outOfScope.delete(x.shopId);
      if (x.status === 'held') {
        r.mine[x.shopId] = { fence: x.fence, expiresAt: x.expiresAt, heldUntil: askedAt + this.ttlMs };
        delete r.others[x.shopId];
      } else {
        delete r.mine[x.shopId];
        if (x.status === 'LEASE_HELD_BY_OTHER') r.others[x.shopId] = x.holder;
        else outOfScope.add(x.shopId);
      }
    }
    r.outOfScope = [...outOfScope];
    writeRemembered(this.d.db, r);
    return r;
  }
}

interface PublishedLease {
  shop_id: string;
  station_id: string | null;
  station_name: string | null;
  expires_at: number;
  fence: number;
}

/** The shop's holder as the hub last published it (the pulled `sync_leases` row). */
function publishedLease(db: Db, shopId: string): PublishedLease | undefined {
  return db.$client.prepare<[string], PublishedLease>('SELECT shop_id, station_id, station_name, expires_at, fence FROM sync_leases WHERE shop_id = ?').get(shopId);
}

/** The shop's settings carry an access token (what the pull uses when no secrets are stored). */
function tokenInSettings(db: Db, shopId: string): boolean {
  const settings = db.$client.prepare<[string], { settings: string }>('SELECT settings FROM shops WHERE id = ?').get(shopId)?.settings;
  try {
    const parsed = settings ? (JSON.parse(settings) as Record<string, unknown>) : {};
    return typeof parsed.accessToken === 'string' && parsed.accessToken !== '';
  } catch {
    return false;
  }
}

class TokenMissing extends Error {
  constructor() {
    super('this station has no hub token to ask for leases with');
  }
}


/**
 * Who syncs which shop, as this station knows it: its own leases and the hub's answers, then the
 * holders the hub published (the pulled `sync_leases` rows). Empty without a hub.
 */
export function leaseViews(db: Db): LeaseView[] {
  const settings = readHubSettings(db);
  if (!settings) return [];
  const r = readRemembered(db);
  const out = new Map<string, LeaseView>();
  const names = new Map(db.$client.prepare<[], { id: string; name: string }>('SELECT id, name FROM shops').all().map((x) => [x.id, x.name]));
  const view = (shopId: string, v: Omit<LeaseView, 'shopId' | 'shopName'>): LeaseView => ({ shopId, shopName: names.get(shopId) ?? null, ...v });
  const pulled = db.$client.prepare<[], PublishedLease>('SELECT shop_id, station_id, station_name, expires_at, fence FROM sync_leases').all();
  for (const p of pulled) {
    const mine = p.station_id === settings.stationId;
    out.set(p.shop_id, view(p.shop_id, { mine, stationName: p.station_id === null ? null : mine ? settings.stationName : p.station_name, fence: p.fence, expiresAt: p.station_id === null ? null : p.expires_at, outOfScope: false }));
  }
  // The take answers are this station's own, newer than a published row unless that row's fence is higher.
  for (const [shopId, h] of Object.entries(r.others)) {
    out.set(shopId, view(shopId, { mine: false, stationName: h.stationName, fence: out.get(shopId)?.fence ?? null, expiresAt: h.expiresAt, outOfScope: false }));
  }
  for (const [shopId, m] of Object.entries(r.mine)) {
    const published = out.get(shopId);
    if (published && !published.mine && published.fence !== null && published.fence > m.fence) continue;
    out.set(shopId, view(shopId, { mine: true, stationName: settings.stationName, fence: m.fence, expiresAt: m.expiresAt, outOfScope: false }));
  }
  for (const shopId of r.outOfScope) out.set(shopId, view(shopId, { mine: false, stationName: null, fence: null, expiresAt: null, outOfScope: true }));
  // A shop this station took and gave back for want of its authorisation says so.
  for (const [shopId, c] of Object.entries(readCredentialState(db))) {
    if (!c.problem) continue;
    const v = out.get(shopId) ?? view(shopId, { mine: false, stationName: null, fence: null, expiresAt: null, outOfScope: false });
    out.set(shopId, { ...v, authorisation: c.problem.reason });
  }
  return [...out.values()].sort((a, b) => (a.shopId < b.shopId ? -1 : a.shopId > b.shopId ? 1 : 0));
}
