// Shop scope, method by method. The first test walks every method the core registers and fails when
// one is in neither list of SCOPE (team-wide on purpose, or narrowed), so a new method must be
// decided there. The others sign a person scoped to shop-1 in at a station that also holds shop-2
// (real SQLite, the core's own entry, dispatchAsStation) and check what each narrowed method answers
// and refuses.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { methods } from '../shared/contract.ts';
import { openFixture, platformOrder, type Fixture } from '../testkit/api-fixtures.ts';
import { createHandlers } from './api/handlers.ts';
import { SIGNED_IN_KEY } from './hub/identity-local.ts';
import { ingestOrders } from './orders/ingest.ts';
import { SCOPE } from './scope.ts';
import { dispatchAsStation } from './session.ts';
import { createStationClock } from './station/clock.ts';

/** The top-level keys a method's input may carry (through defaults, unions and refinements). */
function inputKeys(t: z.ZodType): string[] {
  let s = t as unknown as { _def: Record<string, unknown>; shape?: Record<string, unknown> };
  for (let i = 0; i < 8; i++) {
    const inner = (s._def.innerType ?? s._def.schema ?? s._def.in) as typeof s | undefined;
    if (!inner) break;
    s = inner;
  }
  if (s.shape) return Object.keys(s.shape);
  const options = s._def.options as z.ZodType[] | undefined;
  return options ? options.flatMap(inputKeys) : [];
}
const NAMING = ['ids', 'id', 'orderId', 'items', 'shopId', 'shopIds', 'rows'];

describe('the scope table', () => {
  it('holds every registered method, each team-wide with a reason or narrowed with how', () => {
    const f = openFixture();
    try {
      const registered = new Set([...Object.keys(methods), ...Object.keys(f.handlers)]);
      const missing = [...registered].filter((m) => !(m in SCOPE));
      expect(missing, 'methods in neither list of SCOPE (electron/core/scope.ts)').toEqual([]);
      expect(Object.keys(SCOPE).filter((m) => !registered.has(m)), 'SCOPE names methods nobody registers').toEqual([]);
      for (const [name, rule] of Object.entries(SCOPE)) {
        if ('team' in rule) expect(rule.team.length, name).toBeGreaterThan(10);
        else expect(rule.narrowed.length, name).toBeGreaterThan(5);
        // "named" relies on the generic checks alone: its input must name orders or shops.
        if ('by' in rule && rule.by === 'named') expect(inputKeys(methods[name as keyof typeof methods].input).filter((k) => NAMING.includes(k)), name).not.toEqual([]);
      }
    } finally {
      f.close();
    }
  });
});

