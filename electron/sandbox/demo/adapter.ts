// The sandbox platform behind the adapter contract: serves the simulated world (generator.ts) as a
// platform would — modified-time windows no longer than its limit, fixed-size pages, platform-shaped
// JSON payloads — so the sync engine runs the same path it will run against Taobao or PDD.
import { AppError } from '../../shared/result.ts';
import { PLATFORMS, type Platform, type PlatformOrder } from '../../shared/model.ts';
import {
  shopSettings,
  type AdapterContext,
  type AdapterLimits,
  type DecryptedReceiver,
  type DecryptRequest,
  type PageToken,
  type PlatformAdapter,
  type PulledPage,
  type PullWindow,
  type PushOutcome,
  type PushRequest,
  type ShopRecord,
} from '../../core/platforms/contract.ts';
import type { PlatformSku, ProductCursor, ProductPage, StockWrite, StockWriteResult } from '../../shared/stock-model.ts';
import { CATEGORIES, type Category } from './catalog.ts';
import { changedOrders, DAY, MINUTE, SECOND, type WorldShop } from './generator.ts';
import { demoListing } from './listing.ts';
import { fromSandboxTrade, toSandboxTrade } from './payload.ts';
import { pickDetailAddress, pickReceiverName } from './people.ts';
import { hashString, Rng } from './rng.ts';

export const SANDBOX_LIMITS: AdapterLimits = {
  maxWindowMs: 30 * MINUTE,
  pageSize: 50,
  lagMs: 5 * SECOND,
  overlapMs: 2 * MINUTE,
  horizonMs: 90 * DAY,
};

/** What a sandbox shop keeps in shops.settings. */
export interface SandboxSettings {
  imitates: Platform;
  seed: number;
  categories: Category[];
  ordersPerHour: number;
  worldStartMs: number | null;
  /** Test mode: this share of payloads arrives malformed (deterministically per order version). */
  malformedRate: number;
  /** Optional overrides of SANDBOX_LIMITS (tests use small pages and windows). */
  pageSize?: number;
  maxWindowMs?: number;
  /** The world's delivery clock (WorldShop.deliveryScale); the demo team runs it fast. */
  deliveryScale?: number;
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export function sandboxSettings(shop: Pick<ShopRecord, 'id' | 'settings'>): SandboxSettings {
  const s = shopSettings(shop);
  const imitates = (PLATFORMS as readonly unknown[]).includes(s.imitates) && s.imitates !== 'sandbox' ? (s.imitates as Platform) : 'taobao';
  const categories = Array.isArray(s.categories) ? s.categories.filter((c): c is Category => (CATEGORIES as readonly unknown[]).includes(c)) : [];
  return {
    imitates,
    seed: Math.trunc(num(s.seed, hashString(shop.id))) >>> 0,
    categories,
    ordersPerHour: Math.max(0, num(s.ordersPerHour, 20)),
    worldStartMs: typeof s.worldStartMs === 'number' ? s.worldStartMs : null,
    malformedRate: Math.min(1, Math.max(0, num(s.malformedRate, 0))),
    ...(typeof s.pageSize === 'number' ? { pageSize: s.pageSize } : {}),
    ...(typeof s.maxWindowMs === 'number' ? { maxWindowMs: s.maxWindowMs } : {}),
    ...(typeof s.deliveryScale === 'number' && s.deliveryScale > 0 && s.deliveryScale <= 1 ? { deliveryScale: s.deliveryScale } : {}),
  };
}

/** The simulated world behind a sandbox shop. */
export function worldShopOf(shop: Pick<ShopRecord, 'id' | 'settings'>): WorldShop {
  const s = sandboxSettings(shop);
  return {
    id: shop.id,
    seed: s.seed,
    imitates: s.imitates,
    categories: s.categories,
    ordersPerHour: s.ordersPerHour,
    worldStartMs: s.worldStartMs,
    ...(s.deliveryScale !== undefined ? { deliveryScale: s.deliveryScale } : {}),
  };
}

/** Break a payload the way real payloads break: bad amounts, unknown states, missing lines or ids. */
function corrupt(trade: ReturnType<typeof toSandboxTrade>, which: number): Record<string, unknown> {
  const t: Record<string, unknown> = { ...trade };
  switch (which % 4) {
    case 0:
      t.payment = '¥' + String(t.payment);
      break;
    case 1:
      t.status = 'TRADE_STATUS_UNKNOWN';
      break;
    case 2:
      t.orders = { order: [] };
      break;
    default:
      delete t.tid;
  }
  return t;
}

/** Products per listing call: small enough that a demo shop's listing takes a few pages, as real ones do. */
export const SANDBOX_PRODUCT_PAGE = 4;
/** SKU stock writes per call (the tightest of the real platforms: Taobao's 20 SKUs per item call). */
export const SANDBOX_STOCK_BATCH = 20;

/**
 * The platform's stock figures of the in-process shops, by shop id then platform SKU id: the world
 * has no memory, but a platform remembers what it was told, so the figures live here for the life of
 * the process. Absent (a new process): the listing's starting figure, until the station tells it
 * again — after a 拉取店铺商品 has read that figure, the next push round does.
 */
const platformStock = new Map<string, Map<string, number>>();

export class SandboxAdapter implements PlatformAdapter {
  readonly platform = 'sandbox' as const;
  readonly limits: AdapterLimits;
  private readonly shopId: string;
  private readonly world: WorldShop;
  private readonly malformedRate: number;
  private readonly now: () => number;
  /** The last window's result, so paging through it computes the world once. */
  private cached: { key: string; orders: PlatformOrder[] } | null = null;

