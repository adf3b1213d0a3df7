// The Taobao/Tmall TOP adapter. A window is pulled with taobao.trades.sold.increment.get, page by page
// from the last page backwards as TOP prescribes; that list "returns only partial data", so every
// listed trade is then read whole with taobao.trade.fullinfo.get — a few calls in flight — and the
// full trade is the payload the engine stores and maps. Requests are signed, yuan is parsed to fen
// exactly, TOP error_responses become AppErrors the sync engine acts on. Push-backs (ship, memo) and
// oaid decryption go through the same signed call (push.ts). The TOP facts relied on, with their
// public sources: docs/platforms/taobao.md.
import { z } from 'zod';
import { platformOrderSchema, type AfterSaleState, type PlatformOrder } from '../../../shared/model.ts';
import { yuanToFen } from '../../../shared/money.ts';
import { AppError } from '../../../shared/result.ts';
import { DAY, MINUTE } from '../../../shared/time.ts';
import { authExpiredError, platformError } from '../gateway.ts';
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
import { decryptTop, DECRYPT_SCENES, DEFAULT_DECRYPT_SCENE, FULLINFO_METHOD, pushTop, topBusinessRefusal } from './push.ts';
import { TOP_REFUND, TOP_STATUS } from './status.ts';
import { searchTopTrace } from './trace.ts';
import { allocateTopWaybills } from './waybill.ts';
import { listTopProducts, TOP_ITEM_PAGE_SIZE } from './products.ts';
import type { ProductCursor, ProductPage, StockWrite, StockWriteResult } from '../../../shared/stock-model.ts';
import { writeTopStock } from './stock.ts';

export const TAOBAO_LIMITS: AdapterLimits = {
  maxWindowMs: 30 * MINUTE, // hard limit 1 day; "30 minutes or less recommended"
  pageSize: 50, // 1–100, "40–50 recommended"
  lagMs: MINUTE, // TOP's modified index trails a little; keep the window's end behind it
  overlapMs: 5 * MINUTE,
  horizonMs: 90 * DAY, // "Only trades from the last three months"
};

export const INCREMENT_METHOD = 'taobao.trades.sold.increment.get';
export { FULLINFO_METHOD };

/**
 * What the increment list is asked for: which trades changed, and when. The list returns partial
 * trades whatever else is asked, so nothing more is read from it.
 */
export const INCREMENT_FIELDS = 'tid,status,modified';

/** Trade fields asked of taobao.trade.fullinfo.get. receiver_name/mobile/phone/address + created make TOP add `oaid`. */
export const TRADE_FIELDS = [
  'tid', 'status', 'type', 'created', 'modified', 'pay_time', 'buyer_nick', 'buyer_message', 'seller_memo', 'seller_flag',
  'receiver_name', 'receiver_mobile', 'receiver_phone', 'receiver_state', 'receiver_city', 'receiver_district', 'receiver_town',
  'receiver_address', 'oaid', 'total_fee', 'post_fee', 'discount_fee', 'adjust_fee', 'payment', 'step_trade_status', 'step_paid_fee', 'orders',
].join(',');

/**
 * taobao.trade.fullinfo.get calls in flight per shop. TOP limits calls per app and per API (code 7
 * "App Call Limited"), and the scheduler pulls several shops at once: a few per shop keeps a page
 * of 50 trades quick without inviting a ban.
 */
export const DETAIL_CONCURRENCY = 4;

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
  /** taobao.top.oaid.decrypt scene; DEFAULT_DECRYPT_SCENE when unset or not a known scene. */
  oaidScene?: string;
  /** Detail calls in flight (1–8, default DETAIL_CONCURRENCY). */
  detailConcurrency?: number;
  /** Items per listing page (1–200, default 200; tests use small pages). */
  productPageSize?: number;
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
  if (typeof settings.productPageSize === 'number' && Number.isInteger(settings.productPageSize)) out.productPageSize = Math.min(TOP_ITEM_PAGE_SIZE, Math.max(1, settings.productPageSize));
  if (typeof settings.detailConcurrency === 'number' && Number.isInteger(settings.detailConcurrency)) out.detailConcurrency = Math.min(8, Math.max(1, settings.detailConcurrency));
  return out;
}

