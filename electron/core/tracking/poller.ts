// pollTraces: one round of platform trace pulls for shipped packages not yet signed or returned
// whose last news (trace event, else the shipment) is older than olderThanMs — the background
// worker calls it on a timer. Network first, then each package's events in their own short
// transaction (recordTrace). Calls run one at a time per shop: trace APIs share the shop's quota.
import { AppError } from '../../shared/result.ts';
import type { EventBus } from '../api/events.ts';
import type { Db } from '../db/open.ts';
import type { StoredOrder, StoredPackage } from '../db/rows.ts';
import type { ShopRecord } from '../platforms/contract.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { LOOKBACK_MS } from './exceptions.ts';
import { recordTrace } from './record.ts';
import { platformTraceFetchers, type TraceFetcherFor } from './sources.ts';

export interface PollDeps {
  db: Db;
  now: () => number;
  events?: EventBus;
  secretCipher?: SecretCipher | undefined;
  /** Where each shop's traces come from; default: the platform APIs (sources.ts). */
  fetcherFor?: TraceFetcherFor;
}

export interface PollOptions {
  olderThanMs: number;
  /** Packages per round, oldest news first (default 200). */
  limit?: number;
  /** Packages per shop per round (default 50): a shop whose API keeps failing leaves the others their turn. */
  perShop?: number;
}

/** Failures in a row after which a shop's remaining packages wait for the next round. */
const SHOP_FAILURES_IN_A_ROW = 3;

export interface PollResult {
  polled: number;
  /** Packages that got at least one new event. */
  updated: number;
  added: number;
  /** Packages of shops whose platform has no trace API (traced by CSV import instead). */
  noApi: number;
  failed: { packageId: string; code: string; message: string }[];
}

/** A package due a trace pull; the query takes only packages with a waybill number. */
type DueRow = Pick<StoredOrder, 'shopId' | 'platformOrderId'> &
  Pick<StoredPackage, 'carrierCode'> & { packageId: StoredPackage['id']; waybillNo: NonNullable<StoredPackage['waybillNo']> };

export async function pollTraces(deps: PollDeps, opts: PollOptions): Promise<PollResult> {
  const now = deps.now();
  const fetcherFor = deps.fetcherFor ?? platformTraceFetchers(deps.db, deps.secretCipher, deps.now);
  // packages_tracking_idx (tracking_state, last_trace_at) narrows to the unfinished states.
  // A failing package keeps its old news and stays first in line; capped per shop, one shop's failing
  // API cannot fill every round and starve the others.
  const due = deps.db.$client
    .prepare<[number, number, number, number], DueRow>(
      `SELECT packageId, shopId, platformOrderId, carrierCode, waybillNo FROM (
         SELECT p.id AS packageId, o.shop_id AS shopId, o.platform_order_id AS platformOrderId, p.carrier_code AS carrierCode, p.waybill_no AS waybillNo,
                COALESCE(p.last_trace_at, p.shipped_at, o.shipped_at) AS news,
                ROW_NUMBER() OVER (PARTITION BY o.shop_id ORDER BY COALESCE(p.last_trace_at, p.shipped_at, o.shipped_at), p.id) AS nth
           FROM packages p JOIN orders o ON o.id = p.order_id
          WHERE p.tracking_state IN ('none', 'collected', 'in_transit', 'delivering', 'exception')
            AND p.state <> 'cancelled' AND p.waybill_no IS NOT NULL
            AND COALESCE(p.last_trace_at, p.shipped_at, o.shipped_at) <= ?
            AND COALESCE(p.shipped_at, o.shipped_at) >= ?)
        WHERE nth <= ?
        ORDER BY news, packageId
        LIMIT ?`,
    )
    .all(now - opts.olderThanMs, now - LOOKBACK_MS, opts.perShop ?? 50, opts.limit ?? 200);
  const result: PollResult = { polled: 0, updated: 0, added: 0, noApi: 0, failed: [] };
  const byShop = new Map<string, DueRow[]>();
  for (const d of due) {
    const list = byShop.get(d.shopId);
    if (list) list.push(d);
    else byShop.set(d.shopId, [d]);
  }
  const shopStmt = deps.db.$client.prepare<[string], ShopRecord>('SELECT id, name, platform, state, settings FROM shops WHERE id = ?');
  for (const [shopId, rows] of byShop) {
    const shop = shopStmt.get(shopId);
    const fetch = shop && shop.state === 'active' ? fetcherFor(shop) : null;
    if (!fetch) {
      result.noApi += rows.length;
      continue;
    }
    let failuresInARow = 0;
    for (const row of rows) {
      if (failuresInARow >= SHOP_FAILURES_IN_A_ROW) break;
      result.polled++;
      try {
        const trace = await fetch({ platformOrderId: row.platformOrderId, carrierCode: row.carrierCode, waybillNo: row.waybillNo });
        failuresInARow = 0;
        // A trade traced under another waybill (a reshipment, or a split trade) says nothing about this package.
        if (trace.waybillNo !== null && trace.waybillNo !== row.waybillNo) continue;
        const r = recordTrace({ db: deps.db, now: deps.now, ...(deps.events ? { events: deps.events } : {}) }, row.packageId, trace.events, 'platform');
        result.added += r.added;
        if (r.added > 0) result.updated++;
      } catch (err) {
        const code = err instanceof AppError ? err.code : 'INTERNAL';
        result.failed.push({ packageId: row.packageId, code, message: err instanceof Error ? err.message : String(err) });
        failuresInARow++;
        // An expired authorisation fails every call of the shop alike: stop asking until it is renewed.
        if (code === 'SHOP_AUTH_EXPIRED') break;
      }
    }
  }
  return result;
}
