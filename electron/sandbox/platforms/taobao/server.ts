// A loopback stand-in for the Taobao/Tmall TOP gateway (/router/rest) that speaks the real protocol:
// system params in the query and/or a form body, the TOP signature and ±10 min timestamp checked,
// taobao.trades.sold.increment.get served over an in-memory set of orders as TOP documents it — a
// PARTIAL trade per listed order (tid, status, modified: which trades changed and when, nothing a
// client could build an order from) — and taobao.trade.fullinfo.get with the full trade in TOP's
// own shape (yuan strings, GMT+8 times, TOP status strings, order-level refund_status, masked
// receiver + oaid); TOP-shaped error_response bodies; the push-back and oaid-decrypt APIs of
// server-push.ts over the same orders; and switchable faults, so the adapter is tested against the
// wire rather than against itself, and never against a friendlier gateway than TOP.
// The TOP facts it follows: docs/platforms/taobao.md, as server-protocol.ts writes them down (signature,
// error envelope, API names, limits, carrier codes); nothing here comes from the adapter's modules.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AfterSaleState, PlatformOrder } from '../../../shared/model.ts';
import { fenToYuan } from '../../../shared/money.ts';
import { formatGmt8, parseGmt8 } from '../gmt8.ts';
import { handlePushApi, PUSH_METHODS, type TopShipment } from './server-push.ts';
import { cainiaoWaybillGet } from './server-waybill.ts';
import { logisticsTraceSearch } from './server-trace.ts';
import { DEFAULT_PAGE_SIZE, expectedSign, HORIZON_MS, invalidParam, MAX_PAGE_SIZE, MAX_SKEW_MS, MAX_WINDOW_MS, SIGN_METHODS, TOP_METHOD, TopError, topErrorBody, type TopSignMethod } from './server-protocol.ts';
import { createServerFaults, type SharedFault } from '../server-faults.ts';
import { listenLoopback, readBody, type LoopbackServerOptions, type ProductListingServer } from '../loopback-server.ts';
import { handleProductApi, PRODUCT_METHODS, TopListError } from './server-products.ts';
import { handleStockApi, STOCK_METHODS } from './server-stock.ts';

export type Fault =
  /** The gateway's front end fails: HTTP 502 with an HTML body. */
  | { kind: '5xx' }
  /** code 7 App Call Limited (per-API QPS ban). */
  | { kind: 'throttle'; banSeconds?: number }
  /** code 27 Invalid session: the seller's authorisation expired or was revoked. */
  | { kind: 'token-expired' }
  /** HTTP 200 whose body is cut off mid-JSON. */
  | { kind: 'malformed-json' }
  /** Valid JSON, but one trade (the first on each list page) carries a broken amount in its fullinfo.get detail. */
  | { kind: 'bad-payload' }
  /**
   * taobao.trade.fullinfo.get alone fails, for the listed tids (default: every trade), the next
   * `times` calls (default: until cleared). 'transient': code 15 isp.top-remote-connection-timeout,
   * which TOP says to retry; 'gone': code 15 isv.trade-not-exist, the trade cannot be read.
   */
  | { kind: 'fullinfo-fails'; as: 'transient' | 'gone'; tids?: string[]; times?: number }
  /** Slow answers, timeouts, an order changing between pages (server-faults.ts). */
  | SharedFault;

export interface PlatformServer extends ProductListingServer {
  /** The gateway URL, e.g. http://127.0.0.1:PORT/router/rest */
  url: string;
  setFault(f: Fault | null): void;
  /**
   * The live order set; tests mutate it between pulls (the server reads it on every request). Ship
   * and memo pushes replace the pushed order's element in place.
   */
  orders: PlatformOrder[];
  /** Online sends the gateway accepted, by tid: the waybill fullinfo.get reports for a shipped trade. */
  shipments: Map<string, TopShipment>;
  /** Requests answered so far, by API method (tests assert paging order and call counts). */
  calls: Array<{ method: string; params: Record<string, string> }>;
  /**
   * Called with the tids of each increment page right after it is served, before any detail call
   * for them — where a test lets a trade change, close or vanish between the list and the detail.
   */
  afterIncrementPage: ((tids: string[]) => void) | null;
  close(): Promise<void>;
}

