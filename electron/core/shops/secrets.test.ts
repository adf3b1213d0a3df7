// Shop secrets at rest: round trip through the local-key cipher on a real SQLite file, no plain text
// anywhere in the database file, clear refusals (wrong key, wrong cipher, moved blob), and the
// scheduler handing decrypted secrets to a real Taobao adapter against the loopback gateway.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTx } from '../db/access.ts';
import type { PlatformOrder } from '../../shared/model.ts';
import { caught } from '../../testkit/results.ts';
import type { CoreContext } from '../api/command.ts';
import { EventBus } from '../api/events.ts';
import { HybridClock } from '../api/hlc.ts';
import { createCore } from '../app.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { DAY, generateOrders, HOUR } from '../../sandbox/demo/generator.ts';
import { startPlatformServer } from '../../sandbox/platforms/taobao/server.ts';
import { actorNamed } from '../session.ts';
import { SyncScheduler } from '../sync/scheduler.ts';
import { addShop, listShopConnections } from './connect.ts';
import { createLocalKeyCipher, keyFileFor, loadShopSecrets, saveShopSecrets, type SecretCipher } from './secrets.ts';

const SECRETS = { appSecret: 'APPSECRET-7f3a9c2e51d04b88', accessToken: 'ACCESSTOKEN-61002b4c9d8e7f', refreshToken: 'REFRESHTOKEN-0a1b2c3d4e5f' };

let dir: string;
let dbFile: string;
const dbs: Db[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-secrets-'));
  dbFile = path.join(dir, 'station.db');
});
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.$client.open) db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(): Db {
  const db = openDatabase(dbFile);
  dbs.push(db);
  return db;
}

/** A command context for the station owner (addShop runs as an audited command). */
function ownerCtx(db: Db): CoreContext {
  return { db, actor: actorNamed(db, '店主', 'owner'), events: new EventBus(), clock: new HybridClock('test', Date.now), now: Date.now };
}

function insertShop(db: Db, id: string): void {
  db.$client.prepare(`INSERT INTO shops (id, name, platform, created_at, settings) VALUES (?, ?, 'taobao', 1, '{}')`).run(id, `店${id}`);
}

