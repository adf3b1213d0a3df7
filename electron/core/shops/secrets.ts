// A shop's connection secrets (app secret, access token, refresh token), encrypted at rest in the
// shop_secrets table through an injected SecretCipher, and never logged.
//
// Two cipher kinds, both AES-256-GCM (version | iv | tag | data), told apart per row by cipher_kind:
// - 'os-keychain': the Electron host's. Main keeps a random 32-byte data key in userData wrapped by
//   safeStorage (Keychain / DPAPI / libsecret, see electron/main/secret-key.ts), unwraps it at start
//   and hands it to the core host over the startup message; the core builds createRawKeyCipher(key,
//   'os-keychain'). The core never imports electron.
// - 'local-key' (plain Node: CLI, web host, tests; and Electron when safeStorage is unavailable):
//   the key lives in a file beside the database (`<db>.key`, mode 0600). Trade-off: this keeps
//   secrets out of the database file — a copied, synced, backed-up or attached-to-a-bug-report .db
//   reveals nothing — but anyone who can read both files as this OS user can decrypt. It protects
//   against leaking the database, not against a compromised account; the OS keychain is the
//   stronger option. Losing the key file loses the secrets (re-enter them or re-authorise); the
//   orders themselves are unaffected.
// Switching kinds (a station that ran under plain Node, then in Electron): the new cipher carries
// the old one as `legacy`, so old rows still open, and every write re-encrypts with the new kind.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import type { WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { Columns, StoredShopSecrets } from '../db/rows.ts';
import { markCredentialsChanged } from '../hub/credential-state.ts';

export type SecretCipherKind = 'os-keychain' | 'local-key';

export interface SecretCipher {
  readonly kind: SecretCipherKind;
  encrypt(plain: string): Buffer | string;
  /** Throws when the data was not made by this cipher's key. */
  decrypt(data: Buffer): string;
  /** Ciphers of other kinds that can still open rows written before a switch (read only). */
  readonly legacy?: readonly SecretCipher[];
  /** How another thread rebuilds this cipher (the background worker); absent for ciphers that cannot say. */
  toSpec?(): CipherSpec;
}

/**
 * A cipher as plain data, for a thread that cannot receive the cipher object itself (functions do
 * not cross threads): the raw key the host unwrapped, or the key file beside a plain-Node station.
 * `legacyKeyFile`: the local key file whose rows a raw-key cipher must still open.
 */
export type CipherSpec =
  | { kind: 'raw-key'; keyBase64: string; cipherKind: SecretCipherKind; legacyKeyFile?: string }
  | { kind: 'local-key'; keyFile: string };

export interface ShopSecrets {
  appSecret: string;
  accessToken: string;
  refreshToken?: string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Leading format byte, so a later scheme can be told apart from this one. */
const FORMAT_V1 = 1;

/** The key file that belongs to a database file. */
export function keyFileFor(dbFile: string): string {
  return `${dbFile}.key`;
}

function readKey(keyFile: string): Buffer {
  const key = fs.readFileSync(keyFile);
  if (key.length !== KEY_BYTES) throw reasonError('shop_secrets.bad_key_file', { keyFile }, `secret key file ${keyFile} is not a ${KEY_BYTES}-byte key`);
  return key;
}

/** Read the key, or create it once: 'wx' so two processes racing to create it cannot both win. */
function readOrCreateKey(keyFile: string): Buffer {
  if (!fs.existsSync(keyFile)) {
    // Written whole to a temporary file, then linked into place: a crash mid-write can never leave
    // a short key behind, and link (like 'wx') refuses to replace a key another process just made.
    const tmp = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(tmp, keyFile);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  return readKey(keyFile);
}

/** AES-256-GCM with the key from `keyFor` (create = this is an encrypt). `where` names the key in errors. */
function gcmCipher(kind: SecretCipherKind, keyFor: (create: boolean) => Buffer, where: string, spec: () => CipherSpec): SecretCipher {
  return {
    kind,
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyFor(true), iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), data]);
    },
    decrypt(blob) {
      const k = keyFor(false);
      if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT_V1) {
        throw reasonError('shop_secrets.bad_format', {}, `shop secrets are not in the ${kind} format`);
      }
      const iv = blob.subarray(1, 1 + IV_BYTES);
      const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', k, iv);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        // GCM's authentication failed: another key (a replaced or foreign key) or altered bytes.
        throw reasonError('shop_secrets.wrong_key', {}, `shop secrets cannot be decrypted with ${where} (wrong key, or the data was altered); re-enter the shop's credentials`);
      }
    },
    toSpec: spec,
  };
}

