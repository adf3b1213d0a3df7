import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { enUS } from '../../i18n/en-US.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { describeSyncError, syncErrorWords, spanOf } from './sync-words.ts';

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

describe('describeSyncError', () => {
  it('shows a stored error (as shops.overview returns it) in the chosen language, and nothing for none', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }, lng: 'zh-CN', interpolation: { escapeValue: false } });
    const stored = { code: 'PLATFORM_ERROR', kind: 'throttled', message: 'TOP 7 App Call Limited' } as const;
    expect(describeSyncError(i18n.t, stored)).toBe(zhCN.syncError.throttled);
    expect(describeSyncError(i18n.t, { code: 'SHOP_AUTH_EXPIRED', kind: 'auth', message: 'x' })).toBe('授权已过期，请重新授权');
    expect(describeSyncError(i18n.t, null)).toBeNull();
    await i18n.changeLanguage('en-US');
    expect(describeSyncError(i18n.t, stored)).toBe(enUS.syncError.throttled);
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
