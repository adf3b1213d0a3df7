// The Douyin 抖店 (doudian) adapter: signs and posts order.searchList to the shop's gateway (system
// params in the query, body = param_json), pages each window from its last page back to page 0,
// classifies gateway errors into AppErrors the sync engine understands, and maps payloads (payload.ts).
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
  type TraceRequest,
  type WaybillRequest,
  type WaybillResult,
  shopSettings,
} from '../contract.ts';
import { DOUDIAN_PRODUCT_PAGE_SIZE, listDoudianProducts } from './products.ts';
import { productPageSize } from '../listing.ts';
import type { ProductCursor, ProductPage, StockWrite, StockWriteResult } from '../../../shared/stock-model.ts';
import { writeDoudianStock } from './stock.ts';
import { checkWindow, fetchJsonObject, platformError, pullBackwards, gatewaySettings, realPacing, type GatewaySettings, authExpiredError } from '../gateway.ts';
import { DOUDIAN_ERR, DOUDIAN_THROTTLE_CODES, DOUDIAN_TOKEN_CODES, DOUDIAN_TRANSIENT_CODES } from './errors.ts';
import { fromDoudianOrder } from './payload.ts';
import { doudianDecrypt, doudianPush, type DoudianCaller } from './pushback.ts';
import { traceDoudianParcel } from './trace.ts';
import { doudianParamJson, doudianSign, doudianTimestamp } from './sign.ts';
import { allocateDoudianWaybills } from './waybill.ts';

export const DOUDIAN_GATEWAY = 'https://openapi-fxg.jinritemai.com';
const SEARCH_LIST = 'order.searchList';
/** Pause between order.batchDecrypt calls (see decryptReceivers). */
const DECRYPT_INTERVAL_MS = 250;

export const DOUDIAN_LIMITS: AdapterLimits = {
  // docs/platforms/douyin.md#order-pull-list-versus-detail "Use 30-min update windows", less 2 s: windows are
  // in ms but sent as whole seconds (start floored, end rounded up), which can widen them by up to 2 s.
  maxWindowMs: 30 * MINUTE - 2 * SECOND,
  pageSize: 100, // size ≤ 100 (20008)
  // Undocumented indexing delay; keep the same 3 min + drift margin as PDD.
  lagMs: 3 * MINUTE + 30 * SECOND,
  overlapMs: 2 * MINUTE,
  // "Only the last 90 days" (20022), less two days' margin for clock drift and long backfills.
  horizonMs: 88 * DAY,
};

/** What a douyin shop keeps in shops.settings, secrets merged in memory by the scheduler. */
export type DoudianSettings = GatewaySettings;

export function doudianSettings(shop: Pick<ShopRecord, 'id' | 'settings'>): DoudianSettings {
  return gatewaySettings(shop, 'douyin', DOUDIAN_GATEWAY);
}

type ErrorDetails = { code: number | string; subCode?: string; retryable: boolean; throttled: boolean };

