// `shopfleet skus|warehouses|stock` through the real binary: a station set up from nothing — a
// warehouse, a SKU file (refused whole for one bad row, then a dry run, then for real), stock
// received and adjusted — read back as scripts read it (--json), with exit codes and messages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { MovementView, SkuView } from '../../../shared/contract.ts';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-stock-cli-'));
const db = path.join(dir, 'station.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, bytes: Buffer | string): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
};
const HEADER = '商家编码,商品名称,规格,条码,成本价(元),重量(克),储位,安全库存,预警库存';

describe('shopfleet stock commands', () => {
  it('sets up a station from nothing and keeps its stock as a ledger', { timeout: 180_000 }, async () => {
    const wh = await shopfleet(['warehouses', 'add', '--db', db, '--code', 'HZ', '--name', '杭州仓', '--regions', '浙江,江苏']);
    expect(wh.code, wh.stderr).toBe(0);
    expect(wh.stdout).toBe('HZ\t杭州仓\t浙江,江苏\n');
    const again = await shopfleet(['warehouses', 'add', '--db', db, '--code', 'HZ', '--name', '又一个']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('CONFLICT');

    // One bad row refuses the file: listed by line and field, exit 1, nothing in the catalogue.
    const bad = file('bad.csv', `${HEADER}\nCUP-01,保温杯,白,,25,,,,\n,没有编码,,,,,,,\nCUP-02,水杯,,,abc,,,,\n`);
    const refused = await shopfleet(['skus', 'import', '--db', db, '--file', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 3\tcode\tmissing');
    expect(refused.stderr).toContain('line 4\tcostYuan\tinvalid_number');
    expect(refused.stderr).toContain('nothing was imported');
    const none = await shopfleet(['skus', 'list', '--db', db, '--json']);
    expect(JSON.parse(none.stdout)).toEqual([]);

    // A GBK file as Excel saves it: a dry run reports, then the import writes.
    const good = file('good.csv', iconv.encode(`${HEADER}\r\nCUP-01,保温杯,白,6901234567892,25,350,A-01,2,5\r\nCUP-02,水杯,蓝,,9.9,,,,\r\n`, 'gbk'));
    const dry = await shopfleet(['skus', 'import', '--db', db, '--file', good, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('would add 2');
    expect(JSON.parse((await shopfleet(['skus', 'list', '--db', db, '--json'])).stdout)).toEqual([]);
    const real = await shopfleet(['skus', 'import', '--db', db, '--file', good]);
    expect(real.code, real.stderr).toBe(0);
    const skus = JSON.parse((await shopfleet(['skus', 'list', '--db', db, '--json'])).stdout) as SkuView[];
    expect(skus.map((s) => [s.code, s.title, s.barcodes, s.costFen, s.safetyStock])).toEqual([
      ['CUP-01', '保温杯', ['6901234567892'], 2500, 2],
      ['CUP-02', '水杯', [], 990, 0],
    ]);

    const received = await shopfleet(['stock', 'receive', '--db', db, '--sku', 'CUP-01', '--warehouse', 'HZ', '--quantity', '10', '--reference', 'PO-1']);
    expect(received.code, received.stderr).toBe(0);
    expect(received.stdout).toMatch(/CUP-01\tHZ\t\+10\treceive\ton hand 10\n$/);
    const adjusted = await shopfleet(['stock', 'adjust', '--db', db, '--sku', 'CUP-01', '--warehouse', 'HZ', '--delta', '-3', '--reason', '破损']);
    expect(adjusted.code, adjusted.stderr).toBe(0);
    expect(adjusted.stdout).toContain('-3\tadjust\ton hand 7');
    const tooMany = await shopfleet(['stock', 'adjust', '--db', db, '--sku', 'CUP-01', '--warehouse', 'HZ', '--delta', '-100', '--reason', '丢失']);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('INVALID_STATE');
    const noReason = await shopfleet(['stock', 'adjust', '--db', db, '--sku', 'CUP-01', '--warehouse', 'HZ', '--delta', '1']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason');

    const list = await shopfleet(['stock', 'list', '--db', db, '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      // available: the warehouse's free units; skuAvailable: the SKU's, less its safety stock once.
      { sku: 'CUP-01', warehouse: 'HZ', onHand: 7, reserved: 0, available: 7, safety: 2, skuAvailable: 5, threshold: 5, low: true },
      { sku: 'CUP-02', warehouse: 'HZ', onHand: 0, reserved: 0, available: 0, safety: 0, skuAvailable: 0, threshold: 0, low: true },
    ]);
    ok(await shopfleet(['stock', 'receive', '--db', db, '--sku', 'CUP-01', '--warehouse', 'HZ', '--quantity', '1']));
    const low = await shopfleet(['stock', 'list', '--db', db, '--json', '--warehouse', 'HZ', '--low']);
    expect((JSON.parse(low.stdout) as { sku: string }[]).map((r) => r.sku)).toEqual(['CUP-02']);

    const ledger = await shopfleet(['stock', 'ledger', '--db', db, '--sku', 'CUP-01', '--json']);
    expect(ledger.code, ledger.stderr).toBe(0);
    expect((JSON.parse(ledger.stdout) as MovementView[]).map((m) => [m.delta, m.reason, m.balance, m.note ?? m.reference])).toEqual([
      [1, 'receive', 8, null],
      [-3, 'adjust', 7, '破损'],
      [10, 'receive', 10, 'PO-1'],
    ]);
    const unknown = await shopfleet(['stock', 'ledger', '--db', db, '--sku', 'NOPE', '--json']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND');
  });

  it('counts, transfers between warehouses, replays a request id, and corrects a movement once', { timeout: 180_000 }, async () => {
    ok(await shopfleet(['warehouses', 'add', '--db', db, '--code', 'SH', '--name', '上海仓', '--priority', '-1']));
    const list = await shopfleet(['warehouses', 'list', '--db', db, '--json']);
    expect((JSON.parse(list.stdout) as { code: string; priority: number }[]).map((w) => [w.code, w.priority])).toEqual([
      ['HZ', 0],
      ['SH', -1],
    ]);
    const counted = await shopfleet(['stock', 'count', '--db', db, '--sku', 'CUP-01', '--warehouse', 'HZ', '--counted', '6']);
    expect(counted.stdout).toContain('-2\tcount\ton hand 6');
    const args = ['stock', 'transfer', '--db', db, '--sku', 'CUP-01', '--from', 'HZ', '--to', 'SH', '--quantity', '4', '--request-id', 'move-1', '--json'];
    const moved = await shopfleet(args);
    expect(moved.code, moved.stderr).toBe(0);
    const first = JSON.parse(moved.stdout) as { created: boolean; movements: MovementView[] };
    expect(first.movements.map((m) => [m.warehouse, m.delta, m.balance])).toEqual([
      ['HZ', -4, 2],
      ['SH', 4, 4],
    ]);
    const replay = JSON.parse((await shopfleet(args)).stdout) as { created: boolean; movements: MovementView[] };
    expect(replay.created).toBe(false);
    expect(replay.movements.map((m) => m.id)).toEqual(first.movements.map((m) => m.id));
    const corrected = await shopfleet(['stock', 'correct', '--db', db, '--movement', first.movements[0]!.id, '--reason', '调错了']);
    expect(corrected.code, corrected.stderr).toBe(0);
    const twice = await shopfleet(['stock', 'correct', '--db', db, '--movement', first.movements[1]!.id, '--reason', '再冲一次']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('CONFLICT');
    const rows = JSON.parse((await shopfleet(['stock', 'list', '--db', db, '--sku', 'CUP-01', '--json'])).stdout) as { warehouse: string; onHand: number }[];
    expect(rows.map((r) => [r.warehouse, r.onHand])).toEqual([
      ['HZ', 6],
      ['SH', 0],
    ]);
  });
});

function ok(r: { code: number | null; stderr: string }): void {
  expect(r.code, r.stderr).toBe(0);
}
