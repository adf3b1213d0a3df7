// What a joined station knows about its shops' authorisations on the hub
// (docs/team-hub.md#shop-authorisation-on-takeover), as JSON in `meta` — never a secret, only
// versions and markers: the hub's version of the copy held here, how many local changes wait to be
// uploaded (the secrets themselves stay encrypted in shop_secrets and are read at upload time), and
// why a takeover found no authorisation. Kept apart from shop-credentials.ts so the secret store
// (shops/secrets.ts) can mark a change without importing the hub client.
import type { TakeoverAuthProblem } from '../../shared/hub/credentials.ts';
import type { WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';

const STATE_KEY = 'hub.credentials';
const SETTINGS_KEY = 'hub.settings';

export interface ShopCredentialState {
  /** The hub's version of the copy held here (uploaded or fetched); absent: never matched with the hub. */
  version?: number;
  /** Local changes not yet uploaded (a counter, so an upload racing a refresh never clears the newer mark). */
  pending?: number;
  /** The last upload the hub did not keep, and why. */
  notKept?: { reason: string; at: number };
  /** Why this station, holding the shop's lease, could not get its authorisation. */
  problem?: { reason: TakeoverAuthProblem; at: number };
}

export type CredentialState = Record<string, ShopCredentialState>;

export function readCredentialState(db: Db): CredentialState {
  const raw = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(STATE_KEY)?.value;
  return raw ? (JSON.parse(raw) as CredentialState) : {};
}

export function writeCredentialState(tx: WriteTx, state: CredentialState): void {
  tx.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(STATE_KEY, JSON.stringify(state));
}

export function patchShopCredentialState(tx: WriteTx, shopId: string, patch: (s: ShopCredentialState) => ShopCredentialState): ShopCredentialState {
  const state = readCredentialState(tx);
  const next = patch({ ...(state[shopId] ?? {}) });
  state[shopId] = next;
  writeCredentialState(tx, state);
  return next;
}

/**
 * A shop's secrets changed here (authorised, re-entered, refreshed): on a joined station, queue an
 * upload. The shop is authorised here now, so a takeover problem it had is over.
 */
export function markCredentialsChanged(tx: WriteTx, shopId: string): void {
  if (!tx.$client.prepare<[string], { key: string }>('SELECT key FROM meta WHERE key = ?').get(SETTINGS_KEY)) return;
  patchShopCredentialState(tx, shopId, ({ problem: _, ...s }) => ({ ...s, pending: (s.pending ?? 0) + 1 }));
}
