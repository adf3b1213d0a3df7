// The 物流 page's pure helpers: age split into days and hours, and the scorecard sort (nulls last).
import { describe, expect, it } from 'vitest';
import { TRACKING_EXCEPTION_REASONS, TRACKING_STATES, type ScorecardRow } from '../../../electron/shared/contract.ts';
import { trackingEnUS } from '../../i18n/tracking.en-US.ts';
import { trackingZhCN } from '../../i18n/tracking.zh-CN.ts';
import { ageParts, carrierName, sortScorecard } from './tracking-words.ts';

const row = (carrierCode: string, province: string, medianHours: number | null, shipped: number): ScorecardRow => ({
  carrierCode,
  province,
  shipped,
  signed: medianHours === null ? 0 : shipped,
  medianHours,
  p90Hours: medianHours,
  exceptionRate: 0,
});

describe('tracking words', () => {
  it('splits an age into days and hours', () => {
    expect(ageParts(47 * 3_600_000 + 59 * 60_000)).toEqual({ d: 1, h: 23 });
    expect(ageParts(-5)).toEqual({ d: 0, h: 0 });
  });
  it('names carriers in either language and keeps unknown codes', () => {
    expect(carrierName('YTO', true)).toBe('圆通速递');
    expect(carrierName('YTO', false)).toBe('YTO Express');
    expect(carrierName('XYZ', true)).toBe('XYZ');
  });
  it('sorts the scorecard by any column, rows without a value last', () => {
    const rows = [row('ZTO', '广东省', 30, 5), row('YTO', '浙江省', null, 9), row('YTO', '广东省', 20, 2)];
    expect(sortScorecard(rows, 'medianHours', 'asc').map((r) => r.medianHours)).toEqual([20, 30, null]);
    expect(sortScorecard(rows, 'medianHours', 'desc').map((r) => r.medianHours)).toEqual([30, 20, null]);
    expect(sortScorecard(rows, 'shipped', 'desc').map((r) => r.shipped)).toEqual([9, 5, 2]);
    expect(sortScorecard(rows, 'carrierCode', 'asc').map((r) => `${r.carrierCode}${r.province}`)).toEqual(['YTO广东省', 'YTO浙江省', 'ZTO广东省']);
  });
  it('has words for every tracking state and exception reason in both languages', () => {
    for (const m of [trackingZhCN, trackingEnUS]) {
      expect(Object.keys(m.trackingState).sort()).toEqual([...TRACKING_STATES].sort());
      expect(Object.keys(m.trackingReason).sort()).toEqual([...TRACKING_EXCEPTION_REASONS].sort());
    }
  });
});
