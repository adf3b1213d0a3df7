// The station clock on real SQLite files: one persistent node id, never backwards across a restart
// with the wall clock set back, and a second connection's clock (the background worker's) issuing after
// the host's even when its wall clock and counter lag.
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../app.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import { EventBus } from '../api/events.ts';
import { HybridClock } from '../api/hlc.ts';
import { platformOrder, tempDbFile } from '../../testkit/api-fixtures.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { actorNamed } from '../session.ts';
import { createStationClock, STATION_ID_KEY } from './clock.ts';
import { testDbOf } from '../../testkit/station-db.ts';

const T = Date.UTC(2026, 2, 1, 8, 0, 0);
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function tempFile(): string {
  const t = tempDbFile();
  cleanups.push(t.cleanup);
  return t.file;
}

const opHlcs = (db: Db): string[] => db.$client.prepare<[], { hlc: string }>('SELECT hlc FROM ops ORDER BY rowid').all().map((r) => r.hlc);
const storedId = (db: Db): string | undefined =>
  db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(STATION_ID_KEY)?.value;

async function settingsCommand(file: string, now: () => number, verificationRequired: boolean): Promise<{ hlcs: string[]; id: string | undefined }> {
  const core = await createCore({ dbFile: file, now });
  try {
    const r = await core.call('station.updateSettings', { verificationRequired });
    expect(r.ok).toBe(true);
    return { hlcs: opHlcs(testDbOf(core)), id: storedId(testDbOf(core)) };
  } finally {
    await core.close();
  }
}

describe('station clock', () => {
  it('keeps one node id, the persistent station id, across restarts', async () => {
    const file = tempFile();
    const first = await settingsCommand(file, () => T, true);
    const second = await settingsCommand(file, () => T + 60_000, false);
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(second.id).toBe(first.id);
    expect(second.hlcs.map((h) => HybridClock.decode(h).node)).toEqual([first.id, first.id]);
  });

  it('never issues below a stored timestamp after a restart with the wall clock set back', async () => {
    const file = tempFile();
    const before = await settingsCommand(file, () => T, true);
    const after = await settingsCommand(file, () => T - 3_600_000, false);
    expect(after.hlcs).toHaveLength(2);
    expect(after.hlcs[1]! > before.hlcs[0]!).toBe(true);
    expect(HybridClock.decode(after.hlcs[1]!).ms).toBe(T);
  });

  it("orders the worker's ops after the host's, though the worker's clock lags", () => {
    const file = tempFile();
    const host = openDatabase(file);
    const worker = openDatabase(file, { migrate: false });
    cleanups.push(() => worker.$client.close(), () => host.$client.close());
    // Both clocks start on an empty log at the same wall millisecond, as a host and its worker do.
    const hostClock = createStationClock(host, () => T);
    const workerClock = createStationClock(worker, () => T);
    const ctx = (db: Db, clock: HybridClock): CoreContext => ({ db, clock, actor: actorNamed(db, '店主', 'owner'), events: new EventBus(), now: () => T });
    const put = (c: CoreContext, n: number) =>
      runCommand(c, 'test.put', { n }, { tables: ['meta'] }, () => {
        c.db.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(`k${n}`, String(n));
      });
    for (let n = 0; n < 3; n++) put(ctx(host, hostClock), n);
    put(ctx(worker, workerClock), 3);
    // Ingest (the worker's sync) takes its timestamp the same way.
    host.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('s1', '店', 'taobao', 'active', ?)").run(T);
    const order = platformOrder(1);
    expect(ingestOrders(worker, { shopId: 's1', platform: 'taobao', orders: [{ order, raw: order }] }, T, workerClock).inserted).toBe(1);
    put(ctx(host, hostClock), 4);
    const hlcs = opHlcs(host);
    expect(hlcs).toHaveLength(6);
    expect([...hlcs].sort()).toEqual(hlcs);
    expect(new Set(hlcs).size).toBe(hlcs.length);
    expect(new Set(hlcs.map((h) => HybridClock.decode(h).node))).toEqual(new Set([storedId(host)]));
  });
});
