// The JD (宙斯/JOS) adapter: signs and sends jingdong.pop.order.enSearch to the shop's routerjson
// gateway (system params in the query, 360buy_param_json in the POST form), pages each window from
// the last page backwards over modified time sorted desc, classifies gateway and business errors
// into AppErrors the sync engine understands, and maps order payloads (payload.ts).
import { AppError } from '../../../shared/result.ts';
import { DAY, MINUTE, SECOND } from '../../../shared/time.ts';
import type { PlatformOrder } from '../../../shared/model.ts';
import {
  type DecryptRequest,
  type DecryptedReceiver,
  type PushOutcome,
  type PushRequest,
  type AdapterContext,
  type AdapterFactory,
  type AdapterLimits,
  type PageToken,
  type PlatformAdapter,
  type PulledPage,
  type PullWindow,
  type ShopRecord,
  shopSettings,
} from '../contract.ts';
import { JD_SKU_PAGE_SIZE, listJdProducts } from './products.ts';
import { productPageSize } from '../listing.ts';
import type { ProductCursor, ProductPage, StockWrite, StockWriteResult } from '../../../shared/stock-model.ts';
import { writeJdStock } from './stock.ts';
import { checkWindow, fetchJsonObject, platformError, pullBackwards, gatewaySettings, type GatewaySettings, authExpiredError } from '../gateway.ts';
import { formatGmt8 } from '../gmt8.ts';
import { JD_THROTTLE_CODES, JD_TOKEN_CODES, JD_TRANSIENT_CODES } from './errors.ts';
import { fromJdOrder, JD_OPTIONAL_FIELDS, JD_ORDER_STATES } from './payload.ts';
import { jdDecryptRefusal, jdPush, type JdCaller } from './pushback.ts';
import { jdParamJson, jdSign, jdTimestamp } from './sign.ts';

export const JD_GATEWAY = 'https://api.jd.com/routerjson';
const EN_SEARCH = 'jingdong.pop.order.enSearch';

export const JD_LIMITS: AdapterLimits = {
  // The gateway allows ≤ 1 month, but docs/sync.md#platform-pull-cursors-windows-overlap advises small
  // windows: 30 min keeps each window's pages well under the (secondary-sourced) "pages beyond 100 come back
  // empty" cliff.
  maxWindowMs: 30 * MINUTE,
  pageSize: 100, // page_size max 100 (docs/platforms/jd.md#order-pull-list-versus-detail)
  // JD's indexing delay is not documented; stay 3 min behind like PDD, plus 30 s of clock drift.
  lagMs: 3 * MINUTE + 30 * SECOND,
  overlapMs: 2 * MINUTE,
  // No JD horizon is sourced; keep the 3-month horizon of the other POP APIs less a day's margin [UNVERIFIED].
  horizonMs: 88 * DAY,
};

/** What a jd shop keeps in shops.settings, secrets merged in memory by the scheduler. */
export type JdSettings = GatewaySettings;

export function jdSettings(shop: Pick<ShopRecord, 'id' | 'settings'>): JdSettings {
  return gatewaySettings(shop, 'jd', JD_GATEWAY);
}


const badResponse = (m: string): AppError => platformError(m, { code: 'BAD_RESPONSE', retryable: true, throttled: false });

/**
 * One signed call to the JD gateway, the way the official SDK sends it: system params in the URL
 * query, the business JSON in the POST form field 360buy_param_json. Returns the parsed body or
 * throws an AppError.
 */
export async function jdCall(
  s: Pick<JdSettings, 'gateway' | 'appKey' | 'appSecret' | 'accessToken' | 'timeoutMs'>,
  method: string,
  business: Record<string, unknown>,
  nowMs: number,
): Promise<Record<string, unknown>> {
  const paramJson = jdParamJson(business);
  const sys: Record<string, string> = { method, app_key: s.appKey, access_token: s.accessToken, timestamp: jdTimestamp(nowMs), v: '2.0', format: 'json' };
  // Sign the exact 360buy_param_json string that is posted
  // (docs/platforms/jd.md#signing-sourced-the-official-sdks-sign step 4,
  // docs/platforms/common.md#signing-the-bytes-that-are-sent).
  const sign = jdSign({ ...sys, '360buy_param_json': paramJson }, s.appSecret);
  const url = new URL(s.gateway);
  for (const [k, v] of Object.entries({ ...sys, sign })) url.searchParams.set(k, v);
  const obj = await fetchJsonObject(`jd ${method}`, url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body: new URLSearchParams({ '360buy_param_json': paramJson }).toString(),
  }, s.timeoutMs ?? 20 * SECOND);
  const err = obj.error_response;
  if (typeof err === 'object' && err !== null) {
    const e = err as Record<string, unknown>;
    const code = String(e.code ?? '');
    const msg = `jd ${method}: ${code} ${String(e.zh_desc || e.en_desc || '')}`.trim();
    if (JD_TOKEN_CODES.has(code)) throw authExpiredError(msg, { code });
    const throttled = JD_THROTTLE_CODES.has(code);
    throw platformError(msg, { code, retryable: throttled || JD_TRANSIENT_CODES.has(code), throttled });
  }
  return obj;
}

export interface SearchPage {
  total: number;
  payloads: unknown[];
}

