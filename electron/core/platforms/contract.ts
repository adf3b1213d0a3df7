// The platform adapter contract: what the sync engine needs from each platform (Taobao/Tmall, PDD,
// JD, Douyin, Kuaishou, sandbox) — pull the orders modified in a time window, page by page, and map
// one raw payload to the common order model. Signing, gateways and field names stay inside adapters.
import type { CarrierCode } from '../../shared/carriers.ts';
import type { TrackingState } from '../../shared/contract.ts';
import type { Platform, PlatformOrder, SellerFlag } from '../../shared/model.ts';
import type { ProductCursor, ProductPage, StockWrite, StockWriteResult } from '../../shared/stock-model.ts';

/**
 * A half-open window [fromMs, toMs) of platform modified time (epoch ms UTC). Every platform's
 * incremental API is "orders modified between A and B": TOP start/end_modified, PDD
 * start/end_updated_at, JD dateType=modified, Douyin update_time_*, Kuaishou queryType=update.
 */
export interface PullWindow {
  fromMs: number;
  toMs: number;
}

/**
 * Opaque to the engine. Each adapter encodes its own paging: a page number walked backwards from
 * the last page (TOP and PDD sort by modified desc, so paging forward skips orders that change while
 * you page), a page from 0 (Douyin), a page from 1 (JD), or the server's cursor (Kuaishou, "nomore").
 */
export type PageToken = string;

export interface PulledPage {
  /** Raw payloads exactly as received; kept for replay and quarantined when they fail to map. */
  payloads: unknown[];
  /** null when this was the window's last page. */
  next: PageToken | null;
}

export interface AdapterLimits {
  /** Longest window the platform accepts (TOP 1 day, 30 min advised; PDD 30 min; Douyin: keep 30 min). */
  maxWindowMs: number;
  /** Payloads per page (TOP 40–100, PDD/JD/Douyin/Kuaishou ≤ 100). */
  pageSize: number;
  /** Keep the window's end this far behind now: platforms index changes late (PDD asks ≥ 3 min). */
  lagMs: number;
  /** Re-pull this much before the stored cursor, for changes indexed after a window closed. */
  overlapMs: number;
  /** How far back the platform lets anyone look (TOP and PDD 3 months, Douyin 90 days). */
  horizonMs: number;
}

