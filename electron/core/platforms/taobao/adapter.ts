// The Taobao/Tmall TOP adapter: pulls taobao.trades.sold.increment.get windows page by page — from the
// last page backwards, as TOP prescribes — with signed requests, maps TOP trades to the common order
// model with exact yuan→fen parsing, and turns TOP error_responses into AppErrors the sync engine acts on.
// Push-backs (ship, memo) and oaid decryption go through the same signed call (push.ts).
// Spec: /work/shared/platforms.md §1 (gateway, params, signing, orders, errors) and §7.
import { z } from 'zod';
import { platformOrderSchema, type AfterSaleState, type PlatformOrder } from '../../../shared/model.ts';
import { yuanToFen } from '../../../shared/money.ts';
import { AppError } from '../../../shared/result.ts';
import {
  AdapterPayloadError,
  shopSettings,
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
  type TraceRequest,
  type WaybillRequest,
  type WaybillResult,
} from '../contract.ts';
import { formatGmt8, parseGmt8 } from '../gmt8.ts';
import { topSign, topTimestamp, type TopSignMethod } from './sign.ts';
import { decryptTop, DECRYPT_SCENES, DEFAULT_DECRYPT_SCENE, pushTop } from './push.ts';
import { TOP_REFUND, TOP_STATUS } from './status.ts';
import { searchTopTrace } from './trace.ts';
import { allocateTopWaybills } from './waybill.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

export const TAOBAO_LIMITS: AdapterLimits = {
  maxWindowMs: 30 * MINUTE, // hard limit 1 day; "30 minutes or less recommended" (§1.4)
  pageSize: 50, // 1–100, "40–50 recommended" (§1.4)
  lagMs: MINUTE, // TOP's modified index trails a little; keep the window's end behind it
  overlapMs: 5 * MINUTE,
  horizonMs: 90 * DAY, // "Only trades from the last three months" (§1.4)
};

export const INCREMENT_METHOD = 'taobao.trades.sold.increment.get';

/** Trade fields asked for. receiver_* + created make TOP add `oaid` (§1.4). */
export const TRADE_FIELDS = [
  'tid', 'status', 'type', 'created', 'modified', 'pay_time', 'buyer_nick', 'buyer_message', 'seller_memo', 'seller_flag',
  'receiver_name', 'receiver_mobile', 'receiver_phone', 'receiver_state', 'receiver_city', 'receiver_district', 'receiver_town',
  'receiver_address', 'oaid', 'total_fee', 'post_fee', 'discount_fee', 'adjust_fee', 'payment', 'step_trade_status', 'step_paid_fee', 'orders',
].join(',');

/**
 * What a TOP shop keeps in shops.settings. The app secret and the seller's session token are stored
 * encrypted (shops/secrets.ts) and merged into settings in memory by the scheduler.
 */
export interface TaobaoSettings {
  gateway: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
  signMethod: TopSignMethod;
  /** Optional overrides of TAOBAO_LIMITS (tests use small pages). */
  pageSize?: number;
  maxWindowMs?: number;
  /** Per-call HTTP timeout (default 30 s); tests of the timeout fault use a small one. */
  timeoutMs?: number;
  /** taobao.top.oaid.decrypt scene (§1.4); DEFAULT_DECRYPT_SCENE when unset or not a known scene. */
  oaidScene?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function taobaoSettings(settings: Record<string, unknown>): TaobaoSettings {
  const signMethod = (['md5', 'hmac', 'hmac-sha256'] as const).find((m) => m === settings.signMethod) ?? 'hmac-sha256';
  const out: TaobaoSettings = {
    gateway: str(settings.gateway) || 'https://eco.taobao.com/router/rest',
    appKey: str(settings.appKey),
    appSecret: str(settings.appSecret),
    accessToken: str(settings.accessToken),
    signMethod,
  };
  if (typeof settings.pageSize === 'number' && Number.isInteger(settings.pageSize)) out.pageSize = Math.min(100, Math.max(1, settings.pageSize));
  if (typeof settings.maxWindowMs === 'number' && settings.maxWindowMs > 0) out.maxWindowMs = Math.min(DAY, settings.maxWindowMs);
  if (typeof settings.timeoutMs === 'number' && settings.timeoutMs > 0) out.timeoutMs = settings.timeoutMs;
  if (typeof settings.oaidScene === 'string' && DECRYPT_SCENES.includes(settings.oaidScene)) out.oaidScene = settings.oaidScene;
  return out;
}

// ------------------------------------------------------------------------------------------------
// Payload mapping

const yuan = z.string().regex(/^\d+(\.\d{1,2})?$/, 'amount must be a yuan string like "12.30"');
const gmt8Time = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'time must be "yyyy-MM-dd HH:mm:ss"');
/** int64 ids: prefer the *_str twin, since the bare number may exceed JS's safe integers. */
const idText = z.union([z.string().min(1), z.number().nonnegative()]);

