// Saved filter presets (常用筛选) through the API: save, overwrite by name, rename, delete, relative
// date ranges kept relative, a reopened station keeps them, bad input refused with nothing written.
import { afterEach, describe, expect, it } from 'vitest';
import type { FilterPreset } from '../../shared/contract.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { openDatabase } from '../db/open.ts';
import { FILTER_PRESETS_KEY, listFilterPresets } from './presets.ts';
import { okAfter } from '../../testkit/results.ts';

let fx: Fixture;
afterEach(() => fx?.close());

const stored = (f: Fixture) => f.db.$client.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(FILTER_PRESETS_KEY) as string | undefined;

describe('filter presets', () => {
  it('saves, overwrites by name, renames and deletes, one audited op each', async () => {
    fx = openFixture();
    expect(await okAfter<FilterPreset[]>(fx.call('filterPresets.list', {}))).toEqual([]);
    const opsBefore = fx.db.$client.prepare('SELECT count(*) FROM ops').pluck().get() as number;

    const saved = await okAfter<FilterPreset[]>(
      fx.call('filterPresets.save', { name: '顺丰 待打单', filter: { queue: 'awaiting_print', shopIds: ['shop-1'], sellerFlags: [1] } }),
    );
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ name: '顺丰 待打单', filter: { queue: 'awaiting_print', shopIds: ['shop-1'], sellerFlags: [1] }, relative: {} });
    const id = saved[0]!.id;

    // The same name (any case, any spaces around it) overwrites the filter and keeps the id.
    const again = await okAfter<FilterPreset[]>(fx.call('filterPresets.save', { name: ' 顺丰 待打单 ', filter: { queue: 'printed' } }));
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id, filter: { queue: 'printed' } });

    await okAfter(fx.call('filterPresets.save', { name: '有留言', filter: { hasBuyerMessage: true } }));
    const renamed = await okAfter<FilterPreset[]>(fx.call('filterPresets.rename', { id, name: '已打单' }));
    expect(renamed.map((p) => p.name)).toEqual(['已打单', '有留言']);

    // A name another preset has is refused, and nothing changes.
    const clash = await fx.call('filterPresets.rename', { id, name: '有留言' });
    expect(clash.ok).toBe(false);
    if (!clash.ok) expect(clash.error.code).toBe('CONFLICT');

    const left = await okAfter<FilterPreset[]>(fx.call('filterPresets.delete', { id }));
    expect(left.map((p) => p.name)).toEqual(['有留言']);
    const missing = await fx.call('filterPresets.delete', { id });
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');

    const ops = fx.db.$client.prepare('SELECT name FROM ops ORDER BY rowid').pluck().all() as string[];
    expect(ops.slice(-5)).toEqual(['filterPresets.save', 'filterPresets.save', 'filterPresets.save', 'filterPresets.rename', 'filterPresets.delete']);
    expect(ops.length - opsBefore).toBe(5);
    const audited = fx.db.$client.prepare("SELECT count(*) FROM audit_log WHERE entity = 'filter_preset'").pluck().get() as number;
    expect(audited).toBe(5);
  });

  it('keeps relative date ranges relative and drops the fixed days and the search box', async () => {
    fx = openFixture();
    const [p] = await okAfter<FilterPreset[]>(
      fx.call('filterPresets.save', {
        name: '近7天付款',
        filter: { paidFrom: 1, paidTo: 2, createdFrom: 10, createdTo: 20, q: '张三' },
        relative: { paid: 'last7' },
      }),
    );
    expect(p!.relative).toEqual({ paid: 'last7' });
    // The created range was picked as fixed days: it stays; the paid days are what "last7" means today.
    expect(p!.filter).toEqual({ createdFrom: 10, createdTo: 20 });
  });

  it('survives reopening the station, and a damaged entry loses only itself', async () => {
    fx = openFixture();
    await okAfter(fx.call('filterPresets.save', { name: 'A', filter: { unread: true } }));
    await okAfter(fx.call('filterPresets.save', { name: 'B', filter: { orderType: 'presale' } }));
    const file = fx.db.$client.name;
    // Another version wrote one entry with a filter field this one does not know.
    const list = JSON.parse(stored(fx)!) as unknown[];
    list.push({ id: 'x', name: 'future', filter: { warehouse: 'w1' }, relative: {}, updatedAt: 1 });
    fx.db.$client.prepare('UPDATE meta SET value = ? WHERE key = ?').run(JSON.stringify(list), FILTER_PRESETS_KEY);
    const reopened = openDatabase(file);
    try {
      expect(listFilterPresets(reopened).map((p) => p.name)).toEqual(['A', 'B']);
    } finally {
      reopened.$client.close();
    }
  });

  it('refuses a name with a direction override, an empty one, and a bad filter, writing nothing', async () => {
    fx = openFixture();
    for (const input of [
      { name: '\u202Egnp', filter: {} },
      { name: '   ', filter: {} },
      { name: 'x'.repeat(31), filter: {} },
      { name: 'ok', filter: { queue: 'nope' } },
      { name: 'ok', filter: {}, relative: { paid: 'last90' } },
    ]) {
      const res = await fx.call('filterPresets.save', input);
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('VALIDATION_FAILED');
    }
    expect(stored(fx)).toBeUndefined();
  });

  it('caps how many presets a station keeps', async () => {
    fx = openFixture();
    for (let i = 0; i < 50; i++) await okAfter(fx.call('filterPresets.save', { name: `p${i}`, filter: {} }));
    const res = await fx.call('filterPresets.save', { name: 'one more', filter: {} });
    expect(!res.ok && res.error.code).toBe('VALIDATION_FAILED');
    // Overwriting an existing one is still fine.
    expect((await fx.call('filterPresets.save', { name: 'p3', filter: { unread: true } })).ok).toBe(true);
  });
});
