// The Pinduoduo adapter: signs and posts pdd.order.number.list.increment.get to the shop's gateway,
// pages each window from the last page backwards (PDD sorts by updated_at desc), classifies gateway
// errors into AppErrors the sync engine understands, and maps order payloads (payload.ts). Push-backs
// (ship, note) and receiver decryption, paced per app, go through the same signed call (push.ts).
import { AppError } from '../../../shared/result.ts';
import { DAY, MINUTE, SECOND } from '../../../shared/time.ts';
import type { PlatformOrder } from '../../../shared/model.ts';
import {
  type AdapterContext,
  type AdapterFactory,
  type AdapterLimits,
  type DecryptedReceiver,
  type DecryptRequest,
  type PageToken,
  type ParcelTrace,
  type PlatformAdapter,
  type PulledPage,
  type PullWindow,
  type PushOutcome,
  type PushRequest,
  type ShopRecord,
  shopSettings,
  type TraceRequest,
  type WaybillRequest,
  type WaybillResult,
} from '../contract.ts';
import { checkWindow, fetchJsonObject, platformError, pullBackwards, gatewaySettings, type CountedPage, type GatewaySettings, authExpiredError } from '../gateway.ts';
import { PDD_THROTTLE_CODES, PDD_TOKEN_CODES, PDD_TRANSIENT_CODES } from './errors.ts';
import { decryptGateFor, realSleep, type IntervalGate, type Sleep } from './pace.ts';
import { fromPddOrder } from './payload.ts';
import { decryptPdd, pushPdd } from './push.ts';
import { tracePddParcel } from './trace.ts';
import { allocatePddWaybills } from './waybill.ts';
import { listPddProducts, PDD_GOODS_PAGE_SIZE } from './products.ts';
import { productPageSize } from '../listing.ts';
import type { ProductCursor, ProductPage, StockWrite, StockWriteResult } from '../../../shared/stock-model.ts';
import { writePddStock } from './stock.ts';
import { pddSerializeParams, pddSign, pddTimestamp, type PddParamValue } from './sign.ts';

export const PDD_GATEWAY = 'https://gw-api.pinduoduo.com/api/router';
const INCREMENT_GET = 'pdd.order.number.list.increment.get';

export const PDD_LIMITS: AdapterLimits = {
  // 30 min apart at most (docs/platforms/pdd.md#order-pull-list-versus-detail), less 2 s: windows are in ms
  // but sent as whole seconds (start floored, end rounded up), which can widen them by up to 2 s.
  maxWindowMs: 30 * MINUTE - 2 * SECOND,
  pageSize: 100, // max 100
  // "结束时间不小于拼多多系统时间前3min", plus 30 s for the station's clock drift.
  lagMs: 3 * MINUTE + 30 * SECOND,
  overlapMs: 2 * MINUTE,
  // "Only orders from the last 3 months": the shortest 3 months is 89 days; keep a day's margin.
  horizonMs: 88 * DAY,
};

/** What a pdd shop keeps in shops.settings, secrets merged in memory by the scheduler. */
export type PddSettings = GatewaySettings;

export function pddSettings(shop: Pick<ShopRecord, 'id' | 'settings'>): PddSettings {
  return gatewaySettings(shop, 'pdd', PDD_GATEWAY);
}


/** One signed call to the PDD gateway; returns the parsed success body or throws an AppError. */
export async function pddCall(
  s: Pick<PddSettings, 'gateway' | 'appKey' | 'appSecret' | 'accessToken' | 'timeoutMs'>,
  type: string,
  business: Record<string, PddParamValue>,
  nowMs: number,
): Promise<Record<string, unknown>> {
  const params = pddSerializeParams({
    ...business,
    type,
    client_id: s.appKey,
    access_token: s.accessToken,
    timestamp: pddTimestamp(nowMs),
    data_type: 'JSON',
    version: 'V1',
  });
  // Sign the exact strings that are posted (docs/platforms/pdd.md#signing-sourced step 1,
  // docs/platforms/common.md#signing-the-bytes-that-are-sent).
  const body = JSON.stringify({ ...params, sign: pddSign(params, s.appSecret) });
  const obj = await fetchJsonObject(`pdd ${type}`, s.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body,
  }, s.timeoutMs ?? 20 * SECOND);
  const err = obj.error_response;
  if (typeof err === 'object' && err !== null) {
    const e = err as Record<string, unknown>;
    const code = typeof e.error_code === 'number' ? e.error_code : Number(e.error_code);
    const msg = `pdd ${type}: ${String(e.error_code)} ${String(e.sub_msg || e.error_msg || '')}`.trim();
    if (PDD_TOKEN_CODES.has(code)) throw authExpiredError(msg, { code });
    const throttled = PDD_THROTTLE_CODES.has(code);
    // subMsg: the platform's own words, shown to a person when a push-back is refused (push.ts).
    throw platformError(msg, { code, retryable: throttled || PDD_TRANSIENT_CODES.has(code), throttled, subMsg: String(e.sub_msg || e.error_msg || '') });
  }
  return obj;
}