const lineSchema = z.object({
  oid: idText,
  oid_str: z.string().min(1).optional(),
  sku_id: z.string().optional(),
  outer_sku_id: z.string().optional(),
  title: z.string().min(1),
  sku_properties_name: z.string().optional(),
  num: z.number().int().positive(),
  price: yuan,
  divide_order_fee: yuan,
  pic_path: z.string().optional(),
  refund_status: z.string().optional(),
});

const tradeSchema = z.object({
  tid: idText,
  tid_str: z.string().min(1).optional(),
  status: z.string().min(1),
  type: z.string().optional(),
  created: gmt8Time,
  modified: gmt8Time,
  pay_time: gmt8Time.optional(),
  buyer_nick: z.string().default(''),
  buyer_message: z.string().optional(),
  seller_memo: z.string().optional(),
  seller_flag: z.number().int().min(0).max(5).default(0),
  receiver_name: z.string().default(''),
  receiver_mobile: z.string().optional(),
  receiver_phone: z.string().optional(),
  receiver_state: z.string().default(''),
  receiver_city: z.string().optional(),
  receiver_district: z.string().optional(),
  receiver_town: z.string().optional(),
  receiver_address: z.string().default(''),
  oaid: z.string().optional(),
  total_fee: yuan,
  post_fee: yuan.default('0.00'),
  discount_fee: yuan.default('0.00'),
  payment: yuan,
  step_trade_status: z.string().optional(),
  step_paid_fee: yuan.optional(),
  orders: z.object({ order: z.array(lineSchema).min(1, 'a trade needs at least one line') }),
});

/** A trade shows its most pressing line: open refunds first, since they need someone to act. */
const AFTER_SALE_RANK: Record<AfterSaleState, number> = { none: 0, refunded: 1, rejected: 2, requested: 3, in_progress: 4 };

function tidOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { tid, tid_str } = payload as { tid?: unknown; tid_str?: unknown };
  if (typeof tid_str === 'string' && tid_str.length > 0) return tid_str;
  if (typeof tid === 'string' && tid.length > 0) return tid;
  return typeof tid === 'number' && Number.isSafeInteger(tid) ? String(tid) : null;
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
    .join('; ');
}

function idOf(num: string | number, text: string | undefined, what: string, tid: string | null): string {
  if (text !== undefined) return text;
  if (typeof num === 'string') return num;
  if (!Number.isSafeInteger(num)) throw new AdapterPayloadError(`${what} ${num} lost precision and no ${what}_str was sent`, tid);
  return String(num);
}

