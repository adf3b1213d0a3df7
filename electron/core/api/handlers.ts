// The one implementation of the API contract: every method in shared/contract.ts mapped to the
// core module that serves it. dispatch.ts has already validated the input and the caller's role.
import type { Actor, ShopSummary } from '../../shared/contract.ts';
import type { Platform } from '../../shared/model.ts';
import { provinces } from '../catalog.ts';
import type { Db } from '../db/open.ts';
import { decideChangeRequest, listChangeRequests, requestChange } from '../orders/change-requests.ts';
import {
  addNote,
  closeOrders,
  editAddress,
  holdOrders,
  markRead,
  releaseOrders,
  reviewOrders,
  setFlag,
  tagOrders,
} from '../orders/commands.ts';
import { getOrderDetail } from '../orders/detail.ts';
import { exportOrders } from '../orders/export.ts';
import { countOrders, listOrders, orderIds } from '../orders/query.ts';
import { deleteFilterPreset, listFilterPresets, renameFilterPreset, saveFilterPreset } from '../orders/presets.ts';
import { revealReceiver } from '../orders/reveal.ts';
import { countOrdersByShop } from '../orders/shop-counts.ts';
import { idsStillMatching } from '../orders/still-matching.ts';
import { shipOrdersWithTheirWaybills } from '../packing/ship-on-print.ts';
import { shipOrders } from '../orders/ship.ts';
import { printingHandlers } from '../printing/api.ts';
import { completePackage, scanItem, scanWaybill } from '../packing/verify.ts';
import { readStationSettings, updateStationSettings } from '../station/settings.ts';
import { createTag, listTags } from '../orders/tags.ts';
import { adapterFor, shopWithSecrets } from '../platforms/registry.ts';
import { authorizerFor, updateCredentials } from '../shops/authorize.ts';
import { addShop, pauseShop, resumeShop } from '../shops/connect.ts';
import { shopsOverview, syncingLookup } from '../shops/overview.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { updateShop } from '../shops/settings.ts';
import { listQuarantine, retryQuarantine } from '../sync/quarantine.ts';
import type { SyncEngine } from '../sync/scheduler.ts';
import { listPushes, retryPushes } from '../sync/pushes-query.ts';
import { listSyncRuns } from '../sync/sync-log.ts';
import { importTraceCsv } from '../tracking/csv-import.ts';
import { listTrackingExceptions } from '../tracking/exceptions.ts';
import { listTraces } from '../tracking/list.ts';
import { carrierScorecard } from '../tracking/scorecard.ts';
import { previewLabel, previewLabelPdf } from '../labels/preview.ts';
import { getLabelSettings, updateLabelSettings } from '../labels/settings.ts';
import { queueDoc, renderDoc } from '../picking/render.ts';
import type { CoreContext } from './command.ts';
import type { Handlers } from './dispatch.ts';
import type { EventBus } from './events.ts';
import type { HybridClock } from './hlc.ts';

export interface HandlerDeps {
  db: Db;
  events: EventBus;
  clock: HybridClock;
  now: () => number;
  scheduler: Pick<SyncEngine, 'status' | 'syncNow'>;
  /** Encrypts shops' secrets; without one (a :memory: station) 'shops.add' fails with INVALID_STATE. */
  secretCipher?: SecretCipher | undefined;
}

/** How many order ids orders.ids hands out at most (the contract's batch limit). */
export const ORDER_IDS_CAP = 200_000;

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