  constructor(shop: ShopRecord, ctx: AdapterContext) {
    const s = sandboxSettings(shop);
    this.shopId = shop.id;
    this.world = worldShopOf(shop);
    this.malformedRate = s.malformedRate;
    this.limits = { ...SANDBOX_LIMITS, pageSize: s.pageSize ?? SANDBOX_LIMITS.pageSize, maxWindowMs: s.maxWindowMs ?? SANDBOX_LIMITS.maxWindowMs };
    this.now = ctx.now;
  }

  async pullPage(window: PullWindow, page: PageToken | null): Promise<PulledPage> {
    const { fromMs, toMs } = window;
    const now = this.now();
    // Refuse what a real platform refuses, with the same kind of error.
    if (!(toMs > fromMs)) throw new AppError('PLATFORM_ERROR', `sandbox: empty or reversed window ${fromMs}..${toMs}`);
    if (toMs - fromMs > this.limits.maxWindowMs) {
      throw new AppError('PLATFORM_ERROR', `sandbox: window of ${toMs - fromMs} ms exceeds the ${this.limits.maxWindowMs} ms limit`);
    }
    if (toMs > now) throw new AppError('PLATFORM_ERROR', 'sandbox: end_modified is in the future');
    if (fromMs < now - this.limits.horizonMs) throw new AppError('PLATFORM_ERROR', 'sandbox: only the last 90 days can be queried');
    const pageNo = page === null ? 0 : Number(page);
    if (!Number.isInteger(pageNo) || pageNo < 0) throw new AppError('PLATFORM_ERROR', `sandbox: bad page token "${page}"`);

    const key = `${fromMs}:${toMs}`;
    if (this.cached?.key !== key) this.cached = { key, orders: changedOrders(this.world, fromMs, toMs) };
    const all = this.cached.orders;
    const size = this.limits.pageSize;
    const slice = all.slice(pageNo * size, (pageNo + 1) * size);
    const payloads = slice.map((order) => {
      const trade = toSandboxTrade(order);
      if (this.malformedRate > 0) {
        const h = hashString(`${order.platformOrderId}@${order.platformUpdatedAt}`);
        if (h % 10_000 < this.malformedRate * 10_000) return corrupt(trade, h >>> 16);
      }
      // Through JSON, as it would arrive over the wire: no shared references, no undefined.
      return JSON.parse(JSON.stringify(trade)) as unknown;
    });
    const next = (pageNo + 1) * size < all.length ? String(pageNo + 1) : null;
    if (next === null) this.cached = null;
    return { payloads, next };
  }

  toOrder(payload: unknown): PlatformOrder {
    return fromSandboxTrade(payload);
  }

  /**
   * The simulated world is a pure function of seed and time: it has no memory, so it cannot
   * record a shipment or a memo, and a later pull shows the order as the world has it (the ingest
   * rules keep a locally shipped order shipped). It accepts every well-formed push as confirmed —
   * the path a real platform's success takes — and refuses what no platform would accept.
   */
  async push(request: PushRequest): Promise<PushOutcome> {
    if (request.platformOrderId === '') return { kind: 'rejected', reason: 'sandbox: the order id is empty' };
    if (request.kind === 'ship' && request.waybillNo.trim() === '') return { kind: 'rejected', reason: 'sandbox: the waybill number is empty' };
    return { kind: 'confirmed' };
  }

