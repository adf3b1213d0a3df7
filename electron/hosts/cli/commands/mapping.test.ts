// `shopfleet mapping|bundles` through the real binary on a demo station: the pull lists every demo
// shop's products with a per-shop summary, the list reads back as scripts read it (--json,
// --unmapped), a file maps a platform SKU (a bad row refuses the file, exit 1) and a later pull
// leaves that mapping alone; a bundle is set from its components.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-mapping-cli-'));
const db = path.join(dir, 'station.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

interface Row {
  shop: string;
  shopId: string;
  platformProductId: string;
  platformSkuId: string;
  sku: string | null;
  matchedBy: string | null;
  delisted: boolean;
}
const list = async (...args: string[]): Promise<Row[]> => {
  const r = await shopfleet(['mapping', 'list', '--db', db, '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Row[];
};

describe('shopfleet mapping and bundles', () => {
  it('pulls the demo shops, maps from a file, and keeps that mapping through the next pull', { timeout: 240_000 }, async () => {
    const demo = await shopfleet(['demo', '--db', db, '--orders', '30', '--shops', '2']);
    expect(demo.code, demo.stderr).toBe(0);

    const pulled = await shopfleet(['mapping', 'pull', '--db', db]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const lines = pulled.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/\tlisted [1-9]\d*\tnew \d+\tauto-matched \d+\tquarantined 0\t/);
    const listedTotal = lines.reduce((n, l) => n + Number(/listed (\d+)/.exec(l)![1]), 0);

    const rows = await list();
    expect(rows).toHaveLength(listedTotal);
    // Unmapped first.
    const firstMapped = rows.findIndex((r) => r.sku !== null);
    expect(rows.slice(firstMapped === -1 ? rows.length : firstMapped).every((r) => r.sku !== null)).toBe(true);
    expect((await list('--unmapped')).every((r) => r.sku === null)).toBe(true);
    const oneShop = await list('--shop', rows[0]!.shop);
    expect(oneShop.length).toBeGreaterThan(0);
    expect(oneShop.every((r) => r.shopId === rows[0]!.shopId)).toBe(true);

    const skus = file('skus.csv', '商家编码,商品名称\nCLI-MAP-1,命令行礼盒\nCLI-MAP-2,命令行袜子\n');
    expect((await shopfleet(['skus', 'import', '--db', db, '--file', skus])).code).toBe(0);

    // A bad row refuses the file: nothing mapped, exit 1, the row named.
    const target = rows[0]!;
    const bad = file('bad.csv', `店铺,平台商品ID,平台SKU ID,商家编码\n${target.shop},${target.platformProductId},${target.platformSkuId},CLI-MAP-1\n${target.shop},,NO-SUCH-SKU-ID,CLI-MAP-1\n`);
    const refused = await shopfleet(['mapping', 'import', '--db', db, '--file', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 3\tskuId\tnot_listed');
    expect((await list()).find((r) => r.platformSkuId === target.platformSkuId && r.platformProductId === target.platformProductId)!.sku).toBe(target.sku);

    const good = file('good.csv', `店铺,平台商品ID,平台SKU ID,商家编码\n${target.shop},${target.platformProductId},${target.platformSkuId},CLI-MAP-1\n`);
    const imported = await shopfleet(['mapping', 'import', '--db', db, '--file', good]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(target.sku === null ? /mapped 1, changed 0/ : /mapped 0, changed 1/);

    // The next pull never overrides a mapping made from a file.
    expect((await shopfleet(['mapping', 'pull', '--db', db, '--shop', target.shop])).code).toBe(0);
    const after = (await list()).find((r) => r.platformSkuId === target.platformSkuId && r.platformProductId === target.platformProductId)!;
    expect(after).toMatchObject({ sku: 'CLI-MAP-1', matchedBy: 'import', delisted: false });

    const bundle = await shopfleet(['bundles', 'set', '--db', db, '--sku', 'CLI-MAP-1', '--component', 'CLI-MAP-2:3']);
    expect(bundle.code, bundle.stderr).toBe(0);
    expect(bundle.stdout).toBe('CLI-MAP-1\t命令行礼盒\tCLI-MAP-2×3\n');
    const nested = await shopfleet(['bundles', 'set', '--db', db, '--sku', 'CLI-MAP-2', '--component', 'CLI-MAP-1']);
    expect(nested.code).toBe(1);
    const bundles = JSON.parse((await shopfleet(['bundles', 'list', '--db', db, '--json'])).stdout) as { sku: string }[];
    expect(bundles.map((b) => b.sku)).toContain('CLI-MAP-1');
  });
});
