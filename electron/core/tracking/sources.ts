// Which platform API a shop's traces come from. Only Taobao/Tmall has one so far
// (taobao.logistics.trace.search, platforms/taobao/trace.ts, [UNVERIFIED]); platforms.md documents
// no trace API for PDD, JD, Douyin or Kuaishou, so their packages are traced by CSV import until
// one is sourced — fetcherFor answers null for them and the poller says so.
import type { Db } from '../db/open.ts';
import type { ShopRecord } from '../platforms/contract.ts';
import { adapterFor, shopWithSecrets } from '../platforms/registry.ts';
import { TaobaoAdapter } from '../platforms/taobao/adapter.ts';
import { searchTopTrace } from '../platforms/taobao/trace.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import type { TraceEventInput } from './record.ts';

export interface TraceFetchRequest {
  platformOrderId: string;
  carrierCode: string;
  waybillNo: string;
}

/** One package's trace as the platform tells it; waybillNo is the one the platform traced (null: not said). */
export type TraceFetcher = (req: TraceFetchRequest) => Promise<{ waybillNo: string | null; events: TraceEventInput[] }>;

export type TraceFetcherFor = (shop: ShopRecord) => TraceFetcher | null;

/** The platform fetchers, through the same adapters (and stored secrets) the sync engine uses. */
export function platformTraceFetchers(db: Db, secretCipher: SecretCipher | undefined, now: () => number): TraceFetcherFor {
  return (shop) => {
    if (shop.platform !== 'taobao' && shop.platform !== 'tmall') return null;
    const adapter = adapterFor(shopWithSecrets(db, secretCipher, shop), { now });
    if (!(adapter instanceof TaobaoAdapter)) return null;
    return (req) => searchTopTrace((method, params) => adapter.call(method, params), req.platformOrderId);
  };
}
