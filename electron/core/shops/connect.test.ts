// The shop connection commands through the real dispatch on a real SQLite file: shops.add writes the
// shop, its encrypted secrets, one audit entry and one ops row atomically and leaks no secret into the
// ops log, the audit log or the database file; roles and input are checked; pause/resume are audited
// and a paused shop is skipped by the sync scheduler.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, ShopSummary } from '../../shared/contract.ts';
import { AppError, type Result } from '../../shared/result.ts';
import { dispatch, type Handlers } from '../api/dispatch.ts';
import { EventBus } from '../api/events.ts';
import { createHandlers } from '../api/handlers.ts';
import { HybridClock } from '../api/hlc.ts';
import { openDatabase, type Db } from '../db/open.ts';
import type { PlatformAdapter } from '../platforms/contract.ts';
import { actorNamed } from '../session.ts';
import { SyncScheduler } from '../sync/scheduler.ts';
import { createLocalKeyCipher, keyFileFor, loadShopSecrets, type SecretCipher } from './secrets.ts';

const SECRET = 'APPSECRET-c0ffee-91d2e3f4a5b6';
const TOKEN = 'ACCESSTOKEN-deadbeef-7a8b9c0d';
const REFRESH = 'REFRESHTOKEN-5e6f7a8b-1c2d';
const NEW_SHOP = { platform: 'taobao', name: '杭州女装旗舰店', appKey: 'APPKEY-visible-42', appSecret: SECRET, accessToken: TOKEN, refreshToken: REFRESH, gateway: 'http://127.0.0.1:1/router/rest' };

let dir: string;
let dbFile: string;
let db: Db;
let events: EventBus;
let owner: Actor;
let call: (name: string, input: unknown, actor?: Actor) => Promise<Result<unknown>>;
let now = 1_750_000_000_000;

