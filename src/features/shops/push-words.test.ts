// A push-back's stored error becomes words from its code, kind and reason (as the outbox stored them
// and pushes.list returns them), never from its English message.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { StoredError } from '../../../electron/shared/stored-error.ts';
import { enUS } from '../../i18n/en-US.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { pushErrorWords } from './push-words.ts';

async function translator(lng: 'zh-CN' | 'en-US') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }, lng, fallbackLng: 'zh-CN', interpolation: { escapeValue: false } });
  return i18n.t;
}

const why = (e: Partial<StoredError>): { lastErrorWhy: StoredError } => ({
  lastErrorWhy: { code: null, kind: null, reason: null, details: null, message: 'English for logs', ...e },
});

describe('push-back error words', () => {
  it('word a refusal by its reason, the platform\'s own words filled in, in either language', async () => {
    const rejected = why({ code: 'PLATFORM_ERROR', reason: 'push.rejected', details: { platformWords: '订单已退款，不能发货' } });
    expect(pushErrorWords(await translator('zh-CN'), rejected)).toBe('平台拒绝了这次回传：订单已退款，不能发货');
    expect(pushErrorWords(await translator('en-US'), rejected)).toBe('The platform refused this update: 订单已退款，不能发货');
    const mismatch = why({ code: 'CONFLICT', reason: 'push.waybill_mismatch', details: { theirs: 'YT1', ours: 'ZT2' } });
    expect(pushErrorWords(await translator('zh-CN'), mismatch)).toBe('平台显示该订单已发货（运单号 YT1），与本地运单号 ZT2 不一致');
  });

  it('word a retried platform failure by its kind, and a fatal one by the platform\'s words', async () => {
    const zh = await translator('zh-CN');
    const transient = why({ code: 'PLATFORM_ERROR', kind: 'retryable', reason: 'platform.error', details: { platformWords: 'pdd: HTTP 502' } });
    expect(pushErrorWords(zh, transient)).toBe(zhCN.syncError.transient);
    const fatal = why({ code: 'PLATFORM_ERROR', kind: 'fatal', reason: 'platform.error', details: { platformWords: '物流公司不存在' } });
    expect(pushErrorWords(zh, fatal)).toBe('平台返回错误：物流公司不存在');
    expect(pushErrorWords(zh, why({ code: 'SHOP_AUTH_EXPIRED', kind: 'auth' }))).toBe(zhCN.syncError.auth);
  });

  it('show a row stored before errors kept their code as its text, and nothing without an error', async () => {
    const zh = await translator('zh-CN');
    expect(pushErrorWords(zh, why({ message: 'PLATFORM_ERROR: old text' }))).toBe('PLATFORM_ERROR: old text');
    expect(pushErrorWords(zh, { lastErrorWhy: null })).toBeNull();
  });
});
