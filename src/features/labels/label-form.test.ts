// The template editor's draft: following the default, dirty tracking, offsets and number parsing.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CARRIER_LABEL_SETTINGS, DEFAULT_LABEL_SETTINGS, type LabelSettings } from '../../../electron/shared/label-settings.ts';
import { draftFor, isDirty, parseDots, parseMm, updateInput, withOffset } from './label-form.ts';

const saved: LabelSettings = {
  default: { ...DEFAULT_CARRIER_LABEL_SETTINGS, template: '100x150' },
  carriers: { ZTO: { ...DEFAULT_CARRIER_LABEL_SETTINGS, customText: '易碎品', offsets: { barcode: { x: 0, y: 2 } } } },
};

describe('label template draft', () => {
  it('a carrier without its own settings follows the default and starts from it', () => {
    const d = draftFor(saved, 'SF');
    expect(d.followsDefault).toBe(true);
    expect(d.settings.template).toBe('100x150');
    expect(updateInput(d)).toEqual({ carrier: 'SF', settings: null });
    expect(isDirty(saved, d)).toBe(false);
    // Taking it off the default is an edit, and sends its own settings.
    const own = { ...d, followsDefault: false };
    expect(isDirty(saved, own)).toBe(true);
    expect(updateInput(own).settings?.template).toBe('100x150');
  });

  it('tracks edits; zero offsets are the same as none', () => {
    const d = draftFor(saved, 'ZTO');
    expect(d.followsDefault).toBe(false);
    expect(isDirty(saved, d)).toBe(false);
    const moved = { ...d, settings: withOffset(d.settings, 'receiver', 'x', 1.5) };
    expect(isDirty(saved, moved)).toBe(true);
    expect(moved.settings.offsets.receiver).toEqual({ x: 1.5, y: 0 });
    const back = { ...moved, settings: withOffset(moved.settings, 'receiver', 'x', 0) };
    expect(back.settings.offsets.receiver).toBeUndefined();
    expect(isDirty(saved, back)).toBe(false);
    // The draft is a copy: editing it never changes what was saved.
    expect(saved.carriers.ZTO?.offsets.receiver).toBeUndefined();
  });

  it('the default is never "following"', () => {
    const d = draftFor(DEFAULT_LABEL_SETTINGS, 'default');
    expect(d.followsDefault).toBe(false);
    expect(updateInput(d)).toEqual({ carrier: 'default', settings: DEFAULT_CARRIER_LABEL_SETTINGS });
  });

  it('parses millimetres and dots, refusing what the core would refuse', () => {
    expect(parseMm('')).toBe(0);
    expect(parseMm('2.54')).toBe(2.5);
    expect(parseMm('-3')).toBe(-3);
    expect(parseMm('1，5')).toBe(1.5);
    expect(parseMm('31')).toBeNull();
    expect(parseMm('abc')).toBeNull();
    expect(parseDots('-16')).toBe(-16);
    expect(parseDots('1.5')).toBeNull();
    expect(parseDots('401')).toBeNull();
  });
});
