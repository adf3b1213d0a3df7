// The label template settings (面单模板) of a station: read from and written to the meta table as one
// JSON value, changed only through the audited labels.updateSettings command.
import {
  carrierLabelSettingsSchema,
  DEFAULT_LABEL_SETTINGS,
  labelSettingsSchema,
  type CarrierLabelSettings,
  type LabelSettings,
  type LabelSettingsTarget,
} from '../../shared/label-settings.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';

export const LABEL_SETTINGS_KEY = 'labels.settings';

/**
 * The stored settings, or the defaults when none were saved. A value that no longer validates (written
 * by a newer version, or edited by hand) falls back to the defaults rather than stopping every print;
 * the next save replaces it.
 */
export function getLabelSettings(db: Db): LabelSettings {
  const row = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(LABEL_SETTINGS_KEY);
  if (!row) return structuredClone(DEFAULT_LABEL_SETTINGS);
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.value);
  } catch {
    parsed = null;
  }
  const r = labelSettingsSchema.safeParse(parsed);
  if (r.success) return r.data;
  console.warn(`[labels] stored ${LABEL_SETTINGS_KEY} is invalid; using the defaults until saved again`);
  return structuredClone(DEFAULT_LABEL_SETTINGS);
}

export interface LabelSettingsUpdate {
  carrier: LabelSettingsTarget;
  /** null: the carrier follows the default again (refused for the default itself, which resets to the built-in). */
  settings: CarrierLabelSettings | null;
}

/** Sets the default's or one carrier's label settings; returns the whole setting as saved. */
export function updateLabelSettings(ctx: CoreContext, input: LabelSettingsUpdate): LabelSettings {
  // Validated again here: the CLI and tests call this without going through dispatch.
  const settings = input.settings === null ? null : carrierLabelSettingsSchema.parse(input.settings);
  return runCommand(ctx, 'labels.updateSettings', { carrier: input.carrier, settings }, { tables: ['meta'] }, (scope) => {
    // Read inside the write transaction, so two stations' edits of different carriers both survive.
    const current = getLabelSettings(ctx.db);
    const next: LabelSettings = structuredClone(current);
    const before = input.carrier === 'default' ? current.default : (current.carriers[input.carrier] ?? null);
    if (input.carrier === 'default') next.default = settings ?? structuredClone(DEFAULT_LABEL_SETTINGS.default);
    else if (settings === null) delete next.carriers[input.carrier];
    else next.carriers[input.carrier] = settings;
    ctx.db.$client
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(LABEL_SETTINGS_KEY, JSON.stringify(next));
    scope.audit({ entity: 'label_settings', entityId: input.carrier, before, after: settings });
    return next;
  });
}
