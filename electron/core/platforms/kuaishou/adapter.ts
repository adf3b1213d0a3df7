// The Kuaishou adapter: signs and GETs open.order.cursor.list on the shop's gateway (method as the
// URL path, common params in the query), follows the server's cursor until "nomore", classifies
// gateway errors into AppErrors the sync engine understands, and maps order payloads (payload.ts).
import { AppError } from '../../../shared/result.ts';
import { DAY, MINUTE, SECOND } from '../../../shared/time.ts';
import type { PlatformOrder } from '../../../shared/model.ts';
import {
  shopSettings,
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
  type WaybillRequest,
  type WaybillResult,
} from '../contract.ts';
import { checkWindow, fetchJsonObject, gatewaySettings, platformError, realPacing, type GatewaySettings, authExpiredError } from '../gateway.ts';
import { KS_ERR, KS_THROTTLE_CODES, KS_TOKEN_CODES } from './errors.ts';
import { fromKsOrder } from './payload.ts';
import { ksDecrypt, ksPush, type KsCaller } from './pushback.ts';
import { kuaishouParamJson, kuaishouSign, kuaishouTimestamp, type KuaishouSignMethod } from './sign.ts';
import { allocateKsWaybills } from './waybill.ts';
import { KS_ITEM_PAGE_MAX, KS_ITEM_PAGE_MIN, listKsProducts } from './products.ts';
import { productPageSize } from '../listing.ts';
import type { ProductCursor, ProductPage, StockWrite, StockWriteResult } from '../../../shared/stock-model.ts';
import { writeKsStock } from './stock.ts';

export const KS_GATEWAY = 'https://openapi.kwaixiaodian.com';
const CURSOR_LIST = 'open.order.cursor.list';
const NO_MORE = 'nomore';
/** Pause between open.order.decrypt.batch calls: 4/s, under the loopback server's 5/s (the real quota is [UNVERIFIED]). */
const DECRYPT_INTERVAL_MS = 250;

export const KS_LIMITS: AdapterLimits = {
  // The real window limit is [UNVERIFIED] (docs/platforms/kuaishou.md#order-pull-list-versus-detail); 30 min
  // is what every other platform accepts and what the loopback server enforces. Windows are sent in ms, so no
  // rounding margin is needed.
  maxWindowMs: 30 * MINUTE,
  pageSize: 100, // pageSize ≤ 100 (docs/platforms/kuaishou.md#order-pull-list-versus-detail)
  // Index lag is [UNVERIFIED]; use PDD's documented 3 min plus 30 s of station clock drift.
  lagMs: 3 * MINUTE + 30 * SECOND,
  overlapMs: 2 * MINUTE,
  // Horizon [UNVERIFIED]: assume 3 months like the others; 88 days keeps a margin.
  horizonMs: 88 * DAY,
};

/** What a Kuaishou shop keeps in shops.settings (secrets merged in memory by the scheduler). */
export type KsSettings = Omit<GatewaySettings, 'appSecret'> & {
  /**
   * Kuaishou signs with a separate signSecret (docs/platforms/kuaishou.md#gateway-and-common-parameters);
   * falls back to appSecret when absent.
   */
  signSecret: string;
  signMethod: KuaishouSignMethod;
};

export function ksSettings(shop: Pick<ShopRecord, 'id' | 'settings'>): KsSettings {
  const { appSecret, ...common } = gatewaySettings(shop, 'kuaishou', KS_GATEWAY, ['signSecret', 'appSecret']);
  return { ...common, signSecret: appSecret, signMethod: shopSettings(shop).signMethod === 'MD5' ? 'MD5' : 'HMAC_SHA256' };
}


/**
 * One signed call to the Kuaishou gateway; returns the parsed success body or throws an AppError.
 * Read APIs are GET (params in the query); write and decrypt APIs are POST with the same params as
 * an x-www-form-urlencoded body (docs/platforms/kuaishou.md#gateway-and-common-parameters).
 */
