// The read handle and the write transaction as types (tsc checks the @ts-expect-error lines: if a
// writer ever accepted a plain connection, the directive would be unused and the type check would
// fail), writeTx's transaction, and the one ops-log writer that commands and ingest share.
import { describe, expect, it } from 'vitest';
import { HybridClock } from '../api/hlc.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import { EventBus } from '../api/events.ts';
import { refreshOrders } from '../orders/abnormal.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { writeSearchDoc } from '../orders/search.ts';
import { order, setupDb, T0 } from '../../testkit/ingest-fixtures.ts';
import { writeTx, type ReadDb, type WriteTx } from './access.ts';
import { appendOp } from './ops.ts';

describe('ReadDb and WriteTx', () => {
  it('does not let a read handle reach a writer; a write transaction does', () => {
    const db: ReadDb = setupDb();
    const source = { platformOrderId: 'x', buyerNick: 'b', receiver: order(1).receiver, items: [] };
    const typeChecks = () => {
      // @ts-expect-error a writer takes a WriteTx, and a read handle is not one
      refreshOrders(db, []);
      // @ts-expect-error likewise for the search documents
      writeSearchDoc(db, 1, source, false);
      // @ts-expect-error the ops log is written only inside a write transaction
      appendOp(db, { id: 'x', at: 0, clock: new HybridClock('n', () => 0), actor: 'a', name: 'n', args: null });
      writeTx(db, (tx) => refreshOrders(tx, []));
      // A write transaction reads too.
      const read: ReadDb = null as unknown as WriteTx;
      return read;
    };
    expect(typeof typeChecks).toBe('function');
  });

  it('writeTx commits what fn wrote and rolls all of it back when fn throws', () => {
    const db = setupDb();
    const put = (tx: WriteTx, key: string) => tx.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(key, 'v');
    const count = () => db.$client.prepare("SELECT count(*) FROM meta WHERE key LIKE 'test.%'").pluck().get();
    expect(writeTx(db, (tx) => (put(tx, 'test.a'), 'done'))).toBe('done');
    expect(count()).toBe(1);
    expect(() =>
      writeTx(db, (tx) => {
        put(tx, 'test.b');
        throw new Error('midway');
      }),
    ).toThrow('midway');
    expect(count()).toBe(1);
    expect(db.$client.inTransaction).toBe(false);
  });
});

describe('appendOp', () => {
  const ctxOf = (db: ReadDb, clock: HybridClock): CoreContext => ({
    db,
    actor: { userId: 'u-1', name: '小王', role: 'owner' },
    events: new EventBus(),
    clock,
    now: () => T0 + 5_000,
  });

  it('writes commands and ingest batches the same way: one row each, timestamps rising across both', () => {
    const db = setupDb();
    // A clock running behind the stored rows: every op must still sort after the one before it.
    const clock = new HybridClock('station-a', () => T0 - 60_000);
    runCommand(ctxOf(db, clock), 'test.first', { n: 1 }, { tables: [] }, () => null);
    ingestOrders(db, { shopId: 'shop-a', platform: 'taobao', orders: [{ order: order(41), raw: {} }] }, T0 + 6_000, clock);
    runCommand(ctxOf(db, clock), 'test.second', { n: 2 }, { tables: [] }, (scope) => {
      expect(scope.tx.$client.inTransaction).toBe(true);
    });
    const rows = db.$client
      .prepare("SELECT name, actor, args, hlc, push_state AS pushState FROM ops WHERE name IN ('test.first', 'sync.ingest', 'test.second') ORDER BY rowid")
      .all() as { name: string; actor: string; args: string; hlc: string; pushState: string | null }[];
    expect(rows.map((r) => [r.name, r.actor, r.pushState])).toEqual([
      ['test.first', '小王', null],
      ['sync.ingest', 'sync', null],
      ['test.second', '小王', null],
    ]);
    expect(JSON.parse(rows[1]!.args)).toEqual({ shopId: 'shop-a', inserted: 1, updated: 0, cursorMs: null });
    expect(JSON.parse(rows[2]!.args)).toEqual({ n: 2 });
    const hlcs = rows.map((r) => r.hlc);
    expect([...hlcs].sort()).toEqual(hlcs);
    expect(new Set(hlcs).size).toBe(3);
  });

  it('rolls back with the transaction it was appended in', () => {
    const db = setupDb();
    const clock = new HybridClock('station-a', () => T0);
    const before = db.$client.prepare('SELECT count(*) FROM ops').pluck().get();
    expect(() =>
      writeTx(db, (tx) => {
        appendOp(tx, { id: 'op-1', at: T0, clock, actor: 'a', name: 'test.op', args: { a: 1 } });
        throw new Error('after the op');
      }),
    ).toThrow('after the op');
    expect(db.$client.prepare('SELECT count(*) FROM ops').pluck().get()).toBe(before);
  });
});
