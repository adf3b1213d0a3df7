// The sandbox "world": a deterministic simulated platform. Every order of a shop, and its state at
// any moment, is a pure function of the shop's seed and the time — so the sandbox keeps no state,
// a restart changes nothing, and "orders modified in [from, to)" can be recomputed at will.
//
// Arrivals: each hour bucket of a shop holds a Poisson number of orders (shaped by a Shanghai
// day/night curve); order j of bucket b is keyed by (seed, b, j). Each order draws a lifecycle once
// (paid / left unpaid / presale deposit then balance / refund / shipped / completed, memo, address
// edit) as event times; its state at T applies the events before T. The bulk generator reuses the
// same order builder with exact counts, for demo databases and benchmarks.
import type { Platform, PlatformOrder, PlatformOrderItem, Receiver } from '../../shared/model.ts';
import { CATALOG, CATEGORIES, type CatalogProduct, type CatalogSku, type Category } from './catalog.ts';
import { toSandboxTrade } from './payload.ts';
import { pickBuyerMessage, pickBuyerNick, pickReceiver, pickSellerMemo, REMOTE_PROVINCES } from './people.ts';
import { cumulate, hashInts, hashString, Rng } from './rng.ts';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** No order's lifecycle runs longer than this, so a window only needs orders created this far back. */
export const MAX_LIFETIME_MS = 40 * DAY;

/** A simulated shop: who it imitates, what it sells, how busy it is. */
export interface WorldShop {
  id: string;
  seed: number;
  /** Which platform's style it copies (nicknames, order numbers). */
  imitates: Platform;
  categories: readonly Category[];
  /** Average orders per hour over a day. */
  ordersPerHour: number;
  /** No live arrivals before this (a bulk-built history ends here); null = since forever. */
  worldStartMs: number | null;
  /**
   * How fast time runs after a parcel leaves: delivery, 确认收货 and returns take this share of
   * their real duration (default 1). The demo team runs a day of it in ten minutes
   * (DEMO_DELIVERY_SCALE), so shipped orders complete within a demo session as real ones do in days.
   */
  deliveryScale?: number;
}

/** The demo's delivery clock: one simulated day after shipping passes in ten real minutes. */
export const DEMO_DELIVERY_SCALE = 1 / 144;

/** A buyer confirms receipt (确认收货) this long after the parcel leaves, before any scaling. */
const DELIVERY_MIN_MS = 5 * DAY;
const DELIVERY_MAX_MS = 10 * DAY;

interface SkuEntry {
  product: CatalogProduct;
  sku: CatalogSku;
  platformSkuId: string;
}

/** Per-shop pools, built once: the SKUs it sells with cumulative weights, its gifts, its id prefix. */
interface ShopContext {
  /** Cached by id, seed, categories and style only: rate and start live on the WorldShop, never here. */
  seed: number;
  imitates: Platform;
  shopCode: string;
  skus: SkuEntry[];
  cumulative: number[];
  gifts: SkuEntry[];
  presaleShare: number;
}

/** Orders per hour of day (Asia/Shanghai), relative: quiet at 4 am, peaks after lunch and at 9 pm. */
const DIURNAL = [0.35, 0.2, 0.1, 0.06, 0.05, 0.06, 0.12, 0.3, 0.55, 0.8, 0.95, 1.0, 0.9, 0.85, 0.9, 0.95, 0.9, 0.85, 0.8, 0.95, 1.1, 1.25, 1.2, 0.8];
const DIURNAL_MEAN = DIURNAL.reduce((a, b) => a + b, 0) / DIURNAL.length;
const DIURNAL_CUMULATIVE = cumulate(DIURNAL);
const SHANGHAI_OFFSET = 8 * HOUR;

const contexts = new Map<string, ShopContext>();

/**
 * A catalogue SKU's id on one shop's platform. Ids differ per shop (each shop lists the product
 * itself); the shop's listing (listing.ts) and its orders' lines carry the same one.
 */
export function platformSkuIdOf(seed: number, outerSkuCode: string): string {
  return String(4_000_000_000_000 + (hashInts(seed, hashString(outerSkuCode)) % 999_999_999_999));
}

/** A catalogue product's id on one shop's platform (listing.ts); numeric text like every platform's. */
export function platformProductIdOf(seed: number, productCode: string): string {
  return String(600_000_000_000 + (hashInts(seed, hashString(`product:${productCode}`)) % 99_999_999_999));
}

