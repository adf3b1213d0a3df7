// Ledger and reservations under random sequences of receives, adjustments, new paid orders, local
// and platform shipments, cancels, refund requests and local closes — some crashing inside their
// transaction, some retried. After every step: on hand = Σ movements = the model; no order line's
// component is held twice; an order's state agrees with what it holds; Σ held ≤ on hand wherever
// the commands left room; and the 缺货 queue is served first-paid first (a short order that would
// fit has an earlier-paid short order of the same SKU still waiting before it).
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder, PlatformOrderItem } from '../../shared/model.ts';
import { heldSums, heldTotals } from '../../testkit/held-totals.ts';
import { lineItem } from '../../testkit/ingest-fixtures.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';

const SKUS = [
  { id: 'sku-1', code: 'NZ-2301-BK-M' },
  { id: 'sku-2', code: 'SOCK-01' },
] as const;
const WH = 'WH-A';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

type Step =
  | { kind: 'receive'; sku: number; quantity: number }
  | { kind: 'adjust'; sku: number; delta: number }
  | { kind: 'order'; tee: number; sock: number }
  | { kind: 'ship' | 'platformShip' | 'cancel' | 'refund' | 'close'; pick: number };
/** retry: after a crash of this step, run it again. */
type Retried = Step & { retry: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('receive' as const), sku: fc.integer({ min: 0, max: 1 }), quantity: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('adjust' as const), sku: fc.integer({ min: 0, max: 1 }), delta: fc.integer({ min: -4, max: 4 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('order' as const), tee: fc.integer({ min: 1, max: 3 }), sock: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constantFrom('ship' as const, 'platformShip' as const, 'cancel' as const, 'refund' as const, 'close' as const), pick: fc.nat() }),
);
const steps = fc.array(fc.tuple(step, fc.boolean()).map(([s, retry]) => ({ ...s, retry }) as Retried), { minLength: 5, maxLength: 25 });

const one = (fx: Fixture, sql: string, ...p: unknown[]) => fx.db.$client.prepare(sql).pluck().get(...p) as number;

