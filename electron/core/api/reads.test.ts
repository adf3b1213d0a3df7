// The tables a query declares it reads (electron/shared/api/<domain>.ts `reads`) are what the
// renderer's query hook refreshes on, so they must be real tables, and a command that changes what
// a query shows must announce (db.changed) a table that query declares — else the page goes stale.
import { afterEach, describe, expect, it } from 'vitest';
import { methods, readsOf, type MethodName } from '../../shared/contract.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

/** Runs a command through dispatch and returns the tables its commit announced. */
async function announced(fx: Fixture, name: MethodName, input: unknown): Promise<Set<string>> {
  const tables = new Set<string>();
  const off = fx.events.on('db.changed', (p) => p.tables.forEach((t) => tables.add(t)));
  const r = await fx.call(name, input);
  off();
  expect(r.ok, JSON.stringify(r)).toBe(true);
  return tables;
}

describe('what queries declare they read', () => {
  it('every query declares its reads, and each is a table of a migrated station', () => {
    f = openFixture();
    const tables = new Set((f.db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const queries = Object.entries(methods).filter(([, m]) => m.kind === 'query');
    expect(queries.length).toBeGreaterThan(30);
    for (const [name, m] of queries) {
      expect(Array.isArray((m as { reads?: unknown }).reads), `${name} declares reads`).toBe(true);
      for (const t of readsOf(name as MethodName)) expect(tables.has(t), `${name} reads "${t}", which is not a table`).toBe(true);
    }
    // Commands read nothing a page would refresh on.
    expect(readsOf('orders.hold')).toEqual([]);
  });

  it('a command that changes what a query shows announces a table that query reads', async () => {
    f = openFixture(2);
    const pairs: [MethodName, unknown, MethodName][] = [
      ['orders.hold', { ids: [f.idOf(1)], reason: '缺货' }, 'orders.list'],
      ['orders.addNote', { id: f.idOf(1), body: '客户要求周五后发' }, 'orders.get'],
      ['tags.create', { name: '加急' }, 'tags.list'],
      ['filterPresets.save', { name: '待审', filter: { queue: 'pending_review' } }, 'filterPresets.list'],
      ['station.updateSettings', { verificationRequired: true }, 'station.settings'],
      ['labels.updateSettings', { carrier: 'default', settings: null }, 'labels.settings'],
      ['printers.add', { name: '打包台', uri: 'folder:///tmp/shopfleet-reads-test', lang: 'pdf' }, 'printers.list'],
      ['shops.pause', { id: f.shopId }, 'shops.overview'],
      ['shops.resume', { id: f.shopId }, 'shops.list'],
    ];
    for (const [command, input, query] of pairs) {
      const tables = await announced(f, command, input);
      const reads = readsOf(query);
      expect(reads.some((t) => tables.has(t)), `${command} announced [${[...tables].join(', ')}]; ${query} reads [${reads.join(', ')}]`).toBe(true);
    }
  });
});
