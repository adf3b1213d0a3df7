// `shopfleet station status` on a joined station lists who pulls each shop from its platform: the
// shops this station holds a sync lease on and the holders the hub published for the others.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { writeTx } from '../../core/db/access.ts';
import { openDatabase } from '../../core/db/open.ts';
import { writeHubSettings } from '../../core/hub/settings.ts';
import { joinedSettings } from '../../testkit/hub-settings.ts';
import { stationStatus } from './commands/station.ts';

const dir = mkdtempSync(join(tmpdir(), 'station-status-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const code = await stationStatus(argv);
    return { code, out: written.join('') };
  } finally {
    spy.mockRestore();
  }
}

it('--json lists the sync leases (held here, held by another station); the text names who syncs each shop', async () => {
  const file = join(dir, 'desk.db');
  const db = openDatabase(file);
  const now = Date.now();
  const insertShop = db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, 'pdd', 'active', 0, '{}')");
  insertShop.run('s1', '拼多多旗舰店');
  insertShop.run('s2', '抖音小店');
  writeTx(db, (tx) => {
    writeHubSettings(tx, joinedSettings({ cursor: 12 }));
    tx.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('hub.leases', JSON.stringify({ mine: { s1: { fence: 3, expiresAt: now + 60_000, heldUntil: now + 60_000 } }, others: {}, outOfScope: [] }));
    // Published by the hub when 二号打包台 took s2.
    tx.$client.prepare('INSERT INTO sync_leases (shop_id, station_id, station_name, expires_at, fence) VALUES (?, ?, ?, ?, ?)').run('s2', 'st-2', '二号打包台', now + 120_000, 2);
  });
  db.$client.close();

  const json = await run(['--db', file, '--json']);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.out).leases).toEqual([
    { shopId: 's1', shopName: '拼多多旗舰店', mine: true, stationName: '一号打包台', fence: 3, expiresAt: now + 60_000, outOfScope: false },
    { shopId: 's2', shopName: '抖音小店', mine: false, stationName: '二号打包台', fence: 2, expiresAt: now + 120_000, outOfScope: false },
  ]);
  const text = await run(['--db', file]);
  expect(text.code).toBe(0);
  expect(text.out).toContain('shop 拼多多旗舰店: synced here · fence 3');
  expect(text.out).toContain('shop 抖音小店: synced by 二号打包台 · fence 2');
});

it('a shop this station gave back for want of its authorisation says why, in --json and in words', async () => {
  const file = join(dir, 'bench.db');
  const db = openDatabase(file);
  const now = Date.now();
  db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('s3', '淘宝店', 'taobao', 'active', 0, '{}')").run();
  writeTx(db, (tx) => {
    writeHubSettings(tx, joinedSettings({ stationId: 'st-3', stationName: '三号打包台', user: { id: 'u3', name: 'xiaozhao', role: 'operator', shops: null } }));
    // Released by this station at once: published as free.
    tx.$client.prepare('INSERT INTO sync_leases (shop_id, station_id, station_name, expires_at, fence) VALUES (?, NULL, NULL, 0, ?)').run('s3', 4);
    tx.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('hub.credentials', JSON.stringify({ s3: { problem: { reason: 'sharing_off', at: now } } }));
  });
  db.$client.close();

  const json = await run(['--db', file, '--json']);
  expect(JSON.parse(json.out).leases).toEqual([expect.objectContaining({ shopId: 's3', mine: false, stationName: null, authorisation: 'sharing_off' })]);
  const text = await run(['--db', file]);
  expect(text.out).toContain('shop 淘宝店: nobody syncs it · fence 4 · not taken over here: the owner turned off keeping authorisations on the hub (authorise the shop here)');
});
