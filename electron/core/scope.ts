// Shop scope, method by method: what a person scoped to some shops (a hub user's scope,
// docs/team-hub.md#identity) sees and may change. Every API method is in SCOPE exactly once: either
// team-wide on purpose (with why), or narrowed (with how). session.ts reads this table to narrow
// inputs and answers; the methods marked `handler` narrow their own SQL from actor.shops. The
// generic checks (a call naming an order or a shop outside the scope is refused) run for every
// method whatever it says here, so a team-wide method still cannot reach another shop's order by id.
import type { Actor, MappingList, MappingView, MethodName, PackingScanWaybillResult, PushView, QuarantineView, StockPushView, SyncRunView } from '../shared/contract.ts';

/** Sorts answer rows: -1, 0, 1. */
type Order<T> = (a: T, b: T) => number;
const newestFirst =
  <T>(at: (r: T) => number, id: (r: T) => string): Order<T> =>
  (a, b) =>
    at(b) - at(a) || (id(a) < id(b) ? 1 : id(a) > id(b) ? -1 : 0);

/** A read with an optional `shopId`, made shop by shop for a scoped person and merged. */
export interface PerShop {
  /** The input asked of one shop. */
  part: (input: Record<string, unknown>, shopId: string) => Record<string, unknown>;
  merge: (input: Record<string, unknown>, parts: unknown[]) => unknown;
}

/**
 * A paged read asked of each shop from its first row as deep as the page asked reaches (at most
 * the read's own maximum `limit`), so the merged page is the same as one read over those shops.
 */
const paged = (max: number, limit: number, merge: PerShop['merge']): PerShop => ({
  part: (input, shopId) => {
    const offset = typeof input.offset === 'number' ? input.offset : 0;
    const depth = Math.min(offset + (typeof input.limit === 'number' ? input.limit : limit), max);
    return { ...input, shopId, ...(input.offset !== undefined ? { offset: 0 } : {}), limit: depth };
  },
  merge,
});

/** Rows named by a command's ids, and the SQL giving each one's shop (`?` = a JSON array of the ids). */
export interface Owned {
  ids: (input: Record<string, unknown>) => string[];
  /** Returns one `shop` per named row; rows of no shop pass. */
  sql: string;
  /** What the refusal names: the order (most rows hang off an order) or the shop. */
  reason: 'order.out_of_scope' | 'shop.out_of_scope';
}

export type Narrowing =
  /** Only the generic checks: the ids, orders or shops its input names (every method has them). */
  | { by: 'named' }
  /** Its order `filter` is narrowed to the person's shops. */
  | { by: 'filter' }
  /** A command over one shop or, without `shopId`, every shop: a one-shop person's shop, else name one. */
  | { by: 'everyShop' }
  /** Its answer (an array) keeps the rows whose `field` is one of the person's shops. */
  | { by: 'rows'; field: string }
  /** Its answer (an array) keeps the rows whose `field` is an order of the person's shops. */
  | { by: 'orderRows'; field: string }
  /** Without `shopId`, asked shop by shop and merged (pages count the person's shops only). */
  | { by: 'perShop'; read: PerShop }
  /** Refused when a row its ids name belongs to another shop. */
  | { by: 'owned'; owned: Owned }
  /** The order its answer is about must be of the person's shops (a scan finds the order). */
  | { by: 'answerOrder'; orderOf: (answer: unknown) => unknown }
  /** The handler narrows its own SQL from actor.shops (see `why`). */
  | { by: 'handler' };

export type ScopeRule = { team: string } | ({ narrowed: string } & Narrowing);

const team = (why: string): ScopeRule => ({ team: why });
const named = (how: string): ScopeRule => ({ narrowed: how, by: 'named' });
const handler = (how: string): ScopeRule => ({ narrowed: how, by: 'handler' });

const PACKAGE_SHOP = 'SELECT o.shop_id AS shop FROM json_each(?) j JOIN packages p ON p.id = j.value JOIN orders o ON o.id = p.order_id';
const packageOwned = (field: string): Owned => ({
  ids: (i) => (typeof i[field] === 'string' ? [i[field] as string] : []),
  sql: PACKAGE_SHOP,
  reason: 'order.out_of_scope',
});
const idsOf = (i: Record<string, unknown>): string[] => (Array.isArray(i.ids) ? i.ids.filter((x): x is string => typeof x === 'string') : []);
const idOf = (i: Record<string, unknown>): string[] => (typeof i.id === 'string' ? [i.id] : []);