export async function ksCall(
  s: Pick<KsSettings, 'gateway' | 'appKey' | 'signSecret' | 'accessToken' | 'signMethod' | 'timeoutMs'>,
  method: string,
  business: Record<string, unknown>,
  nowMs: number,
  httpMethod: 'GET' | 'POST' = 'GET',
): Promise<Record<string, unknown>> {
  const params: Record<string, string> = {
    appkey: s.appKey,
    method,
    version: '1',
    param: kuaishouParamJson(business),
    access_token: s.accessToken,
    timestamp: kuaishouTimestamp(nowMs),
    signMethod: s.signMethod,
  };
  // Sign the exact `param` string that is sent (docs/platforms/kuaishou.md#signing-sourced); URLSearchParams
  // encodes only for transport.
  const query = new URLSearchParams({ ...params, sign: kuaishouSign(params, s.signSecret, s.signMethod) });
  const base = `${s.gateway.replace(/\/+$/, '')}/${method.replace(/\./g, '/')}`;
  const obj =
    httpMethod === 'GET'
      ? await fetchJsonObject(`kuaishou ${method}`, `${base}?${query.toString()}`, { method: 'GET' }, s.timeoutMs ?? 20 * SECOND)
      : await fetchJsonObject(
          `kuaishou ${method}`,
          base,
          { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: query.toString() },
          s.timeoutMs ?? 20 * SECOND,
        );
  // docs/platforms/kuaishou.md#order-pull-list-versus-detail: `result == 1` is success; otherwise `result`
  // (or `code`) carries the error.
  const rawCode = obj.result ?? obj.code;
  const code = typeof rawCode === 'number' ? rawCode : Number(rawCode);
  if (code === KS_ERR.ok) return obj;
  const text_ = String(obj.error_msg ?? obj.msg ?? obj.subMsg ?? obj.sub_msg ?? '');
  const msg = `kuaishou ${method}: ${String(rawCode)} ${text_}`.trim();
  if (!Number.isFinite(code)) throw platformError(`kuaishou ${method}: response has no result code`, { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  if (KS_TOKEN_CODES.has(code)) throw authExpiredError(msg, { code });
  const throttled = KS_THROTTLE_CODES.has(code);
  // subCode/subMsg: the write APIs' business case and the platform's words for a person.
  const subCode = String(obj.subCode ?? obj.sub_code ?? '');
  const subMsg = String(obj.subMsg ?? obj.sub_msg ?? text_);
  throw platformError(msg, { code, subCode, subMsg, retryable: throttled, throttled });
}

export class KuaishouAdapter implements PlatformAdapter {
  readonly platform = 'kuaishou' as const;
  readonly limits: AdapterLimits;
  private readonly settings: KsSettings;
  private readonly now: () => number;
  private readonly productPageSize: number;

  constructor(shop: ShopRecord, ctx: AdapterContext) {
    this.settings = ksSettings(shop);
    this.productPageSize = productPageSize(shopSettings(shop), KS_ITEM_PAGE_MAX, KS_ITEM_PAGE_MIN);
    this.limits = { ...KS_LIMITS, pageSize: this.settings.pageSize ?? KS_LIMITS.pageSize };
    this.now = ctx.now;
  }

  /**
   * Page token = the server's cursor ("" on the first call). Kuaishou pages by cursor, newest first
   * (sort=1), until the cursor is "nomore" (docs/platforms/kuaishou.md#order-pull-list-versus-detail): an
   * order that changes mid-pull leaves the window for the next one and the cursor keeps its place, so nothing
   * is skipped.
   */
  async pullPage(window: PullWindow, page: PageToken | null): Promise<PulledPage> {
    checkWindow('kuaishou', window, this.limits.maxWindowMs);
    const { fromMs, toMs } = window;
    if (page === NO_MORE) throw platformError('kuaishou: page token "nomore" has no next page', { code: 'BAD_WINDOW', retryable: false, throttled: false });
    const body = await ksCall(
      this.settings,
      CURSOR_LIST,
      {
        beginTime: Math.floor(fromMs),
        endTime: Math.ceil(toMs),
        queryType: 2, // by update time
        orderViewStatus: 1, // all statuses
        sort: 1, // newest first
        cursor: page ?? '',
        pageSize: this.limits.pageSize,
      },
      this.now(),
    );
    const data = body.data;
    const cursor = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).cursor : undefined;
    const list = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).orderList : undefined;
    if (typeof cursor !== 'string' || !Array.isArray(list)) {
      throw platformError('kuaishou cursor.list: response lacks data.cursor / data.orderList', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
    }
    if (cursor === '' && list.length > 0) {
      throw platformError('kuaishou cursor.list: empty cursor on a non-empty page', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
    }
    if (page !== null && cursor === page) {
      // Following the same cursor again would loop forever; let the engine retry the window later.
      throw platformError('kuaishou cursor.list: server returned the cursor it was given', { code: 'BAD_RESPONSE', retryable: true, throttled: false });
    }
    return { payloads: list, next: cursor === NO_MORE || cursor === '' ? null : cursor };
  }

  toOrder(payload: unknown, warn?: (message: string) => void): PlatformOrder {
    return fromKsOrder(payload, warn);
  }

  private readonly call: KsCaller = (method, param, httpMethod) => ksCall(this.settings, method, param, this.now(), httpMethod);

  /** goods.deliver / note.add; outcomes and the [UNVERIFIED] parameter names in pushback.ts. */
  push(request: PushRequest): Promise<PushOutcome> {
    return ksPush(this.call, request);
  }

  decryptReceivers(requests: DecryptRequest[]): Promise<Map<string, DecryptedReceiver>> {
    return ksDecrypt(this.call, requests, realPacing(DECRYPT_INTERVAL_MS));
  }

  /** open.express.ebill.get, ≤ 10 per call, package id as packageCode and requestId (waybill.ts). */
  allocateWaybills(requests: WaybillRequest[]): Promise<WaybillResult[]> {
    return allocateKsWaybills(this.call, requests);
  }

  /** open.item.list.get, on-sale items by page (products.ts). */
  listProducts(cursor: ProductCursor | null, warn?: (message: string) => void): Promise<ProductPage> {
    return listKsProducts((method, param) => this.call(method, param, 'GET'), cursor, this.productPageSize, warn);
  }

  /** open.item.sku.stock.update, one SKU a call, deltas only (stock.ts). */
  writeStock(writes: StockWrite[]): Promise<StockWriteResult[]> {
    return writeKsStock(this.call, writes);
  }
}

/** Registered for platform 'kuaishou' by the lead in registry.ts. */
export const createKuaishouAdapter: AdapterFactory = (shop, ctx) => new KuaishouAdapter(shop, ctx);