function station(cipher: SecretCipher | undefined): Handlers {
  const tick = () => (now += 1);
  return createHandlers({ db, events, clock: new HybridClock('test', tick), now: tick, scheduler: { status: () => [], syncNow: () => [] }, secretCipher: cipher });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-connect-'));
  dbFile = path.join(dir, 'station.db');
  db = openDatabase(dbFile);
  events = new EventBus();
  owner = actorNamed(db, '店主', 'owner');
  const handlers = station(createLocalKeyCipher(keyFileFor(dbFile)));
  call = (name, input, actor = owner) => dispatch(handlers, name, input, actor);
});
afterEach(() => {
  if (db.$client.open) db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = (table: string): number => db.$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

async function addOk(input: unknown = NEW_SHOP): Promise<ShopSummary> {
  const r = await call('shops.add', input);
  if (!r.ok) throw new Error(`shops.add failed: ${r.error.code} ${r.error.message}`);
  return r.value as ShopSummary;
}

describe('shops.add', () => {
  it('writes the shop, encrypted secrets, one audit entry and one ops row together', async () => {
    const changed: string[][] = [];
    events.on('db.changed', (p) => changed.push(p.tables));
    const shop = await addOk();
    expect(shop).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: '杭州女装旗舰店', platform: 'taobao', state: 'active', orderCount: 0 });

    const row = db.$client.prepare('SELECT name, platform, state, settings FROM shops WHERE id = ?').get(shop.id);
    expect(row).toEqual({ name: '杭州女装旗舰店', platform: 'taobao', state: 'active', settings: JSON.stringify({ appKey: 'APPKEY-visible-42', gateway: NEW_SHOP.gateway }) });
    expect(loadShopSecrets(db, createLocalKeyCipher(keyFileFor(dbFile)), shop.id)).toEqual({ appSecret: SECRET, accessToken: TOKEN, refreshToken: REFRESH });

    const ops = db.$client.prepare('SELECT id, name, actor, args, push_state AS pushState FROM ops').all() as { id: string; name: string; actor: string; args: string; pushState: string | null }[];
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ name: 'shops.add', actor: '店主', pushState: null });
    // Redacted: the op records which shop was connected, never its credentials (nor even the app key).
    expect(JSON.parse(ops[0]!.args)).toEqual({ id: shop.id, name: '杭州女装旗舰店', platform: 'taobao' });

    const audits = db.$client.prepare('SELECT * FROM audit_log').all() as Record<string, unknown>[];
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ command: 'shops.add', entity: 'shop', entity_id: shop.id, op_id: ops[0]!.id, actor: '店主' });
    expect(JSON.parse(audits[0]!.after as string)).toEqual({ name: '杭州女装旗舰店', platform: 'taobao' });

    const logged = JSON.stringify({ ops, audits });
    for (const s of [SECRET, TOKEN, REFRESH]) expect(logged).not.toContain(s);
    expect(changed).toEqual([['shops', 'shop_secrets', 'audit_log', 'ops']]);

    // The bytes on disk: the visible app key is found (so the search works), no secret is.
    db.$client.close();
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('station.db') && !f.endsWith('.key'));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(dir, f))));
    expect(bytes.includes(Buffer.from('APPKEY-visible-42'))).toBe(true);
    for (const s of [SECRET, TOKEN, REFRESH]) {
      expect(bytes.includes(Buffer.from(s))).toBe(false);
      expect(bytes.includes(Buffer.from(s, 'utf16le'))).toBe(false);
    }
  });

  it('rolls everything back when storing the secrets fails', async () => {
    const broken: SecretCipher = {
      kind: 'local-key',
      encrypt: () => {
        throw new AppError('INVALID_STATE', 'keychain locked');
      },
      decrypt: () => '',
    };
    const handlers = station(broken);
    const r = await dispatch(handlers, 'shops.add', NEW_SHOP, owner);
    expect(r.ok).toBe(false);
    for (const t of ['shops', 'shop_secrets', 'audit_log', 'ops']) expect(count(t)).toBe(0);
  });

  it('fails with INVALID_STATE when the station has no secret cipher', async () => {
    const r = await dispatch(station(undefined), 'shops.add', NEW_SHOP, owner);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_STATE');
      expect(r.error.message).toMatch(/no secret cipher/);
    }
    expect(count('shops')).toBe(0);
  });

  it.each(['operator', 'service', 'packer', 'finance'] as const)('refuses the %s role (FORBIDDEN)', async (role) => {
    const r = await call('shops.add', NEW_SHOP, actorNamed(db, `${role}-user`, role));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('FORBIDDEN');
    for (const t of ['shops', 'shop_secrets', 'audit_log', 'ops']) expect(count(t)).toBe(0);
  });

  it.each([
    [{ ...NEW_SHOP, platform: 'sandbox' }, ['platform'], /platform must be one of: taobao, tmall, pdd, jd, douyin, kuaishou/],
    [{ ...NEW_SHOP, name: '   ' }, ['name'], /shop name must not be empty/],
    [{ ...NEW_SHOP, gateway: 'ftp://example.com' }, ['gateway'], /gateway must be an http\(s\) URL/],
    [{ ...NEW_SHOP, accessToken: '' }, ['accessToken'], /access token must not be empty/],
    [(({ appSecret: _s, ...rest }) => rest)(NEW_SHOP), ['appSecret'], /app secret is required/],
    [{ ...NEW_SHOP, password: 'x' }, [], /password/],
  ])('rejects invalid input with field paths (%#)', async (input, fieldPath, message) => {
    const r = await call('shops.add', input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION_FAILED');
    expect(r.error.message).toMatch(message);
    const issues = (r.error.details as { issues: { path: string[]; message: string }[] }).issues;
    expect(issues.map((i) => i.path)).toContainEqual(fieldPath);
    // A refusal never echoes a credential back.
    expect(JSON.stringify(r.error)).not.toContain(TOKEN);
    expect(count('shops')).toBe(0);
  });
});

