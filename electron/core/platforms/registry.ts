// Which adapter serves a shop: one factory per platform. Real platforms register here as they land;
// a shop on a platform without one fails its sync with a clear error instead of crashing the loop.
import { AppError } from '../../shared/result.ts';
import type { Platform } from '../../shared/model.ts';
import type { AdapterContext, AdapterFactory, PlatformAdapter, ShopRecord } from './contract.ts';
import { createDouyinAdapter } from './douyin/adapter.ts';
import { createJdAdapter } from './jd/adapter.ts';
import { createKuaishouAdapter } from './kuaishou/adapter.ts';
import { createPddAdapter } from './pdd/adapter.ts';
import { SandboxAdapter } from './sandbox/adapter.ts';
import { createTaobaoAdapter } from './taobao/adapter.ts';

const factories = new Map<string, AdapterFactory>([
  ['sandbox', (shop, ctx) => new SandboxAdapter(shop, ctx)],
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
  if (!factory) throw new AppError('INVALID_STATE', `no adapter for platform "${shop.platform}" yet`, { shopId: shop.id });
  return factory(shop, ctx);
}
