// The renderer's half of a reason's round trip: the wire shape dispatch returns (asserted in
// electron/core/api/reasons.test.ts) becomes words in the user's language with the details filled in.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { REASON_NAMES } from '../../electron/shared/reasons.ts';
import { enUS } from '../i18n/en-US.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { ApiCallError } from './api-error.ts';
import { describeApiError, reasonWords } from './error-words.ts';

async function translator(lng: 'zh-CN' | 'en-US') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }, lng, fallbackLng: 'zh-CN', interpolation: { escapeValue: false } });
  return i18n.t;
}

// Exactly what dispatch answers for a second cancel of the same job.
const wire = (jobId: string) =>
  ({ code: 'INVALID_STATE', reason: 'print_job.not_cancellable', message: `Print job ${jobId} is cancelled and cannot be cancelled`, details: { jobId, state: 'cancelled' } }) as const;

describe('error words', () => {
  it('word a reason in either language, its state and counts filled in', async () => {
    const err = new ApiCallError('printJobs.cancel', JSON.parse(JSON.stringify(wire('j1'))));
    expect(err.reason).toBe('print_job.not_cancellable');
    const zh = await translator('zh-CN');
    const en = await translator('en-US');
    expect(describeApiError(zh, err)).toEqual({ text: '这个任务已取消，不能取消', lines: [] });
    expect(describeApiError(en, err)).toEqual({ text: 'This job is Cancelled and cannot be cancelled', lines: [] });
    const limit = new ApiCallError('printJobs.reprint', { code: 'FORBIDDEN', reason: 'reprint.limit_reached', message: 'This package was reprinted 2 times', details: { reprints: 2, limit: 2 } });
    expect(describeApiError(zh, limit).text).toBe('这个包裹已重打 2 次，再重打需要店主或运营操作');
    const role = new ApiCallError('printJobs.reprint', { code: 'FORBIDDEN', reason: 'reprint.not_allowed', message: 'Role finance may not reprint', details: { role: 'finance' } });
    expect(describeApiError(zh, role).text).toBe('财务不能重打');
    expect(describeApiError(en, role).text).toMatch(/may not reprint$/);
  });

  it('fall back to the code and the message when there is no reason, or no words for it', async () => {
    const zh = await translator('zh-CN');
    const bare = new ApiCallError('x', { code: 'CONFLICT', message: 'Something clashed' });
    expect(describeApiError(zh, bare)).toEqual({ text: zhCN.errors.CONFLICT, lines: ['Something clashed'] });
    const unknown = new ApiCallError('x', { code: 'NOT_FOUND', reason: 'gadget.missing', message: 'No gadget 7' });
    expect(reasonWords(zh, unknown)).toBeNull();
    expect(describeApiError(zh, unknown)).toEqual({ text: zhCN.errors.NOT_FOUND, lines: ['No gadget 7'] });
  });

  it('have words for every registered reason in both languages', async () => {
    for (const lng of ['zh-CN', 'en-US'] as const) {
      const t = await translator(lng);
      for (const r of REASON_NAMES) expect(reasonWords(t, { reason: r, details: {} }), `${lng} ${r}`).not.toBeNull();
    }
  });
});
