// The shop connection commands (shops.add, shops.pause, shops.resume) — each one runCommand
// transaction — and the connection list, which never carries a secret.
import { v7 as uuidv7 } from 'uuid';
import { CONNECTABLE_PLATFORMS, type ApiParsedInput, type ConnectablePlatform, type ShopConnection, type ShopSummary } from '../../shared/contract.ts';
import { AppError } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import { saveShopSecrets, type SecretCipher } from './secrets.ts';

export { CONNECTABLE_PLATFORMS, type ConnectablePlatform };

export function isConnectablePlatform(p: string): p is ConnectablePlatform {
  return (CONNECTABLE_PLATFORMS as readonly string[]).includes(p);
}

/** A new connection, as validated by the 'shops.add' schema in shared/contract.ts. */
export type NewShop = ApiParsedInput<'shops.add'>;

export type { ShopConnection };

/** One shop as the shop list shows it; order counts come from the trigger-kept order_counts table. */
export function shopSummary(db: Db, id: string): ShopSummary | undefined {
  return db.$client
    .prepare<[string], ShopSummary>(
      `SELECT s.id, s.name, s.platform, s.state,
              COALESCE((SELECT SUM(n) FROM order_counts c WHERE c.shop_id = s.id), 0) AS orderCount
         FROM shops s WHERE s.id = ?`,
    )
    .get(id);
}

/**
 * The 'shops.add' command: the shop row (non-secret settings only), its encrypted secrets, one audit
 * entry and one ops row, all in one transaction. The ops args and the audit entry carry the shop's
 * id, name and platform only — never the app secret or a token (the ops log is replicated).
 */
export function addShop(ctx: CoreContext, cipher: SecretCipher | undefined, shop: NewShop): ShopSummary {
  if (!cipher) throw reasonError('shop.no_cipher', {}, 'this station has no secret cipher, so shop credentials cannot be stored (use a database file, not :memory:)');
  const id = uuidv7();
  const name = shop.name.trim();
  // Only what is safe to read in plain text goes into settings; adapters get the secrets merged in memory.
  const settings = JSON.stringify({ appKey: shop.appKey, ...(shop.gateway ? { gateway: shop.gateway } : {}) });
  const args = { id, name, platform: shop.platform };
  return runCommand(ctx, 'shops.add', args, { tables: ['shops', 'shop_secrets'] }, (scope) => {
    scope.tx.$client
      .prepare(`INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, ?, 'active', ?, ?)`)
      .run(id, name, shop.platform, scope.at, settings);
    saveShopSecrets(
      scope.tx,
      cipher,
      id,
      { appSecret: shop.appSecret, accessToken: shop.accessToken, ...(shop.refreshToken ? { refreshToken: shop.refreshToken } : {}) },
      scope.at,
    );
    scope.audit({ entity: 'shop', entityId: id, field: null, before: null, after: { name, platform: shop.platform } });
    return { id, name, platform: shop.platform, state: 'active', orderCount: 0 };
  });
}

/** Which states a shop may leave for the target, and the English reason when it may not. */
function refuseTransition(shopId: string, from: ShopSummary['state'], to: 'active' | 'paused'): AppError | null {
  if (from === to) return reasonError('shop.already_in_state', { shopId, state: to }, `the shop is already ${to}`);
  // An expired authorisation is not fixed by resuming: the seller has to re-enter credentials.
  if (to === 'active' && from === 'auth_expired') {
    return reasonError('shop.resume_needs_authorisation', { shopId }, "the shop's authorisation expired; re-enter its credentials instead of resuming");
  }
  return null;
}

function setShopState(ctx: CoreContext, name: 'shops.pause' | 'shops.resume', id: string, to: 'active' | 'paused'): ShopSummary {
  return runCommand(ctx, name, { id }, { tables: ['shops'] }, (scope) => {
    const shop = shopSummary(ctx.db, id);
    if (!shop) throw reasonError('shop.not_found', { shopId: id }, `No shop with id "${id}"`);
    const refused = refuseTransition(id, shop.state, to);
    if (refused) throw refused;
    ctx.db.$client.prepare('UPDATE shops SET state = ? WHERE id = ?').run(to, id);
    scope.audit({ entity: 'shop', entityId: id, field: 'state', before: shop.state, after: to });
    return { ...shop, state: to };
  });
}

/** Stop syncing a shop: the scheduler skips every shop that is not active (from its next round). */
export function pauseShop(ctx: CoreContext, input: ApiParsedInput<'shops.pause'>): ShopSummary {
  return setShopState(ctx, 'shops.pause', input.id, 'paused');
}

export function resumeShop(ctx: CoreContext, input: ApiParsedInput<'shops.resume'>): ShopSummary {
  return setShopState(ctx, 'shops.resume', input.id, 'active');
}

export function listShopConnections(db: Db): ShopConnection[] {
  return db.$client
    .prepare<[], ShopConnection>(
      `SELECT s.id, s.name, s.platform, s.state, k.last_success_at AS lastSuccessAt,
              CASE WHEN k.last_error_code IS NULL THEN k.last_error ELSE k.last_error_code || ': ' || k.last_error END AS lastError
         FROM shops s LEFT JOIN sync_cursors k ON k.shop_id = s.id ORDER BY s.created_at, s.id`,
    )
    .all();
}

