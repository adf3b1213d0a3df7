// Reservations ride in the transactions that change orders and stock: ingest reserves a paid order
// and settles a platform shipment or cancel; orders.ship turns held units into ship movements of its
// own op; orders.close releases them to the 缺货 queue; a receive refills the queue — each in the
// command's one transaction, so a command that fails leaves no reservation behind.
import { afterEach, describe, expect, it } from 'vitest';
import type { MovementResult } from '../../shared/contract.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

async function station(stock: { tee: number; sock: number }): Promise<Fixture> {
  const fx = (f = openFixture());
  ok(await fx.call('warehouses.add', { code: 'WH-A', name: '杭州仓', regions: ['浙江'] }));
  if (stock.tee) ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH-A', quantity: stock.tee }));
  if (stock.sock) ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH-A', quantity: stock.sock }));
  return fx;
}
const state = (fx: Fixture, id: string) =>
  fx.db.$client.prepare('SELECT stock_state AS state, stock_short_reason AS reason FROM orders WHERE id = ?').get(id) as { state: string | null; reason: string | null };
const reserved = (fx: Fixture, sku: string) =>
  fx.db.$client.prepare("SELECT coalesce(sum(quantity), 0) FROM stock_reservations WHERE sku_id = ? AND state = 'held'").pluck().get(sku) as number;
const onHand = (fx: Fixture, sku: string) => fx.db.$client.prepare('SELECT coalesce(sum(delta), 0) FROM stock_movements WHERE sku_id = ?').pluck().get(sku) as number;

describe('reservations in the order and stock transactions', () => {
  it('ingest reserves a paid order in the same batch and marks its SKUs for the push round', async () => {
    const fx = await station({ tee: 10, sock: 10 });
    fx.db.$client.exec('DELETE FROM stock_dirty');
    const [a] = fx.addOrders([platformOrder(1)]);
    expect(state(fx, a!)).toEqual({ state: 'reserved', reason: null });
    expect([reserved(fx, 'sku-1'), reserved(fx, 'sku-2')]).toEqual([2, 1]);
    expect(fx.db.$client.prepare('SELECT sku_id FROM stock_dirty ORDER BY sku_id').pluck().all()).toEqual(['sku-1', 'sku-2']);
  });

  it('a platform shipment through ingest writes ship movements under the ingest op', async () => {
    const fx = await station({ tee: 10, sock: 10 });
    const [a] = fx.addOrders([platformOrder(1)]);
    fx.addOrders([platformOrder(1, { status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS', platformUpdatedAt: T0 + 9e6 })]);
    expect(state(fx, a!).state).toBe('shipped');
    expect([onHand(fx, 'sku-1'), reserved(fx, 'sku-1')]).toEqual([8, 0]);
    const ship = fx.db.$client
      .prepare("SELECT m.actor, o.name FROM stock_movements m JOIN ops o ON o.id = m.op_id WHERE m.reason = 'ship' ORDER BY m.sku_id")
      .all();
    expect(ship).toEqual([
      { actor: 'sync', name: 'sync.ingest' },
      { actor: 'sync', name: 'sync.ingest' },
    ]);
  });

  it('orders.ship ships the held units in its own op; orders.close releases to the first waiting order', async () => {
    const fx = await station({ tee: 2, sock: 5 });
    const [a, b] = fx.addOrders([platformOrder(1), platformOrder(2)]);
    expect([state(fx, a!).state, state(fx, b!).state]).toEqual(['reserved', 'short']);
    ok(await fx.call('orders.close', { ids: [a], reason: '重复订单' }));
    expect([state(fx, a!).state, state(fx, b!).state]).toEqual([null, 'reserved']);
    ok(await fx.call('orders.ship', { items: [{ id: b, carrierCode: 'SF', waybillNo: 'SF1234567890' }] }));
    expect(state(fx, b!).state).toBe('shipped');
    const rows = fx.db.$client.prepare("SELECT o.name, m.actor FROM stock_movements m JOIN ops o ON o.id = m.op_id WHERE m.reason = 'ship'").all();
    expect(rows).toEqual([
      { name: 'orders.ship', actor: '店主' },
      { name: 'orders.ship', actor: '店主' },
    ]);
    expect([onHand(fx, 'sku-1'), reserved(fx, 'sku-1'), onHand(fx, 'sku-2')]).toEqual([0, 0, 4]);
  });

  it('an approved quantity change holds the new quantity, or sends the order to 缺货 when it does not fit', async () => {
    const fx = await station({ tee: 5, sock: 5 });
    const [a] = fx.addOrders([platformOrder(1)]);
    const change = async (value: number) => {
      const cr = ok<{ id: string }>(await fx.call('orders.requestChange', { id: a, lineNo: 1, kind: 'quantity', value, reason: '客户加购' }, fx.as('service')));
      ok(await fx.call('changeRequests.decide', { id: cr.id, approve: true }));
    };
    await change(3);
    expect([state(fx, a!).state, reserved(fx, 'sku-1')]).toEqual(['reserved', 3]);
    await change(9);
    expect([state(fx, a!), reserved(fx, 'sku-1'), reserved(fx, 'sku-2')]).toEqual([{ state: 'short', reason: 'insufficient' }, 0, 0]);
  });

  it('a hold keeps the units held', async () => {
    const fx = await station({ tee: 2, sock: 1 });
    const [a] = fx.addOrders([platformOrder(1)]);
    ok(await fx.call('orders.hold', { ids: [a], reason: '等客户确认' }));
    expect(state(fx, a!).state).toBe('reserved');
  });

  it('a receive fills the 缺货 queue in paid-time order in the same command', async () => {
    const fx = await station({ tee: 0, sock: 10 });
    const [a, b] = fx.addOrders([platformOrder(1), platformOrder(2)]);
    expect([state(fx, a!), state(fx, b!)]).toEqual([
      { state: 'short', reason: 'insufficient' },
      { state: 'short', reason: 'insufficient' },
    ]);
    ok<MovementResult>(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH-A', quantity: 3 }));
    expect([state(fx, a!).state, state(fx, b!).state]).toEqual(['reserved', 'short']);
    ok(await fx.call('stock.adjust', { sku: 'NZ-2301-BK-M', warehouse: 'WH-A', delta: 1, reason: '盘盈' }));
    expect(state(fx, b!).state).toBe('reserved');
  });

  it('a receive that crashes after its refill leaves no reservation and the order still short', async () => {
    const fx = await station({ tee: 0, sock: 10 });
    const [a] = fx.addOrders([platformOrder(1)]);
    fx.db.$client.exec(`CREATE TEMP TRIGGER crash_now BEFORE INSERT ON main.ops BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
    const r = await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH-A', quantity: 3 });
    expect(r.ok).toBe(false);
    fx.db.$client.exec('DROP TRIGGER crash_now');
    expect(state(fx, a!)).toEqual({ state: 'short', reason: 'insufficient' });
    expect(reserved(fx, 'sku-1')).toBe(0);
  });
});
