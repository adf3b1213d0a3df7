// Restock suggestions: ⌈perDay × lead time + safety − (on hand − reserved)⌉ per SKU over the chosen
// window, only when above zero, bundles' sales counted into their components; and the export files
// (.xlsx and CSV) read back with the same rows.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { RestockResult, StockFile } from '../../shared/contract.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { lineItem } from '../../testkit/ingest-fixtures.ts';
import { ok } from '../../testkit/results.ts';
import { RESTOCK_HEADERS, suggestUnits } from './restock.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

describe('suggestUnits', () => {
  it('is perDay × lead time + safety − free, rounded up, in whole units', () => {
    // 21 sold in 7 days = 3/day × 10 days + 5 safety − 12 free = 23.
    expect(suggestUnits(21, 7, 10, 5, 12)).toBe(23);
    // 10 sold in 30 days × 7 days = 2.33… → with nothing free and no safety, 3 (never short by a fraction).
    expect(suggestUnits(10, 30, 7, 0, 0)).toBe(3);
    // Exactly covered: 0, not 1 (a float product like 0.1 × 30 would have rounded up to a spare unit).
    expect(suggestUnits(3, 30, 30, 0, 3)).toBe(0);
    // Oversold (more held than on hand) adds the shortfall.
    expect(suggestUnits(0, 7, 7, 0, -4)).toBe(4);
    expect(suggestUnits(0, 7, 7, 2, 50)).toBeLessThan(0);
  });
});