  /**
   * The shop's listing (listing.ts: the catalogue products of its categories, with the SKU ids its
   * orders carry), SANDBOX_PRODUCT_PAGE products a call; the cursor is the next product's index.
   */
  async listProducts(cursor: ProductCursor | null): Promise<ProductPage> {
    const start = cursor === null ? 0 : Number(cursor);
    if (!Number.isInteger(start) || start < 0) throw new AppError('PLATFORM_ERROR', `sandbox: bad listing cursor "${cursor}"`);
    const all = demoListing(this.world, this.now());
    const figures = platformStock.get(this.shopId);
    const items: PlatformSku[] = all.slice(start, start + SANDBOX_PRODUCT_PAGE).flatMap((p) =>
      p.skus.map((s) => ({
        platformProductId: p.productId,
        platformSkuId: s.skuId,
        outerCode: s.outerId === '' ? null : s.outerId,
        productOuterCode: p.outerId === '' ? null : p.outerId,
        title: p.title,
        spec: s.specs.length > 0 ? s.specs.map((x) => `${x.name}:${x.value}`).join(';') : null,
        platformStock: figures?.get(s.skuId) ?? s.stock,
        onSale: s.onSale,
      })),
    );
    const next = start + SANDBOX_PRODUCT_PAGE < all.length ? String(start + SANDBOX_PRODUCT_PAGE) : null;
    return { items, quarantined: [], next };
  }

  /**
   * Sets (or, for 'delta', adds to) the figures of the shop's listed SKUs, at most SANDBOX_STOCK_BATCH
   * a call; a SKU the shop does not list is refused for that write, as a platform refuses a deleted
   * SKU. A figure below zero is refused like TOP refuses it. Every write is keyed, so a retried batch
   * sets the same figures again (a delta is applied once per key).
   */
  async writeStock(writes: StockWrite[]): Promise<StockWriteResult[]> {
    if (writes.length > SANDBOX_STOCK_BATCH) throw new AppError('PLATFORM_ERROR', `sandbox: at most ${SANDBOX_STOCK_BATCH} SKUs per stock write, got ${writes.length}`);
    const listed = new Map<string, number>();
    for (const p of demoListing(this.world, this.now())) for (const s of p.skus) listed.set(`${p.productId}/${s.skuId}`, s.stock);
    let figures = platformStock.get(this.shopId);
    if (!figures) {
      figures = new Map();
      platformStock.set(this.shopId, figures);
    }
    const applied = appliedDeltas(this.shopId);
    return writes.map((w): StockWriteResult => {
      const initial = w.platformSkuId === null ? undefined : listed.get(`${w.platformProductId}/${w.platformSkuId}`);
      if (w.platformSkuId === null || initial === undefined) {
        return { kind: 'refused', key: w.key, reason: `sandbox: 商品 ${w.platformProductId} SKU ${String(w.platformSkuId)} 不存在`, lockedByPromotion: false };
      }
      const current = figures.get(w.platformSkuId) ?? initial;
      if (w.mode === 'delta' && applied.has(w.key)) return { kind: 'confirmed', key: w.key, platformStock: current };
      const next = w.mode === 'set' ? w.quantity : current + w.quantity;
      if (next < 0) return { kind: 'refused', key: w.key, reason: `sandbox: 库存不能小于0 (${current} + ${w.quantity})`, lockedByPromotion: false };
      figures.set(w.platformSkuId, next);
      if (w.mode === 'delta') applied.add(w.key);
      return { kind: 'confirmed', key: w.key, platformStock: next };
    });
  }

  /**
   * The sandbox's receivers carry an OAID-like cipher with masked phones, as real platforms send
   * them, but no person stands behind the mask. Its decrypt API answers like a platform's: the
   * person behind a cipher is a pure function of the cipher (a name, a full 11-digit mobile number
   * and a street line), the same on every call. It does not reproduce the masked values stored on
   * the order — the world never had them in full.
   */
  async decryptReceivers(requests: DecryptRequest[]): Promise<Map<string, DecryptedReceiver>> {
    const out = new Map<string, DecryptedReceiver>();
    for (const r of requests) {
      if (r.cipher === '') continue; // nothing a platform could decrypt: left out, as the contract says
      const rng = new Rng(hashString(`${this.world.seed}:${r.cipher}`));
      const phone = `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(1_000_000_000)).padStart(9, '0')}`;
      out.set(r.platformOrderId, { name: pickReceiverName(rng), phone, address: pickDetailAddress(rng) });
    }
    return out;
  }
}

/** Delta keys each in-process shop has applied, so a retried delta is applied once (like Douyin's idempotent_id). */
const deltaKeys = new Map<string, Set<string>>();
function appliedDeltas(shopId: string): Set<string> {
  let keys = deltaKeys.get(shopId);
  if (!keys) {
    keys = new Set();
    deltaKeys.set(shopId, keys);
  }
  return keys;
}
