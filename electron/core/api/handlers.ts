// The one implementation of the API: each core domain's handlers (its <domain>/api.ts, typed
// against electron/shared/api/<domain>.ts) merged into the table dispatch.ts serves. dispatch.ts
// has already validated the input and the caller's role.
import type { Actor } from '../../shared/contract.ts';
import { hubHandlers } from '../hub/api.ts';
import { sessionHandlers } from '../hub/identity-api.ts';
import { labelsHandlers } from '../labels/api.ts';
import { ordersHandlers } from '../orders/api.ts';
import { packingHandlers } from '../packing/api.ts';
import { documentsHandlers } from '../picking/api.ts';
import { printingHandlers } from '../printing/api.ts';
import { shopsHandlers } from '../shops/api.ts';
import { stationHandlers } from '../station/api.ts';
import { Station } from '../station/station.ts';
import { stockHandlers } from '../stock/api.ts';
import { mappingHandlers } from '../stock/mapping-api.ts';
import { stockAlertsHandlers } from '../stock/alerts-api.ts';
import { stockPushHandlers } from '../stock/push-api.ts';
import { stockQueueHandlers } from '../stock/queue-api.ts';
import { syncHandlers } from '../sync/api.ts';
import { tasksHandlers } from '../tasks/api.ts';
import { trackingHandlers } from '../tracking/api.ts';
import { waybillsHandlers } from '../waybills/api.ts';
import type { CoreContext } from './command.ts';
import type { Handlers } from './dispatch.ts';
import type { DomainDeps, HandlerDeps } from './domain.ts';

export type { HandlerDeps } from './domain.ts';
export { ORDER_IDS_CAP } from '../orders/api.ts';

export function createHandlers(deps: HandlerDeps): Handlers {
  const ctx = deps.contextFor ?? ((actor: Actor): CoreContext => ({ db: deps.db, actor, events: deps.events, clock: deps.clock, now: deps.now }));
  const d: DomainDeps = { ...deps, ctx, station: deps.station ?? new Station() };
  return {
    ...stationHandlers(d),
    ...shopsHandlers(d),
    ...ordersHandlers(d),
    ...syncHandlers(d),
    ...printingHandlers({ ctx, secretCipher: deps.secretCipher }),
    ...waybillsHandlers(d),
    ...documentsHandlers(d),
    ...labelsHandlers(d),
    ...packingHandlers(d),
    ...trackingHandlers(d),
    ...stockHandlers(d),
    ...mappingHandlers(d),
    ...stockAlertsHandlers(d),
    ...stockPushHandlers(d),
    ...stockQueueHandlers(d),
    ...hubHandlers(d),
    ...sessionHandlers(d),
    ...tasksHandlers(d),
  };
}
