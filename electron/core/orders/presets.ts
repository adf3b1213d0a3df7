// Saved filter presets of the workbench (常用筛选): a name, an order filter, and which date filters
// are relative ("today", "last 7 days") so a preset saved on Monday still means today on Friday.
// Station-wide, one JSON list in the meta table under FILTER_PRESETS_KEY, so every window and face
// of the station (desktop app, web host) sees the same presets and a reload keeps them.
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import {
  DATE_SHORTCUTS,
  MAX_FILTER_PRESETS,
  orderFilterSchema,
  type ApiParsedInput,
  type FilterPreset,
} from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { isSafeText } from '../../shared/text-guard.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';

export const FILTER_PRESETS_KEY = 'orders.filterPresets';

// Each stored preset is checked on its own: one written by another version with a filter field
// this version does not know is dropped, and the others still load.
const storedPreset = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(30).refine((s) => isSafeText(s)),
  filter: orderFilterSchema,
  relative: z
    .object({ created: z.enum(DATE_SHORTCUTS).optional(), paid: z.enum(DATE_SHORTCUTS).optional() })
    .strict()
    .catch({}),
  updatedAt: z.number().int().nonnegative(),
});

export function listFilterPresets(db: Db): FilterPreset[] {
  const row = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(FILTER_PRESETS_KEY);
  if (!row) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(row.value);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: FilterPreset[] = [];
  for (const item of raw) {
    const parsed = storedPreset.safeParse(item);
    if (parsed.success) out.push(withoutEmptyRelative(parsed.data));
  }
  return out;
}

function withoutEmptyRelative(p: FilterPreset): FilterPreset {
  const relative: FilterPreset['relative'] = {};
  if (p.relative.created) relative.created = p.relative.created;
  if (p.relative.paid) relative.paid = p.relative.paid;
  return { ...p, relative };
}

/**
 * A relative date range stands for its day range: the fixed days saved next to it would only go
 * stale, so they are not kept. The search box is a one-off lookup, not part of a preset.
 */
function presetFilter(input: ApiParsedInput<'filterPresets.save'>): FilterPreset['filter'] {
  const { q: _q, ...filter } = input.filter;
  if (input.relative.created) delete filter.createdFrom, delete filter.createdTo;
  if (input.relative.paid) delete filter.paidFrom, delete filter.paidTo;
  return filter;
}

function write(tx: WriteTx, presets: FilterPreset[]): void {
  tx.$client
    .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .run(FILTER_PRESETS_KEY, JSON.stringify(presets));
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Save the filter under a name; a preset of that name already there gets the new filter. */
export function saveFilterPreset(ctx: CoreContext, input: ApiParsedInput<'filterPresets.save'>): FilterPreset[] {
  return runCommand(ctx, 'filterPresets.save', input, { tables: ['meta'] }, (scope) => {
    const presets = listFilterPresets(ctx.db);
    const filter = presetFilter(input);
    const relative = withoutEmptyRelative({ id: '', name: '', filter, relative: input.relative, updatedAt: 0 }).relative;
    const existing = presets.find((p) => sameName(p.name, input.name));
    if (existing) {
      const updated: FilterPreset = { ...existing, name: input.name, filter, relative, updatedAt: scope.at };
      scope.audit({ entity: 'filter_preset', entityId: existing.id, field: 'filter', before: existing.filter, after: filter });
      const next = presets.map((p) => (p.id === existing.id ? updated : p));
      write(scope.tx, next);
      return next;
    }
    if (presets.length >= MAX_FILTER_PRESETS) {
      throw reasonError('preset.too_many', { max: MAX_FILTER_PRESETS }, `A station keeps at most ${MAX_FILTER_PRESETS} filter presets; delete one you no longer use first.`);
    }
    const created: FilterPreset = { id: uuidv7(), name: input.name, filter, relative, updatedAt: scope.at };
    scope.audit({ entity: 'filter_preset', entityId: created.id, field: 'name', before: null, after: created.name });
    const next = [...presets, created];
    write(scope.tx, next);
    return next;
  });
}

function find(presets: FilterPreset[], id: string): FilterPreset {
  const found = presets.find((p) => p.id === id);
  if (!found) throw reasonError('preset.not_found', { id }, `No filter preset ${id}; it may have been deleted on this station already.`);
  return found;
}

export function renameFilterPreset(ctx: CoreContext, input: ApiParsedInput<'filterPresets.rename'>): FilterPreset[] {
  const presets = listFilterPresets(ctx.db);
  const preset = find(presets, input.id);
  if (preset.name === input.name) return presets;
  if (presets.some((p) => p.id !== input.id && sameName(p.name, input.name))) {
    throw reasonError('preset.name_taken', { name: input.name }, `Another filter preset is already called "${input.name}"; pick another name.`);
  }
  return runCommand(ctx, 'filterPresets.rename', input, { tables: ['meta'] }, (scope) => {
    // Read again inside the transaction: the list may have changed since the check above.
    const current = listFilterPresets(ctx.db);
    find(current, input.id);
    const next = current.map((p) => (p.id === input.id ? { ...p, name: input.name, updatedAt: scope.at } : p));
    scope.audit({ entity: 'filter_preset', entityId: input.id, field: 'name', before: preset.name, after: input.name });
    write(scope.tx, next);
    return next;
  });
}

export function deleteFilterPreset(ctx: CoreContext, input: ApiParsedInput<'filterPresets.delete'>): FilterPreset[] {
  const preset = find(listFilterPresets(ctx.db), input.id);
  return runCommand(ctx, 'filterPresets.delete', input, { tables: ['meta'] }, (scope) => {
    const next = listFilterPresets(ctx.db).filter((p) => p.id !== input.id);
    scope.audit({ entity: 'filter_preset', entityId: input.id, field: 'name', before: preset.name, after: null });
    write(scope.tx, next);
    return next;
  });
}