// ------------------------------------------------------------------------------------------------
// Payload mapping
//
// What an order cannot exist without — its id, status, times, amounts and lines — is parsed
// strictly and a payload without it is quarantined. Everything else (receiver, messages, flag,
// presale, SKU details, refund status) is read leniently: a value of the wrong shape is left empty
// and `warn` says which field, so one odd field never costs a good order (docs/platforms/taobao.md,
// "Reading a trade").

type Warn = (message: string) => void;
const ignoreWarnings: Warn = () => {};

const yuan = z.string().regex(/^\d+(\.\d{1,2})?$/, 'amount must be a yuan string like "12.30"');
const GMT8_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const gmt8Time = z.string().regex(GMT8_TEXT, 'time must be "yyyy-MM-dd HH:mm:ss"');
/** int64 ids: prefer the *_str twin, since the bare number may exceed JS's safe integers. */
const idText = z.union([z.string().min(1), z.number().nonnegative()]);

const lineSchema = z.object({
  oid: idText,
  oid_str: z.string().min(1).optional(),
  title: z.string().min(1),
  num: z.number().int().positive(),
  price: yuan,
  divide_order_fee: yuan,
});

const tradeSchema = z.object({
  tid: idText,
  tid_str: z.string().min(1).optional(),
  status: z.string().min(1),
  created: gmt8Time,
  modified: gmt8Time,
  total_fee: yuan,
  post_fee: yuan.default('0.00'),
  discount_fee: yuan.default('0.00'),
  payment: yuan,
  orders: z.object({ order: z.array(z.unknown()).min(1, 'a trade needs at least one line') }),
});

/** A trade shows its most pressing line: open refunds first, since they need someone to act. */
const AFTER_SALE_RANK: Record<AfterSaleState, number> = { none: 0, refunded: 1, rejected: 2, requested: 3, in_progress: 4, unknown: 5 };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A listed trade whose detail TOP refused (code 15 with an isv.* sub_code, e.g. the trade no longer
 * exists): the page hands on both answers as received, and toOrder quarantines it with TOP's words.
 */
interface RefusedDetail {
  increment_trade: unknown;
  fullinfo_error: string;
}

function refusedDetail(payload: unknown): RefusedDetail | null {
  return isRecord(payload) && typeof payload.fullinfo_error === 'string' && 'increment_trade' in payload ? (payload as unknown as RefusedDetail) : null;
}

function tidOf(payload: unknown): string | null {
  if (!isRecord(payload)) return null;
  const { tid, tid_str } = payload;
  if (typeof tid_str === 'string' && tid_str.length > 0) return tid_str;
  if (typeof tid === 'string' && tid.length > 0) return tid;
  return typeof tid === 'number' && Number.isSafeInteger(tid) ? String(tid) : null;
}