/**
 * The enSearch result out of a successful gateway body: orderTotal + orderInfoList, or a
 * PLATFORM_ERROR for a business refusal reported in apiResult (bad dates, bad state list).
 */
export function enSearchResult(body: Record<string, unknown>): SearchPage {
  const r = body.jingdong_pop_order_enSearch_responce;
  const result = typeof r === 'object' && r !== null ? (r as Record<string, unknown>).searchorderinfo_result : undefined;
  if (typeof result !== 'object' || result === null) throw badResponse('jd enSearch: no jingdong_pop_order_enSearch_responce.searchorderinfo_result');
  const { orderTotal, orderInfoList, apiResult } = result as Record<string, unknown>;
  if (typeof apiResult === 'object' && apiResult !== null && (apiResult as Record<string, unknown>).success === false) {
    // A business refusal (bad dates, bad state list): the same request will fail again.
    const a = apiResult as Record<string, unknown>;
    const code = String(a.englishErrCode ?? a.numberCode ?? 'BUSINESS');
    throw platformError(`jd enSearch: ${code} ${String(a.chineseErrCode ?? '')}`.trim(), { code, retryable: false, throttled: false });
  }
  const total = typeof orderTotal === 'string' && /^\d+$/.test(orderTotal) ? Number(orderTotal) : orderTotal;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) throw badResponse('jd enSearch: response lacks orderTotal');
  // JD omits the list when nothing matched.
  if (orderInfoList !== undefined && orderInfoList !== null && !Array.isArray(orderInfoList)) throw badResponse('jd enSearch: orderInfoList is not a list');
  return { total, payloads: Array.isArray(orderInfoList) ? orderInfoList : [] };
}

export class JdAdapter implements PlatformAdapter {
  readonly platform = 'jd' as const;
  readonly limits: AdapterLimits;
  private readonly settings: JdSettings;
  private readonly now: () => number;
  private readonly productPageSize: number;

  constructor(shop: ShopRecord, ctx: AdapterContext) {
    this.settings = jdSettings(shop);
    this.productPageSize = productPageSize(shopSettings(shop), JD_SKU_PAGE_SIZE);
    this.limits = { ...JD_LIMITS, pageSize: this.settings.pageSize ?? JD_LIMITS.pageSize };
    this.now = ctx.now;
  }

  private async fetchPage(window: PullWindow, page: number): Promise<SearchPage> {
    const body = await jdCall(
      this.settings,
      EN_SEARCH,
      {
        // Whole seconds; JD's dates are inclusive, so [floor(from), floor(to)] covers [from, to).
        // Edge duplicates with the next window are fine, gaps are not.
        start_date: formatGmt8(window.fromMs),
        end_date: formatGmt8(window.toMs),
        dateType: 0, // modified time (order-state or waybill change), docs/platforms/jd.md#order-pull-list-versus-detail
        sortType: 1, // newest first; it is paging backwards (see pullPage) that keeps changed orders from causing skips
        order_state: JD_ORDER_STATES.join(','),
        optional_fields: JD_OPTIONAL_FIELDS.join(','),
        page: String(page),
        page_size: String(this.limits.pageSize),
      },
      this.now(),
    );
    return enSearchResult(body);
  }

  /**
   * First call (page null): read page 1 to learn orderTotal; if that is the whole window, done;
   * otherwise fetch the last page, then walk down to page 1. Sorted newest first, an order that
   * changes while we page leaves the window and shifts older orders toward pages not yet read — so
   * nothing is skipped (at worst one is read twice), unlike paging forwards.
   */
  async pullPage(window: PullWindow, page: PageToken | null): Promise<PulledPage> {
    checkWindow('jd', window, this.limits.maxWindowMs);
    return pullBackwards({ label: 'jd', page, pageSize: this.limits.pageSize, firstPage: 1, fetchPage: (n) => this.fetchPage(window, n) });
  }

  toOrder(payload: unknown, warn?: (message: string) => void): PlatformOrder {
    return fromJdOrder(payload, warn);
  }

  private readonly call: JdCaller = (method, param) => jdCall(this.settings, method, param, this.now());

  /** shipment / modifyVenderRemark; outcomes and the carrier and flag tables in pushback.ts. */
  push(request: PushRequest): Promise<PushOutcome> {
    return jdPush(this.call, request);
  }

  /** JD decrypts with its TDE SDK, not an API: always refused with the reason (pushback.ts). */
  decryptReceivers(_requests: DecryptRequest[]): Promise<Map<string, DecryptedReceiver>> {
    return Promise.reject(jdDecryptRefusal());
  }

  /** jingdong.sku.read.searchSkuList by page, one row per SKU (products.ts). */
  listProducts(cursor: ProductCursor | null, warn?: (message: string) => void): Promise<ProductPage> {
    return listJdProducts(this.call, cursor, this.productPageSize, warn);
  }

  /** jingdong.stock.write.updateSkuStock, one SKU a call, absolute figures (stock.ts). */
  writeStock(writes: StockWrite[]): Promise<StockWriteResult[]> {
    return writeJdStock(this.call, writes);
  }
}

/** Registered for platform 'jd' by the lead in registry.ts. */
export const createJdAdapter: AdapterFactory = (shop, ctx) => new JdAdapter(shop, ctx);