/**
 * One shop's connection to its platform. pullPage is the only network call. Across all pages of a
 * window an adapter must return every order modified in the window at least once, each as its
 * current state (duplicates are fine: the engine upserts by platform order id and a content hash).
 * Transport failures throw (AppError 'PLATFORM_ERROR' or 'SHOP_AUTH_EXPIRED'); the engine records
 * them on the shop's cursor and tries again on the next round.
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  readonly limits: AdapterLimits;
  pullPage(window: PullWindow, page: PageToken | null): Promise<PulledPage>;
  /**
   * Map one payload; throws AdapterPayloadError only for what an order cannot exist without (its id,
   * status, amounts, lines). Optional or unverified structures the adapter cannot read are skipped,
   * and an unknown after-sale status maps to 'unknown': the order is kept and `warn` is told why, in
   * words a person can act on (the engine stores these in the sync log; the raw payload is kept too).
   * Messages name the field, not the order ("order_phase_list[0] has no recognisable fields, kept
   * raw"): the engine prefixes the order id.
   */
  toOrder(payload: unknown, warn?: (message: string) => void): PlatformOrder;
  /** Send one push-back. Throws on transport/throttling failures (the outbox retries with backoff). */
  push(request: PushRequest): Promise<PushOutcome>;
  /**
   * Decrypt receivers through the platform's decrypt API, batching and pacing within its limits.
   * Orders the platform would not decrypt are absent from the map. Platforms without a decrypt API
   * (JD decrypts with its TDE SDK) throw AppError('INVALID_STATE') saying so.
   */
  decryptReceivers(requests: DecryptRequest[]): Promise<Map<string, DecryptedReceiver>>;
  /**
   * Allocate e-waybill numbers (电子面单取号) through the platform's waybill API — Cainiao
   * cainiao.waybill.ii.get via TOP, pdd.waybill.get, Douyin logistics.newCreateOrder. Optional:
   * platforms without one (or whose API the public sources do not document,
   * docs/platforms/common.md#which-apis-exist) leave it out, and callers say so. Idempotent per
   * request.packageId: the adapter sends it as the platform's idempotency key (object_id / pack_id), so
   * asking again after a lost answer returns the same number. Returns one result per request, in request
   * order: allocated, or refused for that package (a business reason retrying will not fix). Transport,
   * throttling and auth failures throw (AppError, like pullPage) for the whole call — nothing was written,
   * and a retry is safe.
   */
  allocateWaybills?(requests: WaybillRequest[]): Promise<WaybillResult[]>;
  /**
   * The logistics trace of one shipped parcel through the platform's trace API — TOP
   * taobao.logistics.trace.search (by trade), pdd.logistics.ordertrace.get and Douyin
   * logistics.trackNoRouteDetail (by carrier + waybill). Optional: platforms without one leave it
   * out and their parcels are traced by CSV import. Steps the adapter cannot read are skipped (a
   * trace is advisory); transport, throttling and auth failures throw like pullPage.
   */
  traceParcel?(request: TraceRequest): Promise<ParcelTrace>;
  /**
   * One call's worth of the shop's products and SKUs through the platform's listing APIs
   * (docs/platforms/products.md): start with null, pass back `next` until it is null. The adapter
   * pages and windows the listing within the platform's limits and encodes that in the cursor. A
   * listed product it cannot read is quarantined (kept raw with the reason) and the page goes on;
   * optional fields it cannot read are null and `warn` says why. Transport, throttling and auth
   * failures throw like pullPage; retrying with the same cursor is safe. Every platform has a listing
   * API, so every adapter has this (the shared listing suite in the testkit runs it against all five).
   */
  listProducts(cursor: ProductCursor | null, warn?: (message: string) => void): Promise<ProductPage>;
  /**
   * Tell the platform SKU stock figures, batched within its limits (docs/platforms/stock-write.md).
   * Returns one result per write, in order: confirmed, or refused for that SKU (a mode the platform
   * does not have, a deleted SKU, a promotion lock). Transport, throttling and auth failures throw for
   * the whole call; 'set' writes and Douyin's keyed deltas are safe to retry, a Kuaishou delta is not
   * (no idempotency key: re-read the platform's figure first). Every platform takes stock writes
   * (Kuaishou by delta only), so every adapter has this too.
   */
  writeStock(writes: StockWrite[]): Promise<StockWriteResult[]>;
}

/** A shipped parcel to trace: the platform order it was shipped for, our carrier code and its waybill. */
export interface TraceRequest {
  platformOrderId: string;
  carrierCode: string;
  waybillNo: string;
}

/** One step of a parcel's journey, in our tracking states. */
export interface ParcelTraceEvent {
  at: number;
  status: Exclude<TrackingState, 'none'>;
  description: string;
  location: string | null;
}

/** A parcel's trace as the platform tells it; waybillNo is the one the platform traced (null: not said). */
export interface ParcelTrace {
  waybillNo: string | null;
  events: ParcelTraceEvent[];
}

/** The sender printed on a waybill and sent with every allocation (from the waybill account's settings). */
export interface WaybillSender {
  name: string;
  mobile: string;
  province: string;
  city: string;
  district: string;
  /** Street-level detail address. */
  address: string;
}

