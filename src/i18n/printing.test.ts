// Every state, problem and choice the printing screens show has words in both languages.
import { describe, expect, it } from 'vitest';
import { PRINT_JOB_STATES, PRINT_PROBLEMS, PRINTER_DOCUMENT_TYPES, PRINTER_LANGUAGES } from '../../electron/shared/contract.ts';
import { printingEnUS } from './printing.en-US.ts';
import { printingZhCN } from './printing.zh-CN.ts';

describe('printing messages', () => {
  for (const [lang, m] of [['zh-CN', printingZhCN], ['en-US', printingEnUS]] as const) {
    it(`${lang} names every job state, pre-check problem, printer language, document and bad import row`, () => {
      for (const s of PRINT_JOB_STATES) expect(m.jobState[s], s).toBeTruthy();
      for (const p of PRINT_PROBLEMS) expect((m.precheck as Record<string, string>)[p], p).toBeTruthy();
      for (const l of PRINTER_LANGUAGES) expect(m.printerLang[l], l).toBeTruthy();
      for (const d of PRINTER_DOCUMENT_TYPES) expect(m.printerDoc[d], d).toBeTruthy();
      for (const d of [...PRINTER_DOCUMENT_TYPES, 'test'] as const) expect((m.printJobs as Record<string, string>)[`doc_${d}`], d).toBeTruthy();
      for (const b of ['blank', 'duplicate_in_file', 'already_in_pool', 'bad_characters'] as const) expect(m.badRow[b], b).toBeTruthy();
    });
  }
  it('uses the operator words the brief names for job states', () => {
    expect(printingZhCN.jobState).toMatchObject({ queued: '排队中', sending: '发送中', sent: '已发送', confirmed: '已确认', failed: '失败', uncertain: '待确认' });
  });
});
