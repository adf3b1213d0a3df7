// sync.rewind through the API: cursors move back in one audited command, a packer is refused and
// nothing is written, and an unknown shop refuses the whole rewind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countRows, openFixture, T0, type Fixture } from '../../testkit/api-fixtures.ts';

let fx: Fixture;
beforeEach(() => {
  fx = openFixture(0);
});
afterEach(() => fx.close());

const cursor = (shopId: string) => fx.db.$client.prepare<[string], { cursor_ms: number }>('SELECT cursor_ms FROM sync_cursors WHERE shop_id = ?').get(shopId)?.cursor_ms;

describe('sync.rewind', () => {
  it('moves the cursors back, audited, and refuses a packer without writing', async () => {
    fx.db.$client.prepare('INSERT INTO sync_cursors (shop_id, cursor_ms) VALUES (?, ?)').run(fx.shopId, T0 + 5000);
    const refused = await fx.call('sync.rewind', { shopIds: [fx.shopId], sinceMs: T0 }, fx.as('packer'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect([cursor(fx.shopId), countRows(fx.db, 'ops'), countRows(fx.db, 'audit_log')]).toEqual([T0 + 5000, 0, 0]);

    const r = await fx.call('sync.rewind', { shopIds: [fx.shopId], sinceMs: T0 });
    expect(r).toEqual({ ok: true, value: { rewound: 1 } });
    expect(cursor(fx.shopId)).toBe(T0);
    const audit = fx.db.$client.prepare('SELECT command, field, before, after FROM audit_log').all();
    expect(audit).toEqual([{ command: 'sync.rewind', field: 'cursor_ms', before: String(T0 + 5000), after: String(T0) }]);
  });

  it('refuses the whole rewind when a shop is unknown', async () => {
    const r = await fx.call('sync.rewind', { shopIds: [fx.shopId, 'no-such-shop'], sinceMs: T0 });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(cursor(fx.shopId)).toBeUndefined();
  });
});
