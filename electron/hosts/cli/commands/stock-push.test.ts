// `shopfleet stock push` through the real binary against a loopback PDD shop: --dry-run prints what
// each shop would be told and writes nothing; without it the figures are sent and the platform shows
// them; a second run has nothing left to tell.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatformServer } from '../../../sandbox/platforms/pdd/server.ts';
import { sandboxCatalogue } from '../../../sandbox/platforms/server-products.ts';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';
import { addShop, addSku, allocate, mapSku, openPushStation } from '../../../testkit/stock-push-fixtures.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-stock-push-cli-'));
const db = path.join(dir, 'station.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const APP = { appKey: 'pdd-app-1', appSecret: 'pdd-s3cret', accessToken: 'tok-123' };

interface Row {
  shop: string;
  sku: string;
  quantity: number;
  changed: boolean;
}

describe('shopfleet stock push', () => {
  it('prints the figures on a dry run, then tells the shop, then has nothing left to tell', { timeout: 180_000 }, async () => {
    const products = sandboxCatalogue(2, Date.now());
    const srv = await startPlatformServer({ orders: [], products, ...APP });
    try {
      const created = await shopfleet(['warehouses', 'add', '--db', db, '--code', 'HZ', '--name', '杭州仓']);
      expect(created.code, created.stderr).toBe(0);
      const st = openPushStation(db);
      addShop(st.db, 'pdd-1', 'pdd', { gateway: srv.url, ...APP }, 'active', '拼多多店');
      addSku(st.db, 'CUP-01', 30);
      addSku(st.db, 'CUP-02', 8);
      const [a, b] = [products[0]!, products[1]!];
      mapSku(st.db, 'pdd-1', a.productId, a.skus[0]!.skuId, 'CUP-01', a.skus[0]!.stock);
      mapSku(st.db, 'pdd-1', b.productId, b.skus[0]!.skuId, 'CUP-02', b.skus[0]!.stock);
      allocate(st.db, 'pdd-1', 'CUP-01', 'share', 50);
      st.close();

      const dry = await shopfleet(['stock', 'push', '--db', db, '--dry-run', '--json']);
      expect(dry.code, dry.stderr).toBe(0);
      expect((JSON.parse(dry.stdout) as Row[]).map((r) => [r.shop, r.sku, r.quantity])).toEqual([
        ['拼多多店', 'CUP-01', 15],
        ['拼多多店', 'CUP-02', 8],
      ]);
      expect(dry.stderr).toContain('dry run: nothing written');
      expect(a.skus[0]!.stock).not.toBe(15);

      const real = await shopfleet(['stock', 'push', '--db', db, '--shop', '拼多多店', '--json']);
      expect(real.code, real.stderr).toBe(0);
      expect((JSON.parse(real.stdout) as Row[]).every((r) => r.changed)).toBe(true);
      expect(real.stderr).toContain('2 confirmed');
      expect([a.skus[0]!.stock, b.skus[0]!.stock]).toEqual([15, 8]);

      const again = await shopfleet(['stock', 'push', '--db', db, '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect((JSON.parse(again.stdout) as Row[]).map((r) => [r.quantity, r.changed])).toEqual([
        [15, false],
        [8, false],
      ]);
      const unknown = await shopfleet(['stock', 'push', '--db', db, '--shop', '没有这个店']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('没有这个店');
    } finally {
      await srv.close();
    }
  });
});
