// A print job's stored failure becomes words from its reason and details (as the print queue stored
// them in print_jobs and printJobs.list returns them), never from its English message.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { PRINT_FAILURES } from '../../../electron/shared/print-failures.ts';
import { storedErrorOf } from '../../../electron/shared/stored-error.ts';
import { enUS } from '../../i18n/en-US.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { jobErrorWords } from './job-words.ts';

async function translator(lng: 'zh-CN' | 'en-US') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }, lng, fallbackLng: 'zh-CN', interpolation: { escapeValue: false } });
  return i18n.t;
}

/** A job as printJobs.list returns it: the stored columns read back by the core's jobErrorOf. */
const job = (message: string, reason: string | null, details: Record<string, unknown> | null) => ({
  lastError: message,
  lastErrorWhy: storedErrorOf(message, null, null, reason, details === null ? null : JSON.stringify(details)),
});

describe('print job error words', () => {
  it('word each stored failure in either language, the technical detail beneath', async () => {
    const zh = await translator('zh-CN');
    const en = await translator('en-US');
    const notSent = job('paper out (checked before sending; nothing was sent)', 'print_job.not_sent', { failure: 'paper_out' });
    expect(jobErrorWords(zh, notSent)).toBe('缺纸：发送前检查，未发送');
    expect(jobErrorWords(en, notSent)).toBe('Out of paper: checked before sending, nothing was sent');
    const refused = job('connection refused: ECONNREFUSED', 'print_job.failed', { failure: 'refused', detail: 'ECONNREFUSED' });
    expect(jobErrorWords(zh, refused)).toBe('打印失败：连接被拒绝（打印机未开机或地址/端口不对） — ECONNREFUSED');
    const unsure = job('delivered to the printer, but: paper out; check whether it printed', 'print_job.problem_after_send', { failure: 'paper_out' });
    expect(jobErrorWords(zh, unsure)).toBe('已送达打印机，但缺纸；请确认是否已打印');
    const broke = job('sending broke off …', 'print_job.maybe_delivered', { failure: 'closed_early', detail: 'ECONNRESET' });
    expect(jobErrorWords(zh, broke)).toBe('发送中断，打印机可能已收到（打印机提前断开了连接）；请确认是否已打印 — ECONNRESET');
    expect(jobErrorWords(en, job('the station stopped …', 'print_job.interrupted', { at: 1 }))).toMatch(/^The station stopped while sending/);
  });

  it('show a job failed before failures kept their reason as its stored text, and nothing when it has none', async () => {
    const zh = await translator('zh-CN');
    expect(jobErrorWords(zh, job('缺纸：发送前检查，未发送', null, null))).toBe('缺纸：发送前检查，未发送');
    expect(jobErrorWords(zh, { lastError: null, lastErrorWhy: null })).toBeNull();
  });

  it('have words for every failure reason the queue can store, in both languages', async () => {
    for (const lng of ['zh-CN', 'en-US'] as const) {
      const t = await translator(lng);
      for (const failure of PRINT_FAILURES) {
        expect(jobErrorWords(t, job('x', 'print_job.failed', { failure })), `${lng} ${failure}`).not.toContain('printFailure.');
      }
    }
  });
});
