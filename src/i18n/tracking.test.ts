// Every problem a trace import reports for a row has words in both languages (the dialog words the
// problem code; the core's sentence is English, for logs and the CLI).
import { describe, expect, it } from 'vitest';
import { TRACE_IMPORT_PROBLEMS } from '../../electron/shared/contract.ts';
import { trackingEnUS } from './tracking.en-US.ts';
import { trackingZhCN } from './tracking.zh-CN.ts';

describe('tracking messages', () => {
  for (const [lang, m] of [['zh-CN', trackingZhCN], ['en-US', trackingEnUS]] as const) {
    it(`${lang} words every bad trace-import row`, () => {
      for (const p of TRACE_IMPORT_PROBLEMS) expect((m.traceImportProblem as Record<string, string>)[p], p).toBeTruthy();
      // The unreadable cell is shown, so the person can find it in the file.
      expect(m.traceImportProblem.bad_time).toContain('{{value}}');
      expect(m.traceImportProblem.bad_status).toContain('{{value}}');
    });
  }
});
