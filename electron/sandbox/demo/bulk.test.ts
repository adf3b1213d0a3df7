// The demo team and bulk demo databases: idempotent setup, a catalogue that matches most lines, and
// N orders of history landed through the real ingest path with cursors ready for live sync.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../core/api/events.ts';
import { openDatabase, type Db } from '../../core/db/open.ts';
import { listSkus } from '../../core/stock/catalogue.ts';
import { SyncScheduler } from '../../core/sync/scheduler.ts';
import { CATALOG } from './catalog.ts';
import { buildDemoDatabase } from './bulk.ts';
import { DEMO_SHOPS, ensureDemoTeam } from './demo-team.ts';
import { DAY, MINUTE } from './generator.ts';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const dbs: Db[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.$client.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDb(): Db {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-bulk-'));
  dirs.push(dir);
  const db = openDatabase(path.join(dir, 'station.db'));
  dbs.push(db);
  return db;
}
const count = (db: Db, sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;

/** Every demo SKU's barcode is one it answers to in sku_barcodes, so skus.list and the packing scan see it. */
function expectBarcodesListed(db: Db): void {
  const withBarcode = db.$client.prepare('SELECT id, outer_sku_code AS code, barcode FROM skus WHERE barcode IS NOT NULL').all() as { id: string; code: string; barcode: string }[];
  expect(withBarcode.length).toBeGreaterThan(0);
  const listed = new Map(listSkus(db, { limit: 200_000, offset: 0 }).map((v) => [v.code, v.barcodes]));
  for (const sku of withBarcode) expect({ code: sku.code, barcodes: listed.get(sku.code) }).toEqual({ code: sku.code, barcodes: [sku.barcode] });
  expect(count(db, 'SELECT count(*) AS n FROM sku_barcodes')).toBe(withBarcode.length);
}

describe('ensureDemoTeam', () => {
  it('creates shops, catalogue, tags, staff and the demo flag once', () => {
    const db = openDatabase(':memory:');
    dbs.push(db);
    const ids = ensureDemoTeam(db, NOW);
    expect(ids).toHaveLength(DEMO_SHOPS.length);
    const shops = db.$client.prepare('SELECT name, platform, state, settings FROM shops ORDER BY created_at').all() as {
      name: string;
      platform: string;
      state: string;
      settings: string;
    }[];
    expect(shops.map((s) => s.name)).toEqual(DEMO_SHOPS.map((s) => s.name));
    expect(shops.every((s) => s.platform === 'sandbox' && s.state === 'active')).toBe(true);
    expect(new Set(shops.map((s) => JSON.parse(s.settings).imitates))).toEqual(new Set(['tmall', 'taobao', 'pdd', 'jd', 'douyin', 'kuaishou']));
    const listed = CATALOG.filter((p) => !p.unlisted).reduce((n, p) => n + p.skus.length, 0);
    expect(count(db, 'SELECT count(*) AS n FROM skus')).toBe(listed);
    const unlistedCode = CATALOG.find((p) => p.unlisted)!.skus[0]!.outerSkuCode;
    expect(db.$client.prepare('SELECT 1 FROM skus WHERE outer_sku_code = ?').get(unlistedCode)).toBeUndefined();
    expectBarcodesListed(db);
    expect((db.$client.prepare('SELECT name FROM tags').all() as { name: string }[]).map((t) => t.name)).toEqual(
      expect.arrayContaining(['加急', '缺货', '大客户', '待补发']),
    );
    expect(db.$client.prepare('SELECT role FROM users ORDER BY role').all()).toEqual([
      { role: 'finance' },
      { role: 'operator' },
      { role: 'packer' },
      { role: 'service' },
    ]);
    expect(db.$client.prepare("SELECT value FROM meta WHERE key = 'demo'").get()).toEqual({ value: '1' });

    expect(ensureDemoTeam(db, NOW + DAY)).toEqual([]);
    expect(count(db, 'SELECT count(*) AS n FROM shops')).toBe(DEMO_SHOPS.length);
    expect(count(db, 'SELECT count(*) AS n FROM users')).toBe(4);
    expectBarcodesListed(db);
  });
});

describe('buildDemoDatabase', () => {
  it('lands N orders of history through ingest, then live sync carries on from now', async () => {
    const db = tempDb();
    const progress: number[] = [];
    const result = await buildDemoDatabase(db, { orders: 20_000, shops: 5, seed: 3, now: NOW, onProgress: (done) => progress.push(done) });
    console.info(`buildDemoDatabase: 20000 orders in ${result.ms} ms`);
    expect(result).toMatchObject({ orders: 20_000, shops: 5, inserted: 20_000, updated: 0 });
    expect(count(db, 'SELECT count(*) AS n FROM orders')).toBe(20_000);
    expect(count(db, 'SELECT count(*) AS n FROM shops')).toBe(5);
    expect(count(db, 'SELECT count(DISTINCT shop_id) AS n FROM orders')).toBe(5);
    expect(progress.at(-1)).toBe(20_000);
    expect(count(db, `SELECT count(*) AS n FROM sync_cursors WHERE cursor_ms = ${NOW}`)).toBe(5);
    const span = db.$client.prepare('SELECT min(created_at) AS lo, max(created_at) AS hi FROM orders').get() as { lo: number; hi: number };
    expect(span.lo).toBeGreaterThanOrEqual(NOW - 60 * DAY);
    expect(span.hi).toBeLessThan(NOW);
    // Most lines match the local catalogue; the deliberately unlisted ones do not.
    const lines = count(db, 'SELECT count(*) AS n FROM order_items WHERE is_gift = 0');
    const unmatched = count(db, 'SELECT count(*) AS n FROM order_items WHERE is_gift = 0 AND sku_id IS NULL');
    expect(unmatched).toBeGreaterThan(0);
    expect(unmatched / lines).toBeLessThan(0.1);
    expectBarcodesListed(db);
    expect(count(db, "SELECT count(*) AS n FROM orders WHERE queue = 'completed'")).toBeGreaterThan(10_000);
    expect(count(db, "SELECT count(*) AS n FROM orders WHERE queue = 'pending_review'")).toBeGreaterThan(0);

    // Live sync a little later: only orders born after the history, nothing older reappears.
    const scheduler = new SyncScheduler({ db, events: new EventBus(), now: () => NOW + 30 * MINUTE });
    const shopIds = scheduler.syncNow();
    const results = await Promise.all(shopIds.map((id) => scheduler.syncShop(id)));
    await scheduler.stop();
    expect(results.every((r) => r.error === undefined)).toBe(true);
    const live = db.$client.prepare(`SELECT count(*) AS n, min(created_at) AS first FROM orders WHERE created_at >= ${NOW}`).get() as { n: number; first: number };
    expect(live.n).toBeGreaterThan(0);
    expect(count(db, 'SELECT count(*) AS n FROM orders')).toBe(20_000 + live.n);
    expect(count(db, `SELECT count(*) AS n FROM orders WHERE created_at < ${NOW} AND local_updated_at > ${NOW}`)).toBe(0);
  }, 180_000);
});
