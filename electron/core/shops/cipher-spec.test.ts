// The cipher kinds side by side: a raw-key ('os-keychain') cipher round trip, its spec rebuilding
// the same cipher in another thread, local-key specs, and the migration path — rows written with
// the local key file still open under the keychain cipher and move to it on their next write.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTx } from '../db/access.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { cipherFromSpec, createKeyCipher, createLocalKeyCipher, createRawKeyCipher, keyFileFor, loadShopSecrets, saveShopSecrets, storeShopSecrets } from './secrets.ts';

let dir: string;
let dbFile: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cipher-'));
  dbFile = path.join(dir, 'station.db');
  db = openDatabase(dbFile);
  db.$client.prepare(`INSERT INTO shops (id, name, platform, created_at, settings) VALUES ('s1', '店', 'taobao', 1, '{}')`).run();
});
afterEach(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const kindOf = (id: string) => (db.$client.prepare('SELECT cipher_kind FROM shop_secrets WHERE shop_id = ?').get(id) as { cipher_kind: string }).cipher_kind;

describe('cipherFromSpec', () => {
  it('rebuilds a raw-key cipher that opens what the original wrote, and refuses another key', () => {
    const key = randomBytes(32);
    const cipher = createRawKeyCipher(key, 'os-keychain');
    const blob = cipher.encrypt('秘密 secret') as Buffer;
    const spec = cipher.toSpec!();
    // Plain data: it crosses a worker_threads boundary by structured clone.
    const rebuilt = cipherFromSpec(structuredClone(spec));
    expect(rebuilt.kind).toBe('os-keychain');
    expect(rebuilt.decrypt(blob)).toBe('秘密 secret');
    expect(() => createRawKeyCipher(randomBytes(32), 'os-keychain').decrypt(blob)).toThrow(/cannot be decrypted/);
    expect(createKeyCipher).toBe(createRawKeyCipher);
  });

  it('rebuilds a local-key cipher from its key file', () => {
    const cipher = createLocalKeyCipher(keyFileFor(dbFile));
    const blob = cipher.encrypt('x') as Buffer;
    expect(cipher.toSpec!()).toEqual({ kind: 'local-key', keyFile: keyFileFor(dbFile) });
    expect(cipherFromSpec(cipher.toSpec!()).decrypt(blob)).toBe('x');
  });

  it('refuses a key of the wrong size', () => {
    expect(() => createRawKeyCipher(randomBytes(16), 'os-keychain')).toThrow(/32 bytes/);
  });
});

describe('switching a station from the local key file to the keychain', () => {
  it('opens old local-key rows and re-encrypts them with the keychain key on the next write', () => {
    const local = createLocalKeyCipher(keyFileFor(dbFile));
    writeTx(db, (tx) => saveShopSecrets(tx, local, 's1', { appSecret: 'APP-SECRET-1', accessToken: 'TOKEN-1', refreshToken: 'REFRESH-1' }));
    expect(kindOf('s1')).toBe('local-key');

    const keychain = createRawKeyCipher(randomBytes(32), 'os-keychain', keyFileFor(dbFile));
    expect(loadShopSecrets(db, keychain, 's1')).toEqual({ appSecret: 'APP-SECRET-1', accessToken: 'TOKEN-1', refreshToken: 'REFRESH-1' });
    // The spec carries the legacy key file, so the background worker opens old rows too.
    expect(loadShopSecrets(db, cipherFromSpec(keychain.toSpec!()), 's1')?.accessToken).toBe('TOKEN-1');

    writeTx(db, (tx) => storeShopSecrets(tx, keychain, 's1', { accessToken: 'TOKEN-2' }));
    expect(kindOf('s1')).toBe('os-keychain');
    expect(loadShopSecrets(db, keychain, 's1')).toEqual({ appSecret: 'APP-SECRET-1', accessToken: 'TOKEN-2', refreshToken: 'REFRESH-1' });
    // Migrated: the local key alone no longer opens it.
    expect(() => loadShopSecrets(db, local, 's1')).toThrow(/stored with the os-keychain cipher/);
  });

  it('without the legacy key file, says which cipher the row needs', () => {
    writeTx(db, (tx) => saveShopSecrets(tx, createLocalKeyCipher(keyFileFor(dbFile)), 's1', { appSecret: 'a', accessToken: 't' }));
    expect(() => loadShopSecrets(db, createRawKeyCipher(randomBytes(32), 'os-keychain'), 's1')).toThrow(/stored with the local-key cipher but this host has os-keychain/);
  });

  it('storeShopSecrets needs an app secret from somewhere', () => {
    const keychain = createRawKeyCipher(randomBytes(32), 'os-keychain');
    expect(() => writeTx(db, (tx) => storeShopSecrets(tx, keychain, 's1', { accessToken: 't' }))).toThrow(/no app secret/);
  });
});
