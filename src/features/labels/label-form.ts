// The 面单模板 editor's draft: which carrier is being edited, whether it follows the default, and its
// settings — plus parsing of the millimetre / dot inputs. Pure, so it is tested without a DOM.
import { CARRIERS, type CarrierCode } from '../../../electron/shared/carriers.ts';
import {
  labelSettingsFor,
  MAX_BLOCK_OFFSET_MM,
  type CarrierLabelSettings,
  type LabelBlock,
  type LabelSettings,
  type LabelSettingsTarget,
} from '../../../electron/shared/label-settings.ts';

export const TARGETS: readonly LabelSettingsTarget[] = ['default', ...CARRIERS.map((c) => c.code)];

export interface LabelDraft {
  target: LabelSettingsTarget;
  /** A carrier that follows the default has no settings of its own (saving sends null). */
  followsDefault: boolean;
  settings: CarrierLabelSettings;
}

/** The draft for a target as saved: a carrier without its own settings starts from the default's. */
export function draftFor(saved: LabelSettings, target: LabelSettingsTarget): LabelDraft {
  if (target === 'default') return { target, followsDefault: false, settings: structuredClone(saved.default) };
  const own = saved.carriers[target];
  return { target, followsDefault: !own, settings: structuredClone(own ?? labelSettingsFor(saved, null)) };
}

/** What labels.updateSettings is sent for this draft. */
export function updateInput(draft: LabelDraft): { carrier: LabelSettingsTarget; settings: CarrierLabelSettings | null } {
  return { carrier: draft.target, settings: draft.target !== 'default' && draft.followsDefault ? null : draft.settings };
}

/** Has the draft changed from what is saved? */
export function isDirty(saved: LabelSettings, draft: LabelDraft): boolean {
  const base = draftFor(saved, draft.target);
  if (base.followsDefault !== draft.followsDefault) return true;
  return !draft.followsDefault && canonical(base.settings) !== canonical(draft.settings);
}

/** Offsets of zero are the same as none: dropped, so an untouched block never reads as an edit. */
export function withOffset(s: CarrierLabelSettings, block: LabelBlock, axis: 'x' | 'y', value: number): CarrierLabelSettings {
  const cur = s.offsets[block] ?? { x: 0, y: 0 };
  const next = { ...cur, [axis]: value };
  const offsets = { ...s.offsets };
  if (next.x === 0 && next.y === 0) delete offsets[block];
  else offsets[block] = next;
  return { ...s, offsets };
}

function canonical(s: CarrierLabelSettings): string {
  const offsets = Object.fromEntries(Object.entries(s.offsets).filter(([, o]) => o && (o.x !== 0 || o.y !== 0)).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({ ...s, offsets });
}

/**
 * A millimetre input: a number within ±MAX_BLOCK_OFFSET_MM, kept to 0.1 mm (finer is below one dot at
 * 203 dpi). Empty is 0. null = not a valid offset (the field shows an error and the preview keeps the last good value).
 */
export function parseMm(text: string): number | null {
  const t = text.trim().replace('，', '.').replace(',', '.');
  if (t === '' || t === '-') return 0;
  if (!/^[-+]?\d*\.?\d*$/.test(t)) return null;
  const v = Number(t);
  if (!Number.isFinite(v) || Math.abs(v) > MAX_BLOCK_OFFSET_MM) return null;
  return Math.round(v * 10) / 10;
}

/** A printer calibration input in whole dots, within the printers' ±400 limit. */
export function parseDots(text: string): number | null {
  const t = text.trim();
  if (t === '' || t === '-') return 0;
  if (!/^[-+]?\d+$/.test(t)) return null;
  const v = Number(t);
  return Math.abs(v) <= 400 ? v : null;
}

export function isCarrier(target: LabelSettingsTarget): target is CarrierCode {
  return target !== 'default';
}