/** One signed call to the doudian gateway; returns the envelope's `data` object or throws an AppError. */
export async function doudianCall(
  s: Pick<DoudianSettings, 'gateway' | 'appKey' | 'appSecret' | 'accessToken' | 'timeoutMs'>,
  method: string,
  param: Record<string, unknown>,
  nowMs: number,
): Promise<Record<string, unknown>> {
  const data = await doudianData(s, method, param, nowMs);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw platformError(`douyin ${method}: success envelope without data`, { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  }
  return data as Record<string, unknown>;
}

/** doudianCall for the APIs whose `data` is not an object (sku.list answers with an array). */
export async function doudianData(
  s: Pick<DoudianSettings, 'gateway' | 'appKey' | 'appSecret' | 'accessToken' | 'timeoutMs'>,
  method: string,
  param: Record<string, unknown>,
  nowMs: number,
): Promise<unknown> {
  // Serialise once and sign exactly the bytes that are posted
  // (docs/platforms/douyin.md#signing-sourced-the-sdks-sign_utilgo,
  // docs/platforms/common.md#signing-the-bytes-that-are-sent).
  const paramJson = doudianParamJson(param);
  const timestamp = doudianTimestamp(nowMs);
  const sign = doudianSign({ app_key: s.appKey, method, param_json: paramJson, timestamp, v: '2', sign_method: 'hmac-sha256' }, s.appSecret, 'hmac-sha256');
  const query = new URLSearchParams({ app_key: s.appKey, method, timestamp, v: '2', sign, sign_method: 'hmac-sha256', access_token: s.accessToken });
  const url = `${s.gateway}/${method.replace(/\./g, '/')}?${query.toString()}`;
  const env = await fetchJsonObject(`douyin ${method}`, url, {
    method: 'POST',
    // x-open-no-old-err-code opts into the new error codes, as the official SDK does
    // (docs/platforms/douyin.md#gateway-and-common-parameters).
    headers: { 'content-type': 'application/json', 'x-open-no-old-err-code': '1' },
    body: paramJson,
  }, s.timeoutMs ?? 20 * SECOND);
  const code = typeof env.code === 'number' ? env.code : Number(env.code);
  if (code !== DOUDIAN_ERR.success) {
    const subCode = typeof env.sub_code === 'string' ? env.sub_code : '';
    const subMsg = String(env.sub_msg || env.msg || '');
    const msg = `douyin ${method}: ${String(env.code)} ${subCode} ${subMsg}`.replace(/\s+/g, ' ').trim();
    if (DOUDIAN_TOKEN_CODES.has(code)) throw authExpiredError(msg, { code, subCode });
    const throttled = DOUDIAN_THROTTLE_CODES.has(code);
    // 20000 isp.* and 系统繁忙 are transient (docs/platforms/common.md#retries); a NaN code (no envelope) is a
    // broken response, retry too.
    const transient = DOUDIAN_TRANSIENT_CODES.has(code) || subCode.startsWith('isp.') || Number.isNaN(code);
    // subMsg: the platform's own words, shown to a person when a push is rejected.
    throw platformError(msg, { code: Number.isNaN(code) ? 'BAD_RESPONSE' : code, subCode, subMsg, retryable: throttled || transient, throttled });
  }
  if (env.data === undefined || env.data === null) {
    throw platformError(`douyin ${method}: success envelope without data`, { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  }
  return env.data;
}

interface ListPage {
  total: number;
  payloads: unknown[];
}

export class DoudianAdapter implements PlatformAdapter {
  readonly platform = 'douyin' as const;
  readonly limits: AdapterLimits;
  private readonly settings: DoudianSettings;
  private readonly now: () => number;
  private readonly productPageSize: number;

  constructor(shop: ShopRecord, ctx: AdapterContext) {
    this.settings = doudianSettings(shop);
    this.productPageSize = productPageSize(shopSettings(shop), DOUDIAN_PRODUCT_PAGE_SIZE);
    this.limits = { ...DOUDIAN_LIMITS, pageSize: this.settings.pageSize ?? DOUDIAN_LIMITS.pageSize };
    this.now = ctx.now;
  }

  private async fetchPage(window: PullWindow, page: number): Promise<ListPage> {
    const data = await doudianCall(
      this.settings,
      SEARCH_LIST,
      {
        // Whole seconds covering the ms window: duplicates at the edges are fine, gaps are not.
        update_time_start: Math.floor(window.fromMs / SECOND),
        update_time_end: Math.ceil(window.toMs / SECOND),
        order_by: 'update_time',
        // order_asc left out = descending, as the SDK's omitempty would send `false`.
        page,
        size: this.limits.pageSize,
      },
      this.now(),
    );
    const { total, shop_order_list } = data;
    if (typeof total !== 'number' || !Number.isInteger(total) || total < 0 || !Array.isArray(shop_order_list)) {
      throw platformError('douyin order.searchList: response lacks total / shop_order_list', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
    }
    return { total, payloads: shop_order_list };
  }

  /**
   * docs/platforms/douyin.md#order-pull-list-versus-detail says "page from 0 until (page+1)*size >= total";
   * we keep the 0-based pages but walk them backwards. First call (page null): read page 0 to learn total; if
   * that is the whole window, done; otherwise fetch the last page, then walk down to page 0. An order that
   * changes while we page leaves the window and shifts the orders behind it toward lower pages — pages not
   * yet read — so nothing is skipped (at worst one is read twice), which paging forwards cannot promise.
   */
  async pullPage(window: PullWindow, page: PageToken | null): Promise<PulledPage> {
    checkWindow('douyin', window, this.limits.maxWindowMs);
    return pullBackwards({ label: 'douyin', page, pageSize: this.limits.pageSize, firstPage: 0, fetchPage: (n) => this.fetchPage(window, n) });
  }

  toOrder(payload: unknown, warn?: (message: string) => void): PlatformOrder {
    return fromDoudianOrder(payload, warn);
  }

  private readonly call: DoudianCaller = (method, param) => doudianCall(this.settings, method, param, this.now());

  /** order.logisticsAdd / order.addOrderRemark; outcomes and error mapping in pushback.ts. */
  push(request: PushRequest): Promise<PushOutcome> {
    return doudianPush(this.call, request);
  }

  /**
   * order.batchDecrypt, paced to one call per DECRYPT_INTERVAL_MS. doudian's decrypt quota is not in
   * [UNVERIFIED]; 4 calls/s stays under the loopback server's 5/s (server.ts).
   */
  decryptReceivers(requests: DecryptRequest[]): Promise<Map<string, DecryptedReceiver>> {
    return doudianDecrypt(this.call, requests, realPacing(DECRYPT_INTERVAL_MS));
  }

  /** logistics.newCreateOrder with the package id as pack_id (waybill.ts). */
  allocateWaybills(requests: WaybillRequest[]): Promise<WaybillResult[]> {
    return allocateDoudianWaybills(this.call, requests);
  }

  /** logistics.trackNoRouteDetail by carrier and waybill (trace.ts). */
  traceParcel(request: TraceRequest): Promise<ParcelTrace> {
    return traceDoudianParcel(this.call, request);
  }

  /** product.listV2 in cursor mode, then sku.list per product (products.ts). */
  listProducts(cursor: ProductCursor | null, warn?: (message: string) => void): Promise<ProductPage> {
    return listDoudianProducts((method, param) => doudianData(this.settings, method, param, this.now()), cursor, this.productPageSize, warn);
  }

  /** sku.syncStockBatchMultiProducts for absolute figures (≤ 50), sku.syncStock with idempotent_id for deltas (stock.ts). */
  writeStock(writes: StockWrite[]): Promise<StockWriteResult[]> {
    return writeDoudianStock((method, param) => doudianData(this.settings, method, param, this.now()), writes);
  }
}

/** Registered for platform 'douyin' by the lead in registry.ts. */
export const createDouyinAdapter: AdapterFactory = (shop, ctx) => new DoudianAdapter(shop, ctx);