export type PlatformServerOptions = LoopbackServerOptions;

/**
 * What the increment list returns of a trade: the list "returns only partial data", so this gateway
 * answers with the least a listing needs — the trade's id, status and modified time — whatever else
 * `fields` asks for. The rest comes from taobao.trade.fullinfo.get.
 */
const INCREMENT_TRADE_FIELDS: ReadonlySet<string> = new Set(['tid', 'status', 'modified']);
/** Trade fields whose presence in `fields` makes TOP add `oaid` (all five are required). */
const OAID_WITH_FIELDS = ['receiver_name', 'receiver_address', 'created', 'receiver_mobile', 'receiver_phone'];
const GMT8_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;


/** Order-level refund_status for the refunded line (Order.refund_status). */
const REFUND_STATUS: Record<AfterSaleState, string> = {
  none: 'NO_REFUND',
  requested: 'WAIT_SELLER_AGREE',
  in_progress: 'WAIT_BUYER_RETURN_GOODS',
  refunded: 'SUCCESS',
  rejected: 'SELLER_REFUSE_BUYER',
  unknown: 'WAIT_SELLER_CONSIGN_GOODS',
};

/** TOP masks receiver PII in trade APIs ("加密", docs/platforms/phones.md): first character of the name, last 4 of the mobile, the street cut short. */
export function maskName(name: string): string {
  return name.length === 0 ? '' : `${Array.from(name)[0]}**`;
}
export function maskMobile(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 4 ? `*******${digits.slice(-4)}` : '';
}
export function maskAddress(address: string): string {
  const chars = Array.from(address);
  return chars.length <= 4 ? address : `${chars.slice(0, 4).join('')}****`;
}

/** Presale (阶段付款) step status, from what the common model knows. */
function stepStatus(o: PlatformOrder): string {
  if (o.paidAt !== null) return 'FRONT_PAID_FINAL_PAID';
  return o.status === 'closed' ? 'FRONT_PAID_FRONT_FORFEITED' : 'FRONT_PAID_FINAL_NOPAID';
}

/**
 * One common order as TOP's Trade JSON. Absent values are omitted (TOP never sends null); tid/oid are
 * int64 numbers on the wire, so the *_str twins are added the way TOP does. The refund, when there is
 * one, sits on the first line only: TOP reports refunds per order line, not per trade.
 */
export function toTopTrade(o: PlatformOrder): Record<string, unknown> {
  const t: Record<string, unknown> = {
    tid: o.platformOrderId,
    tid_str: o.platformOrderId,
    status: o.platformStatus,
    type: o.orderType === 'presale' ? 'step' : 'fixed',
    created: formatGmt8(o.createdAt),
    modified: formatGmt8(o.platformUpdatedAt),
    buyer_nick: o.buyerNick,
    seller_flag: o.sellerFlag,
    receiver_name: maskName(o.receiver.name),
    receiver_mobile: maskMobile(o.receiver.phone),
    receiver_state: o.receiver.province,
    receiver_city: o.receiver.city,
    receiver_district: o.receiver.district,
    receiver_address: maskAddress(o.receiver.address),
    total_fee: fenToYuan(o.goodsFen),
    post_fee: fenToYuan(o.shippingFen),
    discount_fee: fenToYuan(o.discountFen),
    adjust_fee: '0.00',
    payment: fenToYuan(o.paidFen),
    has_buyer_message: o.buyerMessage !== null,
    orders: {
      order: o.items.map((i, n) => {
        const line: Record<string, unknown> = {
          oid: i.platformItemId,
          oid_str: i.platformItemId,
          title: i.title,
          num: i.quantity,
          price: fenToYuan(i.unitPriceFen),
          total_fee: fenToYuan(i.unitPriceFen * i.quantity),
          divide_order_fee: fenToYuan(i.paidFen),
          status: o.platformStatus,
          refund_status: n === 0 ? REFUND_STATUS[o.afterSale] : 'NO_REFUND',
        };
        // num_iid is an int64 number on the wire, like the listing's.
        if (i.platformProductId) line.num_iid = Number(i.platformProductId);
        if (i.platformSkuId !== null) line.sku_id = i.platformSkuId;
        if (i.outerSkuCode !== null) line.outer_sku_id = i.outerSkuCode;
        if (i.skuName !== null) line.sku_properties_name = i.skuName;
        if (i.imageUrl !== null) line.pic_path = i.imageUrl;
        return line;
      }),
    },
  };
  if (o.paidAt !== null) t.pay_time = formatGmt8(o.paidAt);
  if (o.buyerMessage !== null) t.buyer_message = o.buyerMessage;
  if (o.sellerMemo !== null) t.seller_memo = o.sellerMemo;
  if (o.receiver.town !== null) t.receiver_town = o.receiver.town;
  if (o.receiver.cipher !== null) t.oaid = o.receiver.cipher;
  if (o.orderType === 'presale') {
    t.step_trade_status = stepStatus(o);
    if (o.presaleDepositFen !== null) t.step_paid_fee = fenToYuan(o.presaleDepositFen);
  }
  return t;
}