/** One package asking for a waybill number. */
export interface WaybillRequest {
  /** Our package id: the idempotency key (Cainiao/PDD object_id, Douyin pack_id). */
  packageId: string;
  platformOrderId: string;
  carrierCode: CarrierCode;
  sender: WaybillSender;
  /**
   * The receiver as stored on the order: plain province/city/district, masked or plain name/phone/
   * street, and the platform's ciphertext reference (oaid, encrypted fields) the waybill API decrypts
   * itself (docs/platforms/common.md#receiver-data-pii-and-native-waybills: prefer native flows over
   * decrypting at the station).
   */
  receiver: { name: string; phone: string; province: string; city: string; district: string; town: string | null; address: string; cipher: string | null };
  /** Item names and counts for the package (package_info.items). */
  items: { name: string; count: number }[];
  /** Account options: template URL, product type, need_encrypt, branch or customer code (platform-specific keys). */
  options: Record<string, string>;
}

/** Routing marks the label prints large: 三段码 / sort code and the platform's other codes. */
export interface WaybillRouting {
  sortCode: string | null;
  /** 集包地 code/name (Douyin package_center_*). */
  packageCenterCode?: string;
  packageCenterName?: string;
  /** 大头笔 / short address (Douyin short_address_*). */
  shortAddressCode?: string;
  shortAddressName?: string;
}

export type WaybillResult =
  | {
      kind: 'allocated';
      packageId: string;
      waybillNo: string;
      routing: WaybillRouting;
      /** The platform's print data for its print component, kept exactly as received (often encrypted); null when it sends none. */
      printData: string | null;
    }
  | { kind: 'refused'; packageId: string; reason: string };

/**
 * One action the station sends back to the platform (from the pushes outbox). Built in the command's
 * transaction and frozen there: the outbox sends exactly this, however many times it retries.
 */
export type PushRequest =
  /** Online send (在线发货) of the whole order with one waybill. */
  | { kind: 'ship'; platformOrderId: string; carrierCode: CarrierCode; waybillNo: string }
  /** Seller memo and flag; null memo clears it. Platforms that set both in one call get both. */
  | { kind: 'memo'; platformOrderId: string; memo: string | null; flag: SellerFlag };

/** What the platform said to a push. Transient failures are thrown (AppError, marked retryable). */
export type PushOutcome =
  /** The platform confirmed the change. */
  | { kind: 'confirmed' }
  /**
   * The platform says the order was already shipped. waybillNo is the platform's waybill when the
   * adapter could read it (from the error or a detail call); the outbox confirms when it matches the
   * push and raises a conflict for a person when it does not (or is unknown).
   */
  | { kind: 'already_shipped'; waybillNo: string | null }
  /** The platform refused for a reason retrying will not fix (cancelled, refund pending, bad waybill). */
  | { kind: 'rejected'; reason: string };

/** A receiver decrypted by the platform's API, for an action that needs it (printing, a person's request). */
export interface DecryptedReceiver {
  name: string;
  phone: string;
  /** The street address line (province/city/district stay as stored: platforms send them in clear). */
  address: string;
}

/** The receiver ciphertext as stored on the order (orders.receiver_cipher) with its order id. */
export interface DecryptRequest {
  platformOrderId: string;
  cipher: string;
}

/** A payload that does not map to a valid order. The engine quarantines it and goes on. */
export class AdapterPayloadError extends Error {
  constructor(
    /** Why, in words a support person can act on ("payment: amount must be a yuan string"). */
    readonly reason: string,
    /** The platform order id, when the payload was readable enough to have one. */
    readonly platformOrderId: string | null = null,
  ) {
    super(reason);
    this.name = 'AdapterPayloadError';
  }
}

/** The shops row as adapters need it (settings is the row's JSON text). */
export interface ShopRecord {
  id: string;
  name: string;
  platform: string;
  state: string;
  settings: string;
}

/** What an adapter may need from its host besides the shop: a clock (platform "now"). */
export interface AdapterContext {
  now: () => number;
}

export type AdapterFactory = (shop: ShopRecord, ctx: AdapterContext) => PlatformAdapter;

/** Parse a shop's settings JSON; a corrupt value is an empty object, never a crash in the sync loop. */
export function shopSettings(shop: Pick<ShopRecord, 'settings'>): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(shop.settings);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
