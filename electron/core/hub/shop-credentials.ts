// A joined station's side of shop authorisations on the hub (docs/team-hub.md#shop-authorisation-on-takeover).
// - Upload: every change of a shop's secrets here (authorised, re-entered, token refreshed) is
//   queued by a counter in meta (credential-state.ts) and sent after the next push and pull; while
//   the hub cannot be reached the mark stays and the next round tries again. The secrets are read
//   from shop_secrets at upload time, so no copy ever sits in a plain file or in meta.
// - Takeover: when the lease gate takes a shop, the station asks the hub for the shop's
//   authorisation unless it already holds the hub's newest version, stores what it gets through its
//   own cipher, and only then runs the round. A station that has none, and gets none, gives the
//   lease back at once and says why in its status.
import {
  CREDENTIAL_PATHS,
  credentialsFetchResponse,
  credentialsUploadResponse,
  type TakeoverAuthProblem,
} from '../../shared/hub/credentials.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { loadShopSecrets, saveShopSecrets, type SecretCipher, type ShopSecrets } from '../shops/secrets.ts';
import { patchShopCredentialState, readCredentialState, type ShopCredentialState } from './credential-state.ts';
import { loadHubToken, readHubSettings } from './settings.ts';
import { HubRequestError, HubUnreachable, hubRequest, type FetchLike } from './transport.ts';

const TIMEOUT_MS = 15_000;

export interface ShopCredentialDeps {
  cipher: SecretCipher;
  fetch?: FetchLike;
  now?: () => number;
}

/** The shop's secrets held here, or null (none, or stored under a key this station no longer has). */
function localSecrets(db: Db, cipher: SecretCipher, shopId: string): ShopSecrets | null {
  try {
    return loadShopSecrets(db, cipher, shopId);
  } catch {
    return null;
  }
}

export interface UploadOutcome {
  uploaded: string[];
  /** Shops the hub did not keep (sharing off, no key, refused), with the reason. */
  notKept: { shopId: string; reason: string }[];
  /** Still queued: the hub could not be reached. */
  waiting: string[];
}

/** Sends every queued shop authorisation to the hub. Never throws for the hub's answer; an unreachable hub leaves the queue as it is. */
export async function uploadPendingCredentials(db: Db, deps: ShopCredentialDeps): Promise<UploadOutcome> {
  const out: UploadOutcome = { uploaded: [], notKept: [], waiting: [] };
  const settings = readHubSettings(db);
  if (!settings) return out;
  const queued = Object.entries(readCredentialState(db)).filter(([, s]) => (s.pending ?? 0) > 0);
  if (queued.length === 0) return out;
  const now = deps.now ?? Date.now;
  const token = loadHubToken(db, deps.cipher);
  for (const [shopId, state] of queued) {
    const mark = state.pending ?? 0;
    const secrets = localSecrets(db, deps.cipher, shopId);
    let done: (s: ShopCredentialState) => ShopCredentialState;
    if (secrets === null) {
      // Nothing readable to send (the shop or its secrets are gone): the mark has no purpose.
      done = (s) => s;
    } else {
      try {
        const r = await hubRequest(settings.url.replace(/\/+$/, ''), token, deps.fetch ?? fetch, TIMEOUT_MS, 'PUT', CREDENTIAL_PATHS.shop(shopId), credentialsUploadResponse, { secrets });
        if (r.status === 'stored') {
          out.uploaded.push(shopId);
          done = (s) => {
            const { notKept: _, ...rest } = s;
            return { ...rest, version: r.version };
          };
        } else {
          out.notKept.push({ shopId, reason: r.status });
          done = (s) => ({ ...s, notKept: { reason: r.status, at: now() } });
        }
      } catch (err) {
        if (err instanceof HubUnreachable) {
          out.waiting.push(shopId);
          continue;
        }
        if (!(err instanceof HubRequestError)) throw err;
        // The hub said no (this person may not upload it, the station was revoked …): kept here, not retried until it changes again.
        out.notKept.push({ shopId, reason: err.code });
        done = (s) => ({ ...s, notKept: { reason: err.code, at: now() } });
      }
    }
    writeTx(db, (tx) =>
      patchShopCredentialState(tx, shopId, (s) => {
        const next = done(s);
        // A change made while the request ran keeps its mark: it is sent next round.
        const left = (s.pending ?? 0) - mark;
        if (left > 0) next.pending = left;
        else delete next.pending;
        return next;
      }),
    );
  }
  return out;
}