/** Merges arrays of rows newest first, cut to the asked `limit`. */
const mergedNewest =
  <T>(order: Order<T>, defaultLimit: number): PerShop['merge'] =>
  (input, parts) =>
    (parts as T[][]).flat().sort(order).slice(0, typeof input.limit === 'number' ? input.limit : defaultLimit);

const mappingKey = (r: MappingView) => [r.sku === null ? 0 : 1, r.shopId, r.platformProductId, r.platformSkuId] as const;

const TEAM_SESSION = "the caller's own session and the station's sign-in: no shop rows";
const TEAM_STATION = "the station's own settings and its people: not per shop";
const TEAM_HUB = 'the link to the team hub and the team itself (people, stations, hub alerts per SKU): not per shop';
const TEAM_PRINTERS = "the station's printers and their queue: a packer clears a jammed queue whatever shop its labels are for";
const TEAM_SKU = "SKUs, warehouses and their stock are the team's: one warehouse's units serve every shop";

export const SCOPE: { readonly [M in MethodName]: ScopeRule } = {
  'session.whoami': team(TEAM_SESSION),
  'session.status': team(TEAM_SESSION),
  'session.people': team(TEAM_SESSION),
  'session.signIn': team(TEAM_SESSION),
  'session.verify': team(TEAM_SESSION),
  'session.signOut': team(TEAM_SESSION),
  'station.users': team(TEAM_STATION),
  'station.settings': team(TEAM_STATION),
  'station.updateSettings': team(TEAM_STATION),
  'hub.status': team(TEAM_HUB),
  'hub.join': team(TEAM_HUB),
  'hub.syncNow': team(TEAM_HUB),
  'hub.claims': named('claims of the orders it names (`ids`)'),
  'hub.team': team(TEAM_HUB),
  'hub.revokeStation': team(TEAM_HUB),
  'hub.invite': team(TEAM_HUB),
  'hub.alerts': team(TEAM_HUB),
  'hub.quotas': team(`${TEAM_SKU}; quotas are per SKU and station`),
  'hub.setQuotas': team(`${TEAM_SKU}; quotas are per SKU and station`),
  'hub.leave': team(TEAM_HUB),

  'shops.list': { narrowed: "only the person's shops", by: 'rows', field: 'id' },
  'shops.connections': { narrowed: "only the person's shops", by: 'rows', field: 'id' },
  'shops.overview': { narrowed: "only the person's shops", by: 'rows', field: 'id' },
  'shops.add': team('a new shop belongs to nobody\'s scope yet (owner only)'),
  'shops.pause': named('the shop it names (`id`)'),
  'shops.resume': named('the shop it names (`id`)'),
  'shops.update': named('the shop it names (`id`)'),
  'shops.updateCredentials': named('the shop it names (`id`)'),
  'shops.authorizeStart': named('the shop it names (`id`)'),
  'shops.authorizeComplete': named('the shop it names (`id`)'),

  'tags.list': team('tags are the team\'s words, used on every shop\'s orders'),
  'tags.create': team('tags are the team\'s words, used on every shop\'s orders'),
  'catalog.provinces': team('a fixed catalogue'),
  'filterPresets.list': team('saved filters are words, not rows; the orders they find are narrowed'),
  'filterPresets.save': team('saved filters are words, not rows; the orders they find are narrowed'),
  'filterPresets.rename': team('saved filters are words, not rows; the orders they find are narrowed'),
  'filterPresets.delete': team('saved filters are words, not rows; the orders they find are narrowed'),

  'orders.list': { narrowed: 'its filter keeps the person\'s shops', by: 'filter' },
  'orders.counts': { narrowed: 'its filter keeps the person\'s shops', by: 'filter' },
  'orders.ids': { narrowed: 'its filter keeps the person\'s shops', by: 'filter' },
  'orders.shopCounts': { narrowed: 'its filter keeps the person\'s shops', by: 'filter' },
  'orders.export': { narrowed: 'its filter keeps the person\'s shops; `ids` are checked', by: 'filter' },
  'orders.resolveRefs': handler("a reference resolves only to orders of the person's shops"),
  'orders.numbers': named('the orders it names (`ids`)'),
  'orders.get': named('the order it names (`id`)'),
  'orders.markRead': named('the orders it names (`ids`)'),
  'orders.tag': named('the orders it names (`ids`)'),
  'orders.setFlag': named('the orders it names (`ids`)'),
  'orders.hold': named('the orders it names (`ids`)'),
  'orders.release': named('the orders it names (`ids`)'),
  'orders.close': named('the orders it names (`ids`)'),
  'orders.review': named('the orders it names (`ids`)'),
  'orders.editAddress': named('the order it names (`id`)'),
  'orders.addNote': named('the order it names (`id`)'),
  'orders.requestChange': named('the order it names (`id`)'),
  'orders.ship': named('the orders it names (`items[].orderId`)'),
  'orders.shipPrinted': named('the orders it names (`ids`)'),
  'orders.revealReceiver': named('the order it names (`id`)'),
  'changeRequests.list': { narrowed: "requests on the person's shops' orders", by: 'orderRows', field: 'orderId' },
  'changeRequests.decide': {
    narrowed: "a request on another shop's order is refused",
    by: 'owned',
    owned: { ids: idOf, sql: 'SELECT o.shop_id AS shop FROM json_each(?) j JOIN change_requests c ON c.id = j.value JOIN orders o ON o.id = c.order_id', reason: 'order.out_of_scope' },
  },

  'sync.status': { narrowed: "only the person's shops", by: 'rows', field: 'shopId' },
  'sync.now': {
    narrowed: "without `shopId`, the person's shops (not every shop)",
    by: 'perShop',
    read: { part: (input, shopId) => ({ ...input, shopId }), merge: (_i, parts) => ({ started: (parts as { started: string[] }[]).flatMap((p) => p.started) }) },
  },
  'sync.run': named('the shops it names (`shopIds`)'),
  'sync.rewind': named('the shops it names (`shopIds`)'),
  'sync.log': {
    narrowed: "without `shopId`, the runs of the person's shops",
    by: 'perShop',
    read: paged(1000, 200, mergedNewest<SyncRunView>(newestFirst((r) => r.startedAt, (r) => r.id), 200)),
  },
  'quarantine.list': {
    narrowed: "without `shopId`, the payloads of the person's shops",
    by: 'perShop',
    read: paged(1000, 200, mergedNewest<QuarantineView>(newestFirst((r) => r.receivedAt, (r) => r.id), 200)),
  },
  'quarantine.retry': {
    narrowed: "a payload of another shop is refused",
    by: 'owned',
    owned: { ids: idsOf, sql: 'SELECT q.shop_id AS shop FROM json_each(?) j JOIN quarantine q ON q.id = j.value', reason: 'shop.out_of_scope' },
  },
  'pushes.list': {
    narrowed: "without `shopId`, the push-backs of the person's shops",
    by: 'perShop',
    read: paged(1000, 200, mergedNewest<PushView>(newestFirst((r) => r.createdAt, (r) => r.id), 200)),
  },
  'pushes.retry': {
    narrowed: 'a push-back of another shop is refused',
    by: 'owned',
    owned: { ids: idsOf, sql: 'SELECT p.shop_id AS shop FROM json_each(?) j JOIN pushes p ON p.id = j.value', reason: 'shop.out_of_scope' },
  },

  'printers.list': team(TEAM_PRINTERS),
  'printers.add': team(TEAM_PRINTERS),
  'printers.update': team(TEAM_PRINTERS),
  'printers.remove': team(TEAM_PRINTERS),
  'printers.setPaused': team(TEAM_PRINTERS),
  'printers.testPrint': team(TEAM_PRINTERS),
  'printers.status': team(TEAM_PRINTERS),
  'printers.discover': team(TEAM_PRINTERS),
  'printers.output': team(TEAM_PRINTERS),
  'printJobs.list': team(TEAM_PRINTERS),
  'printJobs.retry': team(TEAM_PRINTERS),
  'printJobs.cancel': team(TEAM_PRINTERS),
  'printJobs.resolveUncertain': team(TEAM_PRINTERS),
  'print.batch': team(TEAM_PRINTERS),
  'printJobs.reprint': {
    narrowed: "printing another shop's label again is refused",
    by: 'owned',
    owned: { ids: idOf, sql: 'SELECT o.shop_id AS shop FROM json_each(?) j JOIN print_jobs pj ON pj.id = j.value JOIN orders o ON o.id = pj.order_id', reason: 'order.out_of_scope' },
  },
  'print.precheck': named('the orders it names (`ids`)'),
  'print.labels': named('the orders it names (`ids`)'),
  'waybillAccounts.list': team("carrier accounts and their number pools serve every shop that ships with the carrier; a label is only ever allocated for an order the person may reach"),
  'waybillAccounts.add': named('the shops it names (`shopId`, `shopIds`)'),
  'waybillAccounts.addRange': team('a carrier account\'s number pool, not a shop\'s rows'),
  'waybillAccounts.importNumbers': team('a carrier account\'s number pool, not a shop\'s rows'),
  'pickList.render': named('the orders it names (`ids`)'),
  'packingSlips.render': named('the orders it names (`ids`)'),
  'print.pickList': named('the orders it names (`ids`)'),
  'print.packingSlips': named('the orders it names (`ids`)'),
  'labels.settings': team('label layouts per carrier, not per shop'),
  'labels.updateSettings': team('label layouts per carrier, not per shop'),
  'labels.preview': named('the order it names (`orderId`); a sample names none'),
  'labels.previewPdf': named('the order it names (`orderId`); a sample names none'),

  'packing.scanWaybill': {
    narrowed: "a waybill or order number of another shop's order is refused",
    by: 'answerOrder',
    orderOf: (a) => {
      const r = a as PackingScanWaybillResult;
      return r.kind === 'package' ? r.scan.package.orderId : r.kind === 'no_package' ? r.orderId : undefined;
    },
  },
  'packing.scanItem': { narrowed: "a package of another shop's order is refused", by: 'owned', owned: packageOwned('packageId') },
  'packing.complete': { narrowed: "a package of another shop's order is refused", by: 'owned', owned: packageOwned('packageId') },

  'tracking.list': { narrowed: 'the order or package it names', by: 'owned', owned: packageOwned('packageId') },
  'tracking.import': handler("another shop's waybill finds no package for the person (a row with no_package), as if it were not here"),
  'tracking.exceptions': handler("only packages of the person's shops' orders (the badge counts them only)"),
  'tracking.scorecard': team('carrier performance per carrier and province: counts, no order or shop rows'),

  'skus.list': team(TEAM_SKU),
  'skus.scan': team(TEAM_SKU),
  'skus.add': team(TEAM_SKU),
  'skus.update': team(TEAM_SKU),
  'skus.import': team(TEAM_SKU),
  'skus.export': team(TEAM_SKU),
  'skus.template': team(TEAM_SKU),
  'warehouses.list': team(TEAM_SKU),
  'warehouses.add': team(TEAM_SKU),
  'warehouses.update': team(TEAM_SKU),
  'stock.receive': team(TEAM_SKU),
  'stock.count': team(TEAM_SKU),
  'stock.adjust': team(TEAM_SKU),
  'stock.transfer': team(TEAM_SKU),
  'stock.correct': team(TEAM_SKU),
  'stock.list': team(`${TEAM_SKU}; reserved counts every shop's orders, as the units do`),
  'stock.ledger': team(`${TEAM_SKU}; a movement names no order's receiver`),
  'stock.restock': team(`${TEAM_SKU}; a suggestion is per SKU`),
  'stock.restockExport': team(`${TEAM_SKU}; a suggestion is per SKU`),
  'stock.reservations': handler("only reservations for the person's shops' orders; the SKU's figures stay whole"),
  'stock.short': handler("only the person's shops' orders"),
  'stock.return': named('the order it names (`orderId`)'),
  'bundles.list': team(TEAM_SKU),
  'bundles.set': team(TEAM_SKU),
  'bundles.remove': team(TEAM_SKU),

  'mapping.pull': { narrowed: "without `shopId`, a one-shop person's shop, else name one", by: 'everyShop' },
  'mapping.autoMatch': { narrowed: "without `shopId`, a one-shop person's shop, else name one", by: 'everyShop' },
  'mapping.export': { narrowed: "without `shopId`, a one-shop person's shop, else name one", by: 'everyShop' },
  'mapping.set': named('the shops of the rows it names (`rows[].shopId`)'),
  'mapping.import': handler('a file naming another shop is refused whole'),
  'mapping.list': {
    narrowed: "without `shopId`, the rows of the person's shops",
    by: 'perShop',
    read: paged(100_000, 500, (input, parts) => {
        const lists = parts as MappingList[];
        const rows = lists
          .flatMap((l) => l.rows)
          .sort((a, b) => {
            const [x, y] = [mappingKey(a), mappingKey(b)];
            for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as string | number) < (y[i] as string | number) ? -1 : 1;
            return 0;
          });
        const offset = typeof input.offset === 'number' ? input.offset : 0;
        const limit = typeof input.limit === 'number' ? input.limit : 500;
        return {
          rows: rows.slice(offset, offset + limit),
          total: lists.reduce((n, l) => n + l.total, 0),
          unmapped: lists.reduce((n, l) => n + l.unmapped, 0),
          lastPulls: lists.flatMap((l) => l.lastPulls),
          failedPulls: lists.flatMap((l) => l.failedPulls),
        } satisfies MappingList;
    }),
  },

  'alerts.list': handler("SKU alerts are the team's and stay whole; a shop's alert (push_failed) only for the person's shops"),
  'alerts.counts': handler("SKU alerts are the team's and stay whole; a shop's alert (push_failed) only for the person's shops"),
  'alerts.claimNotifications': handler("SKU alerts are the team's; a shop's alert (push_failed) notifies only a person of that shop"),
  'alerts.mute': team(`${TEAM_SKU}; a mute is per SKU`),
  'alerts.unmute': team(`${TEAM_SKU}; a mute is per SKU`),
  'alerts.evaluate': team(TEAM_SKU),
  'stock.push': { narrowed: "without `shopId`, a one-shop person's shop, else name one", by: 'everyShop' },
  'stock.pushes': {
    narrowed: "without `shopId`, the pushes of the person's shops",
    by: 'perShop',
    read: paged(10_000, 500, mergedNewest<StockPushView>(newestFirst((r) => r.createdAt, (r) => r.id), 500)),
  },
  'stock.allocations': { narrowed: "only the person's shops", by: 'rows', field: 'shopId' },
  'stock.setAllocation': named('the shop it names (`shopId`)'),
  'stock.removeAllocation': named('the shop it names (`shopId`)'),

  'tasks.create': named('the order it names (`orderId`)'),
  'tasks.update': {
    narrowed: "a task on another shop's order is refused",
    by: 'owned',
    owned: { ids: idOf, sql: 'SELECT o.shop_id AS shop FROM json_each(?) j JOIN tasks t ON t.id = j.value JOIN orders o ON o.id = t.order_id', reason: 'order.out_of_scope' },
  },
  'tasks.list': handler("tasks without an order, and tasks on the person's shops' orders"),
  'tasks.counts': handler("the person's tasks and mentions on their shops' orders (and tasks without an order)"),
  'tasks.mentions': handler("notes on the person's shops' orders"),
  'tasks.people': team("the team's people"),
  'tasks.timeline': named('the order it names (`orderId`)'),
};

/** The rule of a method (undefined for a name the contract does not know; dispatch refuses those). */
export function scopeOf(name: string): ScopeRule | undefined {
  return (SCOPE as Record<string, ScopeRule>)[name];
}

/**
 * The person's shops as a JSON array for `json_each(?)` in a handler's SQL, or null for a person of
 * every shop (the clause is then `? IS NULL OR shop_id IN (SELECT value FROM json_each(?))`).
 */
export function shopsJson(actor: Actor): string | null {
  return actor.shops === null || actor.shops === undefined ? null : JSON.stringify(actor.shops);
}
