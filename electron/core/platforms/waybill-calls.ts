// How every platform's e-waybill allocation is cut into calls: requests grouped by what one call
// shares (carrier, sender, account options), at most `batch` packages a call, results back in request
// order. Where a platform refuses a whole multi-package call for one package's sake (a business
// error, not a transport one), each package of that call is asked alone, so one bad receiver does not
// refuse its neighbours — safe without any idempotency promise, since a refused call issued no number.
import type { WaybillRequest, WaybillResult } from './contract.ts';

export interface WaybillCalls {
  /** Packages per call (the platform's limit). */
  batch: number;
  /** One call for packages that share carrier, sender and options; one result per package. */
  call(chunk: WaybillRequest[]): Promise<WaybillResult[]>;
  /** The platform's words when an error is a business refusal of the call; null (or absent) means rethrow. */
  refusal?(err: unknown): string | null;
}

export async function allocateInCalls(requests: readonly WaybillRequest[], c: WaybillCalls): Promise<WaybillResult[]> {
  const out = new Map<string, WaybillResult>();
  const groups = new Map<string, WaybillRequest[]>();
  for (const r of requests) {
    const k = JSON.stringify([r.carrierCode, r.sender, r.options]);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const refusalOf = (err: unknown): string => {
    const why = c.refusal?.(err) ?? null;
    if (why === null) throw err;
    return why;
  };
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += c.batch) {
      const chunk = group.slice(i, i + c.batch);
      let results: WaybillResult[];
      try {
        results = await c.call(chunk);
      } catch (err) {
        const why = refusalOf(err);
        if (chunk.length === 1) results = [{ kind: 'refused', packageId: (chunk[0] as WaybillRequest).packageId, reason: why }];
        else {
          results = [];
          for (const one of chunk) {
            try {
              results.push(...(await c.call([one])));
            } catch (e) {
              results.push({ kind: 'refused', packageId: one.packageId, reason: refusalOf(e) });
            }
          }
        }
      }
      for (const res of results) out.set(res.packageId, res);
    }
  }
  return requests.map((r) => out.get(r.packageId) as WaybillResult);
}
