// A shop as sync sees it: its row with its cursor and last error, the sync status the Shops page
// shows, and how often and how far back its settings ask it to sync. Read by the scheduler, by the
// pull of one shop, and by the host's handle on the background worker (through the host's connection).
import type { ShopSyncState } from '../../shared/contract.ts';
import type { Platform } from '../../shared/model.ts';
import { syncErrorOf } from '../../shared/sync-errors.ts';
import type { Db } from '../db/open.ts';
import { shopSettings, type ShopRecord } from '../platforms/contract.ts';

/** Every shop syncs every 2 minutes unless its settings say otherwise (docs/sync.md). */
export const DEFAULT_SHOP_INTERVAL_MS = 2 * 60_000;
export const DAY_MS = 24 * 3600_000;
export const DEFAULT_BACKFILL_MS = 3 * DAY_MS;

export interface ShopRow extends ShopRecord {
  cursor_ms: number | null;
  last_success_at: number | null;
  last_error: string | null;
  last_error_code: string | null;
  last_error_kind: string | null;
}

const SHOP_COLUMNS = `SELECT s.id, s.name, s.platform, s.state, s.settings, k.cursor_ms, k.last_success_at, k.last_error, k.last_error_code, k.last_error_kind
         FROM shops s LEFT JOIN sync_cursors k ON k.shop_id = s.id`;

/** One shop, or every shop in the order they were added, each with its cursor. */
export function shopStatements(db: Db) {
  const c = db.$client;
  return {
    shop: c.prepare<[string], ShopRow>(`${SHOP_COLUMNS} WHERE s.id = ?`),
    shops: c.prepare<[], ShopRow>(`${SHOP_COLUMNS} ORDER BY s.created_at, s.id`),
  };
}

const statusStatements = new WeakMap<Db['$client'], ReturnType<typeof shopStatements>['shops']>();

/**
 * Shops with their cursors as the sync status shows them. Shared by the scheduler and the worker's
 * host handle, which reads through the host's own connection and knows `syncing` from the worker.
 */
export function readSyncStatus(db: Db, isSyncing: (shopId: string) => boolean): ShopSyncState[] {
  let shops = statusStatements.get(db.$client);
  if (!shops) {
    shops = shopStatements(db).shops;
    statusStatements.set(db.$client, shops);
  }
  return shops.all().map((r) => ({
    shopId: r.id,
    shopName: r.name,
    platform: r.platform as Platform,
    state: r.state as ShopSyncState['state'],
    lastSuccessAt: r.last_success_at,
    lastError: syncErrorOf(r.last_error, r.last_error_code, r.last_error_kind),
    syncing: isSyncing(r.id),
  }));
}

/** A non-negative finite number from a shop's settings, or undefined. */
function settingNumber(settings: Record<string, unknown>, key: string): number | undefined {
  const v = settings[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** The shop's own sync interval: settings.syncIntervalMs (demo shops use 15 s), else the default. */
export function shopIntervalMs(shop: Pick<ShopRecord, 'settings'>, fallbackMs: number = DEFAULT_SHOP_INTERVAL_MS): number {
  return settingNumber(shopSettings(shop), 'syncIntervalMs') ?? fallbackMs;
}

/** How far a shop's first sync looks back: settings.backfillDays (default 3 days, or the scheduler's). */
export function shopBackfillMs(shop: Pick<ShopRecord, 'settings'>, fallbackMs: number = DEFAULT_BACKFILL_MS): number {
  const days = settingNumber(shopSettings(shop), 'backfillDays');
  return days === undefined ? fallbackMs : days * DAY_MS;
}
