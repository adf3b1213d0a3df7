// The keychain-wrapped data key with Electron's safeStorage replaced by a recording double: created
// once (wrapped on disk, never the plain key), loaded back on the next start, and the local-key
// fallback with one warning when safeStorage is unavailable, Linux uses 'basic_text', or the wrapped
// key cannot be opened. The key then really opens the core's secrets (createRawKeyCipher).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cipherFromSpec, createRawKeyCipher } from '../core/shops/secrets.ts';
import { loadKeychainKey, WRAPPED_KEY_FILE } from './secret-key.ts';

const keychain = vi.hoisted(() => ({ available: true, backend: 'gnome_libsecret', broken: false, wraps: 0 }));

vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => keychain.available,
    getSelectedStorageBackend: () => keychain.backend,
    encryptString: (plain: string) => {
      keychain.wraps += 1;
      return Buffer.from(`wrapped:${Buffer.from(plain).toString('hex')}`);
    },
    decryptString: (data: Buffer) => {
      if (keychain.broken) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(data.toString().slice('wrapped:'.length), 'hex').toString();
    },
  },
}));

let dir: string;
let warnings: string[];
const opts = (platform: NodeJS.Platform = 'linux') => ({ userData: dir, dbFile: path.join(dir, 'shopfleet.db'), platform, warn: (m: string) => warnings.push(m) });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-keychain-'));
  warnings = [];
  Object.assign(keychain, { available: true, backend: 'gnome_libsecret', broken: false, wraps: 0 });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadKeychainKey', () => {
  it('creates a random 32-byte key once, stores it only wrapped, and loads the same key next start', () => {
    const first = loadKeychainKey(opts());
    expect(first).not.toBeNull();
    expect(Buffer.from(first as string, 'base64')).toHaveLength(32);
    const onDisk = fs.readFileSync(path.join(dir, WRAPPED_KEY_FILE));
    expect(onDisk.toString()).not.toContain(first as string);
    expect(onDisk.toString().startsWith('wrapped:')).toBe(true);
    expect(fs.statSync(path.join(dir, WRAPPED_KEY_FILE)).mode & 0o077).toBe(0);

    expect(loadKeychainKey(opts())).toBe(first);
    expect(keychain.wraps).toBe(1);
    expect(warnings).toEqual([]);
    // A second station (another data dir) gets its own key.
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-keychain-'));
    try {
      expect(loadKeychainKey({ ...opts(), userData: other })).not.toBe(first);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('falls back to the local key file with one warning when safeStorage is unavailable', () => {
    keychain.available = false;
    expect(loadKeychainKey(opts('win32'))).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not available.*shopfleet\.db\.key/);
    expect(fs.existsSync(path.join(dir, WRAPPED_KEY_FILE))).toBe(false);
  });

  it("treats Linux's basic_text backend as no keychain", () => {
    keychain.backend = 'basic_text';
    expect(loadKeychainKey(opts('linux'))).toBeNull();
    expect(warnings[0]).toMatch(/basic_text/);
    // Elsewhere the backend question does not apply.
    warnings = [];
    expect(loadKeychainKey(opts('darwin'))).not.toBeNull();
    expect(warnings).toEqual([]);
  });

  it('falls back, keeping the wrapped key on disk, when the keychain cannot open it', () => {
    loadKeychainKey(opts());
    const wrapped = fs.readFileSync(path.join(dir, WRAPPED_KEY_FILE));
    keychain.broken = true;
    expect(loadKeychainKey(opts())).toBeNull();
    expect(warnings[0]).toMatch(/could not be opened/);
    expect(fs.readFileSync(path.join(dir, WRAPPED_KEY_FILE))).toEqual(wrapped);
  });

  it('hands the core a key that encrypts and opens secrets (and its spec rebuilds the same cipher)', () => {
    const key = Buffer.from(loadKeychainKey(opts()) as string, 'base64');
    const cipher = createRawKeyCipher(key, 'os-keychain');
    const blob = cipher.encrypt('{"accessToken":"t"}') as Buffer;
    expect(cipher.decrypt(blob)).toBe('{"accessToken":"t"}');
    const spec = cipher.toSpec?.();
    expect(spec).toMatchObject({ kind: 'raw-key', cipherKind: 'os-keychain' });
    expect(cipherFromSpec(spec!).decrypt(blob)).toBe('{"accessToken":"t"}');
  });
});
