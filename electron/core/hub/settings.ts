// Where this station stands with its team hub: the hub's URL, the station id the hub gave it, the
// team and the person its join code signed in, the pull cursor and what the last rounds did — JSON
// in the meta table (like station/settings.ts). The station token is a secret: it is kept encrypted
// by the same cipher as the shops' secrets (the OS keychain's key in the desktop app, a key file
// beside the database under plain Node), never as plain text.
import type { HubTeam, HubUser } from '../../shared/hub/protocol.ts';
import type { WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { CAPTURE_KEY } from './triggers.ts';

const SETTINGS_KEY = 'hub.settings';
const TOKEN_KEY = 'hub.token';

export interface HubSettings {
  url: string;
  /** The hub's id for this station (the join's answer), sent with every push. */
  stationId: string;
  stationName: string;
  team: HubTeam;
  /** The person the join code signed in. */
  user: HubUser;
  /** ops.seq of the last op written before joining: an op's wire seq is its seq minus this. */
  seqBase: number;
  /** The hub's sync id this station has applied up to (0 = bootstrap not done). */
  cursor: number;
  /** Wire seq up to which this station has marked its ops acked or refused. */
  resultsAfter: number;
  joinedAt: number;
  lastPushAt: number | null;
  lastPullAt: number | null;
  /** The last round's failure, in English for logs, with its hub code when it had one. */
  lastError: { at: number; message: string; code: string | null } | null;
  /** Set when the hub said this station's schema version is too old: pushes wait for an update. */
  tooOld: boolean;
}

export function readHubSettings(db: Db): HubSettings | null {
  const raw = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(SETTINGS_KEY)?.value;
  return raw ? (JSON.parse(raw) as HubSettings) : null;
}

function put(tx: WriteTx, key: string, value: string): void {
  tx.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function writeHubSettings(tx: WriteTx, settings: HubSettings): void {
  put(tx, SETTINGS_KEY, JSON.stringify(settings));
}

export function patchHubSettings(tx: WriteTx, patch: Partial<HubSettings>): HubSettings {
  const current = readHubSettings(tx);
  if (!current) throw new Error('this station is not joined to a hub');
  const next = { ...current, ...patch };
  writeHubSettings(tx, next);
  return next;
}

/** Turns effect capture on (joined) or off (left; and inside a pull's own transaction). */
export function setCapture(tx: WriteTx, on: boolean): void {
  put(tx, CAPTURE_KEY, on ? '1' : '0');
}

export function saveHubToken(tx: WriteTx, cipher: SecretCipher, token: string): void {
  const data = cipher.encrypt(token);
  const b64 = Buffer.isBuffer(data) ? data.toString('base64') : Buffer.from(data).toString('base64');
  put(tx, TOKEN_KEY, JSON.stringify({ kind: cipher.kind, ciphertext: b64 }));
}

export function loadHubToken(db: Db, cipher: SecretCipher): string {
  const raw = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(TOKEN_KEY)?.value;
  if (!raw) throw new Error('this station has no hub token: join the hub again');
  const stored = JSON.parse(raw) as { kind: string; ciphertext: string };
  const data = Buffer.from(stored.ciphertext, 'base64');
  for (const c of [cipher, ...(cipher.legacy ?? [])]) {
    if (c.kind !== stored.kind) continue;
    return c.decrypt(data);
  }
  return cipher.decrypt(data);
}

/** Forgets the hub: settings, token and capture (the station keeps every row it holds). */
export function clearHub(tx: WriteTx): void {
  tx.$client.prepare('DELETE FROM meta WHERE key IN (?, ?)').run(SETTINGS_KEY, TOKEN_KEY);
  setCapture(tx, false);
  tx.$client.prepare('DELETE FROM op_effects').run();
  tx.$client.prepare(`UPDATE ops SET hub_state = 'local' WHERE hub_state = 'pending'`).run();
}
