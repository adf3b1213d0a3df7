// Reads a tracking state out of a carrier's Chinese status text (CSV imports, and the fallback for
// platform trace steps whose action code we do not know). Order matters: "退回签收" is a return and
// "派送异常" an exception, so the stronger words are tried first.
import type { TrackingState } from '../../shared/contract.ts';

export type TraceStatus = Exclude<TrackingState, 'none'>;

const RULES: ReadonlyArray<readonly [RegExp, TraceStatus]> = [
  [/退回|退件|拒收|退货|return/i, 'returned'],
  [/异常|问题件|滞留|丢失|破损|exception/i, 'exception'],
  [/签收|妥投|delivered|signed/i, 'signed'],
  [/派送|派件|投递中|out.?for.?delivery|delivering/i, 'delivering'],
  [/揽收|揽件|已收件|collected|picked.?up/i, 'collected'],
  [/运输|在途|转运|到达|发往|中转|transit/i, 'in_transit'],
];

/** The tracking state a status word names, or null when the text names none we know. */
export function statusFromText(text: string): TraceStatus | null {
  const t = text.trim();
  if (t === '') return null;
  for (const [re, status] of RULES) if (re.test(t)) return status;
  return null;
}

/**
 * A signature by someone other than the buyer: a parcel locker, a station or a neighbour (代收).
 * Kept deliberately simple — the words carriers put in their signing descriptions.
 */
export const PROXY_SIGN_WORDS = /代收|代签|驿站|快递柜|丰巢|自提|菜鸟站|门卫|前台/;
