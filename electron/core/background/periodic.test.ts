import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { periodic } from './periodic.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('periodic', () => {
  it('ticks every everyMs, and once at start when asked to', () => {
    vi.useFakeTimers();
    const ticks: number[] = [];
    const loop = periodic(() => ticks.push(Date.now()), { everyMs: 40, immediately: true });
    const t0 = Date.now();
    expect(loop.start()).toBe(true);
    expect(loop.running).toBe(true);
    expect(ticks).toEqual([]); // the first tick waits for the event loop, never runs inside start()
    vi.advanceTimersByTime(0);
    expect(ticks.map((t) => t - t0)).toEqual([0]);
    vi.advanceTimersByTime(100);
    expect(ticks.map((t) => t - t0)).toEqual([0, 40, 80]);
  });

  it('without immediately, the first tick comes after one interval', () => {
    vi.useFakeTimers();
    let n = 0;
    periodic(() => (n += 1), { everyMs: 50 }).start();
    vi.advanceTimersByTime(49);
    expect(n).toBe(0);
    vi.advanceTimersByTime(1);
    expect(n).toBe(1);
  });

  it('a second start does not add timers; stop ends the ticks, including a pending first one; start works again', () => {
    vi.useFakeTimers();
    let n = 0;
    const loop = periodic(() => (n += 1), { everyMs: 10, immediately: true });
    loop.start();
    expect(loop.start()).toBe(false);
    expect(vi.getTimerCount()).toBe(2);
    loop.stop();
    expect(loop.running).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(100);
    expect(n).toBe(0);
    expect(loop.start()).toBe(true);
    vi.advanceTimersByTime(25);
    expect(n).toBe(3); // the kick at 0, then 10 and 20
    loop.stop();
  });

  it('an interval below 1 ms is 1 ms, not a busy loop of zero-delay timers', () => {
    vi.useFakeTimers();
    let n = 0;
    periodic(() => (n += 1), { everyMs: 0 }).start();
    vi.advanceTimersByTime(5);
    expect(n).toBe(5);
  });

  it('never keeps the process alive on its own', () => {
    // A child process that starts a loop of one tick a minute and then has nothing else to do: it must
    // exit at once, as the scheduler, outbox and upkeep promise for the CLI.
    const module = fileURLToPath(new URL('./periodic.ts', import.meta.url));
    const script = `const { periodic } = await import(${JSON.stringify(module)}); periodic(() => {}, { everyMs: 60_000, immediately: true }).start(); console.log('started');`;
    const started = Date.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(out.trim()).toBe('started');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