/** JSON with tid/oid written as bare int64 numbers, as TOP writes them (beyond JS's safe integers). */
function topJson(value: unknown): string {
  return JSON.stringify(value).replace(/"(tid|oid)":"(\d+)"/g, '"$1":$2');
}

/** Query string + urlencoded form body, merged (the Java SDK splits system and API params across them; both are signed). */
async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    const body = await readBody(req);
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      if (body.length > 0) throw new TopError(41, 'Invalid Arguments', 'isv.invalid-content-type', `unsupported Content-Type "${type}"`);
    } else {
      for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    }
  }
  return params;
}

export async function startPlatformServer(opts: PlatformServerOptions): Promise<PlatformServer> {
  const now = opts.now ?? Date.now;
  let fault: Fault | null = null;
  let requestSeq = 0;
  const calls: PlatformServer['calls'] = [];
  const state = { orders: opts.orders, products: opts.products ?? [] };
  const shipments = new Map<string, TopShipment>();
  const pushState = { orders: () => state.orders, now, shipments };
  const faults = createServerFaults({ now, orders: () => state.orders, shippedPlatformStatus: 'WAIT_BUYER_CONFIRM_GOODS' });
  /** Trades that were first on a list page served under the bad-payload fault: their details come back broken. */
  const badTids = new Set<string>();
  let afterIncrementPage: PlatformServer['afterIncrementPage'] = null;

  /**
   * taobao.trade.fullinfo.get: the whole trade (server-push.ts picks the requested fields), with
   * `oaid` only when the receiver fields that unlock it were all asked for, and the detail faults.
   */
  function fullinfoGet(p: Record<string, string>): Record<string, unknown> {
    if (p.tid !== undefined && !/^\d+$/.test(p.tid)) throw invalidParam('tid', 'tid 必须是数字');
    if (fault?.kind === 'fullinfo-fails' && (fault.tids === undefined || fault.tids.includes(p.tid ?? ''))) {
      const as = fault.as;
      if (fault.times !== undefined && --fault.times <= 0) fault = null;
      if (as === 'transient') throw new TopError(15, 'Remote service error', 'isp.top-remote-connection-timeout', '远程服务调用超时');
      throw new TopError(15, 'Remote service error', 'isv.trade-not-exist', `交易${p.tid}不存在`);
    }
    const body = handlePushApi(TOP_METHOD.fullinfo, p, pushState).body;
    const trade = body.trade as Record<string, unknown>;
    const fields = new Set((p.fields ?? '').split(',').map((f) => f.trim()));
    if (!OAID_WITH_FIELDS.every((f) => fields.has(f))) delete trade.oaid;
    if (fault?.kind === 'bad-payload' && badTids.has(p.tid ?? '') && 'payment' in trade) trade.payment = `¥${String(trade.payment)}`;
    return body;
  }

  /** The gateway's own checks, in the gateway's order: app key, timestamp, signature, session, method. */
  function authenticate(p: Record<string, string>): void {
    if (!p.app_key) throw new TopError(28, 'Missing App Key');
    if (p.app_key !== opts.appKey) throw new TopError(29, 'Invalid App Key');
    if (!p.timestamp) throw new TopError(30, 'Missing Timestamp');
    if (!GMT8_TEXT.test(p.timestamp) || Math.abs(parseGmt8(p.timestamp) - now()) > MAX_SKEW_MS) {
      throw new TopError(31, 'Invalid Timestamp', 'isv.invalid-timestamp', '时间戳超出允许误差(10分钟)');
    }
    if (!p.sign) throw new TopError(24, 'Missing Signature');
    const method = p.sign_method || 'md5'; // TOP's default when sign_method is absent
    if (!(SIGN_METHODS as readonly string[]).includes(method)) throw new TopError(25, 'Invalid Signature', undefined, `unknown sign_method "${method}"`);
    const expected = expectedSign(p, opts.appSecret, method as TopSignMethod);
    if (expected !== p.sign.toUpperCase()) throw new TopError(25, 'Invalid Signature');
    if (p.v !== '2.0') throw new TopError(33, 'Invalid Version');
    if (p.format && p.format !== 'json') throw new TopError(23, 'Invalid Format', undefined, 'this sandbox answers format=json only');
    if (!p.session) throw new TopError(26, 'Missing Session');
    if (p.session !== opts.accessToken) throw new TopError(27, 'Invalid session', 'invalid-sessionkey', 'SessionKey非法');
  }

  function incrementGet(p: Record<string, string>): Record<string, unknown> {
    for (const name of ['fields', 'start_modified', 'end_modified'] as const) {
      if (!p[name]) throw new TopError(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`, `${name} is required`);
    }
    const start = p.start_modified as string;
    const end = p.end_modified as string;
    if (!GMT8_TEXT.test(start)) throw invalidParam('start_modified', 'start_modified 格式应为 yyyy-MM-dd HH:mm:ss');
    if (!GMT8_TEXT.test(end)) throw invalidParam('end_modified', 'end_modified 格式应为 yyyy-MM-dd HH:mm:ss');
    const fromMs = parseGmt8(start);
    const toMs = parseGmt8(end);
    if (toMs < fromMs) throw invalidParam('end_modified', '结束时间不能早于开始时间');
    if (toMs - fromMs > MAX_WINDOW_MS) throw invalidParam('end_modified', '开始时间与结束时间间隔不能超过一天');
    if (fromMs < now() - HORIZON_MS) throw invalidParam('start_modified', '只能查询三个月内的交易');
    const pageNo = p.page_no === undefined ? 1 : Number(p.page_no);
    const pageSize = p.page_size === undefined ? DEFAULT_PAGE_SIZE : Number(p.page_size);
    if (!Number.isInteger(pageNo) || pageNo < 1) throw invalidParam('page_no', 'page_no 必须是正整数');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw invalidParam('page_size', `page_size 取值范围 1-${MAX_PAGE_SIZE}`);
    const fields = new Set(p.fields!.split(',').map((f) => f.trim()));

    // Both ends inclusive at second granularity; newest first, as TOP sorts.
    const matching = state.orders
      .filter((o) => {
        const m = Math.floor(o.platformUpdatedAt / 1000) * 1000;
        return m >= fromMs && m <= toMs;
      })
      .sort((a, b) => b.platformUpdatedAt - a.platformUpdatedAt || (a.platformOrderId < b.platformOrderId ? 1 : -1));
    const slice = matching.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    faults.afterListPage(fault, matching, pageSize);
    if (fault?.kind === 'bad-payload' && slice[0]) badTids.add(slice[0].platformOrderId);
    const trades = slice.map((o) => {
      const t: Record<string, unknown> = { tid: o.platformOrderId, tid_str: o.platformOrderId, status: o.platformStatus, modified: formatGmt8(o.platformUpdatedAt) };
      // Only the requested fields come back, and of those only what the list carries.
      return Object.fromEntries(Object.entries(t).filter(([k]) => INCREMENT_TRADE_FIELDS.has(k.replace(/_str$/, '')) && fields.has(k.replace(/_str$/, ''))));
    });
    afterIncrementPage?.(slice.map((o) => o.platformOrderId));
    const body: Record<string, unknown> = { trades: { trade: trades }, request_id: `sb${++requestSeq}` };
    if (p.use_has_next === 'true') body.has_next = pageNo * pageSize < matching.length;
    else body.total_results = matching.length;
    return body;
  }

  function send(res: ServerResponse, status: number, body: string, type = 'application/json;charset=UTF-8'): void {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/router/rest') return send(res, 404, 'Not Found', 'text/plain');
    if (fault?.kind === '5xx') return send(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html');
    try {
      const p = await readParams(req, url);
      authenticate(p);
      calls.push({ method: p.method ?? '', params: p });
      if (fault?.kind === 'token-expired') throw new TopError(27, 'Invalid session', 'session-expired', 'SessionKey已过期');
      if (fault?.kind === 'throttle') {
        const secs = fault.banSeconds ?? 1;
        throw new TopError(7, 'App Call Limited', 'accesscontrol.limited-by-api-access-count', `This ban will last for ${secs} more seconds`);
      }
      if (!p.method) throw new TopError(21, 'Missing Method');
      let body: string;
      if (p.method === TOP_METHOD.incrementGet) body = topJson({ trades_sold_increment_get_response: incrementGet(p) });
      else if (p.method === TOP_METHOD.fullinfo) body = topJson({ trade_fullinfo_get_response: { ...fullinfoGet(p), request_id: `sb${++requestSeq}` } });
      else if (p.method === TOP_METHOD.waybill) body = topJson(cainiaoWaybillGet(p, state.orders, opts.appSecret, `sb${++requestSeq}`));
      else if (p.method === TOP_METHOD.trace) body = topJson(logisticsTraceSearch(p, state.orders, shipments, now(), `sb${++requestSeq}`));
      else if (PUSH_METHODS.has(p.method)) {
        const r = handlePushApi(p.method, p, pushState);
        body = topJson({ [r.key]: { ...r.body, request_id: `sb${++requestSeq}` } });
      } else if (PRODUCT_METHODS.has(p.method)) {
        const r = handleProductApi(p.method, p, state.products);
        body = JSON.stringify({ [r.key]: { ...r.body, request_id: `sb${++requestSeq}` } });
      } else if (STOCK_METHODS.has(p.method)) {
        const r = handleStockApi(p.method, p, state.products);
        body = JSON.stringify({ [r.key]: { ...r.body, request_id: `sb${++requestSeq}` } });
      } else throw new TopError(22, 'Invalid Method');
      if (fault?.kind === 'malformed-json') return send(res, 200, body.slice(0, Math.max(1, Math.floor(body.length / 2))));
      return send(res, 200, body);
    } catch (err) {
      const e = err instanceof TopError || err instanceof TopListError ? err : new TopError(15, 'Remote service error', 'isp.unknown-error', String(err));
      // TOP answers errors with HTTP 200 and an error_response body.
      return send(res, 200, JSON.stringify(topErrorBody(e, `sb${++requestSeq}`)));
    }
  }

  const { port, close } = await listenLoopback({ name: 'taobao server', port: opts.port, faults, fault: () => fault, handle, internalError: (res) => send(res, 500, 'Internal Server Error', 'text/plain') });
  return {
    url: `http://127.0.0.1:${port}/router/rest`,
    setFault(f) {
      fault = f;
    },
    get orders() {
      return state.orders;
    },
    set orders(next: PlatformOrder[]) {
      state.orders = next;
    },
    get products() {
      return state.products;
    },
    set products(next) {
      state.products = next;
    },
    shipments,
    calls,
    get afterIncrementPage() {
      return afterIncrementPage;
    },
    set afterIncrementPage(hook: PlatformServer['afterIncrementPage']) {
      afterIncrementPage = hook;
    },
    close,
  };
}
