// The push round on a station joined to a team hub: platforms are told only stock the hub has
// confirmed — a receipt whose op still waits for the hub's answer (or was refused) is left out; a
// sale made here counts at once; once the hub acknowledges the receipt it is told. Without a hub
// every committed movement counts, as before.
import { afterEach, describe, expect, it } from 'vitest';
import { writeTx } from '../db/access.ts';
import { addShop, addSku, mapSku, openPushStation, pushRows, WAREHOUSE, type PushStation } from '../../testkit/stock-push-fixtures.ts';
import { runPushRound } from './push-round.ts';

let st: PushStation | null = null;
afterEach(() => {
  st?.close();
  st = null;
});

const NOW = 1_800_000_000_000;
let n = 0;

function movedByOp(s: PushStation, delta: number, hubState: 'pending' | 'acked' | 'refused'): string {
  const op = `op-${++n}`;
  s.db.$client.prepare(`INSERT INTO ops (id, at, hlc, actor, name, args, hub_state) VALUES (?, ?, ?, 'boss', 'stock.receive', '{}', ?)`).run(op, NOW, `h${n}`, hubState);
  s.db.$client
    .prepare("INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES (?, 'A', ?, ?, 'adjust', 'boss', ?, ?)")
    .run(`mv-${n}`, WAREHOUSE, delta, NOW, op);
  return op;
}
const joinHub = (s: PushStation) =>
  s.db.$client.prepare(`INSERT INTO meta (key, value) VALUES ('hub.settings', ?)`).run(JSON.stringify({ url: 'http://127.0.0.1:1', stationId: 's1' }));
const told = (s: PushStation, collect: boolean) => {
  writeTx(s.db, (tx) => runPushRound(tx, { now: NOW, collect, full: true }));
  const rows = pushRows(s.db).filter((r) => r.state === 'pending');
  return rows[rows.length - 1]?.quantity;
};

describe.each([true, false])('push round with a hub (collecting figures: %s)', (collect) => {
  it('without a hub an unsent receipt counts; with one it waits for the hub, and a local sale counts at once', () => {
    const s = (st = openPushStation());
    addShop(s.db, 'pdd-1', 'pdd');
    addSku(s.db, 'A', 30);
    mapSku(s.db, 'pdd-1', '1001', '11', 'A', 0);
    const receipt = movedByOp(s, 10, 'pending');
    expect(told(s, collect)).toBe(40);

    joinHub(s);
    movedByOp(s, 1, 'refused');
    expect(told(s, collect)).toBe(30);
    movedByOp(s, -4, 'pending');
    expect(told(s, collect)).toBe(26);
    s.db.$client.prepare(`UPDATE ops SET hub_state = 'acked' WHERE id = ?`).run(receipt);
    expect(told(s, collect)).toBe(36);
  });
});
