// The orders part of the API (electron/shared/api/orders.ts): the workbench's list and counts,
// presets, tags, batch commands, change requests, export and shipping, mapped onto the core
// modules that do the work. dispatch.ts has already validated the input and the caller's role.
import { shopsJson } from '../scope.ts';
import type { OrdersMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { provinces } from '../catalog.ts';
import { shipOrdersWithTheirWaybills } from '../packing/ship-on-print.ts';
import { adapterFor, shopWithSecrets } from '../platforms/registry.ts';
import { decideChangeRequest, listChangeRequests, requestChange } from './change-requests.ts';
import { addNote, closeOrders, editAddress, holdOrders, markRead, releaseOrders, reviewOrders, setFlag, tagOrders } from './commands.ts';
import { getOrderDetail } from './detail.ts';
import { exportOrders } from './export.ts';
import { deleteFilterPreset, listFilterPresets, renameFilterPreset, saveFilterPreset } from './presets.ts';
import { countOrders, listOrders, orderIds } from './query.ts';
import { orderNumbers, resolveOrderRefs } from './refs.ts';
import { revealReceiver } from './reveal.ts';
import { shipOrders } from './ship.ts';
import { countOrdersByShop } from './shop-counts.ts';
import { idsStillMatching } from './still-matching.ts';
import { createTag, listTags } from './tags.ts';

/** How many order ids orders.ids hands out at most (the contract's batch limit). */
export const ORDER_IDS_CAP = 200_000;

export function ordersHandlers(d: DomainDeps): Pick<Handlers, OrdersMethod> {
  const { db, ctx } = d;
  return {
    'tags.list': () => listTags(db),
    'tags.create': (input, actor) => createTag(ctx(actor), input),
    'catalog.provinces': () => provinces(),
    'orders.list': (input) => listOrders(db, input),
    'orders.counts': (input) => countOrders(db, input.filter),
    'orders.ids': (input) =>
      input.within ? { ids: idsStillMatching(db, input.filter, input.within), truncated: false } : orderIds(db, input.filter, input.sort, ORDER_IDS_CAP),
    'orders.resolveRefs': (input, actor) => resolveOrderRefs(db, input.refs, shopsJson(actor)),
    'orders.numbers': (input) => orderNumbers(db, input.ids),
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
    'orders.export': (input) => exportOrders(db, input, d.now()),
    'orders.ship': (input, actor) => shipOrders(ctx(actor), input),
    'orders.shipPrinted': (input, actor) => shipOrdersWithTheirWaybills(ctx(actor), input.ids),
    // Async: the platform decrypts over the network, outside any transaction.
    'orders.revealReceiver': (input, actor) =>
      revealReceiver(ctx(actor), { adapterFor: (shop) => adapterFor(shopWithSecrets(db, d.secretCipher, shop), { now: d.now }) }, input),
  };
}
