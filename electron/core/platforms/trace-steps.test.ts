import { describe, expect, it } from 'vitest';
import { readStep, readSteps, stepTime } from './trace-steps.ts';

const AT = Date.UTC(2026, 11, 7, 2, 30, 5); // 10:30:05 in Beijing

describe('stepTime', () => {
  it('reads Beijing wall-clock text and epoch seconds or ms, as numbers or digits', () => {
    expect(stepTime('2026-12-07 10:30:05')).toBe(AT);
    expect(stepTime(String(AT / 1000))).toBe(AT);
    expect(stepTime(AT / 1000)).toBe(AT);
    expect(stepTime(AT)).toBe(AT);
    for (const bad of ['', '2026-12-07', 'yesterday', null, undefined, {}, -5]) expect(stepTime(bad)).toBeNull();
  });
});

describe('readStep', () => {
  const codes = { GOT: 'collected' } as const;
  it('takes the state from a known code, then the state words, then the description', () => {
    expect(readStep({ time: AT, description: '【杭州市】快件已揽收', code: 'got' }, codes)).toEqual({ at: AT, status: 'collected', description: '【杭州市】快件已揽收', location: '杭州市' });
    expect(readStep({ time: AT, description: '快件离开转运中心', stateWords: '派送中' }, codes)?.status).toBe('delivering');
    expect(readStep({ time: AT, description: '已签收，签收人：本人', code: 'WHATEVER', site: '西湖营业部' }, codes)).toMatchObject({ status: 'signed', location: '西湖营业部' });
  });
  it('skips a step without time, words or a state it can name', () => {
    expect(readStep({ time: 'soon', description: '已签收' }, codes)).toBeNull();
    expect(readStep({ time: AT, description: '  ' }, codes)).toBeNull();
    expect(readStep({ time: AT, description: '包裹信息已更新' }, codes)).toBeNull();
    expect(readSteps([null, 3, { t: 1 }, { time: AT, description: '已签收' }], (s) => readStep({ time: s.time, description: s.description }, codes))).toHaveLength(1);
    expect(readSteps('not a list', () => null)).toEqual([]);
  });
});
