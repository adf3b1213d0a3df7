// The real `shopfleet` binary against a real loopback Taobao gateway: shops add (secrets encrypted),
// shops list (no secrets), sync (orders land; a wrong token fails with a reason), sandbox, bad args.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../shared/model.ts';
import { DAY, generateOrders, HOUR } from '../../sandbox/demo/generator.ts';
import { startPlatformServer, type PlatformServer } from '../../sandbox/platforms/taobao/server.ts';
import type { ShopConnection } from '../../core/shops/connect.ts';
import type { ListedOrder } from './commands/orders-list.ts';
import { shopfleet } from '../../testkit/run-shopfleet.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(repo, 'bin', 'shopfleet.mjs');

const APP = { appKey: 'cli-app-key', appSecret: 'CLI-APP-SECRET-93a1f07c', accessToken: 'CLI-ACCESS-TOKEN-5be2d410' };
const ORDERS = 40;
let dir: string;
let dbFile: string;
let server: PlatformServer;
let orders: PlatformOrder[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-shops-'));
  dbFile = path.join(dir, 'station.db');
  const now = Date.now();
  orders = [...generateOrders({ shops: [{ id: 'cli-tb', platform: 'taobao', seed: 5 }], count: ORDERS, fromMs: now - DAY, toMs: now - HOUR })].map((g) => g.order);
  server = await startPlatformServer({ orders, ...APP });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The shop's line of `sync`. "pulled" counts payloads received: an order modified in the very second
 * two windows share comes in both (the adapters cover whole seconds on purpose — a duplicate is
 * harmless, a gap is not), so it may exceed the number of orders; "changed" counts each order once.
 */
function pulledOf(stdout: string): { pulled: number; changed: number; quarantined: number; warnings: number } {
  const m = /CLI淘宝店\ttaobao\tpulled (\d+)\tchanged (\d+)\tquarantined (\d+)\twarnings (\d+)/.exec(stdout);
  if (!m) throw new Error(`no sync line for the shop in: ${stdout}`);
  return { pulled: Number(m[1]), changed: Number(m[2]), quarantined: Number(m[3]), warnings: Number(m[4]) };
}

/** Secrets on standard input, as the help recommends: never in the arguments `ps` shows. */
const add = (name: string, token: string) =>
  shopfleet(
    ['shops', 'add', '--db', dbFile, '--platform', 'taobao', '--name', name, '--app-key', APP.appKey, '--secrets-stdin', '--gateway', server.url],
    {},
    `app-secret=${APP.appSecret}\naccess-token=${token}\nrefresh-token=CLI-REFRESH-77\n`,
  );

describe('shops add, shops list, sync', () => {
  let goodId = '';
  let badId = '';

  it('adds a shop, printing its id, with the secrets encrypted', async () => {
    const r = await add('CLI淘宝店', APP.accessToken);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    goodId = r.stdout.trim();
    expect(goodId).toMatch(/^[0-9a-f-]{36}$/);
    const bytes = fs.readFileSync(dbFile);
    for (const s of [APP.appSecret, APP.accessToken, 'CLI-REFRESH-77']) expect(bytes.includes(Buffer.from(s))).toBe(false);
    expect(fs.existsSync(`${dbFile}.key`)).toBe(true);
  });

  it('lists shops as JSON without secrets', async () => {
    const r = await shopfleet(['shops', 'list', '--db', dbFile, '--json']);
    expect(r.code).toBe(0);
    const shops = JSON.parse(r.stdout) as ShopConnection[];
    expect(shops).toEqual([{ id: goodId, name: 'CLI淘宝店', platform: 'taobao', state: 'active', lastSuccessAt: null, lastError: null }]);
    expect(r.stdout).not.toMatch(/CLI-APP-SECRET|CLI-ACCESS-TOKEN|CLI-REFRESH/);
  });

  it('syncs the shop’s orders into the database', async () => {
    const r = await shopfleet(['sync', '--db', dbFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(pulledOf(r.stdout)).toMatchObject({ changed: ORDERS, quarantined: 0, warnings: 0 });
    expect(pulledOf(r.stdout).pulled).toBeGreaterThanOrEqual(ORDERS);
    const list = await shopfleet(['orders', 'list', '--db', dbFile, '--all', '--json']);
    expect(list.code).toBe(0);
    const got = (JSON.parse(list.stdout) as ListedOrder[]).map((o) => o.platformOrderId).sort();
    expect(got).toEqual(orders.map((o) => o.platformOrderId).sort());
    const shops = JSON.parse((await shopfleet(['shops', 'list', '--db', dbFile, '--json'])).stdout) as ShopConnection[];
    expect(shops[0]?.lastSuccessAt).toEqual(expect.any(Number));
  });

  it('re-pulls from --since without changing unchanged orders', async () => {
    const since = new Date(Date.now() - 2 * DAY).toISOString();
    const r = await shopfleet(['sync', '--db', dbFile, '--shop', goodId, '--since', since]);
    expect(r.code).toBe(0);
    expect(pulledOf(r.stdout)).toMatchObject({ changed: 0, quarantined: 0 });
    expect(pulledOf(r.stdout).pulled).toBeGreaterThanOrEqual(ORDERS);
  });

  it('exits 1 with a readable reason when a shop’s access token is wrong', async () => {
    const added = await add('过期店', 'WRONG-TOKEN');
    expect(added.code).toBe(0);
    badId = added.stdout.trim();
    const r = await shopfleet(['sync', '--db', dbFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`CLI淘宝店\ttaobao\tpulled 0\tchanged 0`);
    expect(r.stderr).toMatch(new RegExp(`过期店 \\(${badId}\\): FAILED — .*(session|Session|授权|token)`));
    expect(r.stderr + r.stdout).not.toContain('WRONG-TOKEN');
    const shops = JSON.parse((await shopfleet(['shops', 'list', '--db', dbFile, '--json'])).stdout) as ShopConnection[];
    const bad = shops.find((s) => s.id === badId);
    expect(bad?.lastError).toEqual(expect.any(String));
    // Once marked, the shop keeps failing the round (re-authorise), and --shop targets only it.
    const again = await shopfleet(['sync', '--db', dbFile, '--shop', badId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('过期店');
    expect(again.stdout).not.toContain('CLI淘宝店');
  });
});

describe('bad arguments exit 2 with usage', () => {
  it.each([
    [['shops', 'add', '--db', 'x.db', '--platform', 'ebay', '--name', 'n', '--app-key', 'k', '--app-secret', 's', '--access-token', 't'], /unknown platform "ebay"/],
    [['shops', 'add', '--db', 'x.db', '--platform', 'taobao', '--name', 'n'], /needs --app-key/],
    [['shops', 'list', '--db', 'x.db', '--bogus'], /Unknown option/],
    [['shops', 'remove'], /Unknown command "shops remove"/],
    [['sync', '--db', 'x.db', '--since', 'yesterday'], /--since must be an ISO date/],
    [['sandbox', '--platform', 'ebay', '--port', '0'], /must be one of: taobao, pdd/],
    [['sandbox', '--platform', 'pdd'], /needs --port/],
  ])('%j', async (args, message) => {
    const r = await shopfleet(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: shopfleet');
    expect(fs.existsSync(path.join(repo, 'x.db'))).toBe(false);
  });

  it('sync on a missing database is a usage error', async () => {
    const r = await shopfleet(['sync', '--db', path.join(dir, 'nope.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No database at/);
  });
});

describe('shopfleet sandbox', () => {
  it('serves a gateway that a shop can be added against and synced from, until Ctrl+C', async () => {
    const child = spawn(process.execPath, [bin, 'sandbox', '--platform', 'taobao', '--port', '0', '--orders', '15'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('Ctrl+C')) resolve();
      });
      child.on('error', reject);
      child.on('close', (code) => reject(new Error(`sandbox exited early (${code}): ${out}`)));
    });
    const field = (label: string) => new RegExp(`^${label}: (\\S+)$`, 'm').exec(out)?.[1] ?? '';
    try {
      expect(out).toContain('sandbox taobao gateway with 15 orders');
      const db = path.join(dir, 'sandbox.db');
      const added = await shopfleet(['shops', 'add', '--db', db, '--platform', 'taobao', '--name', '淘宝沙盒', '--gateway', field('url'), '--app-key', field('app key'), '--app-secret', field('app secret'), '--access-token', field('access token')]);
      expect(added.code).toBe(0);
      const synced = await shopfleet(['sync', '--db', db]);
      expect(synced.stderr).toBe('');
      expect(synced.code).toBe(0);
      // Two adjacent windows share their edge second (TOP windows are whole seconds, inclusive), so an
      // order modified then is pulled twice and stored once: pulled may exceed 15, changed may not.
      const line = /^淘宝沙盒\ttaobao\tpulled (\d+)\tchanged (\d+)/m.exec(synced.stdout);
      expect(line, synced.stdout).not.toBeNull();
      expect(Number(line![1])).toBeGreaterThanOrEqual(15);
      expect(Number(line![2])).toBe(15);
    } finally {
      const closed = new Promise((resolve) => child.once('exit', resolve));
      child.removeAllListeners('close');
      child.kill('SIGINT');
      expect(await closed).toBe(0);
    }
  });
});

describe('shops add keeps secrets out of the command line', () => {
  const secretsIn = (file: string) => {
    const bytes = fs.readFileSync(file);
    return [APP.appSecret, APP.accessToken].filter((s) => bytes.includes(Buffer.from(s)));
  };
  const base = (db: string, name: string) => ['shops', 'add', '--db', db, '--platform', 'taobao', '--name', name, '--app-key', APP.appKey, '--gateway', server.url];

  it('takes them from the environment, saying which variable it used', async () => {
    const db = path.join(dir, 'env.db');
    const r = await shopfleet(base(db, '环境变量店'), { SHOPFLEET_APP_SECRET: APP.appSecret, SHOPFLEET_ACCESS_TOKEN: APP.accessToken });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('app-secret: from $SHOPFLEET_APP_SECRET');
    expect(r.stderr).not.toContain(APP.appSecret);
    expect(secretsIn(db)).toEqual([]);
    const synced = await shopfleet(['sync', '--db', db]);
    expect(synced.stdout).toContain(`环境变量店\ttaobao\tpulled ${ORDERS}`);
  });

  it('takes them as JSON on standard input', async () => {
    const db = path.join(dir, 'stdin-json.db');
    const r = await shopfleet([...base(db, '标准输入店'), '--secrets-stdin'], {}, JSON.stringify({ appSecret: APP.appSecret, accessToken: APP.accessToken }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const synced = await shopfleet(['sync', '--db', db]);
    expect(synced.stdout).toContain(`标准输入店\ttaobao\tpulled ${ORDERS}`);
  });

  it('still takes them as flags, with a note on where they show', async () => {
    const db = path.join(dir, 'flags.db');
    const r = await shopfleet([...base(db, '参数店'), '--app-secret', APP.appSecret, '--access-token', APP.accessToken]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: --app-secret on the command line shows in `ps`');
  });

  it('refuses without a secret, naming every way to give it, and never echoes a bad stdin line', async () => {
    const db = path.join(dir, 'none.db');
    const missing = await shopfleet(base(db, '无密钥店'), { SHOPFLEET_APP_SECRET: '', SHOPFLEET_ACCESS_TOKEN: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--app-secret, a "app-secret=…" line with --secrets-stdin, or $SHOPFLEET_APP_SECRET');
    const garbled = await shopfleet([...base(db, '无密钥店'), '--secrets-stdin'], {}, `appsecret ${APP.appSecret}\n`);
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain('line 1 is not');
    expect(garbled.stderr).not.toContain(APP.appSecret);
    expect(fs.existsSync(db)).toBe(false);
  });
});