/**
 * AES-256-GCM under a key file. The key is read (or, on the first encrypt, created) lazily, so
 * opening a database that stores no secrets never creates a key file. Output: version | iv | tag | data.
 */
export function createLocalKeyCipher(keyFile: string): SecretCipher {
  let key: Buffer | null = null;
  const keyFor = (create: boolean): Buffer => {
    if (key) return key;
    if (!create && !fs.existsSync(keyFile)) {
      throw reasonError('shop_secrets.key_missing', { keyFile }, `shop secrets cannot be decrypted: the key file ${keyFile} is missing (re-enter the shop's credentials)`);
    }
    key = create ? readOrCreateKey(keyFile) : readKey(keyFile);
    return key;
  };
  return gcmCipher('local-key', keyFor, `the key in ${keyFile}`, () => ({ kind: 'local-key', keyFile }));
}

/**
 * AES-256-GCM over a key handed in: the Electron host passes the data key main unwrapped with
 * safeStorage ('os-keychain'). `legacyKeyFile`: rows written earlier with the local key file beside
 * the database still open (and move to this cipher on their next write).
 */
export function createRawKeyCipher(key: Buffer, kind: SecretCipherKind, legacyKeyFile?: string): SecretCipher {
  if (key.length !== KEY_BYTES) throw new AppError('INVALID_STATE', `a secret key must be ${KEY_BYTES} bytes, got ${key.length}`);
  // A private copy: the caller may zero or reuse its buffer.
  const own = Buffer.from(key);
  const base = gcmCipher(kind, () => own, `this station's ${kind} key`, () => ({
    kind: 'raw-key',
    keyBase64: own.toString('base64'),
    cipherKind: kind,
    ...(legacyKeyFile ? { legacyKeyFile } : {}),
  }));
  if (!legacyKeyFile || kind === 'local-key') return base;
  return { ...base, legacy: [createLocalKeyCipher(legacyKeyFile)] };
}

/** The name the background worker imports (same function). */
export const createKeyCipher = createRawKeyCipher;

/** Rebuild a cipher from its spec (the background worker, the core host). */
export function cipherFromSpec(spec: CipherSpec): SecretCipher {
  if (spec.kind === 'local-key') return createLocalKeyCipher(spec.keyFile);
  return createRawKeyCipher(Buffer.from(spec.keyBase64, 'base64'), spec.cipherKind, spec.legacyKeyFile);
}

/** The cipher that opens a row of `kind`: the host's own, or one of its legacy ciphers. */
function openerFor(cipher: SecretCipher, kind: string): SecretCipher | undefined {
  if (kind === cipher.kind) return cipher;
  return cipher.legacy?.find((c) => c.kind === kind);
}

type SecretRow = Pick<Columns<StoredShopSecrets>, 'ciphertext' | 'cipher_kind'>;

/**
 * Store (or replace) a shop's secrets, encrypted. The shop row must exist. On a station joined to a
 * hub the change is queued for upload, so a station taking the shop over gets the newest tokens
 * (docs/team-hub.md#shop-authorisation-on-takeover); `fromHub`: they came from the hub, nothing to send.
 */
