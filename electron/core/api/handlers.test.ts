import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { methods, type BatchResult, type MethodName, type OrderDetail, type ShopSummary, type TagView } from '../../shared/contract.ts';
import type { Result } from '../../shared/result.ts';
import { countRows, openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture(3);
});
afterEach(() => f.close());

function err(r: Result<unknown>) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

describe('the handler map', () => {
  it('implements every method of the contract, and nothing else', async () => {
    expect(Object.keys(f.handlers).sort()).toEqual(Object.keys(methods).sort());
    for (const name of Object.keys(methods) as MethodName[]) expect(typeof f.handlers[name], name).toBe('function');
    // Every method validates its input strictly: an unknown field is refused before the handler runs.
    for (const name of Object.keys(methods) as MethodName[]) {
      const r = await f.call(name, { definitelyNotAField: 1 });
      expect(r.ok ? 'ok' : r.error.code, name).toBe('VALIDATION_FAILED');
    }
  });

  it('serves queries: whoami, shops with counts, tags, provinces, list, get', async () => {
    expect(ok(await f.call('session.whoami', {}))).toEqual(f.owner);
    const shops = ok<ShopSummary[]>(await f.call('shops.list', {}));
    expect(shops).toEqual([{ id: 'shop-1', name: '杭州女装旗舰店', platform: 'taobao', state: 'active', orderCount: 3 }]);
    expect(ok<string[]>(await f.call('catalog.provinces', {}))).toHaveLength(34);
    const tag = ok<TagView>(await f.call('tags.create', { name: '加急', color: '#FF0000' }));
    expect(tag).toMatchObject({ name: '加急', color: '#ff0000' });
    expect(ok<TagView[]>(await f.call('tags.list', {}))).toEqual([tag]);
    const list = ok<{ rows: { id: string }[]; total: number }>(await f.call('orders.list', {}));
    expect(list.total).toBe(3);
    const detail = ok<OrderDetail>(await f.call('orders.get', { id: list.rows[0]!.id }));
    expect(detail.items).toHaveLength(2);
    expect(err(await f.call('orders.get', { id: 'missing' })).code).toBe('NOT_FOUND');
  });

  it('runs commands for the calling actor and returns batch results', async () => {
    const ids = [f.idOf(1), f.idOf(2)];
    const service = f.as('service', '客服小王');
    const r = ok<BatchResult>(await f.call('orders.hold', { ids, reason: '  缺货  ' }, service));
    expect(r).toEqual({ changed: 2, skipped: [] });
    const audit = f.db.$client.prepare("SELECT DISTINCT actor, after FROM audit_log WHERE command = 'orders.hold'").all();
    expect(audit).toEqual([{ actor: '客服小王', after: '缺货' }]);
    const again = ok<BatchResult>(await f.call('orders.hold', { ids: [ids[0]], reason: '缺货' }, service));
    expect(again.skipped).toEqual([{ id: ids[0], reason: 'already_held' }]);
  });

  it('delegates sync.status and sync.now to the scheduler', async () => {
    expect(ok(await f.call('sync.status', {}))).toEqual([]);
    expect(ok(await f.call('sync.now', { shopId: 'shop-1' }))).toEqual({ started: ['shop-1'] });
  });
});

describe('roles are enforced in the core', () => {
  it.each([
    ['packer', 'orders.close', () => ({ ids: [f.idOf(1)], reason: '取消' })],
    ['finance', 'orders.tag', () => ({ ids: [f.idOf(1)], add: ['t'] })],
    ['service', 'changeRequests.decide', () => ({ id: 'x', approve: true })],
    ['packer', 'orders.export', () => ({ ids: [f.idOf(1)], columns: ['platformOrderId'], format: 'csv' })],
    ['finance', 'orders.editAddress', () => ({ id: f.idOf(1), receiver: {} })],
    ['packer', 'orders.release', () => ({ ids: [f.idOf(1)] })],
  ] as const)('%s may not call %s, and nothing is written', async (role, method, input) => {
    const before = { audit: countRows(f.db, 'audit_log'), ops: countRows(f.db, 'ops') };
    const e = err(await f.call(method, input(), f.as(role)));
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toContain(role);
    expect({ audit: countRows(f.db, 'audit_log'), ops: countRows(f.db, 'ops') }).toEqual(before);
  });

  it('a requester cannot approve their own change request; another approver can', async () => {
    const operator = f.as('operator', '运营小李');
    const cr = ok<{ id: string }>(
      await f.call('orders.requestChange', { id: f.idOf(1), lineNo: 1, kind: 'price', value: 1500, reason: '活动价' }, operator),
    );
    expect(err(await f.call('changeRequests.decide', { id: cr.id, approve: true }, operator)).code).toBe('FORBIDDEN');
    expect(ok<{ state: string }>(await f.call('changeRequests.decide', { id: cr.id, approve: true }, f.owner)).state).toBe('approved');
  });

  it('packers may hold and tag, finance may export', async () => {
    expect(ok<BatchResult>(await f.call('orders.hold', { ids: [f.idOf(1)], reason: '破损' }, f.as('packer'))).changed).toBe(1);
    const out = ok<{ rowCount: number }>(
      await f.call('orders.export', { ids: [f.idOf(1)], columns: ['platformOrderId', 'paidYuan'], format: 'csv' }, f.as('finance')),
    );
    expect(out.rowCount).toBe(1);
  });
});

describe('validation errors name the field', () => {
  it('reports the path of each bad field', async () => {
    const e = err(await f.call('orders.hold', { ids: [], reason: '   ' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toContain('ids: select at least one order');
    expect(e.message).toContain('reason: a reason is required');
    const paths = (e.details as { issues: { path: string[] }[] }).issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(['ids', 'reason']);
  });

  it('reports nested receiver fields and unknown fields', async () => {
    const e = err(
      await f.call('orders.editAddress', {
        id: f.idOf(1),
        receiver: { name: '', phone: '1', province: '浙江省', city: '杭州市', district: '西湖区', town: null, address: 'x', extra: 1 },
      }),
    );
    const paths = (e.details as { issues: { path: string[] }[] }).issues.map((i) => i.path.join('.'));
    expect(paths).toContain('receiver.name');
    expect(e.message).toMatch(/receiver/);
  });

  it('rejects an export with neither ids nor filter, and an unknown column', async () => {
    expect(err(await f.call('orders.export', { columns: ['platformOrderId'], format: 'csv' })).message).toContain('export needs ids or a filter');
    const e = err(await f.call('orders.export', { ids: ['a'], columns: ['password'], format: 'csv' }));
    expect((e.details as { issues: { path: string[] }[] }).issues[0]!.path).toEqual(['columns', '0']);
  });

  it('a tag name clash is a CONFLICT naming the tag', async () => {
    ok(await f.call('tags.create', { name: 'VIP' }));
    const e = err(await f.call('tags.create', { name: 'VIP' }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('VIP');
  });
});

describe('200,000-id batches', () => {
  it('accepts the contract maximum and reports unknown ids without failing the batch', async () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => `missing-${i}`);
    ids[123_456] = f.idOf(1);
    const started = performance.now();
    const r = ok<BatchResult>(await f.call('orders.markRead', { ids }));
    console.info(`[bench] orders.markRead × 200,000 ids: ${(performance.now() - started).toFixed(0)} ms`);
    expect(r.changed).toBe(1);
    expect(r.skipped).toHaveLength(199_999);
    expect(r.skipped[0]).toEqual({ id: 'missing-0', reason: 'not_found' });
  });
});
