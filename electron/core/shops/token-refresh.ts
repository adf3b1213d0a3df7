// Keeps a shop's access token fresh: before a sync, a token that expires within 10 minutes (or
// already has) is refreshed with the stored refresh token, and the new pair is stored encrypted.
// A refresh the platform refuses (revoked, expired) pauses the shop as 'auth_expired' with a clear
// "re-authorise" error; a transient failure leaves everything as is (the sync's own call fails and
// backs off, and the next round tries the refresh again).
import { redact } from '../../shared/redact.ts';
import { AppError } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { StoredShop } from '../db/rows.ts';
import { shopSettings } from '../platforms/contract.ts';
import { isGrantRejected, oauthAppOf, oauthProviderFor } from './oauth/index.ts';
import { loadShopSecrets, storeShopSecrets, type SecretCipher } from './secrets.ts';

/** Refresh when the access token has less than this left. */
export const REFRESH_AHEAD_MS = 10 * 60_000;
export const AUTH_EXPIRED_MESSAGE = '授权已失效，请重新授权';

export interface TokenRefreshDeps {
  db: Db;
  secretCipher: SecretCipher | undefined;
  now: () => number;
  fetch?: typeof fetch;
  /** The refreshes running now, by shop id: the station's (station/station.ts), so one refresh per shop at a time. */
  inFlight: Map<string, Promise<void>>;
}

type ShopRow = Pick<StoredShop, 'id' | 'platform' | 'state' | 'settings'>;

/** The stored access-token expiry (epoch ms), or undefined when the shop has none (left untouched). */
export function accessTokenExpiresAt(settings: Record<string, unknown>): number | undefined {
  const v = settings.accessTokenExpiresAt;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Refresh the shop's tokens if they expire within REFRESH_AHEAD_MS and a refresh token is stored.
 * Throws AppError SHOP_AUTH_EXPIRED (after marking the shop) when the platform refuses the
 * refresh; resolves otherwise, transient failures included.
 */
export function ensureFreshToken(deps: TokenRefreshDeps, shopId: string): Promise<void> {
  // One refresh per shop at a time: a second concurrent refresh would spend a rotated token and look revoked.
  const running = deps.inFlight.get(shopId);
  if (running) return running;
  const run = refreshIfDue(deps, shopId).finally(() => deps.inFlight.delete(shopId));
  deps.inFlight.set(shopId, run);
  return run;
}

async function refreshIfDue(deps: TokenRefreshDeps, shopId: string): Promise<void> {
  const { db, secretCipher } = deps;
  if (!secretCipher) return;
  const row = db.$client.prepare<[string], ShopRow>('SELECT id, platform, state, settings FROM shops WHERE id = ?').get(shopId);
  if (!row) return;
  const settings = shopSettings(row);
  const expiresAt = accessTokenExpiresAt(settings);
  if (expiresAt === undefined || expiresAt - deps.now() > REFRESH_AHEAD_MS) return;
  const secrets = loadShopSecrets(db, secretCipher, shopId);
  if (!secrets?.refreshToken) return;
  const provider = oauthProviderFor(row.platform);
  const app = oauthAppOf(settings, secrets.appSecret, shopId);
  try {
    const tokens = await provider.refresh(app, secrets.refreshToken, { now: deps.now, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    // A background refresh, not a command: its own short write transaction.
    writeTx(db, (tx) => {
      const at = deps.now();
      // Some platforms keep the refresh token (JD extends the same one): keep what is stored then.
      storeShopSecrets(tx, secretCipher, shopId, { accessToken: tokens.accessToken, ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}) }, at);
      const current = tx.$client.prepare<[string], { settings: string }>('SELECT settings FROM shops WHERE id = ?').get(shopId);
      const next = shopSettings(current ?? { settings: '{}' });
      if (tokens.accessTokenExpiresAt !== undefined) next.accessTokenExpiresAt = tokens.accessTokenExpiresAt;
      else delete next.accessTokenExpiresAt;
      if (tokens.refreshTokenExpiresAt !== undefined) next.refreshTokenExpiresAt = tokens.refreshTokenExpiresAt;
      tx.$client.prepare('UPDATE shops SET settings = ? WHERE id = ?').run(JSON.stringify(next), shopId);
    });
  } catch (err) {
    if (!isGrantRejected(err)) {
      // Transient (network, 5xx, throttled): the token may still work; the sync decides.
      console.warn(`[oauth] ${shopId}: token refresh failed, will try again next round: ${redact(err instanceof Error ? err.message : String(err))}`);
      return;
    }
    // Another process may have rotated the token meanwhile (its refresh spent ours): then nothing expired.
    const now = loadShopSecrets(db, secretCipher, shopId);
    if (now?.refreshToken && now.refreshToken !== secrets.refreshToken) return;
    db.$client.prepare(`UPDATE shops SET state = 'auth_expired' WHERE id = ? AND state = 'active'`).run(shopId);
    throw reasonError('shop.auth_expired', { shopId, reason: err instanceof Error ? err.message : String(err) }, AUTH_EXPIRED_MESSAGE);
  }
}
