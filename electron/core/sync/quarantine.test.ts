// Quarantine list and retry on a real SQLite file with the real sandbox adapter: a payload that maps
// now is ingested and resolved in one command (with audit and ops), a still-bad one keeps its new
// reason, previews are cut at 4,000 characters, and a failure mid-retry rolls everything back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QuarantineView } from '../../shared/contract.ts';
import { countRows, openFixture, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { SandboxAdapter } from '../../sandbox/demo/adapter.ts';
import type { ShopRecord } from '../platforms/contract.ts';
import { listQuarantine, PAYLOAD_PREVIEW_CHARS, retryQuarantine } from './quarantine.ts';

const SHOP: ShopRecord = { id: 'sb-1', name: '沙箱店', platform: 'sandbox', state: 'active', settings: JSON.stringify({ seed: 7, ordersPerHour: 600, worldStartMs: T0 - 86_400_000 }) };

let f: Fixture;
let good: Record<string, unknown>;
beforeEach(async () => {
  f = openFixture();
  f.db.$client.prepare('INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, ?, ?, ?, ?)').run(SHOP.id, SHOP.name, SHOP.platform, SHOP.state, T0, SHOP.settings);
  const adapter = new SandboxAdapter(SHOP, { now: () => T0 });
  const page = await adapter.pullPage({ fromMs: T0 - 20 * 60_000, toMs: T0 }, null);
  good = page.payloads[0] as Record<string, unknown>;
  expect(good).toBeDefined();
});
afterEach(() => f.close());

function quarantine(id: string, payload: unknown, reason = 'payment: not a yuan string', receivedAt = T0): void {
  f.db.$client
    .prepare(`INSERT INTO quarantine (id, shop_id, platform, platform_order_id, reason, payload, received_at) VALUES (?, ?, 'sandbox', ?, ?, ?, ?)`)
    .run(id, SHOP.id, String(good.tid ?? ''), reason, JSON.stringify(payload), receivedAt);
}

describe('quarantine.list', () => {
  it('lists unresolved payloads newest first with shop names and a cut preview', async () => {
    quarantine('q-old', good, 'old', T0 - 1000);
    quarantine('q-big', { ...good, padding: 'x'.repeat(10_000) }, 'big', T0);
    f.db.$client.prepare('UPDATE quarantine SET resolved_at = ? WHERE id = ?').run(T0 + 5, 'q-old');
    const r = await f.call('quarantine.list', {}, f.as('finance'));
    const rows = (r.ok ? r.value : []) as QuarantineView[];
    expect(rows.map((q) => q.id)).toEqual(['q-big']);
    expect(rows[0]).toMatchObject({ shopId: SHOP.id, shopName: '沙箱店', platform: 'sandbox', reason: 'big', receivedAt: T0, resolvedAt: null });
    expect(rows[0]!.payloadPreview.length).toBe(PAYLOAD_PREVIEW_CHARS + 1);
    expect(rows[0]!.payloadPreview.endsWith('…')).toBe(true);
    const all = listQuarantine(f.db, { includeResolved: true, limit: 10, shopId: SHOP.id });
    expect(all.map((q) => q.id)).toEqual(['q-big', 'q-old']);
    expect(all[1]!.payloadPreview).toBe(JSON.stringify(good));
    expect(listQuarantine(f.db, { includeResolved: true, limit: 10, shopId: f.shopId })).toEqual([]);
  });
});

describe('quarantine.retry', () => {
  it('ingests what maps now and resolves it; keeps what still fails with its new reason', async () => {
    quarantine('q-good', good, 'mapped badly by an older adapter');
    quarantine('q-bad', { ...good, status: 'TRADE_STATUS_UNKNOWN' }, 'old reason');
    const ops = countRows(f.db, 'ops');
    const r = await f.call('quarantine.retry', { ids: ['q-good', 'q-bad', 'q-missing'] }, f.as('operator'));
    if (!r.ok) throw new Error(r.error.message);
    const value = r.value as { resolved: number; failed: { id: string; reason: string }[] };
    expect(value.resolved).toBe(1);
    expect(value.failed.map((x) => x.id).sort()).toEqual(['q-bad', 'q-missing']);
    const newReason = value.failed.find((x) => x.id === 'q-bad')!.reason;
    expect(newReason).not.toBe('old reason');
    expect(newReason).toMatch(/TRADE_STATUS_UNKNOWN|status/);

    const order = f.db.$client.prepare('SELECT shop_id, platform FROM orders WHERE shop_id = ? AND platform_order_id = ?').get(SHOP.id, String(good.tid));
    expect(order).toEqual({ shop_id: SHOP.id, platform: 'sandbox' });
    const rows = f.db.$client.prepare('SELECT id, reason, resolved_at FROM quarantine ORDER BY id').all() as { id: string; reason: string; resolved_at: number | null }[];
    expect(rows.find((q) => q.id === 'q-good')!.resolved_at).not.toBeNull();
    expect(rows.find((q) => q.id === 'q-bad')).toMatchObject({ reason: newReason, resolved_at: null });
    // The command's own op plus the ingest's op.
    expect(countRows(f.db, 'ops') - ops).toBe(2);
    const audited = f.db.$client.prepare(`SELECT entity_id, field FROM audit_log WHERE command = 'quarantine.retry' ORDER BY entity_id`).all();
    expect(audited).toEqual([
      { entity_id: 'q-bad', field: 'reason' },
      { entity_id: 'q-good', field: 'resolved_at' },
    ]);
    // A second retry of the resolved one changes nothing.
    const again = await f.call('quarantine.retry', { ids: ['q-good'] });
    expect(again).toMatchObject({ ok: true, value: { resolved: 0, failed: [{ id: 'q-good', reason: 'already resolved' }] } });
  });

  it('is refused to roles that may not fix data', async () => {
    quarantine('q-good', good);
    expect(await f.call('quarantine.retry', { ids: ['q-good'] }, f.as('packer'))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await f.call('quarantine.retry', { ids: [] })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('rolls back the ingest and the resolution together when the transaction fails', () => {
    quarantine('q-good', good);
    const orders = countRows(f.db, 'orders');
    // A failing audit insert (a trigger) makes the whole command fail after the ingest ran.
    f.db.$client.exec(`CREATE TEMP TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'forced'); END`);
    expect(() => retryQuarantine(f.ctx(), { ids: ['q-good'] })).toThrow(/forced/);
    expect(countRows(f.db, 'orders')).toBe(orders);
    expect(f.db.$client.prepare('SELECT resolved_at FROM quarantine WHERE id = ?').pluck().get('q-good')).toBeNull();
  });
});