describe('a person scoped to one shop, at a station holding two', () => {
  let f: Fixture;
  let call: (name: string, input: unknown) => Promise<any>;
  let other: string;
  let mine: string;

  beforeEach(() => {
    f = openFixture(2);
    const c = f.db.$client;
    c.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-2', '另一家店', 'taobao', 'active', 0)").run();
    ingestOrders(f.db, { shopId: 'shop-2', platform: 'taobao', orders: [{ order: platformOrder(90), raw: {} }] }, Date.now());
    other = c.prepare(`SELECT id FROM orders WHERE shop_id = 'shop-2'`).pluck().get() as string;
    mine = f.idOf(1);
    const shopState = (shopId: string) => ({ shopId, shopName: shopId, platform: 'taobao', state: 'active', lastSuccessAt: null, lastError: null, syncing: false });
    const scheduler = { status: () => [shopState('shop-1'), shopState('shop-2')], syncNow: (shopId?: string) => (shopId ? [shopId] : ['shop-1', 'shop-2']) };
    const handlers = createHandlers({ db: f.db, events: f.events, clock: createStationClock(f.db, Date.now), now: Date.now, scheduler } as never);
    // Joined to a hub and signed in as 小李, scoped to shop-1 (what a sign-in leaves in meta).
    const meta = c.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    meta.run('hub.settings', JSON.stringify({ url: 'http://127.0.0.1:9', stationId: 'st_1' }));
    meta.run(SIGNED_IN_KEY, JSON.stringify({ id: 'user_li', name: '小李', role: 'operator', shops: ['shop-1'], at: 0 }));
    c.prepare("INSERT INTO users (id, name, role, created_at) VALUES ('user_li', '小李', 'operator', 0)").run();
    call = (name, input) => dispatchAsStation(handlers, f.db, name, input, undefined, f.owner);
  });
  afterEach(() => f.close());

  const refused = (reason: string) => ({ ok: false, error: { code: 'FORBIDDEN', reason } });

  it('sync: status, a round without a shop, the run log, quarantine and push-backs are their shop’s; retrying another shop’s is refused', async () => {
    const c = f.db.$client;
    expect((await call('sync.status', {})).value.map((s: any) => s.shopId)).toEqual(['shop-1']);
    expect((await call('sync.now', {})).value).toEqual({ started: ['shop-1'] });
    expect(await call('sync.now', { shopId: 'shop-2' })).toMatchObject(refused('shop.out_of_scope'));
    const run = c.prepare("INSERT INTO sync_runs (id, shop_id, trigger, started_at) VALUES (?, ?, 'manual', ?)");
    run.run('run-1', 'shop-1', 100);
    run.run('run-2', 'shop-2', 200);
    run.run('run-3', 'shop-1', 300);
    expect((await call('sync.log', {})).value.map((r: any) => r.id)).toEqual(['run-3', 'run-1']);
    expect((await call('sync.log', { limit: 1 })).value.map((r: any) => r.id)).toEqual(['run-3']);
    const q = c.prepare("INSERT INTO quarantine (id, shop_id, platform, reason, payload, received_at) VALUES (?, ?, 'taobao', 'bad', '{}', ?)");
    q.run('q-1', 'shop-1', 1);
    q.run('q-2', 'shop-2', 2);
    expect((await call('quarantine.list', {})).value.map((r: any) => r.id)).toEqual(['q-1']);
    expect(await call('quarantine.retry', { ids: ['q-1', 'q-2'] })).toMatchObject({ ...refused('shop.out_of_scope'), error: { details: { shopIds: ['shop-2'] } } });
    expect(c.prepare("SELECT resolved_at FROM quarantine WHERE id = 'q-2'").pluck().get()).toBeNull();
    const push = c.prepare("INSERT INTO pushes (id, op_id, order_id, shop_id, kind, payload, state, next_at, created_at) VALUES (?, 'op', ?, ?, 'memo', '{\"memo\":null,\"flag\":0}', 'failed', 0, ?)");
    push.run('push-1', mine, 'shop-1', 1);
    push.run('push-2', other, 'shop-2', 2);
    expect((await call('pushes.list', {})).value.map((r: any) => r.id)).toEqual(['push-1']);
    expect(await call('pushes.retry', { ids: ['push-2'] })).toMatchObject(refused('shop.out_of_scope'));
    expect(c.prepare("SELECT state FROM pushes WHERE id = 'push-2'").pluck().get()).toBe('failed');
    expect(await call('sync.rewind', { shopIds: ['shop-2'], sinceMs: 0 })).toMatchObject(refused('shop.out_of_scope'));
  });

  it("stock per SKU stays whole, but a SKU's reservations, the short queue and shop alerts are their shop's", async () => {
    const c = f.db.$client;
    c.prepare("INSERT INTO warehouses (id, code, name, created_at) VALUES ('wh-1', 'WH', '主仓', 0)").run();
    const res = c.prepare("INSERT INTO stock_reservations (id, order_id, line_no, sku_id, warehouse_id, quantity, created_at) VALUES (?, ?, 1, 'sku-2', 'wh-1', 1, ?)");
    res.run('r-mine', mine, 1);
    res.run('r-other', other, 2);
    expect((await call('stock.reservations', { sku: 'SOCK-01' })).value.map((r: any) => r.id)).toEqual(['r-mine']);
    expect((await call('stock.reservations', { sku: 'SOCK-01', limit: 1 })).value.map((r: any) => r.id)).toEqual(['r-mine']);
    c.prepare("UPDATE orders SET stock_state = 'short'").run();
    const short = (await call('stock.short', { limit: 1 })).value;
    expect(short.map((r: any) => r.shopId)).toEqual(['shop-1']);
    expect((await call('stock.short', {})).value.every((r: any) => r.shopId === 'shop-1')).toBe(true);
    const alert = c.prepare("INSERT INTO stock_alerts (id, kind, sku_id, shop_id, raised_at) VALUES (?, ?, 'sku-2', ?, ?)");
    alert.run('a-sku', 'low', '', 1);
    alert.run('a-mine', 'push_failed', 'shop-1', 2);
    alert.run('a-other', 'push_failed', 'shop-2', 3);
    const alerts = (await call('alerts.list', {})).value;
    expect(alerts.rows.map((r: any) => r.id)).toEqual(['a-mine', 'a-sku']);
    expect(alerts.total).toBe(2);
    expect((await call('alerts.counts', {})).value).toMatchObject({ low: 1, push_failed: 1, total: 2 });
    expect((await call('alerts.claimNotifications', {})).value.total).toBe(2);
    expect(c.prepare("SELECT notified_at FROM stock_alerts WHERE id = 'a-other'").pluck().get()).toBeNull();
  });

  it('a mapping file naming another shop is refused whole, dry run or not; their own shop imports', async () => {
    const file = (csv: string) => ({ fileName: 'm.csv', base64: Buffer.from(csv).toString('base64') });
    const csv = '店铺,平台商品ID,平台SKU ID,商家编码\r\n杭州女装旗舰店,100,S-1,SOCK-01\r\n另一家店,200,S-2,SOCK-01\r\n';
    expect(await call('mapping.import', { ...file(csv), dryRun: true })).toMatchObject({ ...refused('shop.out_of_scope'), error: { details: { shopIds: ['shop-2'] } } });
    expect(await call('mapping.import', file(csv))).toMatchObject(refused('shop.out_of_scope'));
    expect(f.db.$client.prepare('SELECT count(*) FROM sku_mappings').pluck().get()).toBe(0);
    expect(await call('mapping.import', file('店铺,平台商品ID,平台SKU ID,商家编码\r\nshop-1,100,S-1,SOCK-01\r\n'))).toMatchObject({ ok: true });
  });

  it('change requests, tasks, mentions and order references reach only their shop’s orders', async () => {
    const c = f.db.$client;
    const cr = c.prepare("INSERT INTO change_requests (id, order_id, kind, payload, reason, requested_by, requested_at) VALUES (?, ?, 'memo', '{}', 'why', 'x', ?)");
    cr.run('cr-mine', mine, 1);
    cr.run('cr-other', other, 2);
    expect((await call('changeRequests.list', {})).value.map((r: any) => r.id)).toEqual(['cr-mine']);
    expect(await call('changeRequests.decide', { id: 'cr-other', approve: false })).toMatchObject(refused('order.out_of_scope'));
    const task = c.prepare("INSERT INTO tasks (id, order_id, title, assignee_id, created_by, created_at, updated_at) VALUES (?, ?, 't', 'user_li', 'boss', ?, ?)");
    task.run('t-mine', mine, 1, 1);
    task.run('t-other', other, 2, 2);
    task.run('t-none', null, 3, 3);
    expect((await call('tasks.list', {})).value).toMatchObject({ total: 2, rows: [{ id: 't-none' }, { id: 't-mine' }] });
    expect((await call('tasks.counts', {})).value).toMatchObject({ open: 2 });
    expect(await call('tasks.update', { id: 't-other', state: 'done' })).toMatchObject(refused('order.out_of_scope'));
    const note = c.prepare("INSERT INTO order_notes (id, order_id, author, body, created_at, mentions) VALUES (?, ?, 'boss', '@小李', ?, '[\"user_li\"]')");
    note.run('n-mine', mine, 1);
    note.run('n-other', other, 2);
    expect((await call('tasks.mentions', {})).value).toMatchObject({ total: 1, rows: [{ noteId: 'n-mine' }] });
    const otherNo = c.prepare('SELECT platform_order_id FROM orders WHERE id = ?').pluck().get(other) as string;
    expect((await call('orders.resolveRefs', { refs: [otherNo, other, mine] })).value).toEqual([
      { ref: otherNo, ids: [] },
      { ref: other, ids: [] },
      { ref: mine, ids: [mine] },
    ]);
  });

  it("packages of another shop's orders: scanning, packing, traces and the exceptions list", async () => {
    const c = f.db.$client;
    const pkg = c.prepare("INSERT INTO packages (id, order_id, seq, carrier_code, waybill_no, state, created_at) VALUES (?, ?, 1, 'ZTO', ?, 'printed', 0)");
    pkg.run('pkg-mine', mine, 'ZT001');
    pkg.run('pkg-other', other, 'ZT002');
    expect(await call('packing.scanWaybill', { code: 'ZT002' })).toMatchObject(refused('order.out_of_scope'));
    expect(await call('packing.scanItem', { packageId: 'pkg-other', code: 'x' })).toMatchObject(refused('order.out_of_scope'));
    expect(await call('packing.complete', { packageId: 'pkg-other' })).toMatchObject(refused('order.out_of_scope'));
    expect(await call('tracking.list', { packageId: 'pkg-other' })).toMatchObject(refused('order.out_of_scope'));
    expect(await call('tracking.list', { packageId: 'pkg-mine' })).toMatchObject({ ok: true });
    const csv = '运单号,时间,状态\r\nZT002,2025-01-03 10:00:00,已揽收\r\n';
    const imported = await call('tracking.import', { fileName: 't.csv', base64: Buffer.from(csv).toString('base64'), skipBad: true });
    expect(imported).toMatchObject({ ok: true, value: { imported: 0, errors: [{ problem: 'no_package' }] } });
    expect(c.prepare('SELECT count(*) FROM tracking_events').pluck().get()).toBe(0);
    // Both shipped three days ago and never traced: only theirs is listed and counted.
    c.prepare("UPDATE packages SET state = 'shipped', shipped_at = ?").run(Date.now() - 3 * 86_400_000);
    const exceptions = (await call('tracking.exceptions', {})).value;
    expect(exceptions.rows.map((r: any) => r.packageId)).toEqual(['pkg-mine']);
    expect(exceptions.alertCount + exceptions.warningCount).toBe(1);
  });
});
