// A push-back's last error in words: the stored classification (code, kind, reason and details, kept
// in the pushes row where the outbox settled it), never re-guessed from its English message.
import type { TFunction } from 'i18next';
import type { PushView } from '../../../electron/shared/contract.ts';
import { describeStoredError } from '../../api/error-words.ts';
import { describeSyncError } from './sync-words.ts';

/** Reasons that only say "the platform failed": for those the kind (retried? re-authorise?) says more. */
const GENERIC: ReadonlySet<string> = new Set(['platform.error', 'shop.auth_expired']);

/**
 * The push's last error in the user's language: its reason's words (the platform's own words for a
 * refusal). A thrown error without a reason, or with a generic one that the outbox will retry, is
 * worded by its kind, as the Shops page words a sync error.
 */
export function pushErrorWords(t: TFunction, p: Pick<PushView, 'lastErrorWhy'>): string | null {
  const e = p.lastErrorWhy;
  if (e === null) return null;
  const kindSaysMore = e.reason === null || (GENERIC.has(e.reason) && e.kind !== 'fatal');
  if (kindSaysMore && e.kind !== null && e.code !== null) return describeSyncError(t, { code: e.code, kind: e.kind, message: e.message });
  const words = describeStoredError(t, e);
  return [words.text, ...words.lines].join(' — ');
}
