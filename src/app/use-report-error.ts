// Turns any thrown error into a translated toast, keyed by the contract's error code.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiCallError } from '../api/api-error.ts';
import { useToasts } from './toast-store.ts';

export function useReportError(): (err: unknown, method?: string) => void {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  return useCallback(
    (err: unknown, method = '') => {
      const e = toApiCallError(method, err);
      // The core's message is English and technical: a second line for people who need it.
      push({ kind: 'error', text: t(`errors.${e.code}`), lines: e.message ? [e.message] : [] });
    },
    [t, push],
  );
}