function contextOf(shop: WorldShop): ShopContext {
  const key = `${shop.id}\u0000${shop.seed}\u0000${shop.categories.join(',')}\u0000${shop.imitates}`;
  const cached = contexts.get(key);
  if (cached) return cached;
  const categories = shop.categories.length > 0 ? shop.categories : CATEGORIES;
  const skus: SkuEntry[] = [];
  const weights: number[] = [];
  const gifts: SkuEntry[] = [];
  for (const product of CATALOG) {
    if (!categories.includes(product.category)) continue;
    product.skus.forEach((sku) => {
      const platformSkuId = platformSkuIdOf(shop.seed, sku.outerSkuCode);
      const entry = { product, sku, platformSkuId };
      if (product.isGift) gifts.push(entry);
      else {
        skus.push(entry);
        weights.push(product.weight / product.skus.length);
      }
    });
  }
  const ctx: ShopContext = {
    seed: shop.seed,
    imitates: shop.imitates,
    shopCode: String(shop.seed % 10000).padStart(4, '0'),
    skus,
    cumulative: cumulate(weights),
    gifts,
    presaleShare: categories.some((c) => c === '女装' || c === '美妆' || c === '数码配件') ? 0.06 : 0.02,
  };
  if (contexts.size > 10_000) contexts.clear();
  contexts.set(key, ctx);
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle: when things happen to an order. Cheap (a couple of dozen random draws) because a window
// pull computes it for every candidate order and builds the full order only for the ones that moved.

export interface Lifecycle {
  createdAt: number;
  presale: boolean;
  /** The order (or, for presale, the balance) is paid; null = never. */
  paidAt: number | null;
  /** Closed before payment: buyer cancelled, timed out, or presale deposit forfeited. */
  closedAt: number | null;
  shippedAt: number | null;
  completedAt: number | null;
  refundRequestedAt: number | null;
  /** Return in progress (after shipping). */
  refundReturningAt: number | null;
  refundDecidedAt: number | null;
  refundOutcome: 'refunded' | 'rejected' | null;
  memoAt: number | null;
  sellerFlag: number;
  addressEditedAt: number | null;
}

const sec = (rng: Rng, loMs: number, hiMs: number): number => rng.range(loMs / SECOND, hiMs / SECOND) * SECOND;

/** A duration after shipping on the delivery clock, in whole seconds. */
const onDeliveryClock = (ms: number, scale: number): number => (scale === 1 ? ms : Math.max(SECOND, Math.round((ms * scale) / SECOND) * SECOND));

export function lifecycleOf(createdAt: number, rng: Rng, presaleShare: number, deliveryScale = 1): Lifecycle {
  const life: Lifecycle = {
    createdAt,
    presale: rng.chance(presaleShare),
    paidAt: null,
    closedAt: null,
    shippedAt: null,
    completedAt: null,
    refundRequestedAt: null,
    refundReturningAt: null,
    refundDecidedAt: null,
    refundOutcome: null,
    memoAt: null,
    sellerFlag: 0,
    addressEditedAt: null,
  };
  if (life.presale) {
    // The deposit is paid at creation; the balance opens days later, and a few buyers walk away.
    if (rng.chance(0.1)) life.closedAt = createdAt + 5 * DAY;
    else life.paidAt = createdAt + sec(rng, DAY, 4 * DAY);
  } else if (rng.chance(0.07)) {
    life.closedAt = createdAt + (rng.chance(0.4) ? sec(rng, 10 * MINUTE, 6 * HOUR) : DAY);
  } else {
    life.paidAt = createdAt + (rng.chance(0.7) ? sec(rng, 5 * SECOND, 2 * MINUTE) : sec(rng, 2 * MINUTE, 30 * MINUTE));
  }
  const paidAt = life.paidAt;
  if (paidAt === null) return life;

  const roll = rng.next();
  const shipDelay = roll < 0.3 ? sec(rng, 2 * HOUR, 12 * HOUR) : roll < 0.8 ? sec(rng, 12 * HOUR, 48 * HOUR) : sec(rng, 48 * HOUR, 96 * HOUR);
  let shippedAt: number | null = paidAt + shipDelay;

  if (rng.chance(0.04)) {
    // Refund before shipping (仅退款): most are agreed and close the order; some are refused.
    life.refundRequestedAt = paidAt + sec(rng, 10 * MINUTE, Math.max(10 * MINUTE, Math.min(12 * HOUR, shipDelay - MINUTE)));
    life.refundDecidedAt = life.refundRequestedAt + sec(rng, HOUR, 24 * HOUR);
    life.refundOutcome = rng.chance(0.75) ? 'refunded' : 'rejected';
    if (life.refundOutcome === 'refunded') shippedAt = null;
    else if (shippedAt <= life.refundDecidedAt) shippedAt = life.refundDecidedAt + sec(rng, HOUR, 12 * HOUR);
  }
  life.shippedAt = shippedAt;
  if (shippedAt !== null) {
    // Everything after the parcel leaves runs on the delivery clock; the draws stay the same, so a
    // scaled world has the same orders with the same outcomes, only sooner (on whole seconds, as
    // platforms stamp them).
    const after = (ms: number): number => onDeliveryClock(ms, deliveryScale);
    let completedAt = shippedAt + after(sec(rng, DELIVERY_MIN_MS, DELIVERY_MAX_MS));
    if (life.refundRequestedAt === null && rng.chance(0.03)) {
      // Return after delivery (退货退款).
      life.refundRequestedAt = shippedAt + after(sec(rng, 2 * DAY, 6 * DAY));
      life.refundReturningAt = life.refundRequestedAt + after(sec(rng, 2 * HOUR, DAY));
      life.refundDecidedAt = life.refundReturningAt + after(sec(rng, 2 * DAY, 5 * DAY));
      life.refundOutcome = rng.chance(0.9) ? 'refunded' : 'rejected';
      completedAt = Math.max(completedAt, life.refundDecidedAt + after(DAY));
    }
    life.completedAt = life.refundOutcome === 'refunded' && life.refundReturningAt !== null ? null : completedAt;
  }
  if (rng.chance(0.12)) {
    life.memoAt = paidAt + sec(rng, 5 * MINUTE, 8 * HOUR);
    life.sellerFlag = rng.range(1, 5);
  }
  if (shippedAt !== null && shippedAt - paidAt > 20 * MINUTE && rng.chance(0.03)) {
    life.addressEditedAt = paidAt + sec(rng, 10 * MINUTE, Math.min(6 * HOUR, shippedAt - paidAt - 5 * MINUTE));
  }
  return life;
}

/**
 * How long after a parcel the station shipped itself the buyer confirms receipt: the world's own
 * delivery time (5–10 days on the shop's delivery clock), drawn from the shop and order number so
 * every look gives the same answer. The demo gateways complete station-shipped orders with it.
 */
export function deliveryDelayMs(shop: Pick<WorldShop, 'seed' | 'deliveryScale'>, platformOrderId: string): number {
  const rng = new Rng(hashInts(shop.seed, hashString(platformOrderId), 3));
  return onDeliveryClock(sec(rng, DELIVERY_MIN_MS, DELIVERY_MAX_MS), shop.deliveryScale ?? 1);
}

/** Every moment the order changes, in no particular order. */
export function eventTimes(life: Lifecycle): number[] {
  const out = [life.createdAt];
  for (const t of [life.paidAt, life.closedAt, life.shippedAt, life.completedAt, life.refundRequestedAt, life.refundReturningAt, life.refundDecidedAt, life.memoAt, life.addressEditedAt]) {
    if (t !== null) out.push(t);
  }
  return out;
}

function changedIn(life: Lifecycle, fromMs: number, toMs: number): boolean {
  for (const t of eventTimes(life)) if (t >= fromMs && t < toMs) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Details: what was bought, by whom, to where. Drawn from their own stream so the lifecycle stays cheap.

interface Details {
  buyerNick: string;
  buyerMessage: string | null;
  receiver: Receiver;
  editedReceiver: Receiver | null;
  items: PlatformOrderItem[];
  goodsFen: number;
  shippingFen: number;
  discountFen: number;
  paidFen: number;
  depositFen: number | null;
  memo: string | null;
}

function cipherOf(rng: Rng): string {
  // Platforms hand back an opaque id (OAID) for the encrypted receiver; decrypted only at waybill time.
  return rng.int(0x7fffffff).toString(36) + rng.int(0x7fffffff).toString(36);
}

function detailsOf(ctx: ShopContext, orderId: string, life: Lifecycle, rng: Rng): Details {
  const incomplete = rng.chance(0.01);
  const invalidPhone = rng.chance(0.01);
  const receiver = pickReceiver(rng, { incomplete, invalidPhone });
  receiver.cipher = cipherOf(rng);
  const buyerNick = pickBuyerNick(rng, ctx.imitates);
  const buyerMessage = rng.chance(0.15) ? pickBuyerMessage(rng) : null;

  const lineRoll = rng.next();
  const lines = lineRoll < 0.45 ? 1 : lineRoll < 0.8 ? 2 : lineRoll < 0.95 ? 3 : 4;
  const chosen: SkuEntry[] = [];
  for (let i = 0; i < lines; i += 1) {
    let entry = ctx.skus[rng.weighted(ctx.cumulative)] as SkuEntry;
    if (chosen.includes(entry)) entry = ctx.skus[rng.weighted(ctx.cumulative)] as SkuEntry;
    if (!chosen.includes(entry)) chosen.push(entry);
  }
  const items: PlatformOrderItem[] = [];
  let goodsFen = 0;
  for (const entry of chosen) {
    const q = rng.next();
    const quantity = q < 0.8 ? 1 : q < 0.95 ? 2 : rng.range(3, 5);
    goodsFen += entry.sku.priceFen * quantity;
    items.push({
      platformItemId: `${orderId}${String(items.length + 1).padStart(2, '0')}`,
      platformSkuId: entry.platformSkuId,
      // Now and then a platform line carries no 商家编码 at all (JD: "极端情况下不保证返回").
      outerSkuCode: rng.chance(0.004) ? null : entry.sku.outerSkuCode,
      title: entry.product.title,
      skuName: entry.sku.skuName === '' ? null : entry.sku.skuName,
      quantity,
      unitPriceFen: entry.sku.priceFen,
      paidFen: entry.sku.priceFen * quantity,
      isGift: false,
      isBundle: entry.product.isBundle,
      imageUrl: null,
    });
  }
  // Discount: shop coupons by threshold (满减), spread over the paid lines in proportion (divide_order_fee).
  const c = rng.next();
  const discountFen = goodsFen >= 19900 && c < 0.3 ? 2000 : goodsFen >= 9900 && c < 0.3 ? 1000 : goodsFen >= 3000 && c < 0.2 ? 300 : 0;
  let left = discountFen;
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i] as PlatformOrderItem;
    const share = i === items.length - 1 ? left : Math.floor((discountFen * item.paidFen) / goodsFen);
    item.paidFen -= share;
    left -= share;
  }
  if (ctx.gifts.length > 0 && rng.chance(0.08)) {
    const gift = rng.pick(ctx.gifts);
    items.push({
      platformItemId: `${orderId}${String(items.length + 1).padStart(2, '0')}`,
      platformSkuId: gift.platformSkuId,
      outerSkuCode: gift.sku.outerSkuCode,
      title: gift.product.title,
      skuName: null,
      quantity: 1,
      unitPriceFen: 0,
      paidFen: 0,
      isGift: true,
      isBundle: false,
      imageUrl: null,
    });
  }
  const shippingFen = REMOTE_PROVINCES.has(receiver.province) ? rng.pick([1000, 1200, 1500]) : rng.chance(0.08) ? 600 : 0;
  const paidFen = goodsFen + shippingFen - discountFen;
  // Presale deposits are whole yuan, about a fifth of the price.
  const depositFen = life.presale ? Math.max(100, Math.round(paidFen / 500) * 100) : null;
  let editedReceiver: Receiver | null = null;
  if (life.addressEditedAt !== null) {
    editedReceiver = pickReceiver(rng);
    editedReceiver.cipher = cipherOf(rng);
  }
  const memo = life.memoAt !== null ? pickSellerMemo(rng) : null;
  return { buyerNick, buyerMessage, receiver, editedReceiver, items, goodsFen, shippingFen, discountFen, paidFen, depositFen, memo };
}

