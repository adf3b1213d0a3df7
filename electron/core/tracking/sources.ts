// Which platform API a shop's traces come from: its adapter's traceParcel — TOP
// taobao.logistics.trace.search (Taobao/Tmall), pdd.logistics.ordertrace.get (PDD) and Douyin
// logistics.trackNoRouteDetail, all [UNVERIFIED] shapes from public SDK models since
// docs/platforms/common.md#which-apis-exist documents no trace API. JD and Kuaishou adapters have none, so
// their packages are traced by CSV import — fetcherFor answers null for them and the poller says so.
import type { Db } from '../db/open.ts';
import type { ParcelTrace, PlatformAdapter, ShopRecord, TraceRequest } from '../platforms/contract.ts';
import { adapterFor, shopWithSecrets } from '../platforms/registry.ts';
import type { SecretCipher } from '../shops/secrets.ts';

/** One package's trace as the platform tells it; waybillNo is the one the platform traced (null: not said). */
export type TraceFetcher = (req: TraceRequest) => Promise<ParcelTrace>;

export type TraceFetcherFor = (shop: ShopRecord) => TraceFetcher | null;

/** The platform fetchers, through the same adapters (and stored secrets) the sync engine uses. */
export function platformTraceFetchers(db: Db, secretCipher: SecretCipher | undefined, now: () => number): TraceFetcherFor {
  return (shop) => {
    let adapter: PlatformAdapter;
    try {
      adapter = adapterFor(shopWithSecrets(db, secretCipher, shop), { now });
    } catch {
      // A shop whose adapter cannot be built (settings or secrets it refuses) has no traces to ask for;
      // its sync shows why. Counted with the shops that have no trace API rather than failed each poll.
      return null;
    }
    return adapter.traceParcel?.bind(adapter) ?? null;
  };
}
