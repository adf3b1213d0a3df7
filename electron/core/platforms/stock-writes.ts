// What the one-SKU-per-call stock writers (PDD, JD, Kuaishou) share: a refusal for one SKU becomes that
// write's result in the platform's words, anything retrying may fix (transport, throttling, an expired
// authorisation) throws for the whole call. docs/platforms/stock-write.md.
import type { StockWrite, StockWriteResult } from '../../shared/stock-model.ts';
import { AppError } from '../../shared/result.ts';

/** The write's result for a refusal the platform gave, or rethrows what is not a refusal. */
export function refusedOrThrow(e: unknown, w: StockWrite, locked: (words: string, code: string) => boolean): StockWriteResult {
  if (!(e instanceof AppError) || e.code !== 'PLATFORM_ERROR') throw e;
  const d = typeof e.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : {};
  if (d.retryable === true) throw e;
  const words = typeof d.subMsg === 'string' && d.subMsg !== '' ? d.subMsg : e.message;
  return { kind: 'refused', key: w.key, reason: words, lockedByPromotion: locked(words, String(d.code ?? '')) };
}

/** A write the platform has no call for, refused before anything is sent. */
export const unsupported = (w: StockWrite, reason: string): StockWriteResult => ({ kind: 'refused', key: w.key, reason, lockedByPromotion: false });

/** One call per write, in order; refusals are per write, anything else stops the call. */
export async function oneByOne(writes: StockWrite[], send: (w: StockWrite) => Promise<StockWriteResult>): Promise<StockWriteResult[]> {
  const out: StockWriteResult[] = [];
  for (const w of writes) out.push(await send(w));
  return out;
}
