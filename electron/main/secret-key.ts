// The data key for shops' secrets, kept by the OS keychain: a random 32-byte key stored in userData
// as `secrets.key.safe`, wrapped by safeStorage (Keychain / DPAPI / libsecret). Main unwraps it at
// start and hands it to the core host in the init message (never argv or env); the host encrypts
// with it (createRawKeyCipher, 'os-keychain'). Without a usable keychain — safeStorage unavailable,
// or Linux falling back to its 'basic_text' backend, which is no protection — main sends no key and
// the core uses the local key file beside the database (`<db>.key`), and one warning says so.
// Main never loads the core at runtime (boundaries.test.ts), so the fallback is only named here.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';

export const WRAPPED_KEY_FILE = 'secrets.key.safe';
const KEY_BYTES = 32;

export interface SecretKeyOptions {
  /** app.getPath('userData'). */
  userData: string;
  /** The station database, named in the warning (its `<db>.key` is the fallback). */
  dbFile: string;
  platform?: NodeJS.Platform;
  /** Where the one warning goes (console.warn by default). */
  warn?: (message: string) => void;
}

/** Why the keychain cannot be used, or null when it can. */
function keychainUnavailable(platform: NodeJS.Platform): string | null {
  if (!safeStorage.isEncryptionAvailable()) return 'safeStorage encryption is not available';
  // On Linux without a secret service, Chromium "encrypts" with a hard-coded password: that is plain text.
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return "safeStorage fell back to the 'basic_text' backend (no secret service)";
  return null;
}

function unwrap(file: string): Buffer {
  const key = Buffer.from(safeStorage.decryptString(fs.readFileSync(file)), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a ${KEY_BYTES}-byte key`);
  return key;
}

/** Create the wrapped key once; 'wx' so a racing second writer (which the single-instance lock prevents anyway) cannot overwrite it. */
function createWrapped(file: string): Buffer {
  const key = randomBytes(KEY_BYTES);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, safeStorage.encryptString(key.toString('base64')), { mode: 0o600, flag: 'wx' });
  return key;
}

/**
 * Load (or create) the keychain-wrapped data key: its base64 for the core host's init message, or
 * null when the keychain cannot be used (the core then uses the local key file). Call after app
 * 'ready' (safeStorage needs it). Never throws: any keychain failure falls back with one warning.
 */
export function loadKeychainKey(opts: SecretKeyOptions): string | null {
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  const fallback = (why: string): null => {
    warn(`[secrets] OS keychain not used (${why}); shop secrets are encrypted with the local key file ${opts.dbFile}.key instead.`);
    return null;
  };
  const unavailable = keychainUnavailable(opts.platform ?? process.platform);
  if (unavailable) return fallback(unavailable);
  const file = path.join(opts.userData, WRAPPED_KEY_FILE);
  const existed = fs.existsSync(file);
  try {
    return (existed ? unwrap(file) : createWrapped(file)).toString('base64');
  } catch (err) {
    // The wrapped key stays on disk untouched: the keychain may come back (another login, a restored profile).
    return fallback(`the wrapped key could not be ${existed ? 'opened' : 'created'}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