describe('shops.pause and shops.resume', () => {
  const adapterCalls: string[] = [];
  const refusingAdapter = (shop: { id: string }): PlatformAdapter => {
    adapterCalls.push(shop.id);
    throw new Error('test adapter: no platform here');
  };

  it('change shops.state with an audit entry and ops row, and the scheduler skips a paused shop', async () => {
    const shop = await addOk();
    const other = await addOk({ ...NEW_SHOP, name: '第二家店' });
    const operator = actorNamed(db, '运营小王', 'operator');

    const paused = await call('shops.pause', { id: shop.id }, operator);
    expect(paused).toEqual({ ok: true, value: { ...shop, state: 'paused' } });
    expect(db.$client.prepare('SELECT state FROM shops WHERE id = ?').pluck().get(shop.id)).toBe('paused');
    const audit = db.$client.prepare("SELECT actor, field, before, after, op_id AS opId FROM audit_log WHERE command = 'shops.pause'").all() as { opId: string }[];
    expect(audit).toEqual([{ actor: '运营小王', field: 'state', before: 'active', after: 'paused', opId: expect.any(String) }]);
    const op = db.$client.prepare('SELECT name, args FROM ops WHERE id = ?').get(audit[0]!.opId);
    expect(op).toEqual({ name: 'shops.pause', args: JSON.stringify({ id: shop.id }) });

    // The scheduler (read-only use of its public API) leaves the paused shop alone.
    adapterCalls.length = 0;
    const scheduler = new SyncScheduler({ db, events, now: () => now, adapterFor: refusingAdapter as never, secretCipher: createLocalKeyCipher(keyFileFor(dbFile)) });
    try {
      expect(scheduler.status().find((s) => s.shopId === shop.id)?.state).toBe('paused');
      expect(scheduler.syncNow(shop.id)).toEqual([]);
      expect(await scheduler.syncShop(shop.id)).toMatchObject({ pulled: 0, changed: 0 });
      expect(scheduler.syncNow()).toEqual([other.id]);
      await scheduler.syncShop(other.id);
      expect(adapterCalls).toEqual([other.id]);

      // Pausing twice is refused, not silently logged again.
      const again = await call('shops.pause', { id: shop.id });
      expect(again.ok).toBe(false);
      if (!again.ok) expect(again.error.code).toBe('INVALID_STATE');

      const resumed = await call('shops.resume', { id: shop.id });
      expect(resumed).toEqual({ ok: true, value: { ...shop, state: 'active' } });
      expect(db.$client.prepare("SELECT before, after FROM audit_log WHERE command = 'shops.resume'").all()).toEqual([{ before: 'paused', after: 'active' }]);
      expect(scheduler.status().find((s) => s.shopId === shop.id)?.state).toBe('active');
      expect(scheduler.syncNow(shop.id)).toEqual([shop.id]);
    } finally {
      await scheduler.stop();
    }
    expect(db.$client.prepare("SELECT name FROM ops WHERE name LIKE 'shops.%' ORDER BY at").pluck().all()).toEqual(['shops.add', 'shops.add', 'shops.pause', 'shops.resume']);
  });

  it('refuses unknown shops, roles outside owner/operator, and resuming an expired authorisation', async () => {
    const shop = await addOk();
    const opsBefore = count('ops');
    const missing = await call('shops.pause', { id: 'no-such-shop' });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
    for (const role of ['service', 'packer', 'finance'] as const) {
      const r = await call('shops.pause', { id: shop.id }, actorNamed(db, `${role}-user`, role));
      expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
    }
    const bad = await call('shops.resume', { id: '' });
    expect(bad.ok ? null : bad.error.code).toBe('VALIDATION_FAILED');
    db.$client.prepare("UPDATE shops SET state = 'auth_expired' WHERE id = ?").run(shop.id);
    const expired = await call('shops.resume', { id: shop.id });
    expect(expired.ok ? null : expired.error.message).toMatch(/re-enter its credentials/);
    expect(count('ops')).toBe(opsBefore);
    expect(db.$client.prepare('SELECT state FROM shops WHERE id = ?').pluck().get(shop.id)).toBe('auth_expired');
  });
});