/** One TOP Trade (JSON) → common order. Throws AdapterPayloadError with a readable reason. */
export function fromTopTrade(payload: unknown): PlatformOrder {
  const parsed = tradeSchema.safeParse(payload);
  if (!parsed.success) throw new AdapterPayloadError(describe(parsed.error), tidOf(payload));
  const t = parsed.data;
  const tid = idOf(t.tid, t.tid_str, 'tid', null);
  const status = TOP_STATUS[t.status];
  if (!status) throw new AdapterPayloadError(`unknown trade status "${t.status}"`, tid);
  let afterSale: AfterSaleState = 'none';
  for (const line of t.orders.order) {
    const state = TOP_REFUND[line.refund_status ?? 'NO_REFUND'];
    if (!state) throw new AdapterPayloadError(`unknown refund_status "${line.refund_status}"`, tid);
    if (AFTER_SALE_RANK[state] > AFTER_SALE_RANK[afterSale]) afterSale = state;
  }
  const paidFen = yuanToFen(t.payment);
  const presale = t.type === 'step';
  const deposit = presale && t.step_paid_fee !== undefined ? yuanToFen(t.step_paid_fee) : null;
  // Province-direct counties: TOP leaves receiver_city empty and puts the city in receiver_district (§1.4).
  const city = t.receiver_city || t.receiver_district || '';
  const district = t.receiver_city ? (t.receiver_district ?? '') : '';
  const order: PlatformOrder = {
    platformOrderId: tid,
    status,
    platformStatus: t.status,
    afterSale,
    orderType: presale ? 'presale' : 'normal',
    presaleDepositFen: deposit,
    presaleBalanceFen: deposit === null ? null : paidFen - deposit,
    buyerNick: t.buyer_nick,
    buyerMessage: t.buyer_message ?? null,
    sellerMemo: t.seller_memo ?? null,
    sellerFlag: t.seller_flag,
    receiver: {
      name: t.receiver_name,
      phone: t.receiver_mobile || t.receiver_phone || '',
      province: t.receiver_state,
      city,
      district,
      town: t.receiver_town ?? null,
      address: t.receiver_address,
      cipher: t.oaid ?? null,
    },
    goodsFen: yuanToFen(t.total_fee),
    shippingFen: yuanToFen(t.post_fee),
    discountFen: yuanToFen(t.discount_fee),
    paidFen,
    createdAt: parseGmt8(t.created),
    paidAt: t.pay_time === undefined ? null : parseGmt8(t.pay_time),
    platformUpdatedAt: parseGmt8(t.modified),
    items: t.orders.order.map((l) => ({
      platformItemId: idOf(l.oid, l.oid_str, 'oid', tid),
      platformSkuId: l.sku_id ?? null,
      outerSkuCode: l.outer_sku_id ?? null,
      title: l.title,
      skuName: l.sku_properties_name ?? null,
      quantity: l.num,
      unitPriceFen: yuanToFen(l.price),
      paidFen: yuanToFen(l.divide_order_fee),
      // TOP's trade APIs carry no gift/bundle flag (§1.4 field lists); those are worked out locally
      // from outer SKU codes later, so the adapter does not guess.
      isGift: false,
      isBundle: false,
      imageUrl: l.pic_path ?? null,
    })),
  };
  // The common model's own rules (non-negative fen, epoch times...) are the last gate.
  const checked = platformOrderSchema.safeParse(order);
  if (!checked.success) throw new AdapterPayloadError(describe(checked.error), tid);
  return checked.data;
}

// ------------------------------------------------------------------------------------------------
// Transport

/** The AppError for one TOP error_response (§1.7, §7.5). */
export function topErrorToAppError(e: { code?: unknown; msg?: unknown; sub_code?: unknown; sub_msg?: unknown; request_id?: unknown }): AppError {
  const code = Number(e.code);
  const subCode = str(e.sub_code);
  const text = [str(e.msg), subCode, str(e.sub_msg)].filter(Boolean).join(' / ');
  // 26 missing session, 27 invalid/expired session: only the seller re-authorising fixes it.
  if (code === 26 || code === 27 || /session/i.test(subCode)) {
    return new AppError('SHOP_AUTH_EXPIRED', `TOP: ${text}`, { code, subCode, requestId: e.request_id });
  }
  const throttled = code === 7 || subCode.startsWith('accesscontrol.');
  const banSeconds = /last for (\d+) more seconds/i.exec(str(e.sub_msg));
  // isp.* is TOP's own side failing (code 15 remote timeouts); isv.* is our request being wrong.
  const retryable = throttled || subCode.startsWith('isp.');
  return new AppError('PLATFORM_ERROR', `TOP ${code}: ${text}`, {
    code,
    subCode,
    retryable,
    throttled,
    ...(banSeconds ? { retryAfterMs: Number(banSeconds[1]) * 1000 } : {}),
    // The platform's own words, for push-backs it refuses (push.ts shows them to a person).
    subMsg: str(e.sub_msg),
    requestId: e.request_id,
  });
}

