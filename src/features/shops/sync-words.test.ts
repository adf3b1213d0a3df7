import { describe, expect, it } from 'vitest';
import { classifySyncError, spanOf } from './sync-words.ts';

describe('classifySyncError', () => {
  it('tells authorisation, throttling, timeouts, network and other platform errors apart', () => {
    expect(classifySyncError('SHOP_AUTH_EXPIRED: Taobao shop has no session (access token); authorise the shop')).toBe('SHOP_AUTH_EXPIRED');
    expect(classifySyncError('PLATFORM_ERROR: TOP 7 App Call Limited')).toBe('throttled');
    expect(classifySyncError('PLATFORM_ERROR: pdd.order.number.list.increment.get: HTTP 429')).toBe('throttled');
    expect(classifySyncError('PLATFORM_ERROR: 70031 调用频率超限')).toBe('throttled');
    expect(classifySyncError('PLATFORM_ERROR: TOP unreachable: fetch failed')).toBe('network');
    expect(classifySyncError('PLATFORM_ERROR: jd: network error: connect ECONNREFUSED 127.0.0.1:9')).toBe('network');
    expect(classifySyncError('PLATFORM_ERROR: kuaishou open.order: request timed out after 20000 ms')).toBe('timeout');
    expect(classifySyncError('PLATFORM_ERROR: TOP returned a response that is not JSON (12 bytes)')).toBe('PLATFORM_ERROR');
    expect(classifySyncError('INVALID_STATE: Taobao shop settings lack appKey/appSecret')).toBe('INVALID_STATE');
    expect(classifySyncError('disk I/O error')).toBe('other');
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