export type TakeoverAuth = { ok: true; fetched: boolean } | { ok: false; reason: TakeoverAuthProblem };

/**
 * Makes sure this station can pull a shop it holds the lease of (under `fence`): asks the hub unless
 * it already has the hub's newest version, and stores what comes back. ok:false only when the
 * station has no readable authorisation of its own and the hub gives none.
 */
export async function ensureShopCredentials(db: Db, deps: ShopCredentialDeps, shopId: string, fence: number): Promise<TakeoverAuth> {
  const settings = readHubSettings(db);
  if (!settings) return { ok: true, fetched: false };
  const now = deps.now ?? Date.now;
  const local = localSecrets(db, deps.cipher, shopId);
  const known = readCredentialState(db)[shopId];
  const have = local !== null ? (known?.version ?? 0) : 0;
  if (local !== null && ((known?.pending ?? 0) > 0 || known?.notKept)) {
    // A change made here that the hub has not taken (queued, or refused while this station did not
    // hold the shop) is newer than any copy the hub could hand back: as the holder, send it instead.
    writeTx(db, (tx) => patchShopCredentialState(tx, shopId, (s) => (s.pending ? s : { ...s, pending: 1 })));
    await uploadPendingCredentials(db, deps).catch((err) => console.error(`[credentials] ${shopId}: upload failed`, (err as Error).message));
    return clear(db, shopId, false);
  }
  let problem: TakeoverAuthProblem;
  try {
    const r = await hubRequest(
      settings.url.replace(/\/+$/, ''),
      loadHubToken(db, deps.cipher),
      deps.fetch ?? fetch,
      TIMEOUT_MS,
      'GET',
      `${CREDENTIAL_PATHS.shop(shopId)}?fence=${fence}&have=${have}`,
      credentialsFetchResponse,
    );
    if (r.status === 'ok') {
      writeTx(db, (tx) => {
        saveShopSecrets(tx, deps.cipher, shopId, r.secrets, now(), { fromHub: true });
        patchShopCredentialState(tx, shopId, (s) => {
          const { problem: _, ...rest } = s;
          return { ...rest, version: r.version };
        });
      });
      return { ok: true, fetched: true };
    }
    if (r.status === 'unchanged' && local !== null) return clear(db, shopId, true);
    if (r.status === 'none' && local !== null) {
      // The hub has none yet (the shop was authorised here before joining): the holder sends its own.
      writeTx(db, (tx) => patchShopCredentialState(tx, shopId, (s) => (s.pending ? s : { ...s, pending: 1 })));
      await uploadPendingCredentials(db, deps).catch((err) => console.error(`[credentials] ${shopId}: upload failed`, (err as Error).message));
      return clear(db, shopId, false);
    }
    problem = r.status === 'sharing_off' || r.status === 'hub_has_no_key' ? r.status : 'none';
  } catch (err) {
    if (err instanceof HubUnreachable) problem = 'unreachable';
    else if (err instanceof HubRequestError) problem = 'refused';
    else throw err;
  }
  if (local !== null) return clear(db, shopId, false);
  writeTx(db, (tx) => patchShopCredentialState(tx, shopId, (s) => ({ ...s, problem: { reason: problem, at: now() } })));
  return { ok: false, reason: problem };
}

function clear(db: Db, shopId: string, fetched: boolean): TakeoverAuth {
  if (readCredentialState(db)[shopId]?.problem) {
    writeTx(db, (tx) =>
      patchShopCredentialState(tx, shopId, (s) => {
        const { problem: _, ...rest } = s;
        return rest;
      }),
    );
  }
  return { ok: true, fetched };
}

/** Why a shop held (or last taken) here has no authorisation, for hub.status; null when nothing is wrong. */
export function takeoverProblem(db: Db, shopId: string): TakeoverAuthProblem | null {
  return readCredentialState(db)[shopId]?.problem?.reason ?? null;
}