describe('stock.restock and its export', () => {
  const NOW_OFFSET = 86_400_000; // the fixture's clock starts a day after T0

  async function station(): Promise<Fixture> {
    const fx = (f = openFixture());
    ok(await fx.call('warehouses.add', { code: 'WH1', name: '一号仓' }));
    const c = fx.db.$client;
    c.prepare("UPDATE skus SET lead_time_days = 10, safety_stock = 5, cost_fen = 1250 WHERE id = 'sku-1'").run();
    c.prepare("UPDATE skus SET lead_time_days = 7, safety_stock = 0 WHERE id = 'sku-2'").run();
    c.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen) VALUES ('sku-set', 'p2', 'SOCK-3PK', '三双装', 1200)").run();
    c.prepare("INSERT INTO bundle_components (bundle_sku_id, component_sku_id, quantity, updated_at) VALUES ('sku-set', 'sku-2', 3, 0)").run();
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 12 }));
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 100 }));
    // Shipped orders (nothing held for them), paid within the last 7 days.
    const shipped = (n: number, code: string, quantity: number) =>
      platformOrder(n, {
        status: 'shipped',
        platformStatus: 'WAIT_BUYER_CONFIRM_GOODS',
        paidAt: T0 + NOW_OFFSET - n * 60_000,
        items: [lineItem(n, { platformItemId: `I${n}`, outerSkuCode: code, quantity })],
      });
    fx.addOrders([shipped(1, 'NZ-2301-BK-M', 20), shipped(2, 'NZ-2301-BK-M', 1), shipped(3, 'SOCK-3PK', 4)]);
    return fx;
  }

  it('lists SKUs needing stock, most units first, with the figures behind each', async () => {
    const fx = await station();
    const r = ok<RestockResult>(await fx.call('stock.restock', { days: 7 }));
    // T恤: 21/7 = 3 a day × 10 + 5 − 12 = 23. Socks: 12 (4 packs × 3) / 7 × 7 = 12 − 100 free → none.
    expect(r.total).toBe(1);
    expect(r.rows[0]).toMatchObject({ sku: 'NZ-2301-BK-M', perDay: 3, leadTimeDays: 10, safety: 5, onHand: 12, reserved: 0, available: 7, suggest: 23, costFen: 1250 });
    expect(r.rows[0]!.daysOfCover).toBeCloseTo(7 / 3);
    ok(await fx.call('stock.adjust', { sku: 'SOCK-01', warehouse: 'WH1', delta: -95, reason: '盘亏' }));
    const after = ok<RestockResult>(await fx.call('stock.restock', { days: 7 }));
    // Socks now: 12 sold → 12 × 7 / 7 + 0 − 5 = 7. The bundle itself is never listed.
    expect(after.rows.map((x) => [x.sku, x.suggest])).toEqual([
      ['NZ-2301-BK-M', 23],
      ['SOCK-01', 7],
    ]);
    // Over 30 days the same sales are a slower rate: T恤 21/30 × 10 + 5 − 12 = 0, socks 12/30 × 7 − 5 < 0.
    const month = ok<RestockResult>(await fx.call('stock.restock', { days: 30 }));
    expect(month).toMatchObject({ days: 30, total: 0, rows: [] });
    const page = ok<RestockResult>(await fx.call('stock.restock', { days: 7, limit: 1, offset: 1 }));
    expect(page).toMatchObject({ total: 2, rows: [{ sku: 'SOCK-01' }] });
    // A longer lead time (到货周期, set on the SKU) asks for more: 3 a day × 20 + 5 − 12 = 53.
    ok(await fx.call('skus.update', { code: 'NZ-2301-BK-M', patch: { leadTimeDays: 20 } }));
    const longer = ok<RestockResult>(await fx.call('stock.restock', { days: 7 }));
    expect(longer.rows[0]).toMatchObject({ sku: 'NZ-2301-BK-M', leadTimeDays: 20, suggest: 53 });
    ok(await fx.call('skus.add', { code: 'NEW-LT', title: '新品', leadTimeDays: 15 }));
    expect(fx.db.$client.prepare("SELECT lead_time_days AS d FROM skus WHERE outer_sku_code = 'NEW-LT'").get()).toEqual({ d: 15 });
  });

  it('a SKU that sells nothing still needs what is held beyond its stock, or a warehouse below zero', async () => {
    const fx = await station();
    const c = fx.db.$client;
    c.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen) VALUES ('held', 'p2', 'HELD-1', '均码', 500), ('neg', 'p2', 'NEG-1', '均码', 500)").run();
    ok(await fx.call('stock.receive', { sku: 'HELD-1', warehouse: 'WH1', quantity: 2 }));
    const [order] = fx.addOrders([platformOrder(50, { status: 'closed', platformStatus: 'TRADE_CLOSED' })]);
    const wh = (c.prepare("SELECT id FROM warehouses WHERE code = 'WH1'").get() as { id: string }).id;
    c.prepare("INSERT INTO stock_reservations (id, order_id, line_no, sku_id, warehouse_id, quantity, state, created_at) VALUES ('r1', ?, 1, 'held', ?, 5, 'held', 0)").run(order, wh);
    // Two stations both shipped the last units: the merged ledger sums below zero (the evaluation names it).
    c.prepare("INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES ('m-neg', 'neg', ?, -4, 'ship', 'sync', 0, 'op')").run(wh);
    const r = ok<RestockResult>(await fx.call('stock.restock', { days: 30 }));
    expect(r.rows.find((x) => x.sku === 'HELD-1')).toMatchObject({ onHand: 2, reserved: 5, suggest: 3 });
    // Found from the ledger itself, before any alert evaluation has named the warehouse.
    expect(r.rows.find((x) => x.sku === 'NEG-1')).toMatchObject({ onHand: -4, suggest: 4 });
  });

  it('exports the suggestions as .xlsx and CSV that read back the same', async () => {
    const fx = await station();
    const xlsx = ok<StockFile>(await fx.call('stock.restockExport', { days: 7, format: 'xlsx' }));
    expect(xlsx.fileName).toMatch(/^restock-7d-\d{8}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('补货建议')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([...RESTOCK_HEADERS]);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(row).toEqual(['NZ-2301-BK-M', '女装纯棉T恤', '黑色 M', 3, 10, 5, 12, 0, 7, 2.33, 23, 12.5, 287.5]);
    expect(sheet.rowCount).toBe(2);

    const csv = ok<StockFile>(await fx.call('stock.restockExport', { days: 7, format: 'csv' }));
    const text = Buffer.from(csv.base64, 'base64').toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const records = parse(text, { bom: true }) as string[][];
    expect(records[0]).toEqual([...RESTOCK_HEADERS]);
    expect(records.slice(1)).toEqual([['NZ-2301-BK-M', '女装纯棉T恤', '黑色 M', '3', '10', '5', '12', '0', '7', '2.33', '23', '12.5', '287.5']]);
  });
});
