// The packing station's settings: whether scan verification (验货) is mandatory before shipping,
// when the platform is told "shipped" (on print, on scan, or only by hand), and whether clean orders
// are reviewed automatically (自动审单). One JSON value in the meta table under STATION_SETTINGS_KEY;
// a missing or unreadable value reads as the defaults.
import { z } from 'zod';
import { SHIP_ON_CHOICES, type ApiParsedInput, type StationSettings } from '../../shared/contract.ts';
import { AppError } from '../../shared/result.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { AUTO_REVIEW_ACTOR, autoReviewOrders } from '../orders/auto-review.ts';

export const STATION_SETTINGS_KEY = 'station.settings';

/** What is stored; demoStation is read from the demo marker instead. */
export type StoredStationSettings = Omit<StationSettings, 'demoStation'>;

export const DEFAULT_STATION_SETTINGS: StoredStationSettings = { verificationRequired: false, shipOn: 'manual', prefetchWaybills: false, autoReviewClean: false };

// Fields are read one by one so a value written by an older or newer version still yields the
// fields this version understands instead of throwing the whole station back to defaults.
const storedSchema = z.object({
  verificationRequired: z.boolean().catch(DEFAULT_STATION_SETTINGS.verificationRequired),
  shipOn: z.enum(SHIP_ON_CHOICES).catch(DEFAULT_STATION_SETTINGS.shipOn),
  prefetchWaybills: z.boolean().catch(DEFAULT_STATION_SETTINGS.prefetchWaybills),
  autoReviewClean: z.boolean().catch(DEFAULT_STATION_SETTINGS.autoReviewClean),
});

/** Set by the demo team when it sets the station up (electron/sandbox/demo/demo-team.ts). */
function isDemoStation(db: Db): boolean {
  return db.$client.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'demo'").get()?.value === '1';
}

/** The stored settings alone (what updates write back). */
function readStored(db: Db): StoredStationSettings {
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
 * Write settings outside a command: only for setting a station up (the demo team, in its own
 * transaction), where there is no person to audit yet. Fields not given keep their stored value.
 */
export function writeStationSettingsForSetup(tx: WriteTx, patch: Partial<StoredStationSettings>): void {
  tx.$client
    .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .run(STATION_SETTINGS_KEY, JSON.stringify({ ...readStored(tx), ...patch }));
}

export function readStationSettings(db: Db): StationSettings {
  return { ...readStored(db), demoStation: isDemoStation(db) };
}

/**
 * Change the settings (audited command). Ship-on-print together with mandatory verification is
 * refused: a label is printed before its parcel is packed, so every ship on print would be skipped.
 */
export function updateStationSettings(ctx: CoreContext, input: ApiParsedInput<'station.updateSettings'>): StationSettings {
  const before = readStored(ctx.db);
  const after: StoredStationSettings = {
    verificationRequired: input.verificationRequired ?? before.verificationRequired,
    shipOn: input.shipOn ?? before.shipOn,
    prefetchWaybills: input.prefetchWaybills ?? before.prefetchWaybills,
    autoReviewClean: input.autoReviewClean ?? before.autoReviewClean,
  };
  if (after.verificationRequired && after.shipOn === 'print') {
    throw new AppError(
      'VALIDATION_FAILED',
      'Shipping on print cannot be combined with mandatory scan verification: labels are printed before parcels are verified.',
      { issues: [{ path: ['shipOn'], message: 'ship_on_print_needs_no_verification' }] },
    );
  }
  const fields = ['verificationRequired', 'shipOn', 'prefetchWaybills', 'autoReviewClean'] as const;
  const demoStation = isDemoStation(ctx.db);
  if (fields.every((f) => after[f] === before[f])) return { ...after, demoStation };
  runCommand(ctx, 'station.updateSettings', input, { tables: ['meta'] }, (scope) => {
    ctx.db.$client
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(STATION_SETTINGS_KEY, JSON.stringify(after));
    for (const field of fields) {
      if (before[field] !== after[field]) scope.audit({ entity: 'station', entityId: STATION_SETTINGS_KEY, field, before: before[field], after: after[field] });
    }
  });
  // Turned on: the rule applies to what already waits in 待审核 too, not only to what arrives next
  // (its own command, by the rule's name, right after the switch).
  if (after.autoReviewClean && !before.autoReviewClean) autoReviewOrders({ ...ctx, actor: AUTO_REVIEW_ACTOR }, 'pending');
  return { ...after, demoStation };
}
