// The per-app interval gate on a fake clock: calls queue in arrival order, start intervalMs after the
// previous call ended, and a failed call neither loses its slot nor blocks the callers behind it.
import { describe, expect, it } from 'vitest';
import { decryptGateFor, IntervalGate } from './pace.ts';

describe('IntervalGate', () => {
  it('spaces calls from the end of the previous one, in arrival order, past failures', async () => {
    const clock = { now: 1_000 };
    const sleep = async (ms: number): Promise<void> => {
      clock.now += ms;
    };
    const gate = new IntervalGate(10_000);
    const started: Array<[string, number]> = [];
    const call = (name: string, takesMs: number, fail = false) => async () => {
      started.push([name, clock.now]);
      clock.now += takesMs;
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
    const a = gate.run(() => clock.now, sleep, call('a', 2_000));
    const b = gate.run(() => clock.now, sleep, call('b', 500, true));
    const c = gate.run(() => clock.now, sleep, call('c', 0));
    expect(await a).toBe('a');
    await expect(b).rejects.toThrow('b failed');
    expect(await c).toBe('c');
    // a ends at 3 000 → b starts at 13 000, ends 13 500 → c starts at 23 500.
    expect(started).toEqual([
      ['a', 1_000],
      ['b', 13_000],
      ['c', 23_500],
    ]);
  });

  it('is one gate per app', () => {
    expect(decryptGateFor('app-1')).toBe(decryptGateFor('app-1'));
    expect(decryptGateFor('app-1')).not.toBe(decryptGateFor('app-2'));
  });
});