export function saveShopSecrets(tx: WriteTx, cipher: SecretCipher, shopId: string, secrets: ShopSecrets, now: number = Date.now(), opts: { fromHub?: boolean } = {}): void {
  if (secrets.appSecret === '' || secrets.accessToken === '') throw new AppError('VALIDATION_FAILED', 'app secret and access token must not be empty');
  // The shop id travels inside the ciphertext, so a blob copied onto another shop's row is refused.
  const plain = JSON.stringify({
    shopId,
    appSecret: secrets.appSecret,
    accessToken: secrets.accessToken,
    ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}),
  });
  const out = cipher.encrypt(plain);
  const ciphertext = (typeof out === 'string' ? Buffer.from(out, 'utf8') : out).toString('base64');
  tx.$client
    .prepare(
      `INSERT INTO shop_secrets (shop_id, ciphertext, cipher_kind, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(shop_id) DO UPDATE SET ciphertext = excluded.ciphertext, cipher_kind = excluded.cipher_kind, updated_at = excluded.updated_at`,
    )
    .run(shopId, ciphertext, cipher.kind, now);
  if (!opts.fromHub) markCredentialsChanged(tx, shopId);
}

/** A shop's secrets, or null when none are stored. Throws AppError when they cannot be opened. */
export function loadShopSecrets(db: Db, cipher: SecretCipher, shopId: string): ShopSecrets | null {
  const row = db.$client.prepare<[string], SecretRow>('SELECT ciphertext, cipher_kind FROM shop_secrets WHERE shop_id = ?').get(shopId);
  if (!row) return null;
  const opener = openerFor(cipher, row.cipher_kind);
  if (!opener) {
    const details = { shopId, stored: row.cipher_kind, current: cipher.kind };
    throw reasonError('shop_secrets.other_cipher', details, `shop secrets were stored with the ${row.cipher_kind} cipher but this host has ${cipher.kind}; re-enter the shop's credentials`);
  }
  const plain = opener.decrypt(Buffer.from(row.ciphertext, 'base64'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain);
  } catch {
    throw reasonError('shop_secrets.not_this_shop', { shopId }, 'shop secrets decrypted to something unreadable');
  }
  const v = parsed as Partial<ShopSecrets> & { shopId?: unknown };
  if (v.shopId !== shopId || typeof v.appSecret !== 'string' || typeof v.accessToken !== 'string') {
    throw reasonError('shop_secrets.not_this_shop', { shopId }, 'shop secrets do not belong to this shop');
  }
  return { appSecret: v.appSecret, accessToken: v.accessToken, ...(typeof v.refreshToken === 'string' ? { refreshToken: v.refreshToken } : {}) };
}

/** What a write may change: any subset; what is left out keeps its stored value. */
export type ShopSecretsPatch = Partial<ShopSecrets>;

/**
 * Merge new values over the stored secrets and save them (re-encrypted with the host's current
 * cipher, which also migrates a row written with a legacy cipher). A token pasted or issued by an
 * OAuth exchange keeps the app secret that was stored with `shops add`. `refreshToken: undefined`
 * keeps the stored one; an exchange that issued none should pass the patch without the key.
 */
export function storeShopSecrets(tx: WriteTx, cipher: SecretCipher, shopId: string, patch: ShopSecretsPatch, now: number = Date.now()): ShopSecrets {
  const stored = loadShopSecrets(tx, cipher, shopId);
  const appSecret = patch.appSecret ?? stored?.appSecret;
  const accessToken = patch.accessToken ?? stored?.accessToken;
  if (!appSecret) throw reasonError('shop.no_app_secret', { shopId }, 'the shop has no app secret stored: enter it with the tokens');
  if (!accessToken) throw reasonError('shop.no_access_token', { shopId }, 'the shop has no access token stored');
  const refreshToken = patch.refreshToken ?? stored?.refreshToken;
  const merged: ShopSecrets = { appSecret, accessToken, ...(refreshToken ? { refreshToken } : {}) };
  saveShopSecrets(tx, cipher, shopId, merged, now);
  return merged;
}
