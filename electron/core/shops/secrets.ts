// A shop's connection secrets (app secret, access token, refresh token), encrypted at rest in the
// shop_secrets table through an injected SecretCipher, and never logged.
//
// Two ciphers:
// - 'os-keychain': the Electron host's, backed by safeStorage (Keychain / DPAPI / libsecret). The core
//   never imports electron, so the host builds one and passes it as createCore({ secretCipher }).
//   Hook: safeStorage lives in the main process while the core runs in a utility process, so the
//   host must either forward encrypt/decrypt over its MessagePort or hand the core a key that main
//   unwrapped with safeStorage.decryptString (a local-key cipher over that key). Not wired yet.
// - 'local-key' (plain Node: CLI, web host, tests): AES-256-GCM with a random 32-byte key kept in a
//   file beside the database (`<db>.key`, mode 0600). Trade-off: this keeps secrets out of the
//   database file — a copied, synced, backed-up or attached-to-a-bug-report .db reveals nothing — but
//   anyone who can read both files as this OS user can decrypt. It protects against leaking the
//   database, not against a compromised account; the OS keychain is the stronger option. Losing the
//   key file loses the secrets (re-enter them with `shops add`); the orders themselves are unaffected.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../../shared/result.ts';
import type { Db } from '../db/open.ts';

export type SecretCipherKind = 'os-keychain' | 'local-key';

export interface SecretCipher {
  readonly kind: SecretCipherKind;
  encrypt(plain: string): Buffer | string;
  /** Throws when the data was not made by this cipher's key. */
  decrypt(data: Buffer): string;
}

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
  if (key.length !== KEY_BYTES) throw new AppError('INVALID_STATE', `secret key file ${keyFile} is not a ${KEY_BYTES}-byte key`);
  return key;
}

/** Read the key, or create it once: 'wx' so two processes racing to create it cannot both win. */
function readOrCreateKey(keyFile: string): Buffer {
  if (!fs.existsSync(keyFile)) {
    try {
      fs.writeFileSync(keyFile, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return readKey(keyFile);
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
      throw new AppError('INVALID_STATE', `shop secrets cannot be decrypted: the key file ${keyFile} is missing (re-enter the shop's credentials)`);
    }
    key = create ? readOrCreateKey(keyFile) : readKey(keyFile);
    return key;
  };
  return {
    kind: 'local-key',
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyFor(true), iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), data]);
    },
    decrypt(blob) {
      const k = keyFor(false);
      if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT_V1) {
        throw new AppError('INVALID_STATE', 'shop secrets are not in the local-key format');
      }
      const iv = blob.subarray(1, 1 + IV_BYTES);
      const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', k, iv);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        // GCM's authentication failed: another key (a replaced or foreign key file) or altered bytes.
        throw new AppError('INVALID_STATE', `shop secrets cannot be decrypted with the key in ${keyFile} (wrong key file, or the data was altered); re-enter the shop's credentials`);
      }
    },
  };
}

interface SecretRow {
  ciphertext: string;
  cipher_kind: string;
}

/** Store (or replace) a shop's secrets, encrypted. The shop row must exist. */
export function saveShopSecrets(db: Db, cipher: SecretCipher, shopId: string, secrets: ShopSecrets, now: number = Date.now()): void {
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
  db.$client
    .prepare(
      `INSERT INTO shop_secrets (shop_id, ciphertext, cipher_kind, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(shop_id) DO UPDATE SET ciphertext = excluded.ciphertext, cipher_kind = excluded.cipher_kind, updated_at = excluded.updated_at`,
    )
    .run(shopId, ciphertext, cipher.kind, now);
}

/** A shop's secrets, or null when none are stored. Throws AppError when they cannot be opened. */
export function loadShopSecrets(db: Db, cipher: SecretCipher, shopId: string): ShopSecrets | null {
  const row = db.$client.prepare<[string], SecretRow>('SELECT ciphertext, cipher_kind FROM shop_secrets WHERE shop_id = ?').get(shopId);
  if (!row) return null;
  if (row.cipher_kind !== cipher.kind) {
    throw new AppError('INVALID_STATE', `shop secrets were stored with the ${row.cipher_kind} cipher but this host has ${cipher.kind}; re-enter the shop's credentials`, { shopId });
  }
  const plain = cipher.decrypt(Buffer.from(row.ciphertext, 'base64'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain);
  } catch {
    throw new AppError('INVALID_STATE', 'shop secrets decrypted to something unreadable', { shopId });
  }
  const v = parsed as Partial<ShopSecrets> & { shopId?: unknown };
  if (v.shopId !== shopId || typeof v.appSecret !== 'string' || typeof v.accessToken !== 'string') {
    throw new AppError('INVALID_STATE', 'shop secrets do not belong to this shop', { shopId });
  }
  return { appSecret: v.appSecret, accessToken: v.accessToken, ...(typeof v.refreshToken === 'string' ? { refreshToken: v.refreshToken } : {}) };
}