export class TaobaoAdapter implements PlatformAdapter {
  readonly platform: 'taobao' | 'tmall';
  readonly limits: AdapterLimits;
  private readonly settings: TaobaoSettings;
  private readonly now: () => number;

  constructor(platform: 'taobao' | 'tmall', settings: TaobaoSettings, now: () => number) {
    this.platform = platform;
    this.settings = settings;
    this.now = now;
    this.limits = { ...TAOBAO_LIMITS, pageSize: settings.pageSize ?? TAOBAO_LIMITS.pageSize, maxWindowMs: settings.maxWindowMs ?? TAOBAO_LIMITS.maxWindowMs };
  }

  /** One signed TOP call; returns the `<method>_response` object or throws an AppError. */
  async call(method: string, apiParams: Record<string, string>): Promise<Record<string, unknown>> {
    const s = this.settings;
    if (!s.appKey || !s.appSecret) throw new AppError('INVALID_STATE', 'Taobao shop settings lack appKey/appSecret');
    if (!s.accessToken) throw new AppError('SHOP_AUTH_EXPIRED', 'Taobao shop has no session (access token); authorise the shop');
    const system: Record<string, string> = {
      method,
      app_key: s.appKey,
      session: s.accessToken,
      timestamp: topTimestamp(this.now()),
      format: 'json',
      v: '2.0',
      sign_method: s.signMethod,
    };
    system.sign = topSign({ ...system, ...apiParams }, s.appSecret, s.signMethod);
    // As the official Java SDK does: system params in the query, API params in the form body (§1.1).
    const url = `${s.gateway}?${new URLSearchParams(system).toString()}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body: new URLSearchParams(apiParams).toString(),
        signal: AbortSignal.timeout(s.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new AppError('PLATFORM_ERROR', `TOP unreachable: ${err instanceof Error ? err.message : String(err)}`, { code: 'NETWORK', retryable: true, throttled: false });
    }
    const text = await res.text();
    if (res.status >= 500) throw new AppError('PLATFORM_ERROR', `TOP gateway HTTP ${res.status}`, { code: `HTTP_${res.status}`, retryable: true, throttled: false });
    if (res.status !== 200) throw new AppError('PLATFORM_ERROR', `TOP gateway HTTP ${res.status}`, { code: `HTTP_${res.status}`, retryable: false, throttled: false });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // A body cut off in transit: the call itself may well succeed next time.
      throw new AppError('PLATFORM_ERROR', `TOP returned a response that is not JSON (${text.length} bytes)`, { code: 'BAD_JSON', retryable: true, throttled: false });
    }
    if (typeof body !== 'object' || body === null) throw new AppError('PLATFORM_ERROR', 'TOP returned a non-object response', { code: 'BAD_JSON', retryable: true, throttled: false });
    const obj = body as Record<string, unknown>;
    if (typeof obj.error_response === 'object' && obj.error_response !== null) throw topErrorToAppError(obj.error_response);
    const key = `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
    const payload = obj[key];
    if (typeof payload !== 'object' || payload === null) throw new AppError('PLATFORM_ERROR', `TOP response lacks ${key}`, { code: 'BAD_RESPONSE', retryable: false, throttled: false });
    return payload as Record<string, unknown>;
  }

