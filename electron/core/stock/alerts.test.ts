// Stock alerts on a real station: each kind raised from committed stock and cleared when the cause
// goes, one open row per kind/SKU/warehouse/shop however often a SKU is evaluated, SKUs not kept in
// stock left alone, and notifications claimed once — a muted SKU's alerts listed but never shown.
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertClaim, AlertCounts, AlertView } from '../../shared/contract.ts';
import { writeTx } from '../db/access.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { lineItem } from '../../testkit/ingest-fixtures.ts';
import { ok } from '../../testkit/results.ts';
import { runUpkeep } from '../background/upkeep.ts';
import { alertListSql } from './alert-views.ts';
import { ALERTS_FULL_EVERY_MS, evaluateAlerts, evaluateAlertsRound, evaluateAllAlerts, markedForAlerts } from './alerts.ts';

const NOW = T0 + 2 * 86_400_000;

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

async function station(): Promise<Fixture> {
  const fx = (f = openFixture());
  for (const code of ['WH1', 'WH2']) ok(await fx.call('warehouses.add', { code, name: `仓库${code}` }));
  return fx;
}

const evaluate = (fx: Fixture, skuIds: string[], now = NOW) => writeTx(fx.db, (tx) => evaluateAlerts(tx, skuIds, now));
const openAlerts = (fx: Fixture) =>
  fx.db.$client
    .prepare("SELECT kind, sku_id AS skuId, warehouse_id AS warehouseId, shop_id AS shopId, details FROM stock_alerts WHERE cleared_at IS NULL ORDER BY kind, sku_id")
    .all() as { kind: string; skuId: string; warehouseId: string; shopId: string; details: string }[];