/** Test seams: the sleep and the decrypt gate (default: the app's shared gate, real timers). */
export interface PddAdapterOptions {
  sleep?: Sleep;
  decryptGate?: IntervalGate;
}

export class PddAdapter implements PlatformAdapter {
  readonly platform = 'pdd' as const;
  readonly limits: AdapterLimits;
  private readonly settings: PddSettings;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly decryptGate: IntervalGate;
  private readonly productPageSize: number;

  constructor(shop: ShopRecord, ctx: AdapterContext, options: PddAdapterOptions = {}) {
    this.settings = pddSettings(shop);
    this.productPageSize = productPageSize(shopSettings(shop), PDD_GOODS_PAGE_SIZE);
    this.limits = { ...PDD_LIMITS, pageSize: this.settings.pageSize ?? PDD_LIMITS.pageSize };
    this.now = ctx.now;
    this.sleep = options.sleep ?? realSleep;
    this.decryptGate = options.decryptGate ?? decryptGateFor(this.settings.appKey);
  }

  private call(type: string, business: Record<string, PddParamValue>): Promise<Record<string, unknown>> {
    return pddCall(this.settings, type, business, this.now());
  }

  private async fetchPage(window: PullWindow, page: number): Promise<CountedPage> {
    const body = await pddCall(
      this.settings,
      INCREMENT_GET,
      {
        // Whole seconds covering the ms window: duplicates at the edges are fine, gaps are not.
        start_updated_at: Math.floor(window.fromMs / SECOND),
        end_updated_at: Math.ceil(window.toMs / SECOND),
        order_status: 5,
        refund_status: 5,
        is_lucky_flag: 0,
        page,
        page_size: this.limits.pageSize,
      },
      this.now(),
    );
    const r = body.order_sn_increment_get_response;
    if (typeof r !== 'object' || r === null) {
      throw platformError('pdd increment.get: no order_sn_increment_get_response', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
    }
    const { total_count, order_sn_list } = r as Record<string, unknown>;
    if (typeof total_count !== 'number' || !Number.isInteger(total_count) || total_count < 0 || !Array.isArray(order_sn_list)) {
      throw platformError('pdd increment.get: response lacks total_count / order_sn_list', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
    }
    return { total: total_count, payloads: order_sn_list };
  }

  /** PDD sorts by updated_at desc: walk each window from the last page back (gateway.ts). */
  async pullPage(window: PullWindow, page: PageToken | null): Promise<PulledPage> {
    checkWindow('pdd', window, this.limits.maxWindowMs);
    return pullBackwards({ label: 'pdd', page, pageSize: this.limits.pageSize, firstPage: 1, fetchPage: (n) => this.fetchPage(window, n) });
  }

  toOrder(payload: unknown, warn?: (message: string) => void): PlatformOrder {
    return fromPddOrder(payload, warn);
  }

  /** Online send / note+tag through PDD (push.ts sorts the outcome). */
  push(request: PushRequest): Promise<PushOutcome> {
    return pushPdd((type, business) => this.call(type, business), request);
  }

  /** pdd.open.decrypt.batch, ≤ 100 ciphertexts a call, paced by the app's gate (push.ts, pace.ts). */
  decryptReceivers(requests: DecryptRequest[]): Promise<Map<string, DecryptedReceiver>> {
    return decryptPdd((type, business) => this.call(type, business), requests, { gate: this.decryptGate, now: this.now, sleep: this.sleep });
  }

  /** pdd.waybill.get, ≤ 10 per call, package id as object_id (waybill.ts). */
  allocateWaybills(requests: WaybillRequest[]): Promise<WaybillResult[]> {
    return allocatePddWaybills((type, business) => this.call(type, business), requests);
  }

  /** pdd.logistics.ordertrace.get by carrier and waybill (trace.ts). */
  traceParcel(request: TraceRequest): Promise<ParcelTrace> {
    return tracePddParcel((type, business) => this.call(type, business), request);
  }

  /** pdd.goods.list.get, a full scan by page (products.ts; at most 100 goods a page). */
  listProducts(cursor: ProductCursor | null, warn?: (message: string) => void): Promise<ProductPage> {
    return listPddProducts((type, business) => this.call(type, business), cursor, this.productPageSize, warn);
  }

  /** pdd.goods.quantity.update, one SKU a call, absolute figures (stock.ts). */
  writeStock(writes: StockWrite[]): Promise<StockWriteResult[]> {
    return writePddStock((type, business) => this.call(type, business), writes);
  }
}

/** Registered for platform 'pdd' by the lead in registry.ts. */
export const createPddAdapter: AdapterFactory = (shop, ctx) => new PddAdapter(shop, ctx);