/** An event time that has happened by asOfMs (events strictly before asOfMs have). */
const happened = (t: number | null, asOfMs: number): t is number => t !== null && t < asOfMs;

/** The order as the platform shows it at asOfMs. Straight-line code: it runs millions of times in bulk builds. */
function stateAt(orderId: string, life: Lifecycle, d: Details, asOfMs: number): PlatformOrder {
  let status: PlatformOrder['status'] = 'unpaid';
  let platformStatus = 'WAIT_BUYER_PAY';
  let afterSale: PlatformOrder['afterSale'] = 'none';
  let updated = life.createdAt;
  if (happened(life.closedAt, asOfMs)) {
    status = 'closed';
    platformStatus = 'TRADE_CLOSED_BY_TAOBAO';
    updated = Math.max(updated, life.closedAt);
  }
  if (happened(life.paidAt, asOfMs)) {
    status = 'awaiting_shipment';
    platformStatus = 'WAIT_SELLER_SEND_GOODS';
    updated = Math.max(updated, life.paidAt);
  }
  if (happened(life.shippedAt, asOfMs)) {
    status = 'shipped';
    platformStatus = 'WAIT_BUYER_CONFIRM_GOODS';
    updated = Math.max(updated, life.shippedAt);
  }
  if (happened(life.completedAt, asOfMs)) {
    status = 'completed';
    platformStatus = 'TRADE_FINISHED';
    updated = Math.max(updated, life.completedAt);
  }
  if (happened(life.refundRequestedAt, asOfMs)) {
    afterSale = 'requested';
    updated = Math.max(updated, life.refundRequestedAt);
  }
  if (happened(life.refundReturningAt, asOfMs)) {
    afterSale = 'in_progress';
    updated = Math.max(updated, life.refundReturningAt);
  }
  if (happened(life.refundDecidedAt, asOfMs)) {
    afterSale = life.refundOutcome ?? 'none';
    updated = Math.max(updated, life.refundDecidedAt);
    // A refund that succeeds before the buyer confirms receipt closes the trade (TRADE_CLOSED).
    if (afterSale === 'refunded' && status !== 'completed') {
      status = 'closed';
      platformStatus = 'TRADE_CLOSED';
    }
  }
  let memo: string | null = null;
  let flag = 0;
  if (happened(life.memoAt, asOfMs)) {
    memo = d.memo;
    flag = life.sellerFlag;
    updated = Math.max(updated, life.memoAt);
  }
  let receiver = d.receiver;
  if (happened(life.addressEditedAt, asOfMs) && d.editedReceiver) {
    receiver = d.editedReceiver;
    updated = Math.max(updated, life.addressEditedAt);
  }
  return {
    platformOrderId: orderId,
    status,
    platformStatus,
    afterSale,
    orderType: life.presale ? 'presale' : 'normal',
    presaleDepositFen: d.depositFen,
    presaleBalanceFen: d.depositFen === null ? null : d.paidFen - d.depositFen,
    buyerNick: d.buyerNick,
    buyerMessage: d.buyerMessage,
    sellerMemo: memo,
    sellerFlag: flag,
    receiver,
    goodsFen: d.goodsFen,
    shippingFen: d.shippingFen,
    discountFen: d.discountFen,
    paidFen: d.paidFen,
    createdAt: life.createdAt,
    paidAt: happened(life.paidAt, asOfMs) ? life.paidAt : null,
    platformUpdatedAt: updated,
    items: d.items,
  };
}