  private async fetchPage(window: PullWindow, pageNo: number): Promise<{ trades: unknown[]; total: number }> {
    const r = await this.call(INCREMENT_METHOD, {
      fields: TRADE_FIELDS,
      // TOP times are whole seconds and both ends are inclusive: flooring both keeps [from, to) covered.
      start_modified: formatGmt8(window.fromMs),
      end_modified: formatGmt8(window.toMs),
      page_no: String(pageNo),
      page_size: String(this.limits.pageSize),
    });
    const total = Number(r.total_results ?? 0);
    if (!Number.isInteger(total) || total < 0) throw new AppError('PLATFORM_ERROR', 'TOP total_results is not a count', { code: 'BAD_RESPONSE', retryable: false, throttled: false });
    const trades = (r.trades as { trade?: unknown } | undefined)?.trade;
    return { trades: Array.isArray(trades) ? trades : [], total };
  }

  /**
   * TOP sorts by modified time, newest first, so an order that changes while we page leaves the
   * window (its new modified time is past end_modified, which lags behind now) and everything after
   * it shifts one place forward. Paging forward would then skip an order; paging from the last page
   * back only re-sees one (§1.4 "必须采用倒序的分页方式"). The first call learns total_results from
   * page 1 and, when there is more than one page, goes straight on to the last page; the token is the
   * next page number to fetch, counting down to 1.
   */
  async pullPage(window: PullWindow, page: PageToken | null): Promise<PulledPage> {
    const { fromMs, toMs } = window;
    if (!(toMs > fromMs)) throw new AppError('PLATFORM_ERROR', `TOP: empty or reversed window ${fromMs}..${toMs}`, { code: 'BAD_WINDOW', retryable: false, throttled: false });
    if (toMs - fromMs > this.limits.maxWindowMs) {
      throw new AppError('PLATFORM_ERROR', `TOP: window of ${toMs - fromMs} ms exceeds the ${this.limits.maxWindowMs} ms limit`, { code: 'BAD_WINDOW', retryable: false, throttled: false });
    }
    let pageNo: number;
    if (page === null) {
      const first = await this.fetchPage(window, 1);
      const lastPage = Math.ceil(first.total / this.limits.pageSize);
      if (lastPage <= 1) return { payloads: first.trades, next: null };
      pageNo = lastPage;
    } else {
      pageNo = Number(page);
      if (!Number.isInteger(pageNo) || pageNo < 1) throw new AppError('PLATFORM_ERROR', `TOP: bad page token "${page}"`, { code: 'BAD_TOKEN', retryable: false, throttled: false });
    }
    const { trades } = await this.fetchPage(window, pageNo);
    return { payloads: trades, next: pageNo > 1 ? String(pageNo - 1) : null };
  }

  toOrder(payload: unknown): PlatformOrder {
    return fromTopTrade(payload);
  }

  /** Online send / memo+flag through TOP (push.ts sorts the outcome). */
  push(request: PushRequest): Promise<PushOutcome> {
    return pushTop((method, params) => this.call(method, params), request);
  }

  /** taobao.top.oaid.decrypt, 20 oaids per call (push.ts). */
  decryptReceivers(requests: DecryptRequest[]): Promise<Map<string, DecryptedReceiver>> {
    return decryptTop((method, params) => this.call(method, params), requests, this.settings.oaidScene ?? DEFAULT_DECRYPT_SCENE);
  }

  /** Cainiao e-waybills via cainiao.waybill.ii.get, ≤ 10 per call, package id as object_id (waybill.ts). */
  allocateWaybills(requests: WaybillRequest[]): Promise<WaybillResult[]> {
    return allocateTopWaybills((method, params) => this.call(method, params), requests, this.platform);
  }

  /** taobao.logistics.trace.search by trade (trace.ts): TOP traces the trade's waybill, named in the answer. */
  traceParcel(request: TraceRequest): Promise<ParcelTrace> {
    return searchTopTrace((method, params) => this.call(method, params), request.platformOrderId);
  }
}

export const createTaobaoAdapter: AdapterFactory = (shop, ctx) =>
  new TaobaoAdapter(shop.platform === 'tmall' ? 'tmall' : 'taobao', taobaoSettings(shopSettings(shop)), ctx.now);
