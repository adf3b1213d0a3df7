import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TOASTS, useToasts } from './toast-store.ts';

const texts = () => useToasts.getState().toasts.map((t) => t.text);

describe('toasts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useToasts.setState({ toasts: [] });
  });
  afterEach(() => vi.useRealTimers());

  it('shows at most three, the newest, however many arrive', () => {
    const { push } = useToasts.getState();
    for (let i = 1; i <= 7; i++) push({ kind: 'success', text: `批次 ${i}` });
    expect(MAX_TOASTS).toBe(3);
    expect(texts()).toEqual(['批次 5', '批次 6', '批次 7']);
  });

  it('counts the same message again instead of stacking a copy, and restarts its time', () => {
    const { push } = useToasts.getState();
    push({ kind: 'error', text: '网络断开', lines: ['ECONNRESET'] });
    vi.advanceTimersByTime(6000);
    push({ kind: 'error', text: '网络断开', lines: ['ECONNRESET'] });
    push({ kind: 'error', text: '网络断开', lines: ['ECONNRESET'] });
    // Same text with different details is a different message.
    push({ kind: 'error', text: '网络断开', lines: ['ETIMEDOUT'] });
    const toasts = useToasts.getState().toasts;
    expect(toasts).toHaveLength(2);
    expect(toasts[0]!.repeat).toBe(3);
    // The first would have gone at 8 s; the repeat gave it 8 s from its last arrival.
    vi.advanceTimersByTime(4000);
    expect(useToasts.getState().toasts).toHaveLength(2);
    vi.advanceTimersByTime(4100);
    expect(useToasts.getState().toasts).toHaveLength(0);
  });

  it('goes away by itself: results after 4 s, errors after 8 s', () => {
    const { push } = useToasts.getState();
    push({ kind: 'success', text: '已保存' });
    push({ kind: 'error', text: '出错了' });
    vi.advanceTimersByTime(4100);
    expect(texts()).toEqual(['出错了']);
    vi.advanceTimersByTime(4000);
    expect(texts()).toEqual([]);
  });
});
