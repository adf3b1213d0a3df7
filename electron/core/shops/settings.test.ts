// shops.update through the real dispatch: edits the name and the settings JSON (keeping the keys it
// does not own), audits each changed field with one ops row, clears the gateway with null, checks
// roles and input, and says NOT_FOUND for an unknown shop without writing anything.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShopOverview } from '../../shared/contract.ts';
import { countRows, openFixture, type Fixture } from '../../testkit/api-fixtures.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture();
  f.db.$client
    .prepare('UPDATE shops SET settings = ? WHERE id = ?')
    .run(JSON.stringify({ appKey: 'K1', gateway: 'http://127.0.0.1:1/router/rest', signMethod: 'md5' }), f.shopId);
});
afterEach(() => f.close());

const settingsOf = (f: Fixture): Record<string, unknown> =>
  JSON.parse(f.db.$client.prepare('SELECT settings FROM shops WHERE id = ?').pluck().get(f.shopId) as string) as Record<string, unknown>;

describe('shops.update', () => {
  it('writes name and settings, audits each changed field, and appends one ops row', async () => {
    const opsBefore = countRows(f.db, 'ops');
    const r = await f.call('shops.update', { id: f.shopId, name: '杭州女装二店', gateway: 'https://gw.example.com/router/rest', syncIntervalMinutes: 5, backfillDays: 10 });
    expect(r).toMatchObject({ ok: true, value: { id: f.shopId, name: '杭州女装二店', platform: 'taobao', state: 'active' } });
    expect(settingsOf(f)).toEqual({ appKey: 'K1', gateway: 'https://gw.example.com/router/rest', signMethod: 'md5', syncIntervalMs: 300_000, backfillDays: 10 });
    expect(countRows(f.db, 'ops') - opsBefore).toBe(1);
    const audits = f.db.$client.prepare(`SELECT field, before, after FROM audit_log WHERE command = 'shops.update' ORDER BY field`).all();
    expect(audits).toEqual([
      { field: 'backfillDays', before: null, after: '10' },
      { field: 'gateway', before: 'http://127.0.0.1:1/router/rest', after: 'https://gw.example.com/router/rest' },
      { field: 'name', before: '杭州女装旗舰店', after: '杭州女装二店' },
      { field: 'syncIntervalMs', before: null, after: '300000' },
    ]);
    const overview = await f.call('shops.overview', {});
    const shop = (overview.ok ? (overview.value as ShopOverview[]) : []).find((s) => s.id === f.shopId);
    expect(shop).toMatchObject({ syncIntervalMs: 300_000, backfillDays: 10, gateway: 'https://gw.example.com/router/rest' });
  });

  it('null gateway goes back to production; fields left out stay as they were', async () => {
    const r = await f.call('shops.update', { id: f.shopId, gateway: null });
    expect(r.ok).toBe(true);
    expect(settingsOf(f)).toEqual({ appKey: 'K1', signMethod: 'md5' });
    expect(f.db.$client.prepare('SELECT name FROM shops WHERE id = ?').pluck().get(f.shopId)).toBe('杭州女装旗舰店');
  });

  it('refuses an unknown shop, a bad gateway, out-of-range numbers and roles without the right', async () => {
    const ops = countRows(f.db, 'ops');
    expect(await f.call('shops.update', { id: 'nope', name: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const bad = await f.call('shops.update', { id: f.shopId, gateway: 'ftp://x', syncIntervalMinutes: 0 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const paths = (bad.ok ? [] : (bad.error.details as { issues: { path: string[] }[] }).issues.map((i) => i.path.join('.'))).sort();
    expect(paths).toEqual(['gateway', 'syncIntervalMinutes']);
    expect(await f.call('shops.update', { id: f.shopId, name: 'x' }, f.as('packer'))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await f.call('shops.update', { id: f.shopId, name: 'x' }, f.as('operator'))).toMatchObject({ ok: true });
    // Only the operator's successful update wrote an op.
    expect(countRows(f.db, 'ops') - ops).toBe(1);
  });
});
