// The stock ledger through the API on a real SQLite station: on hand is Σ movements after any
// sequence of commands — including commands that crash halfway through their transaction, and
// retries with the same requestId — a transfer moves units without making or losing any, a
// correction reverses a movement exactly once, and the ledger only ever grows.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { MovementResult, MovementView, StockRow } from '../../shared/contract.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';

const SKUS = ['NZ-2301-BK-M', 'SOCK-01'] as const;
const WHS = ['WH-A', 'WH-B', 'WH-C'] as const;

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

async function station(): Promise<Fixture> {
  const fx = openFixture();
  for (const code of WHS) ok(await fx.call('warehouses.add', { code, name: `仓库 ${code}` }));
  return fx;
}

const sumOf = (fx: Fixture, sku: string | undefined, wh: string | undefined): number =>
  (
    fx.db.$client
      .prepare(
        `SELECT coalesce(sum(m.delta), 0) AS n FROM stock_movements m JOIN skus s ON s.id = m.sku_id JOIN warehouses w ON w.id = m.warehouse_id
         WHERE s.outer_sku_code = ? AND w.code = ?`,
      )
      .get(sku, wh) as { n: number }
  ).n;
const count = (fx: Fixture, table: string): number => (fx.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Every command in the next call fails halfway: after its movements are written, before its ops row. */
function crashNextCommand(fx: Fixture, where: 'ops' | 'transfer_in'): () => void {
  const c = fx.db.$client;
  if (where === 'ops') c.exec(`CREATE TEMP TRIGGER crash_now BEFORE INSERT ON main.ops BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
  else c.exec(`CREATE TEMP TRIGGER crash_now BEFORE INSERT ON main.stock_movements WHEN NEW.reason = 'transfer_in' BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
  return () => c.exec('DROP TRIGGER crash_now');
}

type Cmd =
  | { kind: 'receive'; sku: number; wh: number; quantity: number; requestId?: string }
  | { kind: 'count'; sku: number; wh: number; counted: number }
  | { kind: 'adjust'; sku: number; wh: number; delta: number }
  | { kind: 'transfer'; sku: number; from: number; to: number; quantity: number; requestId?: string }
  | { kind: 'correct'; pick: number }
  | { kind: 'crash'; inner: 'receive' | 'transfer'; sku: number; wh: number; quantity: number; retry: boolean };

const sku = fc.integer({ min: 0, max: SKUS.length - 1 });
const wh = fc.integer({ min: 0, max: WHS.length - 1 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant('receive' as const), sku, wh, quantity: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ kind: fc.constant('count' as const), sku, wh, counted: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ kind: fc.constant('adjust' as const), sku, wh, delta: fc.integer({ min: -30, max: 30 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('transfer' as const), sku, from: wh, to: wh, quantity: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('correct' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('crash' as const), inner: fc.constantFrom('receive' as const, 'transfer' as const), sku, wh, quantity: fc.integer({ min: 1, max: 20 }), retry: fc.boolean() }),
);

describe('the ledger under random commands', () => {
  it('on hand = Σ movements = the model after every command, crash and retry; transfers conserve; corrections reverse once', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 30 }), async (cmds) => {
        f?.close();
        const fx = (f = await station());
        run += 1;
        const model = new Map<string, number>();
        const key = (s: number, w: number) => `${SKUS[s]}@${WHS[w]}`;
        const onHand = (s: number, w: number) => model.get(key(s, w)) ?? 0;
        const movements: MovementView[] = [];
        const corrected = new Set<string>();
        let commands = 0;

        for (const [i, c] of cmds.entries()) {
          const opsBefore = count(fx, 'ops');
          const movesBefore = count(fx, 'stock_movements');
          const apply = (r: MovementResult) => {
            for (const m of r.movements) {
              const s = SKUS.indexOf(m.sku as (typeof SKUS)[number]);
              const w = WHS.indexOf(m.warehouse as (typeof WHS)[number]);
              model.set(key(s, w), onHand(s, w) + m.delta);
              movements.push(m);
              if (m.correctsId) corrected.add(m.correctsId);
            }
          };
          if (c.kind === 'receive') {
            apply(ok(await fx.call('stock.receive', { sku: SKUS[c.sku], warehouse: WHS[c.wh], quantity: c.quantity })) as MovementResult);
            commands += 1;
          } else if (c.kind === 'count') {
            const r = ok(await fx.call('stock.count', { sku: SKUS[c.sku], warehouse: WHS[c.wh], counted: c.counted })) as MovementResult;
            apply(r);
            commands += 1;
            expect(onHand(c.sku, c.wh)).toBe(c.counted);
          } else if (c.kind === 'adjust') {
            const r = await fx.call('stock.adjust', { sku: SKUS[c.sku], warehouse: WHS[c.wh], delta: c.delta, reason: '测试调整' });
            if (onHand(c.sku, c.wh) + c.delta < 0) {
              expect(r.ok ? 'ok' : r.error.reason).toBe('stock.insufficient');
            } else {
              apply(ok(r) as MovementResult);
              commands += 1;
            }
          } else if (c.kind === 'transfer') {
            const total = WHS.reduce((n, _, w) => n + sumOf(fx, SKUS[c.sku], WHS[w]), 0);
            const r = await fx.call('stock.transfer', { sku: SKUS[c.sku], from: WHS[c.from], to: WHS[c.to], quantity: c.quantity });
            if (c.from === c.to) expect(r.ok ? 'ok' : r.error.reason).toBe('stock.same_warehouse');
            else if (onHand(c.sku, c.from) < c.quantity) expect(r.ok ? 'ok' : r.error.reason).toBe('stock.insufficient');
            else {
              const v = ok(r) as MovementResult;
              expect(v.movements.map((m) => m.delta)).toEqual([-c.quantity, c.quantity]);
              expect(new Set(v.movements.map((m) => m.opId)).size).toBe(1);
              apply(v);
              commands += 1;
            }
            expect(WHS.reduce((n, _, w) => n + sumOf(fx, SKUS[c.sku], WHS[w]), 0)).toBe(total);
          } else if (c.kind === 'correct') {
            if (movements.length === 0) continue;
            const target = movements[c.pick % movements.length]!;
            const r = await fx.call('stock.correct', { movementId: target.id, reason: '录错了' });
            const group = target.reason.startsWith('transfer_') ? movements.filter((m) => m.opId === target.opId) : [target];
            const s = SKUS.indexOf(target.sku as (typeof SKUS)[number]);
            const short = group.some((m) => onHand(s, WHS.indexOf(m.warehouse as (typeof WHS)[number])) - m.delta < 0);
            if (target.reason === 'correction') expect(r.ok ? 'ok' : r.error.reason).toBe('stock_movement.is_correction');
            else if (group.some((m) => corrected.has(m.id))) expect(r.ok ? 'ok' : r.error.reason).toBe('stock_movement.already_corrected');
            else if (short) expect(r.ok ? 'ok' : r.error.reason).toBe('stock.insufficient');
            else {
              const v = ok(r) as MovementResult;
              expect(v.movements.map((m) => m.correctsId).sort()).toEqual(group.map((m) => m.id).sort());
              expect(v.movements.reduce((n, m) => n + m.delta, 0)).toBe(0 - group.reduce((n, m) => n + m.delta, 0) + 0);
              apply(v);
              commands += 1;
            }
          } else {
            // A command that throws halfway through its transaction leaves nothing; its retry (same requestId) applies once.
            const requestId = `req-${run}-${i}`;
            const other = (c.wh + 1) % WHS.length;
            const input =
              c.inner === 'receive'
                ? { name: 'stock.receive', body: { sku: SKUS[c.sku], warehouse: WHS[c.wh], quantity: c.quantity, requestId } }
                : { name: 'stock.transfer', body: { sku: SKUS[c.sku], from: WHS[c.wh], to: WHS[other], quantity: c.quantity, requestId } };
            const restore = crashNextCommand(fx, c.inner === 'receive' ? 'ops' : 'transfer_in');
            const crashed = await fx.call(input.name, input.body);
            restore();
            expect(crashed.ok).toBe(false);
            expect(count(fx, 'stock_movements')).toBe(movesBefore);
            expect(count(fx, 'ops')).toBe(opsBefore);
            if (c.retry) {
              const first = await fx.call(input.name, input.body);
              const enough = c.inner === 'receive' || onHand(c.sku, c.wh) >= c.quantity;
              if (!enough) expect(first.ok ? 'ok' : first.error.reason).toBe('stock.insufficient');
              else {
                const v = ok(first) as MovementResult;
                expect(v.created).toBe(true);
                apply(v);
                commands += 1;
                // The caller did not hear back and sends it again: the same movements, nothing new.
                const again = ok(await fx.call(input.name, input.body)) as MovementResult;
                expect(again.created).toBe(false);
                expect(again.movements.map((m) => m.id)).toEqual(v.movements.map((m) => m.id));
              }
            }
          }
          // After every command: the model, Σ movements and the stock list agree, for every pair.
          const list = ok(await fx.call('stock.list', { limit: 100 })) as StockRow[];
          expect(list).toHaveLength(SKUS.length * WHS.length);
          for (const row of list) {
            const s = SKUS.indexOf(row.sku as (typeof SKUS)[number]);
            const w = WHS.indexOf(row.warehouse as (typeof WHS)[number]);
            expect(row.onHand, row.sku + '@' + row.warehouse).toBe(onHand(s, w));
            expect(row.onHand).toBe(sumOf(fx, row.sku, row.warehouse));
            expect(row.onHand).toBeGreaterThanOrEqual(0);
          }
          // One ops row per command that went through, none for a refusal or a replay.
          expect(count(fx, 'ops') - 3 /* the fixture's warehouses */).toBe(commands);
        }
        const twice = fx.db.$client.prepare('SELECT count(*) AS n FROM (SELECT corrects_id FROM stock_movements WHERE corrects_id IS NOT NULL GROUP BY corrects_id HAVING count(*) > 1)').get() as { n: number };
        expect(twice.n).toBe(0);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});

describe('ledger commands', () => {
  it('a count records the difference from on hand, and nothing when they agree', async () => {
    const fx = (f = await station());
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH-A', quantity: 12, reference: '采购单 PO-7' }));
    const r = ok(await fx.call('stock.count', { sku: 'SOCK-01', warehouse: 'WH-A', counted: 9 })) as MovementResult;
    expect(r.movements.map((m) => [m.reason, m.delta, m.balance])).toEqual([['count', -3, 9]]);
    const same = ok(await fx.call('stock.count', { sku: 'SOCK-01', warehouse: 'WH-A', counted: 9 })) as MovementResult;
    expect(same.movements).toEqual([]);
  });

  it('a correction reverses once; a correction is not corrected; a transfer is reversed whole', async () => {
    const fx = (f = await station());
    const got = ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH-A', quantity: 10 })) as MovementResult;
    const moved = ok(await fx.call('stock.transfer', { sku: 'SOCK-01', from: 'WH-A', to: 'WH-B', quantity: 4 })) as MovementResult;
    const undo = ok(await fx.call('stock.correct', { movementId: moved.movements[1]!.id, reason: '调错仓' })) as MovementResult;
    expect(undo.movements.map((m) => [m.warehouse, m.delta, m.reason])).toEqual([
      ['WH-A', 4, 'correction'],
      ['WH-B', -4, 'correction'],
    ]);
    const again = await fx.call('stock.correct', { movementId: moved.movements[0]!.id, reason: '再来一次' });
    expect(again.ok ? 'ok' : again.error.reason).toBe('stock_movement.already_corrected');
    const ofCorrection = await fx.call('stock.correct', { movementId: undo.movements[0]!.id, reason: 'x' });
    expect(ofCorrection.ok ? 'ok' : ofCorrection.error.reason).toBe('stock_movement.is_correction');
    ok(await fx.call('stock.correct', { movementId: got.movements[0]!.id, reason: '收错货' }));
    const list = ok(await fx.call('stock.list', { sku: 'SOCK-01' })) as StockRow[];
    expect(list.map((r) => r.onHand)).toEqual([0, 0, 0]);
    const ledger = ok(await fx.call('stock.ledger', { sku: 'SOCK-01' })) as MovementView[];
    expect(ledger).toHaveLength(6);
    expect(ledger.find((m) => m.id === got.movements[0]!.id)!.correctedBy).not.toBeNull();
  });

  it('movements are never edited or deleted, even by hand in SQL', async () => {
    const fx = (f = await station());
    const r = ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH-A', quantity: 3 })) as MovementResult;
    const id = r.movements[0]!.id;
    expect(() => fx.db.$client.prepare('UPDATE stock_movements SET delta = 30 WHERE id = ?').run(id)).toThrow(/never edited/);
    expect(() => fx.db.$client.prepare('DELETE FROM stock_movements WHERE id = ?').run(id)).toThrow(/never deleted/);
  });

  it('a warehouse row: available = its free units; the SKU total less safety once decides low; filters by warehouse and low', async () => {
    const fx = (f = await station());
    ok(await fx.call('skus.update', { code: 'SOCK-01', patch: { safetyStock: 2, lowStockThreshold: 5 } }));
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH-A', quantity: 20 }));
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH-B', quantity: 7 }));
    const rows = ok(await fx.call('stock.list', { sku: 'SOCK-01' })) as StockRow[];
    expect(rows.map((r) => [r.warehouse, r.onHand, r.reserved, r.available, r.low])).toEqual([
      ['WH-A', 20, 0, 20, false],
      ['WH-B', 7, 0, 7, false],
      ['WH-C', 0, 0, 0, false],
    ]);
    // 27 on hand less 2 safety: 25, above the threshold of 5 in every warehouse row.
    expect(rows.map((r) => r.skuAvailable)).toEqual([25, 25, 25]);
    ok(await fx.call('skus.update', { code: 'SOCK-01', patch: { lowStockThreshold: 25 } }));
    const low = ok(await fx.call('stock.list', { warehouse: 'WH-B', low: true })) as StockRow[];
    // The T-shirt has nothing anywhere: 0 available is at its threshold of 0, so it is low too.
    expect(low.map((r) => [r.sku, r.available])).toEqual([
      ['NZ-2301-BK-M', 0],
      ['SOCK-01', 7],
    ]);
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH-B', quantity: 1 }));
    expect((ok(await fx.call('stock.list', { warehouse: 'WH-B', low: true })) as StockRow[]).map((r) => r.sku)).toEqual(['SOCK-01']);
    const unknown = await fx.call('stock.list', { warehouse: 'NOPE' });
    expect(unknown.ok ? 'ok' : unknown.error.reason).toBe('warehouse.not_found');
  });

  it('refusals name their reason and write nothing', async () => {
    const fx = (f = await station());
    const before = count(fx, 'ops');
    const cases: [string, unknown, string][] = [
      ['stock.receive', { sku: 'NOPE', warehouse: 'WH-A', quantity: 1 }, 'sku.not_found'],
      ['stock.receive', { sku: 'SOCK-01', warehouse: 'NOPE', quantity: 1 }, 'warehouse.not_found'],
      ['stock.adjust', { sku: 'SOCK-01', warehouse: 'WH-A', delta: -1, reason: '丢失' }, 'stock.insufficient'],
      ['stock.transfer', { sku: 'SOCK-01', from: 'WH-A', to: 'WH-A', quantity: 1 }, 'stock.same_warehouse'],
      ['stock.correct', { movementId: 'nope', reason: 'x' }, 'stock_movement.not_found'],
      ['warehouses.add', { code: 'WH-A', name: '重复' }, 'warehouse.code_taken'],
      ['skus.add', { code: 'SOCK-01', title: '重复' }, 'sku.code_taken'],
    ];
    for (const [name, input, reason] of cases) {
      const r = await fx.call(name, input);
      expect(r.ok ? 'ok' : r.error.reason, name).toBe(reason);
    }
    expect(count(fx, 'ops')).toBe(before);
    expect(count(fx, 'stock_movements')).toBe(0);
  });
});