const kinds = (fx: Fixture) => openAlerts(fx).map((a) => `${a.kind}:${a.skuId}${a.warehouseId ? `@${a.warehouseId}` : ''}${a.shopId ? `#${a.shopId}` : ''}`);
const whId = (fx: Fixture, code: string) => (fx.db.$client.prepare('SELECT id FROM warehouses WHERE code = ?').get(code) as { id: string }).id;
const setSku = (fx: Fixture, id: string, fields: string) => fx.db.$client.prepare(`UPDATE skus SET ${fields} WHERE id = ?`).run(id);

let orderNo = 100;
/** A shipped order (so nothing is held for it) paid `hoursAgo` before NOW, selling `quantity` of the T-shirt. */
function sold(fx: Fixture, quantity: number, hoursAgo = 1, code = 'NZ-2301-BK-M'): string {
  orderNo += 1;
  const paidAt = NOW - hoursAgo * 3_600_000;
  const [id] = fx.addOrders([
    platformOrder(orderNo, {
      status: 'shipped',
      platformStatus: 'WAIT_BUYER_CONFIRM_GOODS',
      createdAt: paidAt - 1000,
      paidAt,
      platformUpdatedAt: paidAt,
      items: [lineItem(orderNo, { platformItemId: `I${orderNo}`, outerSkuCode: code, quantity })],
    }),
  ]);
  return id!;
}

/** A held reservation written as the reservation step writes one (that step is not what these tests check). */
function hold(fx: Fixture, orderId: string, skuId: string, wh: string, quantity: number): string {
  const id = `r-${orderId}-${skuId}-${wh}`;
  fx.db.$client
    .prepare("INSERT INTO stock_reservations (id, order_id, line_no, sku_id, warehouse_id, quantity, state, created_at) VALUES (?, ?, 1, ?, ?, ?, 'held', ?)")
    .run(id, orderId, skuId, whId(fx, wh), quantity, NOW);
  return id;
}

describe('evaluateAlerts', () => {
  it('low by threshold is raised at or below 预警库存 and cleared above it; details say why', async () => {
    const fx = await station();
    setSku(fx, 'sku-2', 'low_stock_threshold = 5');
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 5 }));
    expect(evaluate(fx, ['sku-2']).raised.map((r) => r.kind)).toEqual(['low']);
    const d = JSON.parse(openAlerts(fx)[0]!.details);
    expect(d).toMatchObject({ lowBy: ['threshold'], available: 5, threshold: 5, perDay: 0, daysOfCover: null });
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH2', quantity: 1 }));
    const r = evaluate(fx, ['sku-2']);
    expect(r).toEqual({ raised: [], cleared: 1 });
    expect(kinds(fx)).toEqual([]);
  });

  it('low by days of cover: fewer days than the lead time at the faster window, cleared when stock covers it', async () => {
    const fx = await station();
    setSku(fx, 'sku-1', 'lead_time_days = 10');
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 100 }));
    // 21 units in the last 7 days: 3 a day (the 30-day rate is 0.7) → 100 units cover 33 days.
    sold(fx, 21);
    evaluate(fx, ['sku-1']);
    expect(kinds(fx)).toEqual([]);
    ok(await fx.call('stock.adjust', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', delta: -75, reason: '破损' }));
    expect(evaluate(fx, ['sku-1']).raised.map((r) => r.kind)).toEqual(['low']);
    expect(JSON.parse(openAlerts(fx)[0]!.details)).toMatchObject({ lowBy: ['cover'], available: 25, perDay: 3, window: 7, daysOfCover: 8.33, leadTimeDays: 10 });
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH2', quantity: 6 }));
    expect(evaluate(fx, ['sku-1']).cleared).toBe(1);
  });

  it('out replaces low when nothing is available and it sells, and clears when stock arrives', async () => {
    const fx = await station();
    setSku(fx, 'sku-1', 'low_stock_threshold = 3');
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 2 }));
    evaluate(fx, ['sku-1']);
    expect(kinds(fx)).toEqual(['low:sku-1']);
    sold(fx, 1);
    ok(await fx.call('stock.adjust', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', delta: -2, reason: '发货' }));
    const r = evaluate(fx, ['sku-1']);
    expect(r.raised.map((a) => a.kind)).toEqual(['out']);
    expect(r.cleared).toBe(1);
    expect(kinds(fx)).toEqual(['out:sku-1']);
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 50 }));
    evaluate(fx, ['sku-1']);
    expect(kinds(fx)).toEqual([]);
  });

  it('out without sales when orders wait (held units); nothing at all for a SKU at 0 that nobody wants', async () => {
    const fx = await station();
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 1 }));
    ok(await fx.call('stock.adjust', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', delta: -1, reason: '样品' }));
    setSku(fx, 'sku-1', 'low_stock_threshold = -1');
    evaluate(fx, ['sku-1', 'sku-2']);
    // sku-1: kept in WH1, at 0, no sales, nothing waits, threshold below 0 → quiet. sku-2: never stocked → quiet.
    expect(kinds(fx)).toEqual([]);
    const [order] = fx.addOrders([platformOrder(900, { status: 'closed', platformStatus: 'TRADE_CLOSED' })]);
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 2 }));
    hold(fx, order!, 'sku-1', 'WH1', 2);
    evaluate(fx, ['sku-1']);
    expect(kinds(fx)).toEqual(['out:sku-1']);
    expect(JSON.parse(openAlerts(fx)[0]!.details)).toMatchObject({ waiting: true, available: 0, reserved: 2 });
  });

  it('oversold in a warehouse holding more than it has (after a sync), cleared when the hold is released', async () => {
    const fx = await station();
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 3 }));
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH2', quantity: 10 }));
    const [order] = fx.addOrders([platformOrder(901, { status: 'closed', platformStatus: 'TRADE_CLOSED' })]);
    const r = hold(fx, order!, 'sku-1', 'WH1', 5);
    evaluate(fx, ['sku-1']);
    // Team-wide 13 − 5 is plenty, but WH1 holds 5 of its 3.
    expect(kinds(fx)).toEqual([`oversold:sku-1@${whId(fx, 'WH1')}`]);
    expect(JSON.parse(openAlerts(fx)[0]!.details)).toMatchObject({ onHand: 3, reserved: 5 });
    fx.db.$client.prepare("UPDATE stock_reservations SET state = 'released', settled_at = ? WHERE id = ?").run(NOW, r);
    expect(evaluate(fx, ['sku-1']).cleared).toBe(1);
    expect(kinds(fx)).toEqual([]);
  });

  it("push_failed carries the platform's words, stays while a retry is in flight, clears when a later push confirms", async () => {
    const fx = await station();
    const c = fx.db.$client;
    c.prepare("INSERT INTO sku_mappings (shop_id, platform_product_id, platform_sku_id, title, sku_id, listed_at) VALUES ('shop-1', 'P1', 'S1', 'T恤', 'sku-1', ?)").run(T0);
    const push = (id: string, state: string, at: number, error: string | null = null) =>
      c
        .prepare(
          `INSERT INTO stock_pushes (id, shop_id, platform_product_id, platform_sku_id, sku_id, mode, quantity, state, next_at, last_error, last_error_code, locked_by_promotion, created_at)
           VALUES (?, 'shop-1', 'P1', 'S1', 'sku-1', 'set', 7, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, state, at, error, error ? 'isv.item-quantity-locked' : null, error ? 1 : 0, at);
    push('p1', 'confirmed', NOW - 5000);
    evaluate(fx, ['sku-1']);
    expect(kinds(fx)).toEqual([]);
    push('p2', 'refused', NOW - 4000, '商品参加活动中，库存被锁定');
    evaluate(fx, ['sku-1']);
    expect(kinds(fx)).toEqual(['push_failed:sku-1#shop-1']);
    expect(JSON.parse(openAlerts(fx)[0]!.details)).toMatchObject({ error: '商品参加活动中，库存被锁定', errorCode: 'isv.item-quantity-locked', lockedByPromotion: true, pushState: 'refused', quantity: 7 });
    push('p3', 'superseded', NOW - 3500);
    push('p4', 'pending', NOW - 3000);
    evaluate(fx, ['sku-1']);
    expect(kinds(fx)).toEqual(['push_failed:sku-1#shop-1']);
    c.prepare("UPDATE stock_pushes SET state = 'confirmed' WHERE id = 'p4'").run();
    expect(evaluate(fx, ['sku-1']).cleared).toBe(1);
    expect(kinds(fx)).toEqual([]);
    // Unmapped since: the listing's old failure is not this SKU's any more.
    push('p5', 'failed', NOW - 1000, 'timeout');
    c.prepare("UPDATE sku_mappings SET sku_id = NULL").run();
    evaluate(fx, ['sku-1']);
    expect(kinds(fx)).toEqual([]);
  });

  it('keeps one open row per kind/SKU/warehouse/shop however often it runs, and a new row once cleared', async () => {
    const fx = await station();
    setSku(fx, 'sku-2', 'low_stock_threshold = 5');
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 2 }));
    for (let i = 0; i < 3; i += 1) evaluate(fx, ['sku-2', 'sku-2'], NOW + i);
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 1 }));
    evaluate(fx, ['sku-2'], NOW + 5);
    const rows = fx.db.$client.prepare("SELECT details, raised_at AS raisedAt FROM stock_alerts WHERE sku_id = 'sku-2'").all() as { details: string; raisedAt: number }[];
    expect(rows).toHaveLength(1);
    // The figures follow the stock; the alert keeps the time it was raised.
    expect(JSON.parse(rows[0]!.details).available).toBe(3);
    expect(rows[0]!.raisedAt).toBe(NOW);
    // The partial unique index refuses a second open row outright.
    expect(() =>
      fx.db.$client.prepare("INSERT INTO stock_alerts (id, kind, sku_id, raised_at) VALUES ('dup', 'low', 'sku-2', 1)").run(),
    ).toThrow(/UNIQUE/);
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 10 }));
    evaluate(fx, ['sku-2'], NOW + 6);
    ok(await fx.call('stock.adjust', { sku: 'SOCK-01', warehouse: 'WH1', delta: -12, reason: '盘亏' }));
    evaluate(fx, ['sku-2'], NOW + 7);
    const all = fx.db.$client.prepare("SELECT cleared_at AS clearedAt FROM stock_alerts WHERE sku_id = 'sku-2' ORDER BY raised_at").all() as { clearedAt: number | null }[];
    expect(all.map((a) => a.clearedAt)).toEqual([NOW + 6, null]);
  });

  it('a bundle raises nothing of its own; its sales count into its components', async () => {
    const fx = await station();
    const c = fx.db.$client;
    c.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen, lead_time_days) VALUES ('sku-set', 'p1', 'SET-1', '套装', 2999, 7)").run();
    c.prepare("INSERT INTO bundle_components (bundle_sku_id, component_sku_id, quantity, updated_at) VALUES ('sku-set', 'sku-2', 3, 0)").run();
    setSku(fx, 'sku-2', 'lead_time_days = 8');
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 30 }));
    // 5 sets this week = 15 socks, about 2.1 a day: 30 socks cover 14 days, more than the 8-day lead time.
    sold(fx, 5, 1, 'SET-1');
    evaluate(fx, ['sku-2', 'sku-set']);
    expect(kinds(fx)).toEqual([]);
    sold(fx, 5, 1, 'SET-1');
    evaluate(fx, ['sku-2', 'sku-set']);
    expect(kinds(fx)).toEqual(['low:sku-2']);
    expect(JSON.parse(openAlerts(fx)[0]!.details)).toMatchObject({ lowBy: ['cover'], perDay: 4.29, daysOfCover: 7, leadTimeDays: 8 });
  });

  it('the full evaluation covers every stocked SKU and clears alerts of SKUs no longer stocked', async () => {
    const fx = await station();
    setSku(fx, 'sku-1', 'low_stock_threshold = 5');
    setSku(fx, 'sku-2', 'low_stock_threshold = 5');
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 1 }));
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH2', quantity: 2 }));
    const r = evaluateAllAlerts(fx.db, NOW);
    expect(r.evaluated).toBe(2);
    expect(kinds(fx)).toEqual(['low:sku-1', 'low:sku-2']);
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH2', quantity: 20 }));
    expect(evaluateAllAlerts(fx.db, NOW + 1).cleared).toBe(1);
  });
});

describe('the periodic evaluation in the background upkeep', () => {
  it('raises what committed stock says and announces stock_alerts only when something changed', async () => {
    const fx = await station();
    setSku(fx, 'sku-1', 'low_stock_threshold = 5');
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 1 }));
    const heard: string[][] = [];
    fx.events.on('db.changed', (e) => heard.push(e.tables));
    const deps = { db: fx.db, events: fx.events, now: () => NOW };
    expect((await runUpkeep(deps, { alerts: true })).alerts).toEqual({ evaluated: 1, raised: 1, cleared: 0, full: true });
    expect(heard).toEqual([['stock_alerts']]);
    // Within the hour only marked SKUs are evaluated: nothing moved, so nothing is read.
    expect((await runUpkeep(deps, { alerts: true })).alerts).toEqual({ evaluated: 0, raised: 0, cleared: 0, full: false });
    expect(heard).toHaveLength(1);
    expect(kinds(fx)).toEqual(['low:sku-1']);
  });

  it('between hourly sweeps evaluates only SKUs whose stock or alert figures moved; the sweep catches cover drifting with time', async () => {
    const fx = await station();
    setSku(fx, 'sku-2', 'low_stock_threshold = 5');
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 30 }));
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 30 }));
    let now = NOW;
    const round = () => evaluateAlertsRound(fx.db, fx.events, now);
    expect(round()).toMatchObject({ evaluated: 2, full: true });
    expect(kinds(fx)).toEqual([]);
    expect(markedForAlerts(fx.db)).toEqual([]);
    // A movement marks its SKU (with the push round's mark, not instead of it): only it is evaluated.
    now += 5 * 60_000;
    ok(await fx.call('stock.adjust', { sku: 'SOCK-01', warehouse: 'WH1', delta: -29, reason: '盘亏' }));
    expect(markedForAlerts(fx.db)).toEqual(['sku-2']);
    // The push round's marks are its own: the evaluation cleared none of them.
    expect(fx.db.$client.prepare('SELECT sku_id AS id FROM stock_dirty ORDER BY sku_id').all()).toEqual([{ id: 'sku-1' }, { id: 'sku-2' }]);
    expect(round()).toEqual({ evaluated: 1, raised: 1, cleared: 0, full: false });
    expect(kinds(fx)).toEqual(['low:sku-2']);
    expect(markedForAlerts(fx.db)).toEqual([]);
    expect(fx.db.$client.prepare('SELECT count(*) AS n FROM stock_dirty').get()).toEqual({ n: 2 });
    // Editing what alerts judge by (the threshold, the lead time) marks the SKU too.
    now += 5 * 60_000;
    ok(await fx.call('skus.update', { code: 'NZ-2301-BK-M', patch: { lowStockThreshold: 40 } }));
    expect(markedForAlerts(fx.db)).toEqual(['sku-1']);
    expect(round()).toEqual({ evaluated: 1, raised: 1, cleared: 0, full: false });
    expect(kinds(fx)).toEqual(['low:sku-1', 'low:sku-2']);
    ok(await fx.call('skus.update', { code: 'NZ-2301-BK-M', patch: { lowStockThreshold: 0, leadTimeDays: 3 } }));
    expect(round()).toMatchObject({ evaluated: 1, cleared: 1 });
    // Sales of a week ago, nothing marked since: 7 a day over 7 days gives 4.3 days of cover, more
    // than the 3 days of lead time. As days pass the sales leave the week and the 30-day rate (1.6
    // a day) decides; a sale inside the window making cover short is found only by the sweep.
    sold(fx, 49, 6 * 24);
    writeTx(fx.db, (tx) => tx.$client.prepare('DELETE FROM stock_alert_dirty').run());
    setSku(fx, 'sku-1', 'lead_time_days = 20');
    now += 5 * 60_000;
    expect(round()).toEqual({ evaluated: 0, raised: 0, cleared: 0, full: false });
    expect(kinds(fx)).toEqual(['low:sku-2']);
    now = NOW + ALERTS_FULL_EVERY_MS;
    expect(round()).toMatchObject({ evaluated: 2, raised: 1, full: true });
    expect(kinds(fx)).toEqual(['low:sku-1', 'low:sku-2']);
    expect(JSON.parse(openAlerts(fx)[0]!.details)).toMatchObject({ lowBy: ['cover'] });
  });
});

describe('the alert list, counts, mutes and notifications', () => {
  async function twoLow(): Promise<Fixture> {
    const fx = await station();
    setSku(fx, 'sku-1', 'low_stock_threshold = 5');
    setSku(fx, 'sku-2', 'low_stock_threshold = 5');
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 1 }));
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 2 }));
    ok(await fx.call('alerts.evaluate', {}));
    return fx;
  }

  it('lists open alerts with the SKU, its figures now and whether it is muted; counts per kind', async () => {
    const fx = await twoLow();
    const list = ok<{ rows: AlertView[]; total: number }>(await fx.call('alerts.list', {}));
    expect(list.total).toBe(2);
    expect(list.rows.map((r) => [r.kind, r.sku, r.title, r.available, r.muted])).toEqual(
      expect.arrayContaining([
        ['low', 'NZ-2301-BK-M', '女装纯棉T恤', 1, false],
        ['low', 'SOCK-01', '棉袜', 2, false],
      ]),
    );
    expect(ok<AlertCounts>(await fx.call('alerts.counts', {}))).toEqual({ low: 2, out: 0, oversold: 0, push_failed: 0, total: 2 });
    expect(ok<{ total: number }>(await fx.call('alerts.list', { kind: 'out' })).total).toBe(0);
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 20 }));
    ok(await fx.call('alerts.evaluate', {}));
    expect(ok<AlertCounts>(await fx.call('alerts.counts', {})).total).toBe(1);
    const withCleared = ok<{ rows: AlertView[] }>(await fx.call('alerts.list', { includeCleared: true }));
    // Open first, then the cleared one.
    expect(withCleared.rows.map((r) => [r.sku, r.clearedAt === null])).toEqual([
      ['NZ-2301-BK-M', true],
      ['SOCK-01', false],
    ]);
  });

  it('each alert is claimed once; a muted SKU is listed but never notified, and unmuting brings no old alerts', async () => {
    const fx = await station();
    setSku(fx, 'sku-1', 'low_stock_threshold = 5');
    setSku(fx, 'sku-2', 'low_stock_threshold = 5');
    ok(await fx.call('alerts.mute', { sku: 'SOCK-01' }));
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 1 }));
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 2 }));
    ok(await fx.call('alerts.evaluate', {}));
    const first = ok<AlertClaim>(await fx.call('alerts.claimNotifications', {}));
    expect(first.total).toBe(1);
    expect(first.notices.map((n) => [n.kind, n.sku, n.title])).toEqual([['low', 'NZ-2301-BK-M', '女装纯棉T恤']]);
    expect(first.show).toEqual([{ title: '库存偏低 · NZ-2301-BK-M', body: '女装纯棉T恤 — 可用 1，不高于预警库存 5', alertId: first.notices[0]!.id }]);
    // A second face asking right after gets nothing: the first one shows it.
    expect(ok<AlertClaim>(await fx.call('alerts.claimNotifications', {}))).toEqual({ notices: [], total: 0, show: [] });
    const list = ok<{ rows: AlertView[] }>(await fx.call('alerts.list', {}));
    expect(list.rows.find((r) => r.sku === 'SOCK-01')).toMatchObject({ muted: true });
    expect(list.rows.every((r) => r.notifiedAt !== null)).toBe(true);
    ok(await fx.call('alerts.unmute', { sku: 'SOCK-01' }));
    expect(ok<AlertClaim>(await fx.call('alerts.claimNotifications', {})).total).toBe(0);
    // A new alert of the unmuted SKU is shown again.
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 50 }));
    ok(await fx.call('alerts.evaluate', {}));
    ok(await fx.call('stock.adjust', { sku: 'SOCK-01', warehouse: 'WH1', delta: -50, reason: '退货给供应商' }));
    ok(await fx.call('alerts.evaluate', {}));
    expect(ok<AlertClaim>(await fx.call('alerts.claimNotifications', {})).notices.map((n) => n.sku)).toEqual(['SOCK-01']);
  });

  it('claiming with nothing new writes nothing (faces ask on every change)', async () => {
    const fx = await twoLow();
    ok(await fx.call('alerts.claimNotifications', {}));
    const ops = () => (fx.db.$client.prepare('SELECT count(*) AS n FROM ops').get() as { n: number }).n;
    const before = ops();
    ok(await fx.call('alerts.claimNotifications', {}));
    expect(ops()).toBe(before);
  });

  it('many new alerts at once: a few notices and the total, for one summary notification', async () => {
    const fx = await station();
    const c = fx.db.$client;
    const wh = whId(fx, 'WH1');
    for (let i = 0; i < 6; i += 1) {
      c.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen, low_stock_threshold) VALUES (?, 'p2', ?, '均码', 500, 5)").run(`k${i}`, `K-${i}`);
      c.prepare("INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES (?, ?, ?, 1, 'receive', 't', 1, 'op')").run(`m${i}`, `k${i}`, wh);
    }
    ok(await fx.call('alerts.evaluate', {}));
    const claim = ok<AlertClaim>(await fx.call('alerts.claimNotifications', {}));
    expect(claim.total).toBe(6);
    expect(claim.notices).toHaveLength(3);
    expect(ok<AlertClaim>(await fx.call('alerts.claimNotifications', { lang: 'en' })).total).toBe(0);
    expect(claim.show).toEqual([{ title: '6 条新的库存预警', body: 'K-0、K-1、K-2 等，请在 库存 › 预警 查看', alertId: null }]);
  });

  it('the open list walks the raised-time index newest first instead of sorting every open alert', async () => {
    const fx = await station();
    // With statistics too: a planner that has them must still not sort every open alert.
    fx.db.$client.exec('ANALYZE');
    const plan = (sql: string) =>
      (fx.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ kind: null, limit: 200, offset: 0, shops: null }) as { detail: string }[]).map((r) => r.detail).join('\n');
    const open = plan(alertListSql({ includeCleared: false }).rows);
    expect(open).toContain('SCAN a USING INDEX stock_alerts_raised_idx');
    expect(open).not.toContain('TEMP B-TREE');
  });

  it('muting names a SKU by its code; an unknown code is refused', async () => {
    const fx = await station();
    const r = await fx.call('alerts.mute', { sku: 'NOPE' });
    expect(r.ok ? 'ok' : r.error.code).toBe('NOT_FOUND');
  });
});
