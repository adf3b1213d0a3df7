// Turns any thrown error into a translated toast: the reason's words when the core named one, else
// the contract's error code in words with the core's message beneath.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiCallError } from '../api/api-error.ts';
import { describeApiError } from '../api/error-words.ts';
import { useToasts } from './toast-store.ts';

export function useReportError(): (err: unknown, method?: string) => void {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  return useCallback(
    (err: unknown, method = '') => {
      // Without a reason the core's message (English, technical) is a second line for people who need it.
      push({ kind: 'error', ...describeApiError(t, toApiCallError(method, err)) });
    },
    [t, push],
  );
}
