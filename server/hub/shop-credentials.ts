// Shops' authorisations kept for a takeover (docs/team-hub.md#shop-authorisation-on-takeover). A
// shop is authorised once, on one station; when that station goes silent the station that takes the
// shop's sync lease fetches the authorisation here instead of needing its own.
//
// - Sealed with AES-256-GCM under the hub's credential key, with (team, shop, version) as the
//   additional data, so a sealed value copied to another team's or shop's row does not open. The
//   key is never in the database: SHOPFLEET_HUB_CREDENTIAL_KEY (base64 of 32 bytes; every process
//   over one PostgreSQL needs the same one), or a key file in the hub's --data folder (mode 0600,
//   created on first start). A hub over PostgreSQL without the variable keeps no authorisations and
//   says how to set it.
// - Upload: the station holding the shop's lease, or a station whose person is an owner or operator
//   with the shop in scope. Fetch: only the station that holds the shop's live lease under the fence
//   it names, whose person has the shop in scope. Both are written to credential_audit (who, which
//   shop, when, which version; never the secrets). Secrets are never logged, never in a pull (they
//   are no `rows`), never in an error.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  CREDENTIAL_KEY_ENV,
  CREDENTIAL_PATHS,
  credentialSharingRequest,
  credentialsFetchQuery,
  credentialsUploadRequest,
  shopCredentialSecrets,
  type CredentialAuditResponse,
  type CredentialSharingResponse,
  type CredentialsFetchResponse,
  type CredentialsUploadResponse,
  type ShopCredentialSecrets,
} from '../../electron/shared/hub/credentials.ts';
import type { Engine, Queryable } from '../db/engine.ts';
import { HubFailure } from './errors.ts';
import type { Caller } from './identity.ts';
import { newId } from './secrets.ts';
import { requireStation } from './sync.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_V1 = 1;
export const CREDENTIAL_KEY_FILE = 'credential.key';
const UPLOADERS = new Set(['owner', 'operator']);

export const NO_KEY_MESSAGE = `this hub has no credential key, so it keeps no shop authorisations: set ${CREDENTIAL_KEY_ENV} to a base64 32-byte key (openssl rand -base64 32), the same on every hub process, and restart the hub`;
const SHARING_OFF_MESSAGE = "the team's owner turned off keeping shop authorisations on the hub: a station that takes a shop over needs the shop authorised there";

/**
 * The hub's credential key: the env variable when set (a malformed one stops the hub: better than
 * sealing under a key nobody can set again), else the key file in the data folder (created once,
 * mode 0600), else none.
 */
