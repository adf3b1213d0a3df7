// Connecting a seller account: the shop row (non-secret settings only) and its encrypted secrets,
// written in one transaction; and the connection list, which never carries a secret.
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../shared/result.ts';
import type { Db } from '../db/open.ts';
import { saveShopSecrets, type SecretCipher } from './secrets.ts';

/** Platforms a person can connect with credentials (the sandbox needs none). */
export const CONNECTABLE_PLATFORMS = ['taobao', 'tmall', 'pdd', 'jd', 'douyin', 'kuaishou'] as const;
export type ConnectablePlatform = (typeof CONNECTABLE_PLATFORMS)[number];

export function isConnectablePlatform(p: string): p is ConnectablePlatform {
  return (CONNECTABLE_PLATFORMS as readonly string[]).includes(p);
}

export interface NewShop {
  platform: ConnectablePlatform;
  name: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
  refreshToken?: string;
  /** Overrides the platform's production gateway (sandbox, proxies). */
  gateway?: string;
}

export interface ShopConnection {
  id: string;
  name: string;
  platform: string;
  state: string;
  lastSuccessAt: number | null;
  lastError: string | null;
}

/** Creates the shop and stores its secrets encrypted; returns the new shop id. */
export function addShop(db: Db, cipher: SecretCipher, shop: NewShop, now: number = Date.now()): string {
  if (!isConnectablePlatform(shop.platform)) throw new AppError('VALIDATION_FAILED', `unknown platform "${String(shop.platform)}"`);
  if (shop.name.trim() === '' || shop.appKey === '') throw new AppError('VALIDATION_FAILED', 'shop name and app key must not be empty');
  if (shop.gateway !== undefined && !/^https?:\/\//.test(shop.gateway)) throw new AppError('VALIDATION_FAILED', 'gateway must be an http(s) URL');
  const id = uuidv7();
  // Only what is safe to read in plain text goes into settings; adapters get the secrets merged in memory.
  const settings = JSON.stringify({ appKey: shop.appKey, ...(shop.gateway ? { gateway: shop.gateway } : {}) });
  db.$client.transaction(() => {
    db.$client
      .prepare(`INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, ?, 'active', ?, ?)`)
      .run(id, shop.name.trim(), shop.platform, now, settings);
    saveShopSecrets(db, cipher, id, { appSecret: shop.appSecret, accessToken: shop.accessToken, ...(shop.refreshToken ? { refreshToken: shop.refreshToken } : {}) }, now);
  })();
  return id;
}

export function listShopConnections(db: Db): ShopConnection[] {
  return db.$client
    .prepare<[], ShopConnection>(
      `SELECT s.id, s.name, s.platform, s.state, k.last_success_at AS lastSuccessAt, k.last_error AS lastError
         FROM shops s LEFT JOIN sync_cursors k ON k.shop_id = s.id ORDER BY s.created_at, s.id`,
    )
    .all();
}

/**
 * Move a shop's cursor back so the next sync re-pulls from `sinceMs` (the upsert is idempotent, so
 * re-pulled orders that did not change write nothing). Creates the cursor for a never-synced shop.
 */
export function rewindShopCursor(db: Db, shopId: string, sinceMs: number): void {
  db.$client
    .prepare(
      `INSERT INTO sync_cursors (shop_id, cursor_ms) VALUES (?, ?)
       ON CONFLICT(shop_id) DO UPDATE SET cursor_ms = excluded.cursor_ms`,
    )
    .run(shopId, sinceMs);
}