describe('reservations under random commands, crashes and retries', () => {
  it('keep the ledger, the holds and the 缺货 queue consistent', async () => {
    await fc.assert(
      fc.asyncProperty(steps, fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }), async (plan, crashes) => {
        // crashes[i]: step i throws inside its transaction first.
        f?.close();
        const fx = (f = openFixture());
        const call = async (name: string, input: unknown) => fx.call(name, input);
        const r0 = await call('warehouses.add', { code: WH, name: '杭州仓' });
        expect(r0.ok).toBe(true);
        const model = new Map<string, number>(SKUS.map((s) => [s.id, 0]));
        const orders: { n: number; order: PlatformOrder; id: string }[] = [];
        let version = 0;

        const snapshot = () =>
          fx.db.$client
            .prepare(
              `SELECT (SELECT count(*) FROM stock_movements) || '/' || (SELECT count(*) FROM stock_reservations) || '/' ||
                      (SELECT group_concat(state, ',') FROM stock_reservations) || '/' || (SELECT group_concat(coalesce(stock_state, '-'), ',') FROM orders)`,
            )
            .pluck()
            .get() as string;

        const run = async (s: Step): Promise<boolean> => {
          switch (s.kind) {
            case 'receive': {
              const r = await call('stock.receive', { sku: SKUS[s.sku]!.code, warehouse: WH, quantity: s.quantity });
              if (r.ok) model.set(SKUS[s.sku]!.id, model.get(SKUS[s.sku]!.id)! + s.quantity);
              return r.ok;
            }
            case 'adjust': {
              const r = await call('stock.adjust', { sku: SKUS[s.sku]!.code, warehouse: WH, delta: s.delta, reason: '调整' });
              if (r.ok) model.set(SKUS[s.sku]!.id, model.get(SKUS[s.sku]!.id)! + s.delta);
              return r.ok;
            }
            case 'order': {
              const n = orders.length + 1;
              const items: PlatformOrderItem[] = [lineItem(n, { quantity: s.tee })];
              if (s.sock > 0) items.push(lineItem(n, { platformItemId: `S${n}`, platformSkuId: 'S2', outerSkuCode: 'SOCK-01', quantity: s.sock }));
              const order = platformOrder(n, { items });
              const [id] = fx.addOrders([order]);
              orders.push({ n, order, id: id! });
              return true;
            }
            default: {
              if (orders.length === 0) return false;
              const o = orders[s.pick % orders.length]!;
              const shipHeld = () =>
                fx.db.$client.prepare("SELECT sku_id AS sku, quantity AS q FROM stock_reservations WHERE order_id = ? AND state = 'held'").all(o.id) as { sku: string; q: number }[];
              if (s.kind === 'ship') {
                const held = shipHeld();
                const r = await call('orders.ship', { items: [{ id: o.id, carrierCode: 'SF', waybillNo: `SF${String(o.n).padStart(10, '0')}` }] });
                if (r.ok && (r.value as { changed: number }).changed === 1) for (const h of held) model.set(h.sku, model.get(h.sku)! - h.q);
                return r.ok;
              }
              if (s.kind === 'close') return (await call('orders.close', { ids: [o.id], reason: '重复订单' })).ok;
              const held = shipHeld();
              version += 1;
              const change: Partial<PlatformOrder> =
                s.kind === 'platformShip' ? { status: 'shipped' } : s.kind === 'cancel' ? { status: 'closed' } : { afterSale: 'requested' };
              const next = { ...o.order, ...change, platformUpdatedAt: T0 + 1e9 + version };
              const shippedBefore = one(fx, "SELECT count(*) FROM stock_reservations WHERE order_id = ? AND state = 'shipped'", o.id);
              fx.addOrders([next]);
              o.order = next;
              const shippedNow = one(fx, "SELECT count(*) FROM stock_reservations WHERE order_id = ? AND state = 'shipped'", o.id);
              if (shippedNow > shippedBefore) for (const h of held) model.set(h.sku, model.get(h.sku)! - h.q);
              return true;
            }
          }
        };

        for (const [i, s] of plan.entries()) {
          if (crashes[i]) {
            const before = snapshot();
            const modelBefore = new Map(model);
            const ordersBefore = orders.length;
            fx.db.$client.exec(`CREATE TEMP TRIGGER crash_now BEFORE INSERT ON main.ops BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
            try {
              await run(s).catch(() => false);
            } catch {
              // an ingest crash throws out of addOrders
            } finally {
              fx.db.$client.exec('DROP TRIGGER crash_now');
            }
            // Nothing of the crashed step is left: not a movement, a hold, a state.
            expect(snapshot()).toBe(before);
            model.clear();
            for (const [k, v] of modelBefore) model.set(k, v);
            orders.length = ordersBefore;
            if (!s.retry) continue;
          }
          await run(s);

          for (const sku of SKUS) {
            const onHand = one(fx, 'SELECT coalesce(sum(delta), 0) FROM stock_movements WHERE sku_id = ?', sku.id);
            expect(onHand).toBe(model.get(sku.id));
            const held = one(fx, "SELECT coalesce(sum(quantity), 0) FROM stock_reservations WHERE sku_id = ? AND state = 'held'", sku.id);
            // Holds are only ever made from available units; only an adjustment down afterwards can undercut them.
            if (held > onHand) expect(plan.slice(0, i + 1).some((p) => p.kind === 'adjust' && p.delta < 0)).toBe(true);
          }
          expect(one(fx, "SELECT count(*) FROM (SELECT 1 FROM stock_reservations WHERE state = 'held' GROUP BY order_id, line_no, sku_id HAVING count(*) > 1)")).toBe(0);
          // The held totals every figure reads (kept by triggers) are the held rows' sums, after every step and crash.
          expect(heldTotals(fx.db)).toEqual(heldSums(fx.db));
          // The state says what is held: reserved ⇔ held rows; short and null hold nothing.
          expect(
            one(
              fx,
              `SELECT count(*) FROM orders o WHERE (o.stock_state = 'reserved') <> EXISTS (SELECT 1 FROM stock_reservations r WHERE r.order_id = o.id AND r.state = 'held')`,
            ),
          ).toBe(0);
          // First paid, first served: a short order that would fit now waits only behind an earlier short order of its SKUs.
          const avail = new Map<string, number>(SKUS.map((s) => [s.id, one(fx, 'SELECT coalesce(sum(delta), 0) FROM stock_movements WHERE sku_id = ?', s.id) - one(fx, "SELECT coalesce(sum(quantity), 0) FROM stock_reservations WHERE sku_id = ? AND state = 'held'", s.id)]));
          const short = fx.db.$client.prepare("SELECT id FROM orders WHERE stock_state = 'short' ORDER BY paid_at, seq").pluck().all() as string[];
          const needOf = (id: string) =>
            fx.db.$client.prepare('SELECT sku_id AS sku, sum(quantity) AS q FROM order_items WHERE order_id = ? AND sku_id IS NOT NULL GROUP BY sku_id').all(id) as { sku: string; q: number }[];
          const waiting = new Set<string>();
          for (const id of short) {
            const need = needOf(id);
            const fits = need.every((n) => avail.get(n.sku)! >= n.q);
            if (fits) expect(need.some((n) => waiting.has(n.sku))).toBe(true);
            for (const n of need) if (avail.get(n.sku)! < n.q) waiting.add(n.sku);
          }
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
