// The shops part of the API (electron/shared/api/shops.ts): connecting seller accounts, their
// settings, credentials and OAuth authorisation, and the Shops page's overview.
import type { ShopSummary, ShopsMethod } from '../../shared/contract.ts';
import type { Platform } from '../../shared/model.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { Db } from '../db/open.ts';
import { updateCredentials } from './authorize.ts';
import { addShop, listShopConnections, pauseShop, resumeShop } from './connect.ts';
import { shopsOverview, syncingLookup } from './overview.ts';
import { updateShop } from './settings.ts';

/** Shops with their order counts, read from the trigger-kept order_counts table (no orders scan). */
function listShops(db: Db): ShopSummary[] {
  const rows = db.$client
    .prepare(
      `SELECT s.id, s.name, s.platform, s.state,
              COALESCE((SELECT SUM(n) FROM order_counts c WHERE c.shop_id = s.id), 0) AS orderCount
         FROM shops s ORDER BY s.name, s.id`,
    )
    .all() as { id: string; name: string; platform: Platform; state: ShopSummary['state']; orderCount: number }[];
  return rows;
}

export function shopsHandlers(d: DomainDeps): Pick<Handlers, ShopsMethod> {
  const { db, ctx } = d;
  // One per station: the loopback listener and the authorisations in flight (shops/authorize.ts).
  // A re-authorised shop is active again, so the scheduler's next due round pulls it.
  const authorizer = () => d.station.authorizerFor({ db, events: d.events, clock: d.clock, now: d.now, secretCipher: d.secretCipher });
  return {
    'shops.list': () => listShops(db),
    'shops.connections': () => listShopConnections(db),
    'shops.add': (input, actor) => addShop(ctx(actor), d.secretCipher, input),
    'shops.pause': (input, actor) => pauseShop(ctx(actor), input),
    'shops.resume': (input, actor) => resumeShop(ctx(actor), input),
    'shops.overview': () => shopsOverview(db, syncingLookup(d.scheduler.status()), d.now()),
    'shops.update': (input, actor) => updateShop(ctx(actor), input),
    'shops.updateCredentials': (input, actor) => updateCredentials(ctx(actor), d.secretCipher, input),
    'shops.authorizeStart': (input, actor) => authorizer().start(actor, input.id),
    'shops.authorizeComplete': (input, actor) => authorizer().complete(actor, input),
  };
}
