// 'shops.overview': every shop with its connection settings, schedule and sync health for the Shops
// page — one query over shops, cursors and grouped counts (quarantine, pushes, today's runs), no N+1.
import type { ShopOverview, ShopSummary } from '../../shared/contract.ts';
import type { Platform } from '../../shared/model.ts';
import { syncErrorOf } from '../../shared/sync-errors.ts';
import type { Db } from '../db/open.ts';
import type { Narrowed, StoredShop, StoredSyncCursor } from '../db/rows.ts';
import { shopSettings } from '../platforms/contract.ts';

/** Every shop syncs every 2 minutes and looks back 3 days on its first sync, unless set (docs/sync.md). */
export const DEFAULT_SYNC_INTERVAL_MS = 2 * 60_000;
export const DEFAULT_BACKFILL_DAYS = 3;

const DAY_MS = 24 * 3600_000;
/** Asia/Shanghai has been UTC+8 without daylight saving since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** The most recent Asia/Shanghai midnight at or before `now` (epoch ms). */
export function shanghaiMidnight(now: number): number {
  return Math.floor((now + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** A shop, its cursor (LEFT JOIN: null before the first pull) and the counts beside it. */
type OverviewRow = Narrowed<Pick<StoredShop, 'id' | 'name' | 'platform' | 'state' | 'settings'>, { platform: Platform; state: ShopSummary['state'] }> & {
  [K in 'cursorMs' | 'lastSuccessAt' | 'lastError' | 'lastErrorCode' | 'lastErrorKind' | 'lastErrorAt']: StoredSyncCursor[K] | null;
} & {
  orderCount: number;
  quarantined: number;
  pendingPushes: number;
  failedPushes: number;
  pulledToday: number;
};

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

// Each grouped subquery reads one index: order_counts by shop, quarantine_shop_idx (shop_id,
// resolved_at), pushes_shop_idx (shop_id, state), sync_runs_started_idx (started_at).
const OVERVIEW_SQL = `
  SELECT s.id, s.name, s.platform, s.state, s.settings,
         COALESCE(oc.n, 0) AS orderCount,
         k.cursor_ms AS cursorMs, k.last_success_at AS lastSuccessAt, k.last_error AS lastError, k.last_error_code AS lastErrorCode, k.last_error_kind AS lastErrorKind,
         k.last_error_at AS lastErrorAt,
         COALESCE(q.n, 0) AS quarantined,
         COALESCE(p.pending, 0) AS pendingPushes, COALESCE(p.failed, 0) AS failedPushes,
         COALESCE(r.pulled, 0) AS pulledToday
    FROM shops s
    LEFT JOIN sync_cursors k ON k.shop_id = s.id
    LEFT JOIN (SELECT shop_id, SUM(n) AS n FROM order_counts GROUP BY shop_id) oc ON oc.shop_id = s.id
    LEFT JOIN (SELECT shop_id, COUNT(*) AS n FROM quarantine WHERE resolved_at IS NULL GROUP BY shop_id) q ON q.shop_id = s.id
    LEFT JOIN (SELECT shop_id,
                      SUM(state IN ('pending', 'sending')) AS pending,
                      SUM(state IN ('failed', 'conflict')) AS failed
                 FROM pushes WHERE state IN ('pending', 'sending', 'failed', 'conflict') GROUP BY shop_id) p ON p.shop_id = s.id
    LEFT JOIN (SELECT shop_id, SUM(pulled) AS pulled FROM sync_runs WHERE started_at >= ? GROUP BY shop_id) r ON r.shop_id = s.id
   ORDER BY s.created_at, s.id`;

/**
 * Every shop as the Shops page shows it. `isSyncing` comes from the sync engine (in memory, or the
 * worker's report); `now` decides which runs count as today's (Asia/Shanghai calendar day).
 */
export function shopsOverview(db: Db, isSyncing: (shopId: string) => boolean, now: number): ShopOverview[] {
  const rows = db.$client.prepare<[number], OverviewRow>(OVERVIEW_SQL).all(shanghaiMidnight(now));
  return rows.map((r) => {
    const settings = shopSettings(r);
    const appKey = str(settings.appKey);
    return {
      id: r.id,
      name: r.name,
      platform: r.platform,
      state: r.state,
      orderCount: r.orderCount,
      appKey,
      gateway: str(settings.gateway),
      syncIntervalMs: num(settings.syncIntervalMs) ?? DEFAULT_SYNC_INTERVAL_MS,
      backfillDays: num(settings.backfillDays) ?? DEFAULT_BACKFILL_DAYS,
      cursorMs: r.cursorMs,
      lastSuccessAt: r.lastSuccessAt,
      lastErrorAt: r.lastErrorAt,
      lastError: syncErrorOf(r.lastError, r.lastErrorCode, r.lastErrorKind),
      pulledToday: r.pulledToday,
      quarantined: r.quarantined,
      pendingPushes: r.pendingPushes,
      failedPushes: r.failedPushes,
      syncing: isSyncing(r.id),
      accessTokenExpiresAt: num(settings.accessTokenExpiresAt) ?? null,
      // The sandbox has no OAuth; a shop without an app key cannot name the app to authorise.
      canAuthorize: appKey !== null && r.platform !== 'sandbox',
    };
  });
}

/** The engine's status() as a lookup for shopsOverview. */
export function syncingLookup(status: readonly { shopId: string; syncing: boolean }[]): (shopId: string) => boolean {
  const syncing = new Set(status.filter((s) => s.syncing).map((s) => s.shopId));
  return (id) => syncing.has(id);
}
