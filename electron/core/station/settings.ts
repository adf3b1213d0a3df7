// The packing station's settings: whether scan verification (验货) is mandatory before shipping, and
// when the platform is told "shipped" (on print, on scan, or only by hand). One JSON value in the
// meta table under STATION_SETTINGS_KEY; a missing or unreadable value reads as the defaults.
import { z } from 'zod';
import { SHIP_ON_CHOICES, type ApiParsedInput, type StationSettings } from '../../shared/contract.ts';
import { AppError } from '../../shared/result.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';

export const STATION_SETTINGS_KEY = 'station.settings';

export const DEFAULT_STATION_SETTINGS: StationSettings = { verificationRequired: false, shipOn: 'manual', prefetchWaybills: false };

// Fields are read one by one so a value written by an older or newer version still yields the
// fields this version understands instead of throwing the whole station back to defaults.
const storedSchema = z.object({
  verificationRequired: z.boolean().catch(DEFAULT_STATION_SETTINGS.verificationRequired),
  shipOn: z.enum(SHIP_ON_CHOICES).catch(DEFAULT_STATION_SETTINGS.shipOn),
  prefetchWaybills: z.boolean().catch(DEFAULT_STATION_SETTINGS.prefetchWaybills),
});

export function readStationSettings(db: Db): StationSettings {
  const row = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(STATION_SETTINGS_KEY);
  if (!row) return { ...DEFAULT_STATION_SETTINGS };
  let raw: unknown;
  try {
    raw = JSON.parse(row.value);
  } catch {
    return { ...DEFAULT_STATION_SETTINGS };
  }
  const parsed = storedSchema.safeParse(raw);
  return parsed.success ? { ...parsed.data } : { ...DEFAULT_STATION_SETTINGS };
}

/**
 * Change the settings (audited command). Ship-on-print together with mandatory verification is
 * refused: a label is printed before its parcel is packed, so every ship on print would be skipped.
 */
export function updateStationSettings(ctx: CoreContext, input: ApiParsedInput<'station.updateSettings'>): StationSettings {
  const before = readStationSettings(ctx.db);
  const after: StationSettings = {
    verificationRequired: input.verificationRequired ?? before.verificationRequired,
    shipOn: input.shipOn ?? before.shipOn,
    prefetchWaybills: input.prefetchWaybills ?? before.prefetchWaybills,
  };
  if (after.verificationRequired && after.shipOn === 'print') {
    throw new AppError(
      'VALIDATION_FAILED',
      'Shipping on print cannot be combined with mandatory scan verification: labels are printed before parcels are verified.',
      { issues: [{ path: ['shipOn'], message: 'ship_on_print_needs_no_verification' }] },
    );
  }
  const fields = ['verificationRequired', 'shipOn', 'prefetchWaybills'] as const;
  if (fields.every((f) => after[f] === before[f])) return after;
  return runCommand(ctx, 'station.updateSettings', input, { tables: ['meta'] }, (scope) => {
    ctx.db.$client
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(STATION_SETTINGS_KEY, JSON.stringify(after));
    for (const field of fields) {
      if (before[field] !== after[field]) scope.audit({ entity: 'station', entityId: STATION_SETTINGS_KEY, field, before: before[field], after: after[field] });
    }
    return after;
  });
}
