import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_IDS, MAX_FILTER_SHOPS, methods, type BatchResult, type MethodName } from '../../shared/contract.ts';
import { MAX_ORDER_FEN } from '../../shared/limits.ts';
import type { Result } from '../../shared/result.ts';
import { buildOrderWhere } from '../orders/query.ts';
import { unboundedInputs } from './input-bounds.ts';
import { countRows, openFixture, type Fixture } from '../../testkit/api-fixtures.ts';

let f: Fixture;
beforeAll(() => {
  f = openFixture(3);
});
afterAll(() => f.close());

const big = (n: number, c = 'x') => c.repeat(n);
const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const nested = (depth: number): Record<string, unknown> => {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

function issuePaths(r: Result<unknown>): string[] {
  if (r.ok) return [];
  return ((r.error.details as { issues?: { path: string[] }[] } | undefined)?.issues ?? []).map((i) => i.path.join('.'));
}

describe('every input of the contract is bounded', () => {
  it('no method takes a text without a maximum length, a list without a maximum size, a number without a range, or any shape', () => {
    const found = (Object.keys(methods) as MethodName[]).flatMap((name) => unboundedInputs(methods[name].input, name));
    expect(found).toEqual([]);
  });

  it('the walk does find what is unbounded (so the check above can fail)', async () => {
    const { z } = await import('zod');
    expect(unboundedInputs(z.object({ a: z.string(), b: z.array(z.string().max(3)), c: z.number().int(), d: z.record(z.string(), z.unknown()) }), 'm')).toEqual([
      'm.a: a text without a maximum length',
      'm.b: a list without a maximum size',
      'm.c: a number without a range',
      'm.d{key}: a text without a maximum length',
      'm.d{}: a value of any shape (unknown)',
    ]);
  });
});

describe('an oversized value is refused as VALIDATION_FAILED naming the field, before anything is written', () => {
  const id = () => f.idOf(1);
  const cases: [string, MethodName, () => unknown, string][] = [
    ['a price past ¥1,000,000', 'orders.requestChange', () => ({ id: id(), lineNo: 1, kind: 'price', value: Number.MAX_SAFE_INTEGER, reason: 'x' }), 'value'],
    ['a quantity past 9,999', 'orders.requestChange', () => ({ id: id(), lineNo: 1, kind: 'quantity', value: 10_000, reason: 'x' }), 'value'],
    ['a line number past any order', 'orders.requestChange', () => ({ id: id(), lineNo: Number.MAX_SAFE_INTEGER, kind: 'price', value: 1, reason: 'x' }), 'lineNo'],
    ['40,000 shop ids in a filter', 'orders.list', () => ({ filter: { shopIds: many(40_000, (i) => `s${i}`) } }), 'filter.shopIds'],
    ['200,000 shop ids in a count', 'orders.counts', () => ({ filter: { shopIds: many(200_000, (i) => `s${i}`) } }), 'filter.shopIds'],
    ['100,000 statuses', 'orders.ids', () => ({ filter: { statuses: many(100_000, () => 'paid') } }), 'filter.statuses'],
    ['10,000 provinces', 'orders.list', () => ({ filter: { provinces: many(10_000, () => '浙江省') } }), 'filter.provinces'],
    ['a 1 MB province', 'orders.list', () => ({ filter: { provinces: [big(1_000_000)] } }), 'filter.provinces.0'],
    ['10,000 tag ids', 'orders.list', () => ({ filter: { tagIds: many(10_000, (i) => `t${i}`) } }), 'filter.tagIds'],
    ['a date in the year 287,000', 'orders.list', () => ({ filter: { paidFrom: Number.MAX_SAFE_INTEGER } }), 'filter.paidFrom'],
    ['an offset past any station', 'orders.list', () => ({ offset: Number.MAX_SAFE_INTEGER }), 'offset'],
    ['more ids than a station holds', 'orders.markRead', () => ({ ids: many(MAX_BATCH_IDS + 1, (i) => `o${i}`) }), 'ids'],
    ['an id of 1 MB', 'orders.get', () => ({ id: big(1_000_000) }), 'id'],
    ['1,000 tags added at once', 'orders.tag', () => ({ ids: [id()], add: many(1000, (i) => `t${i}`) }), 'add'],
    ['a 1 MB memo', 'orders.setFlag', () => ({ ids: [id()], memo: big(1_000_000) }), 'memo'],
    ['a 1 MB note', 'orders.addNote', () => ({ id: id(), body: big(1_000_000) }), 'body'],
    ['a 1 MB address', 'orders.editAddress', () => ({ id: id(), receiver: { name: '张伟', phone: '138', province: '浙江省', city: '杭州市', district: '西湖区', town: null, address: big(1_000_000) } }), 'receiver.address'],
    ['a 1 MB shop name', 'shops.update', () => ({ id: 'shop-1', name: big(1_000_000) }), 'name'],
    ['a 1 MB tag name', 'tags.create', () => ({ name: big(1_000_000) }), 'name'],
    ['a 1 MB decision note', 'changeRequests.decide', () => ({ id: 'x', approve: false, note: big(1_000_000) }), 'note'],
    ['a 1 MB tag colour', 'tags.create', () => ({ name: 't', color: big(1_000_000) }), 'color'],
    ['10,000 export columns', 'orders.export', () => ({ ids: [id()], columns: many(10_000, () => 'paidYuan'), format: 'csv' }), 'columns'],
    ['printer settings nested 100,000 deep', 'printers.add', () => ({ name: 'p', uri: 'tcp://127.0.0.1:9100', lang: 'tspl', settings: nested(100_000) }), 'settings.a'],
    ['printer settings with 10,000 keys', 'printers.add', () => ({ name: 'p', uri: 'tcp://127.0.0.1:9100', lang: 'tspl', settings: Object.fromEntries(many(10_000, (i) => [`k${i}`, 1])) }), 'settings'],
    ['a printer setting out of range', 'printers.update', () => ({ id: 'x', patch: { settings: { timeoutMs: Number.MAX_SAFE_INTEGER } } }), 'patch.settings.timeoutMs'],
    ['a printer setting of 1 MB', 'printers.update', () => ({ id: 'x', patch: { settings: { note: big(1_000_000) } } }), 'patch.settings.note'],
    ['a waybill range end past 15 digits', 'waybillAccounts.addRange', () => ({ accountId: 'a', start: 1, end: Number.MAX_SAFE_INTEGER }), 'end'],
    ['a waybill range of 10 million numbers', 'waybillAccounts.addRange', () => ({ accountId: 'a', start: 1, end: 10_000_000 }), 'end'],
    ['waybill account options with a 1 MB value', 'waybillAccounts.add', () => ({ name: 'a', carrierCode: 'SF', kind: 'pool', options: { templateUrl: big(1_000_000) } }), 'options.templateUrl'],
    ['a waybill account for 100,000 shops', 'waybillAccounts.add', () => ({ name: 'a', carrierCode: 'SF', kind: 'pool', shopIds: many(100_000, (i) => `s${i}`) }), 'shopIds'],
    ['a scorecard window to the year 287,000', 'tracking.scorecard', () => ({ from: 0, to: Number.MAX_SAFE_INTEGER }), 'to'],
    ['10,000 push states', 'pushes.list', () => ({ states: many(10_000, () => 'failed') }), 'states'],
    ['10,000 print job states', 'printJobs.list', () => ({ states: many(10_000, () => 'failed') }), 'states'],
    ['a 1 MB reprint reason', 'printJobs.reprint', () => ({ id: 'x', reason: big(1_000_000) }), 'reason'],
    ['a 1 MB pause reason', 'printers.setPaused', () => ({ id: 'x', paused: true, reason: big(1_000_000) }), 'reason'],
  ];

  it.each(cases)('%s (%s)', async (_what, method, input, field) => {
    const before = { ops: countRows(f.db, 'ops'), audit: countRows(f.db, 'audit_log') };
    const r = await f.call(method, input());
    expect(r.ok ? 'ok' : r.error.code).toBe('VALIDATION_FAILED');
    expect(issuePaths(r)).toContain(field);
    if (!r.ok) expect(r.error.message).toContain(field);
    expect({ ops: countRows(f.db, 'ops'), audit: countRows(f.db, 'audit_log') }).toEqual(before);
  });

  it('the largest price the contract allows still fits a line and an order', () => {
    expect(Number.isSafeInteger(MAX_ORDER_FEN * 9_999)).toBe(true);
  });
});

describe('long id lists reach SQL through one parameter, never one variable per id', () => {
  it('a batch of 5,000 ids (3 real, the rest unknown) is held and reported, not INTERNAL', async () => {
    const ids = [f.idOf(1), f.idOf(2), f.idOf(3), ...many(4997, (i) => `missing-${i}`)];
    const r = await f.call('orders.hold', { ids, reason: '缺货' });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    const v = r.value as BatchResult;
    expect(v.changed).toBe(3);
    expect(v.skipped).toHaveLength(4997);
    await f.call('orders.release', { ids: ids.slice(0, 3) });
  });

  it('a filter naming the most shops allowed lists, counts and exports', async () => {
    const shopIds = [...many(MAX_FILTER_SHOPS - 1, (i) => `other-${i}`), f.shopId];
    const list = await f.call('orders.list', { filter: { shopIds } });
    expect(list.ok && (list.value as { total: number }).total).toBe(3);
    const counts = await f.call('orders.counts', { filter: { shopIds } });
    expect(counts.ok).toBe(true);
    const ids = await f.call('orders.ids', { filter: { shopIds, provinces: ['浙江省'] } });
    expect(ids.ok && (ids.value as { ids: string[] }).ids).toHaveLength(3);
    const exported = await f.call('orders.export', { filter: { shopIds }, columns: ['platformOrderId'], format: 'csv' });
    expect(exported.ok && (exported.value as { rowCount: number }).rowCount).toBe(3);
  });

  it('5,000 ids export in chunks, in the order asked', async () => {
    const ids = [f.idOf(3), ...many(4998, (i) => `missing-${i}`), f.idOf(1)];
    const r = await f.call('orders.export', { ids, columns: ['platformOrderId'], format: 'csv' });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    const text = Buffer.from((r.value as { base64: string }).base64, 'base64').toString('utf8');
    expect(text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1)).toEqual(['P00000003', 'P00000001'].map((p) => expect.stringContaining(p)));
  });

  it.each([40_000, 200_000])('the query builder itself takes %d shop ids (past SQLite\'s variable limit and a spread\'s stack)', (n) => {
    const shopIds = [...many(n - 1, (i) => `other-${i}`), f.shopId];
    const w = buildOrderWhere({ shopIds });
    expect(w.params.length).toBeLessThan(10);
    const rows = f.db.$client.prepare(`SELECT count(*) AS n FROM orders o WHERE ${w.sql}`).get(...w.params) as { n: number };
    expect(rows.n).toBe(3);
  });
});