function describe(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${prefix}${i.path.join('.') || '(payload)'}: ${i.message}`)
    .join('; ');
}

function idOf(num: string | number, text: string | undefined, what: string, tid: string | null): string {
  if (text !== undefined) return text;
  if (typeof num === 'string') return num;
  if (!Number.isSafeInteger(num)) throw new AdapterPayloadError(`${what} ${num} lost precision and no ${what}_str was sent`, tid);
  return String(num);
}

/** Lenient readers over the raw trade/line: absent is null, a wrong shape is null plus a warning. */
function lenient(raw: Record<string, unknown>, where: string, warn: Warn) {
  const bad = (key: string, expected: string) => warn(`${where}${key} is not ${expected} (${JSON.stringify(raw[key])?.slice(0, 40)}); left empty`);
  return {
    text(key: string): string | null {
      const v = raw[key];
      if (v === undefined || v === null) return null;
      if (typeof v === 'string') return v;
      // Ids TOP documents as strings (sku_id) sometimes arrive as numbers: the digits are the value.
      if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
      bad(key, 'text');
      return null;
    },
    time(key: string): number | null {
      const v = raw[key];
      if (v === undefined || v === null || v === '') return null;
      if (typeof v === 'string' && GMT8_TEXT.test(v)) return parseGmt8(v);
      bad(key, 'a "yyyy-MM-dd HH:mm:ss" time');
      return null;
    },
    fen(key: string): number | null {
      const v = raw[key];
      if (v === undefined || v === null || v === '') return null;
      if (typeof v === 'string' && yuan.safeParse(v).success) return yuanToFen(v);
      bad(key, 'a yuan amount');
      return null;
    },
  };
}

/** Seller flag 0–5 (1 red … 5 purple); anything else reads as no flag. */
function sellerFlagOf(raw: Record<string, unknown>, warn: Warn): PlatformOrder['sellerFlag'] {
  const v = raw.seller_flag;
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 5) return v as PlatformOrder['sellerFlag'];
  warn(`seller_flag ${JSON.stringify(v)} is not a flag 0–5; shown without a flag`);
  return 0;
}

/** Order-level refund_status → after-sale state; absent means no refund, a status the table lacks is 'unknown'. */
function refundOf(line: Record<string, unknown>, n: number, warn: Warn): AfterSaleState {
  const v = line.refund_status;
  if (v === undefined || v === null || v === '') return 'none';
  const state = typeof v === 'string' ? TOP_REFUND[v] : undefined;
  if (state !== undefined) return state;
  warn(`orders.order[${n}].refund_status ${JSON.stringify(v)} is not a documented refund status; after-sale shown as unknown until someone checks it on Taobao`);
  return 'unknown';
}

/**
 * One full TOP Trade (taobao.trade.fullinfo.get, JSON) → common order. Throws AdapterPayloadError
 * with a readable reason when the trade lacks what an order cannot exist without; tells `warn` about
 * the optional fields it could not read and kept empty.
 */
export function fromTopTrade(payload: unknown, warn: Warn = ignoreWarnings): PlatformOrder {
  const refused = refusedDetail(payload);
  if (refused) {
    const listed = isRecord(refused.increment_trade) ? refused.increment_trade : {};
    const seen = [typeof listed.status === 'string' ? listed.status : null, typeof listed.modified === 'string' ? `modified ${listed.modified}` : null].filter(Boolean).join(', ');
    throw new AdapterPayloadError(
      `${FULLINFO_METHOD} refused this trade (${refused.fullinfo_error}); the increment list only showed ${seen || 'its id'}. ` +
        'It is pulled again when it next changes on Taobao.',
      tidOf(listed),
    );
  }
  const parsed = tradeSchema.safeParse(payload);
  if (!parsed.success) throw new AdapterPayloadError(describe(parsed.error), tidOf(payload));
  const t = parsed.data;
  const raw = payload as Record<string, unknown>;
  const tid = idOf(t.tid, t.tid_str, 'tid', null);
  const status = TOP_STATUS[t.status];
  if (!status) throw new AdapterPayloadError(`unknown trade status "${t.status}"`, tid);
  const field = lenient(raw, '', warn);

  const items: PlatformOrder['items'] = [];
  let afterSale: AfterSaleState = 'none';
  t.orders.order.forEach((rawLine, n) => {
    const line = lineSchema.safeParse(rawLine);
    if (!line.success) throw new AdapterPayloadError(describe(line.error, `orders.order[${n}].`), tid);
    const l = line.data;
    const lineRaw = rawLine as Record<string, unknown>;
    const lineField = lenient(lineRaw, `orders.order[${n}].`, warn);
    const state = refundOf(lineRaw, n, warn);
    if (AFTER_SALE_RANK[state] > AFTER_SALE_RANK[afterSale]) afterSale = state;
    // num_iid: the item (product) of the line, so a line sold without a SKU finds its product's
    // mapping. Left out when absent, so a trade without it reads exactly as before.
    const productId = lineField.text('num_iid');
    items.push({
      platformItemId: idOf(l.oid, l.oid_str, 'oid', tid),
      ...(productId ? { platformProductId: productId } : {}),
      platformSkuId: lineField.text('sku_id'),
      outerSkuCode: lineField.text('outer_sku_id'),
      title: l.title,
      skuName: lineField.text('sku_properties_name'),
      quantity: l.num,
      unitPriceFen: yuanToFen(l.price),
      paidFen: yuanToFen(l.divide_order_fee),
      // TOP's trade APIs carry no gift/bundle flag (docs/platforms/taobao.md); those are worked out
      // locally from outer SKU codes later, so the adapter does not guess.
      isGift: false,
      isBundle: false,
      imageUrl: lineField.text('pic_path'),
    });
  });

  const paidFen = yuanToFen(t.payment);
  const presale = field.text('type') === 'step';
  let deposit = presale ? field.fen('step_paid_fee') : null;
  if (deposit !== null && deposit > paidFen) {
    warn(`step_paid_fee ${String(raw.step_paid_fee)} exceeds payment ${t.payment}; presale deposit and balance left empty`);
    deposit = null;
  }
  // Province-direct counties: TOP leaves receiver_city empty and puts the city in receiver_district.
  const receiverCity = field.text('receiver_city') ?? '';
  const receiverDistrict = field.text('receiver_district') ?? '';
  const order: PlatformOrder = {
    platformOrderId: tid,
    status,
    platformStatus: t.status,
    afterSale,
    orderType: presale ? 'presale' : 'normal',
    presaleDepositFen: deposit,
    presaleBalanceFen: deposit === null ? null : paidFen - deposit,
    buyerNick: field.text('buyer_nick') ?? '',
    buyerMessage: field.text('buyer_message'),
    sellerMemo: field.text('seller_memo'),
    sellerFlag: sellerFlagOf(raw, warn),
    receiver: {
      name: field.text('receiver_name') ?? '',
      phone: field.text('receiver_mobile') || field.text('receiver_phone') || '',
      province: field.text('receiver_state') ?? '',
      city: receiverCity || receiverDistrict,
      district: receiverCity ? receiverDistrict : '',
      town: field.text('receiver_town'),
      address: field.text('receiver_address') ?? '',
      cipher: field.text('oaid'),
    },
    goodsFen: yuanToFen(t.total_fee),
    shippingFen: yuanToFen(t.post_fee),
    discountFen: yuanToFen(t.discount_fee),
    paidFen,
    createdAt: parseGmt8(t.created),
    paidAt: field.time('pay_time'),
    platformUpdatedAt: parseGmt8(t.modified),
    items,
  };
  // The common model's own rules (non-negative fen, epoch times...) are the last gate.
  const checked = platformOrderSchema.safeParse(order);
  if (!checked.success) throw new AdapterPayloadError(describe(checked.error), tid);
  return checked.data;
}

// ------------------------------------------------------------------------------------------------
// Transport

/** The AppError for one TOP error_response (docs/platforms/taobao.md, "Errors and throttling"). */
export function topErrorToAppError(e: { code?: unknown; msg?: unknown; sub_code?: unknown; sub_msg?: unknown; request_id?: unknown }): AppError {
  const code = Number(e.code);
  const subCode = str(e.sub_code);
  const text = [str(e.msg), subCode, str(e.sub_msg)].filter(Boolean).join(' / ');
  // 26 missing session, 27 invalid/expired session: only the seller re-authorising fixes it.
  if (code === 26 || code === 27 || /session/i.test(subCode)) {
    return authExpiredError(`TOP: ${text}`, { code, subCode, requestId: e.request_id });
  }
  const throttled = code === 7 || subCode.startsWith('accesscontrol.');
  const banSeconds = /last for (\d+) more seconds/i.exec(str(e.sub_msg));
  // isp.* is TOP's own side failing (code 15 remote timeouts); isv.* is our request being wrong.
  const retryable = throttled || subCode.startsWith('isp.');
  return platformError(`TOP ${code}: ${text}`, {
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
  /**
   * Full trades read in this adapter's life (one sync run), by tid, with the list's modified time
   * they answered: backwards paging re-lists a trade that shifted across a page boundary, and an
   * unchanged trade (same modified) need not be read again.
   */
  private readonly details = new Map<string, { listedModified: string; trade: Record<string, unknown> }>();

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
    if (!s.accessToken) throw authExpiredError('Taobao shop has no session (access token); authorise the shop');
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
    // As the official Java SDK does: system params in the query, API params in the form body.
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
      throw platformError(`TOP unreachable: ${err instanceof Error ? err.message : String(err)}`, { code: 'NETWORK', retryable: true, throttled: false });
    }
    const text = await res.text();
    if (res.status >= 500) throw platformError(`TOP gateway HTTP ${res.status}`, { code: `HTTP_${res.status}`, retryable: true, throttled: false });
    if (res.status !== 200) throw platformError(`TOP gateway HTTP ${res.status}`, { code: `HTTP_${res.status}`, retryable: false, throttled: false });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // A body cut off in transit: the call itself may well succeed next time.
      throw platformError(`TOP returned a response that is not JSON (${text.length} bytes)`, { code: 'BAD_JSON', retryable: true, throttled: false });
    }
    if (typeof body !== 'object' || body === null) throw platformError('TOP returned a non-object response', { code: 'BAD_JSON', retryable: true, throttled: false });
    const obj = body as Record<string, unknown>;
    if (typeof obj.error_response === 'object' && obj.error_response !== null) throw topErrorToAppError(obj.error_response);
    const key = `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
    const payload = obj[key];
    if (typeof payload !== 'object' || payload === null) throw platformError(`TOP response lacks ${key}`, { code: 'BAD_RESPONSE', retryable: false, throttled: false });
    return payload as Record<string, unknown>;
  }

  private async fetchPage(window: PullWindow, pageNo: number): Promise<{ trades: unknown[]; total: number }> {
    const r = await this.call(INCREMENT_METHOD, {
      fields: INCREMENT_FIELDS,
      // TOP times are whole seconds and both ends are inclusive: flooring both keeps [from, to) covered.
      start_modified: formatGmt8(window.fromMs),
      end_modified: formatGmt8(window.toMs),
      page_no: String(pageNo),
      page_size: String(this.limits.pageSize),
    });
    const total = Number(r.total_results ?? 0);
    if (!Number.isInteger(total) || total < 0) throw platformError('TOP total_results is not a count', { code: 'BAD_RESPONSE', retryable: false, throttled: false });
    const trades = (r.trades as { trade?: unknown } | undefined)?.trade;
    return { trades: Array.isArray(trades) ? trades : [], total };
  }

  /**
   * TOP sorts by modified time, newest first, so an order that changes while we page leaves the
   * window (its new modified time is past end_modified, which lags behind now) and everything after
   * it shifts one place forward. Paging forward would then skip an order; paging from the last page
   * back only re-sees one ("必须采用倒序的分页方式"). The first call learns total_results from
   * page 1 and, when there is more than one page, goes straight on to the last page; the token is the
   * next page number to fetch, counting down to 1.
   */
  async pullPage(window: PullWindow, page: PageToken | null): Promise<PulledPage> {
    const { fromMs, toMs } = window;
    if (!(toMs > fromMs)) throw platformError(`TOP: empty or reversed window ${fromMs}..${toMs}`, { code: 'BAD_WINDOW', retryable: false, throttled: false });
    if (toMs - fromMs > this.limits.maxWindowMs) {
      throw platformError(`TOP: window of ${toMs - fromMs} ms exceeds the ${this.limits.maxWindowMs} ms limit`, { code: 'BAD_WINDOW', retryable: false, throttled: false });
    }
    let pageNo: number;
    if (page === null) {
      const first = await this.fetchPage(window, 1);
      const lastPage = Math.ceil(first.total / this.limits.pageSize);
      if (lastPage <= 1) return { payloads: await this.readWhole(first.trades), next: null };
      pageNo = lastPage;
    } else {
      pageNo = Number(page);
      if (!Number.isInteger(pageNo) || pageNo < 1) throw platformError(`TOP: bad page token "${page}"`, { code: 'BAD_TOKEN', retryable: false, throttled: false });
    }
    const { trades } = await this.fetchPage(window, pageNo);
    return { payloads: await this.readWhole(trades), next: pageNo > 1 ? String(pageNo - 1) : null };
  }

  /**
   * The listed trades, each replaced by its full trade from taobao.trade.fullinfo.get, in list order;
   * at most `detailConcurrency` calls in flight. Any failure other than TOP refusing one trade
   * (transport, throttling, session, a malformed answer) fails the whole page: nothing of it reaches
   * the engine, which retries the page as it retries a failed list call, and the cursor stays put.
   */
  private async readWhole(listed: unknown[]): Promise<unknown[]> {
    const out: unknown[] = new Array<unknown>(listed.length);
    let next = 0;
    let failed = false;
    let failure: unknown;
    const worker = async (): Promise<void> => {
      while (!failed && next < listed.length) {
        const i = next++;
        try {
          out[i] = await this.readOne(listed[i]);
        } catch (err) {
          if (!failed) failure = err;
          failed = true;
        }
      }
    };
    const lanes = Math.min(this.settings.detailConcurrency ?? DETAIL_CONCURRENCY, listed.length);
    await Promise.all(Array.from({ length: lanes }, worker));
    if (failed) throw failure;
    return out;
  }

  private async readOne(entry: unknown): Promise<unknown> {
    const tid = tidOf(entry);
    // No usable tid: nothing to ask for; toOrder quarantines the entry as it came.
    if (tid === null) return entry;
    const listedModified = isRecord(entry) && typeof entry.modified === 'string' ? entry.modified : '';
    const known = this.details.get(tid);
    if (known && listedModified !== '' && known.listedModified === listedModified) return known.trade;
    let r: Record<string, unknown>;
    try {
      r = await this.call(FULLINFO_METHOD, { fields: TRADE_FIELDS, tid });
    } catch (err) {
      // TOP refused this one trade for a business reason (e.g. it no longer exists): keep both
      // answers so the trade is quarantined with TOP's words instead of blocking every later window.
      const refusal = topBusinessRefusal(err);
      if (refusal === null) throw err;
      const payload: RefusedDetail = { increment_trade: entry, fullinfo_error: err instanceof Error ? err.message : refusal };
      return payload;
    }
    const trade = r.trade;
    if (!isRecord(trade) || tidOf(trade) !== tid) {
      throw platformError(`TOP ${FULLINFO_METHOD} for trade ${tid} answered without that trade`, { code: 'BAD_RESPONSE', retryable: false, throttled: false });
    }
    // The detail must be at least as new as the listing that named it, or the window would be
    // covered by an older state than the one it listed: ask again (a replica catching up).
    if (typeof trade.modified === 'string' && listedModified !== '' && trade.modified < listedModified) {
      throw platformError(`TOP ${FULLINFO_METHOD} for trade ${tid} is older (${trade.modified}) than its listing (${listedModified})`, {
        code: 'STALE_DETAIL',
        retryable: true,
        throttled: false,
      });
    }
    if (this.details.size >= 5_000) this.details.clear();
    this.details.set(tid, { listedModified, trade });
    return trade;
  }

  toOrder(payload: unknown, warn?: (message: string) => void): PlatformOrder {
    return fromTopTrade(payload, warn);
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

  /** Items on sale, then in the warehouse, with item.skus.get per 40 (products.ts). */
  listProducts(cursor: ProductCursor | null, warn?: (message: string) => void): Promise<ProductPage> {
    return listTopProducts((method, params) => this.call(method, params), cursor, this.settings.productPageSize ?? TOP_ITEM_PAGE_SIZE, warn);
  }

  /** Absolute figures: skus.quantity.update ≤ 20 SKUs of one item, item.quantity.update for an item without SKUs (stock.ts). */
  writeStock(writes: StockWrite[]): Promise<StockWriteResult[]> {
    return writeTopStock((method, params) => this.call(method, params), writes);
  }
}

export const createTaobaoAdapter: AdapterFactory = (shop, ctx) =>
  new TaobaoAdapter(shop.platform === 'tmall' ? 'tmall' : 'taobao', taobaoSettings(shopSettings(shop)), ctx.now);