export function resolveCredentialKey(opts: { dataDir: string | null; env?: NodeJS.ProcessEnv }): Buffer | null {
  const raw = (opts.env ?? process.env)[CREDENTIAL_KEY_ENV];
  if (raw !== undefined && raw.trim() !== '') {
    const key = Buffer.from(raw.trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${CREDENTIAL_KEY_ENV} must be the base64 of ${KEY_BYTES} bytes (openssl rand -base64 32); it decodes to ${key.length}`);
    return key;
  }
  if (opts.dataDir === null) return null;
  const file = path.join(opts.dataDir, CREDENTIAL_KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    // Written whole to a temporary file, then linked into place: never a short key, never two keys.
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const key = fs.readFileSync(file);
  if (key.length !== KEY_BYTES) throw new Error(`the hub's credential key file ${file} is not a ${KEY_BYTES}-byte key`);
  return key;
}

const aad = (teamId: string, shopId: string, version: number): Buffer => Buffer.from(`${teamId}\u0000${shopId}\u0000${version}`, 'utf8');

export function seal(key: Buffer, teamId: string, shopId: string, version: number, secrets: ShopCredentialSecrets): string {
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad(teamId, shopId, version));
  const data = Buffer.concat([c.update(JSON.stringify(secrets), 'utf8'), c.final()]);
  return Buffer.concat([Buffer.from([FORMAT_V1]), iv, c.getAuthTag(), data]).toString('base64');
}

/** Opens a sealed value; null when the key or the (team, shop, version) it was sealed for differs. */
export function unseal(key: Buffer, teamId: string, shopId: string, version: number, sealed: string): ShopCredentialSecrets | null {
  const blob = Buffer.from(sealed, 'base64');
  if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT_V1) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 1 + IV_BYTES));
    d.setAAD(aad(teamId, shopId, version));
    d.setAuthTag(blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([d.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8');
    const r = shopCredentialSecrets.safeParse(JSON.parse(plain));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

type Action = 'upload' | 'fetch' | 'refused';

async function audit(db: Queryable, caller: Caller, shopId: string, action: Action, version: number | null, reason: string | null, now: number): Promise<void> {
  const stationId = caller.kind === 'station' ? caller.station.id : null;
  await db.query(
    `INSERT INTO credential_audit (id, team_id, shop_id, action, station_id, user_name, version, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [newId('cra'), caller.team.id, shopId, action, stationId, caller.user?.name ?? null, version, reason, now],
  );
}

async function sharingOn(db: Queryable, teamId: string): Promise<boolean> {
  const r = await db.query<{ share_credentials: boolean }>('SELECT share_credentials FROM teams WHERE id = $1', [teamId]);
  return r.rows[0]?.share_credentials !== false;
}

function inScope(caller: Caller, shopId: string): boolean {
  const shops = caller.user?.shops ?? null;
  return shops === null || shops.includes(shopId);
}

async function liveLease(db: Queryable, teamId: string, shopId: string, stationId: string, now: number): Promise<{ fence: number } | null> {
  const r = await db.query<{ fence: number }>(
    'SELECT fence FROM sync_leases WHERE team_id = $1 AND shop_id = $2 AND station_id = $3 AND expires_at >= $4',
    [teamId, shopId, stationId, now],
  );
  return r.rows[0] ? { fence: Number(r.rows[0].fence) } : null;
}

/** Refuses (audited) with FORBIDDEN; the message says who may, never what was sent. */
async function refuse(engine: Engine, caller: Caller, shopId: string, reason: string, message: string, now: number): Promise<never> {
  await audit(engine, caller, shopId, 'refused', null, reason, now);
  throw new HubFailure('FORBIDDEN', message);
}

export async function uploadCredentials(engine: Engine, key: Buffer | null, caller: Caller, shopId: string, body: z.infer<typeof credentialsUploadRequest>, now = Date.now()): Promise<CredentialsUploadResponse> {
  const { team, station, user } = requireStation(caller);
  if (!inScope(caller, shopId)) return refuse(engine, caller, shopId, 'out_of_scope', "this station's person may not work this shop, so it keeps no authorisation of it on the hub", now);
  const holds = (await liveLease(engine, team.id, shopId, station.id, now)) !== null;
  if (!holds && !(user !== null && UPLOADERS.has(user.role))) {
    return refuse(engine, caller, shopId, 'not_holder', "only the station that syncs the shop, or an owner's or operator's station, uploads its authorisation", now);
  }
  if (!(await sharingOn(engine, team.id))) {
    await audit(engine, caller, shopId, 'refused', null, 'sharing_off', now);
    return { status: 'sharing_off', message: SHARING_OFF_MESSAGE };
  }
  if (key === null) {
    await audit(engine, caller, shopId, 'refused', null, 'hub_has_no_key', now);
    return { status: 'hub_has_no_key', message: NO_KEY_MESSAGE };
  }
  return engine.transaction(async (tx) => {
    // The row lock orders two uploads of one shop: each gets its own version.
    const prev = await tx.query<{ version: number }>('SELECT version FROM shop_credentials WHERE team_id = $1 AND shop_id = $2 FOR UPDATE', [team.id, shopId]);
    const version = Number(prev.rows[0]?.version ?? 0) + 1;
    await tx.query(
      `INSERT INTO shop_credentials (team_id, shop_id, sealed, version, station_id, user_name, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (team_id, shop_id) DO UPDATE SET sealed = EXCLUDED.sealed, version = EXCLUDED.version, station_id = EXCLUDED.station_id,
         user_name = EXCLUDED.user_name, uploaded_at = EXCLUDED.uploaded_at`,
      [team.id, shopId, seal(key, team.id, shopId, version, body.secrets), version, station.id, user?.name ?? null, now],
    );
    await audit(tx, caller, shopId, 'upload', version, null, now);
    return { status: 'stored' as const, version };
  });
}

export async function fetchCredentials(engine: Engine, key: Buffer | null, caller: Caller, shopId: string, query: z.infer<typeof credentialsFetchQuery>, now = Date.now()): Promise<CredentialsFetchResponse> {
  const { team, station } = requireStation(caller);
  if (!inScope(caller, shopId)) return refuse(engine, caller, shopId, 'out_of_scope', "this station's person may not work this shop", now);
  const lease = await liveLease(engine, team.id, shopId, station.id, now);
  if (lease === null || lease.fence !== query.fence) {
    return refuse(engine, caller, shopId, 'not_holder', "only the station that holds the shop's sync lease (under its current fence) fetches its authorisation; take the lease first", now);
  }
  if (!(await sharingOn(engine, team.id))) {
    await audit(engine, caller, shopId, 'refused', null, 'sharing_off', now);
    return { status: 'sharing_off', message: SHARING_OFF_MESSAGE };
  }
  const r = await engine.query<{ sealed: string; version: number }>('SELECT sealed, version FROM shop_credentials WHERE team_id = $1 AND shop_id = $2', [team.id, shopId]);
  const row = r.rows[0];
  if (!row) return { status: 'none' };
  const version = Number(row.version);
  if (version <= query.have) return { status: 'unchanged', version };
  if (key === null) {
    await audit(engine, caller, shopId, 'refused', version, 'hub_has_no_key', now);
    return { status: 'hub_has_no_key', message: NO_KEY_MESSAGE };
  }
  const secrets = unseal(key, team.id, shopId, version, row.sealed);
  if (secrets === null) {
    await audit(engine, caller, shopId, 'refused', version, 'wrong_key', now);
    throw new HubFailure('CONFLICT', "the hub's credential key does not open this shop's stored authorisation (the key was changed): authorise the shop again on a station");
  }
  await audit(engine, caller, shopId, 'fetch', version, null, now);
  return { status: 'ok', version, secrets };
}

function requireOwner(caller: Caller): void {
  if (caller.user === null || caller.user.role !== 'owner') throw new HubFailure('FORBIDDEN', 'only the team owner changes or reads this');
}

export async function credentialSharing(engine: Engine, key: Buffer | null, caller: Caller): Promise<CredentialSharingResponse> {
  return { enabled: await sharingOn(engine, caller.team.id), keyConfigured: key !== null };
}

/** Turning sharing off deletes every authorisation the hub keeps for the team: "off" means none here. */
export async function setCredentialSharing(engine: Engine, key: Buffer | null, caller: Caller, body: z.infer<typeof credentialSharingRequest>, now = Date.now()): Promise<CredentialSharingResponse> {
  requireOwner(caller);
  await engine.transaction(async (tx) => {
    await tx.query('UPDATE teams SET share_credentials = $2 WHERE id = $1', [caller.team.id, body.enabled]);
    if (!body.enabled) await tx.query('DELETE FROM shop_credentials WHERE team_id = $1', [caller.team.id]);
    await audit(tx, caller, '*', body.enabled ? 'upload' : 'refused', null, body.enabled ? 'sharing_on' : 'sharing_off', now);
  });
  return { enabled: body.enabled, keyConfigured: key !== null };
}

export async function credentialAudit(engine: Engine, caller: Caller): Promise<CredentialAuditResponse> {
  requireOwner(caller);
  const r = await engine.query<{ shop_id: string; action: Action; station_id: string | null; user_name: string | null; version: number | null; reason: string | null; at: number }>(
    'SELECT shop_id, action, station_id, user_name, version, reason, at FROM credential_audit WHERE team_id = $1 ORDER BY at DESC, id DESC LIMIT 500',
    [caller.team.id],
  );
  return {
    entries: r.rows.map((x) => ({
      shopId: x.shop_id,
      action: x.action,
      stationId: x.station_id,
      userName: x.user_name,
      version: x.version === null ? null : Number(x.version),
      reason: x.reason,
      at: Number(x.at),
    })),
  };
}

/** The credential endpoints, on the hub's Fastify app. */
export function credentialRoutes(
  app: FastifyInstance,
  engine: Engine,
  key: Buffer | null,
  caller: (req: FastifyRequest) => Promise<Caller>,
  parse: <S extends z.ZodType>(schema: S, value: unknown) => z.infer<S>,
): void {
  const shopOf = (req: FastifyRequest): string => (req.params as { shopId: string }).shopId;
  app.put(CREDENTIAL_PATHS.shopRoute, async (req) => uploadCredentials(engine, key, await caller(req), shopOf(req), parse(credentialsUploadRequest, req.body)));
  app.get(CREDENTIAL_PATHS.shopRoute, async (req) => fetchCredentials(engine, key, await caller(req), shopOf(req), parse(credentialsFetchQuery, req.query)));
  app.get(CREDENTIAL_PATHS.sharing, async (req) => credentialSharing(engine, key, await caller(req)));
  app.put(CREDENTIAL_PATHS.sharing, async (req) => setCredentialSharing(engine, key, await caller(req), parse(credentialSharingRequest, req.body)));
  app.get(CREDENTIAL_PATHS.audit, async (req) => credentialAudit(engine, await caller(req)));
}