export function createHandlers(deps: HandlerDeps): Handlers {
  const { db, scheduler } = deps;
  const ctx = (actor: Actor): CoreContext => ({ db, actor, events: deps.events, clock: deps.clock, now: deps.now });
  // One per station: the loopback listener and the authorisations in flight (shops/authorize.ts).
  // A re-authorised shop is active again, so the scheduler's next due round pulls it.
  const authorizer = () => authorizerFor({ db, events: deps.events, clock: deps.clock, now: deps.now, secretCipher: deps.secretCipher });
  return {
    'session.whoami': (_input, actor) => actor,
    'shops.list': () => listShops(db),
    'shops.add': (input, actor) => addShop(ctx(actor), deps.secretCipher, input),
    'shops.pause': (input, actor) => pauseShop(ctx(actor), input),
    'shops.resume': (input, actor) => resumeShop(ctx(actor), input),
    'tags.list': () => listTags(db),
    'tags.create': (input, actor) => createTag(ctx(actor), input),
    'catalog.provinces': () => provinces(),
    'orders.list': (input) => listOrders(db, input),
    'orders.counts': (input) => countOrders(db, input.filter),
    'orders.ids': (input) =>
      input.within ? { ids: idsStillMatching(db, input.filter, input.within), truncated: false } : orderIds(db, input.filter, input.sort, ORDER_IDS_CAP),
    'orders.shopCounts': (input) => countOrdersByShop(db, input.filter),
    'filterPresets.list': () => listFilterPresets(db),
    'filterPresets.save': (input, actor) => saveFilterPreset(ctx(actor), input),
    'filterPresets.rename': (input, actor) => renameFilterPreset(ctx(actor), input),
    'filterPresets.delete': (input, actor) => deleteFilterPreset(ctx(actor), input),
    'orders.get': (input) => getOrderDetail(db, input.id),
    'orders.markRead': (input, actor) => markRead(ctx(actor), input),
    'orders.tag': (input, actor) => tagOrders(ctx(actor), input),
    'orders.setFlag': (input, actor) => setFlag(ctx(actor), input),
    'orders.hold': (input, actor) => holdOrders(ctx(actor), input),
    'orders.release': (input, actor) => releaseOrders(ctx(actor), input),
    'orders.close': (input, actor) => closeOrders(ctx(actor), input),
    'orders.review': (input, actor) => reviewOrders(ctx(actor), input),
    'orders.editAddress': (input, actor) => editAddress(ctx(actor), input),
    'orders.addNote': (input, actor) => addNote(ctx(actor), input),
    'orders.requestChange': (input, actor) => requestChange(ctx(actor), input),
    'changeRequests.list': (input) => listChangeRequests(db, input),
    'changeRequests.decide': (input, actor) => decideChangeRequest(ctx(actor), input),
    'orders.export': (input) => exportOrders(db, input, deps.now()),
    'sync.status': () => scheduler.status(),
    // Starting a pull changes nothing by itself; the sync engine writes its rows as it goes.
    'sync.now': (input) => ({ started: scheduler.syncNow(input.shopId) }),
    'shops.overview': () => shopsOverview(db, syncingLookup(scheduler.status()), deps.now()),
    'shops.update': (input, actor) => updateShop(ctx(actor), input),
    'shops.updateCredentials': (input, actor) => updateCredentials(ctx(actor), deps.secretCipher, input),
    'shops.authorizeStart': (input, actor) => authorizer().start(actor, input.id),
    'shops.authorizeComplete': (input, actor) => authorizer().complete(actor, input),
    'sync.log': (input) => listSyncRuns(db, input),
    'quarantine.list': (input) => listQuarantine(db, input),
    'quarantine.retry': (input, actor) => retryQuarantine(ctx(actor), input),
    'pushes.list': (input) => listPushes(db, input),
    'pushes.retry': (input, actor) => retryPushes(ctx(actor), input),
    'orders.ship': (input, actor) => shipOrders(ctx(actor), input),
    'orders.shipPrinted': (input, actor) => shipOrdersWithTheirWaybills(ctx(actor), input.ids),
    // Async: the platform decrypts over the network, outside any transaction.
    'orders.revealReceiver': (input, actor) =>
      revealReceiver(ctx(actor), { adapterFor: (shop) => adapterFor(shopWithSecrets(db, deps.secretCipher, shop), { now: deps.now }) }, input),
    // Scan verification (验货): scan sessions live in memory per database (packing/sessions.ts).
    'packing.scanWaybill': (input) => scanWaybill(db, input),
    'packing.scanItem': (input) => scanItem(db, input),
    'packing.complete': (input, actor) => completePackage(ctx(actor), input),
    'station.settings': () => readStationSettings(db),
    'station.updateSettings': (input, actor) => updateStationSettings(ctx(actor), input),
    'tracking.list': (input) => listTraces(db, input),
    'tracking.import': (input, actor) => importTraceCsv(ctx(actor), input),
    'tracking.exceptions': (input) => listTrackingExceptions(db, deps.now(), input),
    'tracking.scorecard': (input) => carrierScorecard(db, deps.now(), input),
    // Printers, the print queue, waybill accounts and batch printing (printing/api.ts).
    ...printingHandlers({ ctx, secretCipher: deps.secretCipher }),
    // Label template settings (面单模板) and previews rendered as the printer gets them.
    'labels.settings': () => getLabelSettings(db),
    'labels.updateSettings': (input, actor) => updateLabelSettings(ctx(actor), input),
    'labels.preview': (input) => previewLabel(db, input),
    'labels.previewPdf': (input) => previewLabelPdf(db, input),
    // Pick lists (拣货单) and packing slips (发货单): rendered as files, or queued on a receipt/PDF printer.
    'pickList.render': (input) => renderDoc(db, 'pick_list', input, deps.now()),
    'packingSlips.render': (input) => renderDoc(db, 'packing_slip', input, deps.now()),
    'print.pickList': (input, actor) => queueDoc(ctx(actor), 'pick_list', input),
    'print.packingSlips': (input, actor) => queueDoc(ctx(actor), 'packing_slip', input),
  };
}