// ---------------------------------------------------------------------------------------------
// Order numbers: unique per shop (the "core" digits are), styled like the imitated platform's.

function orderIdOf(ctx: ShopContext, core: string, createdAt: number, check: number): string {
  const cc = String(check % 100).padStart(2, '0');
  switch (ctx.imitates) {
    case 'pdd': {
      const d = new Date(createdAt + SHANGHAI_OFFSET);
      const yymmdd = `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
      return `${yymmdd}-${ctx.shopCode}${core}`;
    }
    case 'jd':
      return `3${core}`;
    case 'douyin':
      return `69${ctx.shopCode}${core}${cc}`;
    case 'kuaishou':
      return `2${ctx.shopCode}${core}`;
    default:
      return `2${ctx.shopCode}${core}${cc}`;
  }
}

/** Where a live order sits in the world: its number, creation time and the seeds of its lifecycle and details. */
export interface Slot {
  orderId: string;
  createdAt: number;
  lifeSeed: number;
  detailSeed: number;
}

function buildOrder(ctx: ShopContext, slot: Slot, life: Lifecycle, asOfMs: number): PlatformOrder {
  const details = detailsOf(ctx, slot.orderId, life, new Rng(slot.detailSeed));
  return stateAt(slot.orderId, life, details, asOfMs);
}

// ---------------------------------------------------------------------------------------------
// Live arrivals by hour bucket.

function bucketMean(shop: WorldShop, bucket: number): number {
  const hourOfDay = Math.floor(((bucket * HOUR + SHANGHAI_OFFSET) % DAY) / HOUR);
  const day = Math.floor((bucket * HOUR + SHANGHAI_OFFSET) / DAY);
  // Some days are busier than others (promotions, weekends): ±30%.
  const dayFactor = 0.7 + (hashInts(shop.seed, day, 7) % 600) / 1000;
  return (shop.ordersPerHour * (DIURNAL[hourOfDay] ?? 1) * dayFactor) / DIURNAL_MEAN;
}

/** Live orders created in [fromMs, toMs), in creation-bucket order. */
function* liveSlots(ctx: ShopContext, shop: WorldShop, fromMs: number, toMs: number): Generator<Slot> {
  const start = Math.max(fromMs, shop.worldStartMs ?? 0);
  if (start >= toMs) return;
  for (let b = Math.floor(start / HOUR); b * HOUR < toMs; b += 1) {
    const rng = new Rng(hashInts(shop.seed, b, 0));
    const n = Math.min(rng.poisson(bucketMean(shop, b)), 999);
    for (let j = 0; j < n; j += 1) {
      const createdAt = b * HOUR + rng.int(3600) * SECOND;
      if (createdAt < start || createdAt >= toMs) continue;
      const core = `2${String(b).padStart(7, '0')}${String(j).padStart(3, '0')}`;
      const lifeSeed = hashInts(shop.seed, b, j, 1);
      yield { orderId: orderIdOf(ctx, core, createdAt, lifeSeed), createdAt, lifeSeed, detailSeed: hashInts(shop.seed, b, j, 2) };
    }
  }
}

/**
 * The shop's orders with any change in [fromMs, toMs), each as it stands at toMs — what an
 * incremental "modified between" API returns. Sorted by modified time, then id.
 */
export function changedOrders(shop: WorldShop, fromMs: number, toMs: number): PlatformOrder[] {
  const ctx = contextOf(shop);
  const out: PlatformOrder[] = [];
  for (const slot of liveSlots(ctx, shop, fromMs - MAX_LIFETIME_MS, toMs)) {
    const life = lifecycleOf(slot.createdAt, new Rng(slot.lifeSeed), ctx.presaleShare, shop.deliveryScale);
    if (changedIn(life, fromMs, toMs)) out.push(buildOrder(ctx, slot, life, toMs));
  }
  out.sort((a, b) => a.platformUpdatedAt - b.platformUpdatedAt || (a.platformOrderId < b.platformOrderId ? -1 : 1));
  return out;
}

/** A live order before it is built: its slot and its lifecycle (cheap; the details come at build time). */
export interface WorldOrder {
  slot: Slot;
  life: Lifecycle;
}

/**
 * The shop's live orders created in [createdFromMs, createdToMs) with their lifecycles, in
 * creation-bucket order. A live feed (world-feed.ts) keeps these to know when each order changes
 * next, instead of recomputing 40 days of lifecycles on every look as changedOrders must.
 */
export function* worldOrders(shop: WorldShop, createdFromMs: number, createdToMs: number): Generator<WorldOrder> {
  const ctx = contextOf(shop);
  for (const slot of liveSlots(ctx, shop, createdFromMs, createdToMs)) {
    yield { slot, life: lifecycleOf(slot.createdAt, new Rng(slot.lifeSeed), ctx.presaleShare, shop.deliveryScale) };
  }
}

/** One world order as the platform shows it at asOfMs (the same build changedOrders uses). */
export function worldOrderAt(shop: WorldShop, order: WorldOrder, asOfMs: number): PlatformOrder {
  return buildOrder(contextOf(shop), order.slot, order.life, asOfMs);
}

/** Every live order of the shop created before asOfMs, as it stands then (tests, support tools). */
export function ordersAt(shop: WorldShop, createdFromMs: number, asOfMs: number): PlatformOrder[] {
  const ctx = contextOf(shop);
  const out: PlatformOrder[] = [];
  for (const slot of liveSlots(ctx, shop, createdFromMs, asOfMs)) {
    out.push(buildOrder(ctx, slot, lifecycleOf(slot.createdAt, new Rng(slot.lifeSeed), ctx.presaleShare, shop.deliveryScale), asOfMs));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bulk: exact counts, fast, for demo databases and benchmarks.

export interface BulkShop {
  id: string;
  platform: Platform;
  seed: number;
  /** Style to copy; defaults to `platform` (or Taobao for 'sandbox'). */
  imitates?: Platform;
  categories?: readonly Category[];
}

export interface GeneratedOrder {
  shopId: string;
  platform: Platform;
  order: PlatformOrder;
  /** The sandbox trade payload the order maps from. */
  raw: unknown;
}

/** Day/night weight from the epoch to `t`, in DIURNAL hour-units: the clock orders arrive by. */
function diurnalClock(t: number): number {
  const local = t + SHANGHAI_OFFSET;
  const day = Math.floor(local / DAY);
  const hours = (local - day * DAY) / HOUR;
  const h = Math.min(Math.floor(hours), 23);
  const before = h === 0 ? 0 : (DIURNAL_CUMULATIVE[h - 1] as number);
  return day * (DIURNAL_CUMULATIVE[23] as number) + before + (DIURNAL[h] as number) * (hours - h);
}

/** The inverse of diurnalClock: the instant at which the day/night clock reads `w`. */
function fromDiurnalClock(w: number): number {
  const perDay = DIURNAL_CUMULATIVE[23] as number;
  const day = Math.floor(w / perDay);
  const x = w - day * perDay;
  let h = 0;
  while (h < 23 && (DIURNAL_CUMULATIVE[h] as number) <= x) h += 1;
  const before = h === 0 ? 0 : (DIURNAL_CUMULATIVE[h - 1] as number);
  const within = Math.min(Math.max((x - before) / (DIURNAL[h] as number), 0), 1);
  return day * DAY + (h + within) * HOUR - SHANGHAI_OFFSET;
}

/**
 * `count` orders spread over [fromMs, toMs) across the shops (round-robin), each as it stands at
 * toMs, in roughly creation order. Deterministic for the same options. Order ids are unique per
 * shop within one call and never collide with the live world's.
 */
export function* generateOrders(opts: { shops: BulkShop[]; count: number; fromMs: number; toMs: number; seed?: number }): Iterable<GeneratedOrder> {
  const { shops, count, fromMs, toMs } = opts;
  if (shops.length === 0 || count <= 0) return;
  const runSeed = opts.seed ?? 1;
  const ctxs = shops.map((s) => {
    const imitates = s.imitates ?? (s.platform === 'sandbox' ? 'taobao' : s.platform);
    return contextOf({ id: s.id, seed: s.seed, imitates, categories: s.categories ?? [], ordersPerHour: 0, worldStartMs: null });
  });
  // Spread evenly on the day/night clock over exactly [fromMs, toMs): busy hours get more orders,
  // and a window ending in the morning does not pile the rest of the day's orders onto its end.
  const clockFrom = diurnalClock(fromMs);
  const clockSpan = diurnalClock(toMs) - clockFrom;
  // Orders are stamped on whole seconds (platforms send seconds): the first and last whole second
  // inside [fromMs, toMs), or, for a window holding none, the second it starts in.
  const firstSecond = Math.ceil(fromMs / SECOND) * SECOND;
  const lastSecond = Math.ceil(toMs / SECOND) * SECOND - SECOND;
  for (let i = 0; i < count; i += 1) {
    const s = i % shops.length;
    const ctx = ctxs[s] as ShopContext;
    const shop = shops[s] as BulkShop;
    const k = Math.floor(i / shops.length);
    const lifeSeed = hashInts(runSeed, ctx.seed, k, 11);
    const at = fromDiurnalClock(clockFrom + ((i + (lifeSeed % 1000) / 1000) * clockSpan) / count);
    const createdAt = firstSecond <= lastSecond ? Math.min(Math.max(Math.floor(at / SECOND) * SECOND, firstSecond), lastSecond) : Math.floor(fromMs / SECOND) * SECOND;
    const core = `1${String(k).padStart(10, '0')}`;
    const slot: Slot = { orderId: orderIdOf(ctx, core, createdAt, lifeSeed), createdAt, lifeSeed, detailSeed: hashInts(runSeed, ctx.seed, k, 12) };
    const order = buildOrder(ctx, slot, lifecycleOf(createdAt, new Rng(lifeSeed), ctx.presaleShare), toMs);
    yield { shopId: shop.id, platform: shop.platform, order, raw: toSandboxTrade(order) };
  }
}
