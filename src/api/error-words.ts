// A failed call in the user's language: the reason's words with its details filled in (the reasons
// tables in src/i18n), else the code's generic words with the core's English message beneath.
import type { TFunction } from 'i18next';
import type { StoredError } from '../../electron/shared/stored-error.ts';
import type { ApiCallError } from './api-error.ts';

export interface ErrorWords {
  /** The line a person reads. */
  text: string;
  /** The core's technical message, when the reason had no words of its own (empty otherwise). */
  lines: string[];
}

const MISSING = '\u0000no-words';

/** The reason's words, or null when there is no reason or no translation for it. */
export function reasonWords(t: TFunction, err: Pick<ApiCallError, 'reason' | 'details'>): string | null {
  if (!err.reason) return null;
  const details = typeof err.details === 'object' && err.details !== null ? (err.details as Record<string, unknown>) : {};
  const words = t(`reasons.${err.reason}`, { ...details, defaultValue: MISSING });
  return typeof words === 'string' && words !== MISSING ? words : null;
}

export function describeApiError(t: TFunction, err: Pick<ApiCallError, 'code' | 'reason' | 'details' | 'message'>): ErrorWords {
  const words = reasonWords(t, err);
  if (words !== null) return { text: words, lines: [] };
  return { text: t(`errors.${err.code}`), lines: err.message ? [err.message] : [] };
}

/**
 * A failure kept on a row (a push-back's, a print job's): its reason's words, with a `detail` it
 * carries beneath (a system code, a spooler's or a platform component's own words); else the code's
 * words with the message beneath; a row from before errors kept their code shows its message as is.
 */
export function describeStoredError(t: TFunction, e: StoredError): ErrorWords {
  const words = reasonWords(t, e);
  if (words !== null) {
    const detail = e.details?.detail;
    return { text: words, lines: typeof detail === 'string' && detail !== '' ? [detail] : [] };
  }
  if (e.code === null) return { text: e.message, lines: [] };
  return describeApiError(t, { code: e.code, reason: null, details: null, message: e.message });
}
