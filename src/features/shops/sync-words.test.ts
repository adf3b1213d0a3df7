import { describe, expect, it } from 'vitest';
import { syncErrorWords, spanOf } from './sync-words.ts';

describe('syncErrorWords', () => {
  it('words the stored kind, never the message: an English or Chinese text changes nothing', () => {
    expect(syncErrorWords({ code: 'SHOP_AUTH_EXPIRED', kind: 'auth', message: 'Taobao shop has no session (access token); authorise the shop' })).toBe('auth');
    expect(syncErrorWords({ code: 'PLATFORM_ERROR', kind: 'throttled', message: '70031 调用频率超限' })).toBe('throttled');
    // The same words as a throttle, but the adapter marked it transient: the kind decides.
    expect(syncErrorWords({ code: 'PLATFORM_ERROR', kind: 'retryable', message: 'HTTP 429 too many requests' })).toBe('transient');
    expect(syncErrorWords({ code: 'PLATFORM_ERROR', kind: 'fatal', message: 'TOP 25 invalid signature' })).toBe('fatal');
    expect(syncErrorWords({ code: 'INVALID_STATE', kind: 'retryable', message: 'Taobao shop settings lack appKey/appSecret' })).toBe('INVALID_STATE');
    expect(syncErrorWords({ code: 'INTERNAL', kind: 'retryable', message: 'disk I/O error' })).toBe('other');
  });
});

describe('spanOf', () => {
  it('picks the largest whole unit', () => {
    expect(spanOf(-5)).toEqual({ unit: 'ms', count: 0 });
    expect(spanOf(450)).toEqual({ unit: 'ms', count: 450 });
    expect(spanOf(59_999)).toEqual({ unit: 'seconds', count: 59 });
    expect(spanOf(89_000)).toEqual({ unit: 'minutes', count: 1 });
    expect(spanOf(5 * 3600_000 + 1)).toEqual({ unit: 'hours', count: 5 });
    expect(spanOf(25 * 3600_000)).toEqual({ unit: 'days', count: 1 });
  });
});
