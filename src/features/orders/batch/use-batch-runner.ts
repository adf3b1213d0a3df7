// Runs one batch command and reports its BatchResult as a translated toast (changed, and the
// skipped orders grouped by reason).
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BatchResult } from '../../../../electron/shared/contract.ts';
import { useToasts } from '../../../app/toast-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';

/** Group skipped orders by reason: [reason, count], most frequent first. */
export function skippedByReason(result: BatchResult): [string, number][] {
  const counts = new Map<string, number>();
  for (const s of result.skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

export function useBatchRunner(): { busy: boolean; run(action: string, call: () => Promise<BatchResult>): Promise<boolean> } {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  const report = useReportError();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (action: string, call: () => Promise<BatchResult>) => {
      setBusy(true);
      try {
        const result = await call();
        const groups = skippedByReason(result);
        push({
          kind: result.changed > 0 || groups.length === 0 ? 'success' : 'info',
          text: t('batch.result', { action: t(`batch.${action}`), changed: result.changed, skipped: result.skipped.length }),
          // Reasons are short codes from the core; unknown ones show as sent.
          lines: groups.map(([reason, n]) => t('batch.skippedLine', { reason: t(`skipReason.${reason}`, { defaultValue: reason }), count: n })),
        });
        return true;
      } catch (err) {
        report(err);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [t, push, report],
  );
  return { busy, run };
}