describe('local-key shop secrets', () => {
  it('round-trip across reopen, with a 0600 key file beside the database', () => {
    const db = open();
    insertShop(db, 's1');
    writeTx(db, (tx) => saveShopSecrets(tx, createLocalKeyCipher(keyFileFor(dbFile)), 's1', SECRETS, 1000));
    db.$client.close();

    const again = open();
    expect(loadShopSecrets(again, createLocalKeyCipher(keyFileFor(dbFile)), 's1')).toEqual(SECRETS);
    expect(fs.statSync(keyFileFor(dbFile)).size).toBe(32);
    if (process.platform !== 'win32') expect(fs.statSync(keyFileFor(dbFile)).mode & 0o777).toBe(0o600);
    // Replacing them keeps one row; an absent refresh token stays absent.
    writeTx(again, (tx) => saveShopSecrets(tx, createLocalKeyCipher(keyFileFor(dbFile)), 's1', { appSecret: 'new-secret', accessToken: 'new-token' }, 2000));
    expect(loadShopSecrets(again, createLocalKeyCipher(keyFileFor(dbFile)), 's1')).toEqual({ appSecret: 'new-secret', accessToken: 'new-token' });
    expect(again.$client.prepare('SELECT count(*) FROM shop_secrets').pluck().get()).toBe(1);
    expect(loadShopSecrets(again, createLocalKeyCipher(keyFileFor(dbFile)), 'no-such-shop')).toBeNull();
  });

  it('never puts a secret in plain text into the database file', () => {
    const db = open();
    const cipher = createLocalKeyCipher(keyFileFor(dbFile));
    const id = addShop(ownerCtx(db), cipher, { platform: 'taobao', name: '旗舰店', appKey: 'APPKEY-visible', ...SECRETS, gateway: 'http://127.0.0.1:1/router/rest' }).id;
    db.$client.close(); // checkpoints the WAL into the main file
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('station.db') && !f.endsWith('.key'));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(dir, f))));
    // The check itself can fail: the non-secret settings are found by the same search.
    expect(bytes.includes(Buffer.from('APPKEY-visible'))).toBe(true);
    for (const secret of Object.values(SECRETS)) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
    const again = open();
    expect(loadShopSecrets(again, createLocalKeyCipher(keyFileFor(dbFile)), id)).toEqual(SECRETS);
    // The shop list carries no secret either.
    expect(JSON.stringify(listShopConnections(again))).not.toMatch(/APPSECRET|ACCESSTOKEN|REFRESHTOKEN/);
  });

  it('refuses a wrong key, a missing key file, another cipher, and a blob moved to another shop', () => {
    const db = open();
    insertShop(db, 's1');
    insertShop(db, 's2');
    writeTx(db, (tx) => saveShopSecrets(tx, createLocalKeyCipher(keyFileFor(dbFile)), 's1', SECRETS));

    const otherKey = path.join(dir, 'other.key');
    createLocalKeyCipher(otherKey).encrypt('make the key');
    const wrong = caught(() => loadShopSecrets(db, createLocalKeyCipher(otherKey), 's1'));
    expect(wrong.code).toBe('INVALID_STATE');
    expect(wrong.message).toMatch(/cannot be decrypted with the key in .*other\.key/);
    expect(wrong.message).not.toContain(SECRETS.appSecret);

    const missing = caught(() => loadShopSecrets(db, createLocalKeyCipher(path.join(dir, 'gone.key')), 's1'));
    expect(missing.message).toMatch(/key file .*gone\.key is missing/);
    expect(fs.existsSync(path.join(dir, 'gone.key'))).toBe(false);

    const keychain: SecretCipher = { kind: 'os-keychain', encrypt: (p) => p, decrypt: (b) => b.toString('utf8') };
    expect(caught(() => loadShopSecrets(db, keychain, 's1')).message).toMatch(/stored with the local-key cipher but this host has os-keychain/);

    db.$client.prepare(`INSERT INTO shop_secrets (shop_id, ciphertext, cipher_kind, updated_at) SELECT 's2', ciphertext, cipher_kind, 1 FROM shop_secrets WHERE shop_id = 's1'`).run();
    expect(caught(() => loadShopSecrets(db, createLocalKeyCipher(keyFileFor(dbFile)), 's2')).message).toMatch(/do not belong to this shop/);
  });

  it('createCore makes no key file until a secret is saved', async () => {
    const core = await createCore({ dbFile, demo: false, sync: false });
    expect(core.secretCipher?.kind).toBe('local-key');
    expect(fs.existsSync(keyFileFor(dbFile))).toBe(false);
    await core.close();
    const mem = await createCore({ dbFile: ':memory:', demo: false, sync: false });
    expect(mem.secretCipher).toBeUndefined();
    await mem.close();
  });
});

describe('scheduler with stored secrets', () => {
  it('merges decrypted secrets into the adapter settings in memory only', async () => {
    const now = Date.now();
    const orders: PlatformOrder[] = [...generateOrders({ shops: [{ id: 'tb', platform: 'taobao', seed: 3 }], count: 30, fromMs: now - DAY, toMs: now - HOUR })].map((g) => g.order);
    const server = await startPlatformServer({ orders, appKey: 'k-123', appSecret: SECRETS.appSecret, accessToken: SECRETS.accessToken });
    try {
      const db = open();
      const cipher = createLocalKeyCipher(keyFileFor(dbFile));
      const id = addShop(ownerCtx(db), cipher, { platform: 'taobao', name: '淘宝店', appKey: 'k-123', ...SECRETS, gateway: server.url }).id;
      const settingsBefore = db.$client.prepare('SELECT settings FROM shops WHERE id = ?').pluck().get(id);

      // Without a cipher the adapter sees only the stored settings, and says what is missing.
      const bare = new SyncScheduler({ db, events: new EventBus(), now: () => now, backfillMs: 2 * DAY });
      expect((await bare.syncShop(id)).error).toMatch(/appSecret/);
      await bare.stop();

      const withCipher = new SyncScheduler({ db, events: new EventBus(), now: () => now, backfillMs: 2 * DAY, secretCipher: cipher });
      const r = await withCipher.syncShop(id);
      await withCipher.stop();
      expect(r.error).toBeUndefined();
      // pulled counts payloads: an order modified in the second two windows share comes in both.
      expect(r.pulled).toBeGreaterThanOrEqual(30);
      expect(db.$client.prepare('SELECT count(*) FROM orders WHERE shop_id = ?').pluck().get(id)).toBe(30);
      expect(db.$client.prepare('SELECT settings FROM shops WHERE id = ?').pluck().get(id)).toBe(settingsBefore);
      expect(String(settingsBefore)).not.toContain(SECRETS.appSecret);
    } finally {
      await server.close();
    }
  });
});
