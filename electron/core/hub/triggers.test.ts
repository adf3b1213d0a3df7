import { afterEach, describe, expect, it } from 'vitest';
import { HybridClock } from '../api/hlc.ts';
import { writeTx, type WriteTx } from '../db/access.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { appendOp } from '../db/ops.ts';
import { stationWrittenTables, SYNCED_TABLES, type SyncedTable } from '../../shared/hub/tables.ts';
import { CAPTURE_KEY, effectTriggersOf, triggerNames } from './triggers.ts';

const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.$client.close();
});

function open(capture: boolean): Db {
  const db = openDatabase(':memory:');
  dbs.push(db);
  if (capture) db.$client.prepare(`INSERT INTO meta (key, value) VALUES (?, '1')`).run(CAPTURE_KEY);
  return db;
}

interface ColInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: unknown;
  pk: number;
  hidden: number;
}

/** A row any synced table accepts (foreign keys off): every column filled with a value of its type. */
function sampleRow(db: Db, t: SyncedTable, n: number): Record<string, string | number> {
  const cols = db.$client.prepare(`PRAGMA table_xinfo(${t.name})`).all() as ColInfo[];
  const row: Record<string, string | number> = {};
  for (const c of cols) {
    if (c.hidden !== 0 || !t.columns.includes(c.name)) continue;
    row[c.name] = c.type.toLowerCase() === 'integer' ? n : `${c.name}-${n}`;
  }
  return row;
}

function insertRow(tx: WriteTx, table: string, row: Record<string, string | number>): void {
  const cols = Object.keys(row);
  tx.$client.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...Object.values(row));
}

const clock = new HybridClock('station-test', () => 1_700_000_000_000);
const op = (tx: WriteTx, id: string) => appendOp(tx, { id, at: 1, clock, actor: 'tester', name: 'test.op', args: {} });

function effectsOf(db: Db, opId: string | null) {
  return db.$client
    .prepare(`SELECT tbl, key, cols, kind FROM op_effects WHERE op_id IS ? ORDER BY id`)
    .all(opId) as { tbl: string; key: string; cols: string | null; kind: string }[];
}

describe('effect triggers', () => {
  it('every table a station writes for the team has its three triggers, exactly as tables.ts builds them', () => {
    const db = open(false);
    const stored = new Map(
      (db.$client.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hub_fx_%'`).all() as { name: string; sql: string }[]).map(
        (r) => [r.name, `${r.sql};`],
      ),
    );
    const expected = stationWrittenTables().flatMap((t) => {
      const sqls = effectTriggersOf(t);
      return triggerNames(t).map((name, i) => [name, sqls[i]!] as const);
    });
    expect(expected.length).toBe(stationWrittenTables().length * 3);
    for (const [name, sql] of expected) expect(stored.get(name), name).toBe(sql);
    expect(stored.size).toBe(expected.length);
    // The hub-owned tables arrive by pull only.
    for (const t of SYNCED_TABLES.filter((x) => x.rule === 'hub')) expect(stored.has(triggerNames(t)[0]!)).toBe(false);
  });

  it('records an insert, a real change (only the columns that changed) and a delete on every synced table', () => {
    const db = open(true);
    db.$client.pragma('foreign_keys = OFF');
    for (const t of stationWrittenTables()) {
      const row = sampleRow(db, t, 1);
      const keyJson = JSON.stringify(t.key.map((c) => row[c]));
      writeTx(db, (tx) => {
        insertRow(tx, t.name, row);
        op(tx, `${t.name}-insert`);
      });
      expect(effectsOf(db, `${t.name}-insert`), t.name).toEqual([{ tbl: t.name, key: keyJson, cols: null, kind: 'i' }]);
      if (t.name === 'stock_movements') continue; // never edited or deleted (its own triggers refuse)
      const nonKey = t.columns.filter((c) => !t.key.includes(c));
      writeTx(db, (tx) => {
        // Writing a column's own value again is no change; only the second column really changes.
        if (nonKey.length > 0) {
          tx.$client.prepare(`UPDATE ${t.name} SET ${nonKey[0]} = ${nonKey[0]}`).run();
        }
        if (nonKey.length > 1) {
          const c = nonKey[1]!;
          tx.$client.prepare(`UPDATE ${t.name} SET ${c} = ?`).run(typeof row[c] === 'number' ? 2 : 'changed');
        }
        op(tx, `${t.name}-update`);
      });
      const updates = effectsOf(db, `${t.name}-update`);
      if (nonKey.length > 1) expect(updates, t.name).toEqual([{ tbl: t.name, key: keyJson, cols: JSON.stringify([nonKey[1]]), kind: 'u' }]);
      else expect(updates, t.name).toEqual([]);
      writeTx(db, (tx) => {
        tx.$client.prepare(`DELETE FROM ${t.name}`).run();
        op(tx, `${t.name}-delete`);
      });
      expect(effectsOf(db, `${t.name}-delete`), t.name).toEqual([{ tbl: t.name, key: keyJson, cols: null, kind: 'd' }]);
    }
    expect(effectsOf(db, null)).toEqual([]);
  });

  it('an op gets exactly its own transaction’s effects; a rolled-back command leaves none', () => {
    const db = open(true);
    writeTx(db, (tx) => {
      tx.$client.prepare(`INSERT INTO tags (id, name) VALUES ('t1', 'gift')`).run();
      op(tx, 'op-1');
    });
    expect(() =>
      writeTx(db, (tx) => {
        tx.$client.prepare(`INSERT INTO tags (id, name) VALUES ('t2', 'urgent')`).run();
        op(tx, 'op-rolled-back');
        throw new Error('the command failed');
      }),
    ).toThrow('the command failed');
    writeTx(db, (tx) => {
      tx.$client.prepare(`UPDATE tags SET color = '#000' WHERE id = 't1'`).run();
      tx.$client.prepare(`INSERT INTO tags (id, name) VALUES ('t3', 'vip')`).run();
      op(tx, 'op-2');
    });
    expect(effectsOf(db, 'op-1').map((e) => e.key)).toEqual(['["t1"]']);
    expect(effectsOf(db, 'op-rolled-back')).toEqual([]);
    expect(effectsOf(db, 'op-2')).toEqual([
      { tbl: 'tags', key: '["t1"]', cols: '["color"]', kind: 'u' },
      { tbl: 'tags', key: '["t3"]', cols: null, kind: 'i' },
    ]);
    const seqs = db.$client.prepare(`SELECT id, seq FROM ops ORDER BY seq`).all();
    expect(seqs).toEqual([
      { id: 'op-1', seq: 1 },
      { id: 'op-2', seq: 2 },
    ]);
  });

  it('records nothing while the station is not joined to a hub, nor for a column that stays home', () => {
    const db = open(false);
    writeTx(db, (tx) => {
      tx.$client.prepare(`INSERT INTO tags (id, name) VALUES ('t1', 'gift')`).run();
      op(tx, 'op-1');
    });
    expect(db.$client.prepare(`SELECT count(*) FROM op_effects`).pluck().get()).toBe(0);
    const joined = open(true);
    joined.$client.pragma('foreign_keys = OFF');
    const orders = stationWrittenTables().find((t) => t.name === 'orders')!;
    writeTx(joined, (tx) => {
      insertRow(tx, 'orders', sampleRow(joined, orders, 1));
      op(tx, 'ingest');
    });
    writeTx(joined, (tx) => {
      tx.$client.prepare(`UPDATE orders SET is_read = 1`).run();
      op(tx, 'read');
    });
    expect(effectsOf(joined, 'read')).toEqual([]);
  });
});
