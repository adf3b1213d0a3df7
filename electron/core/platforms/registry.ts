// Which adapter serves a shop: one factory per platform, per thread. The demo's in-process 'sandbox'
// platform is not listed: the sandbox registers it where the demo is carried (electron/core/demo-provider.ts).
// Real platforms register here as they land;
// a shop on a platform without one fails its sync with a clear error instead of crashing the loop.
import { reasonError } from '../../shared/reasons.ts';
import type { Platform } from '../../shared/model.ts';
import type { Db } from '../db/open.ts';
import { loadShopSecrets, type SecretCipher } from '../shops/secrets.ts';
import { shopSettings, type AdapterContext, type AdapterFactory, type PlatformAdapter, type ShopRecord } from './contract.ts';
import { createDouyinAdapter } from './douyin/adapter.ts';
import { createJdAdapter } from './jd/adapter.ts';
import { createKuaishouAdapter } from './kuaishou/adapter.ts';
import { createPddAdapter } from './pdd/adapter.ts';
import { createTaobaoAdapter } from './taobao/adapter.ts';

const factories = new Map<string, AdapterFactory>([
  ['taobao', createTaobaoAdapter],
  ['tmall', createTaobaoAdapter],
  ['pdd', createPddAdapter],
  ['jd', createJdAdapter],
  ['douyin', createDouyinAdapter],
  ['kuaishou', createKuaishouAdapter],
]);

export function registerAdapter(platform: Platform, factory: AdapterFactory): void {
  factories.set(platform, factory);
}

export function adapterFor(shop: ShopRecord, ctx: AdapterContext): PlatformAdapter {
  const factory = factories.get(shop.platform);
  if (!factory) throw reasonError('shop.no_adapter', { shopId: shop.id, platform: shop.platform }, `no adapter for platform "${shop.platform}" yet`);
  return factory(shop, ctx);
}

/**
 * The shop as its adapter sees it: stored secrets merged over an in-memory copy of its settings
 * (never written back), as the sync scheduler does. Without a cipher or stored secrets, the shop as is.
 */
export function shopWithSecrets(db: Db, cipher: SecretCipher | undefined, shop: ShopRecord): ShopRecord {
  if (!cipher) return shop;
  const secrets = loadShopSecrets(db, cipher, shop.id);
  if (!secrets) return shop;
  return { id: shop.id, name: shop.name, platform: shop.platform, state: shop.state, settings: JSON.stringify({ ...shopSettings(shop), ...secrets }) };
}

/** The shops row by id, as adapters take it; null when there is none. */
export function shopRecord(db: Db, shopId: string): ShopRecord | null {
  return (
    db.$client.prepare<[string], ShopRecord>('SELECT id, name, platform, state, settings FROM shops WHERE id = ?').get(shopId) ?? null
  );
}
