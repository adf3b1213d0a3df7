// A loopback JD JOS gateway for tests and offline development: speaks the real routerjson protocol
// (system params in the URL query, 360buy_param_json in the POST form — or everything in the query,
// as some SDKs send it), checks the MD5 sign and the timestamp (docs/platforms/jd.md), and serves
// jingdong.pop.order.enSearch over an in-memory, mutable set of orders, with switchable faults
// (5xx, throttling, expired token, malformed JSON, a malformed order payload). The push-back and
// detail APIs (shipment, modifyVenderRemark, enGet) live in server-actions.ts; the faults apply to them too.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlatformOrder } from '../../../shared/model.ts';
import { parseGmt8 } from '../gmt8.ts';
import { jdOrderInfo, jdOrderState } from './server-order.ts';
import { JD_CODES as JD_ERR, JD_KEYS, JD_METHOD, JD_REFUSALS as JD_BIZ_ERR, JD_STATES, MAX_PAGE_SIZE, TIMESTAMP_SKEW_MS, expectedSign, type JdErrorBody } from './server-protocol.ts';
import { JdGatewayFault, createJdActions, type Shipment } from './server-actions.ts';

import { createServerFaults, type SharedFault } from '../server-faults.ts';
import { cutOff, listenLoopback, readBody, serverHandle, send, sendBadGateway, type LoopbackPlatformServer, type LoopbackServerOptions, type ProductListingServer, type ProtocolFault } from '../loopback-server.ts';
import { jdSearchSkuList, SEARCH_SKU_LIST } from './server-products.ts';
import { jdUpdateSkuStock, UPDATE_SKU_STOCK } from './server-stock.ts';
export type Fault =
  | ProtocolFault // loopback-server.ts; here badPayload means every listed order has a broken orderPayment
  | SharedFault; // slow answers, timeouts, an order changing between pages (server-faults.ts)

export type PlatformServerOptions = LoopbackServerOptions;

export interface PlatformServer extends LoopbackPlatformServer<Fault>, ProductListingServer {
  /** logiCoprId + logiNo of the orders shipped through jingdong.pop.order.shipment, by order id. */
  shipments: ReadonlyMap<string, Shipment>;
}

const EN_SEARCH = JD_METHOD.enSearch;
const RESPONSE_KEY = JD_KEYS.enSearch;
const TIME_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

class GatewayError extends Error {
  constructor(
    readonly code: string,
    readonly zhDesc: string,
  ) {
    super(zhDesc);
  }
}
/** A failure JD reports inside searchorderinfo_result.apiResult rather than as error_response. */
class BusinessError extends Error {
  constructor(
    readonly englishErrCode: string,
    readonly chineseErrCode: string,
  ) {
    super(chineseErrCode);
  }
}

/** Query params overlaid with the form body, as the gateway merges them. */
function parseParams(req: IncomingMessage, body: string): Record<string, string> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  if (req.method === 'POST' && body !== '') {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (!type.includes('application/x-www-form-urlencoded')) throw new GatewayError(JD_ERR.badParams, `不支持的 content-type "${type}"`);
    Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  }
  return params;
}

/** JD's timestamp: "yyyy-MM-dd HH:mm:ss", optionally followed by ".SSS+0800" (docs/platforms/jd.md). */
function parseTimestamp(raw: string): number {
  const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.\d{3}\+0800)?$/.exec(raw);
  if (!m) throw new GatewayError(JD_ERR.badTimestamp, 'timestamp 格式错误');
  return parseGmt8(m[1] as string);
}

/** start + one calendar month, in GMT+8 wall time ("dates must be ≤ 1 month apart", docs/platforms/jd.md). */
function plusOneMonth(ms: number): number {
  const d = new Date(ms + 8 * 3600_000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) - 8 * 3600_000;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

export async function startPlatformServer(opts: PlatformServerOptions): Promise<PlatformServer> {
  const now = opts.now ?? Date.now;
  const state = { orders: opts.orders, products: opts.products ?? [] };
  const actions = createJdActions(state, now, opts.appSecret);
  const faults = createServerFaults({ now, orders: () => state.orders, shippedPlatformStatus: 'WAIT_GOODS_RECEIVE_CONFIRM' });
  let fault: Fault | null = null;

  /** Common params, then sign, then timestamp, then token — the order the gateway rejects in. */
  function authenticate(params: Record<string, string>): void {
    for (const key of ['method', 'app_key', 'timestamp', 'v', 'sign']) {
      if (!params[key]) throw new GatewayError(JD_ERR.badParams, `缺少系统参数 ${key}`);
    }
    if (params.app_key !== opts.appKey) throw new GatewayError(JD_ERR.badAppKey, '无效的app_key');
    if (params.v !== '2.0') throw new GatewayError(JD_ERR.badParams, `不支持的版本 v=${params.v}`);
    if (params.sign_method && params.sign_method !== 'md5') throw new GatewayError(JD_ERR.badSign, `不支持的 sign_method ${params.sign_method}`);
    if (expectedSign(params, opts.appSecret) !== params.sign) throw new GatewayError(JD_ERR.badSign, '签名无效');
    if (Math.abs(parseTimestamp(params.timestamp as string) - now()) > TIMESTAMP_SKEW_MS) throw new GatewayError(JD_ERR.badTimestamp, 'timestamp 与服务器时间相差过大');
    if (fault === 'tokenExpired' || params.access_token !== opts.accessToken) throw new GatewayError(JD_ERR.tokenExpired, 'access_token已过期或无效，请重新授权');
  }

  function enSearch(p: Record<string, unknown>): { orderTotal: number; orderInfoList: unknown[] } {
    const str = (key: string): string | null => {
      const v = p[key];
      if (v === undefined || v === null || v === '') return null;
      if (typeof v !== 'string' && typeof v !== 'number') throw new GatewayError(JD_ERR.badParams, `${key} 类型错误`);
      return String(v);
    };
    const int = (key: string, fallback: number): number => {
      const raw = str(key);
      if (raw === null) return fallback;
      if (!/^-?\d+$/.test(raw)) throw new GatewayError(JD_ERR.badParams, `${key} 必须为整数`);
      return Number(raw);
    };
    const states = (str('order_state') ?? '').split(',').filter((s) => s !== '');
    if (states.length === 0) throw new GatewayError(JD_ERR.badParams, 'order_state 不能为空');
    for (const s of states) if (!(JD_STATES as readonly string[]).includes(s)) throw new GatewayError(JD_ERR.badParams, `未知的 order_state ${s}`);
    const fields = (str('optional_fields') ?? '').split(',').filter((s) => s !== '');
    if (fields.length === 0) throw new GatewayError(JD_ERR.badParams, 'optional_fields 不能为空');
    const page = int('page', 1);
    const pageSize = int('page_size', 20);
    if (page < 1) throw new GatewayError(JD_ERR.badParams, 'page 从 1 开始');
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new GatewayError(JD_ERR.badParams, `page_size 取值 1..${MAX_PAGE_SIZE}`);

    const startText = str('start_date');
    const endText = str('end_date');
    let startMs: number;
    let endMs: number;
    if (startText === null && endText === null && states.length === 1 && states[0] === 'WAIT_SELLER_STOCK_OUT') {
      // Only WAIT_SELLER_STOCK_OUT and no dates → the last month.
      endMs = now();
      startMs = endMs - (plusOneMonth(endMs) - endMs);
    } else {
      if (startText === null || endText === null) throw new BusinessError(JD_BIZ_ERR.badDateRange, '查询条件包含非等待出库状态时，开始时间和结束时间必填');
      if (!TIME_RE.test(startText) || !TIME_RE.test(endText)) throw new GatewayError(JD_ERR.badParams, '日期格式应为 yyyy-MM-dd HH:mm:ss');
      startMs = parseGmt8(startText);
      endMs = parseGmt8(endText);
      if (endMs < startMs) throw new BusinessError(JD_BIZ_ERR.badDateRange, '结束时间不能早于开始时间');
      if (endMs > plusOneMonth(startMs)) throw new BusinessError(JD_BIZ_ERR.badDateRange, '开始时间和结束时间间隔不能超过一个月');
    }
    const byCreate = int('dateType', 0) === 1; // 1 = create time, anything else = modified (docs/platforms/jd.md)
    const desc = int('sortType', 0) === 1;
    const keyOf = (o: PlatformOrder): number => seconds(byCreate ? o.createdAt : o.platformUpdatedAt);
    const [from, to] = [seconds(startMs), seconds(endMs)];
    // Both dates inclusive, whole seconds; paid orders only (NOT_PAY is not an enSearch state).
    const matching = state.orders
      .filter((o) => o.status !== 'unpaid' && keyOf(o) >= from && keyOf(o) <= to && states.includes(jdOrderState(o)))
      .sort((a, b) => {
        const d = keyOf(a) - keyOf(b) || (a.platformOrderId < b.platformOrderId ? -1 : a.platformOrderId > b.platformOrderId ? 1 : 0);
        return desc ? -d : d;
      });
    const keep = new Set(fields);
    const list = matching.slice((page - 1) * pageSize, page * pageSize).map((o) => {
      const full = jdOrderInfo(o, opts.appSecret);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(full)) if (keep.has(k)) out[k] = v;
      if (fault === 'badPayload') out.orderPayment = '¥12.345';
      return out;
    });
    faults.afterListPage(fault, matching, pageSize);
    return { orderTotal: matching.length, orderInfoList: list };
  }

  function errorBody(code: string, zhDesc: string): string {
    const body: JdErrorBody = { error_response: { code, zh_desc: zhDesc, en_desc: zhDesc } };
    return JSON.stringify(body);
  }

  function resultBody(result: Record<string, unknown>, apiResult: Record<string, unknown>): string {
    return JSON.stringify({ [RESPONSE_KEY]: { code: '0', searchorderinfo_result: { ...result, apiResult } } });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (fault === 'http5xx') return sendBadGateway(res);
    if (req.method !== 'POST' && req.method !== 'GET') return send(res, 405, errorBody(JD_ERR.badParams, '仅支持 GET/POST'));
    try {
      const params = parseParams(req, body);
      authenticate(params);
      if (fault === 'throttled') throw new GatewayError(JD_ERR.throttled, '调用次数超限，请稍后再试');
      const action = params.method === undefined ? undefined : params.method === SEARCH_SKU_LIST ? (p: Record<string, unknown>) => jdSearchSkuList(p, state.products) : params.method === UPDATE_SKU_STOCK ? (p: Record<string, unknown>) => jdUpdateSkuStock(p, state.products) : actions.handlers[params.method];
      if (params.method !== EN_SEARCH && !action) throw new GatewayError(JD_ERR.badParams, `不支持的方法 ${params.method}`);
      let business: unknown;
      try {
        business = JSON.parse(params['360buy_param_json'] ?? '{}');
      } catch {
        throw new GatewayError(JD_ERR.badParams, '360buy_param_json 不是合法的 JSON');
      }
      if (typeof business !== 'object' || business === null || Array.isArray(business)) throw new GatewayError(JD_ERR.badParams, '360buy_param_json 必须是 JSON 对象');
      let text: string;
      if (action) {
        text = JSON.stringify(action(business as Record<string, unknown>));
      } else {
        try {
          text = resultBody(enSearch(business as Record<string, unknown>), { success: true, englishErrCode: 'success', chineseErrCode: '成功', numberCode: 10100000 });
        } catch (e) {
          if (!(e instanceof BusinessError)) throw e;
          text = resultBody({ orderTotal: 0, orderInfoList: [] }, { success: false, englishErrCode: e.englishErrCode, chineseErrCode: e.chineseErrCode, numberCode: 10100001 });
        }
      }
      send(res, 200, fault === 'malformedJson' ? cutOff(text) : text);
    } catch (e) {
      if (e instanceof GatewayError || e instanceof JdGatewayFault) return send(res, 200, errorBody(e.code, e.zhDesc));
      send(res, 200, errorBody(JD_ERR.serverBusy, e instanceof Error ? e.message : String(e)));
    }
  }

  const { port, close } = await listenLoopback({ name: 'jd server', port: opts.port, faults, fault: () => fault, handle, internalError: (res) => send(res, 500, errorBody(JD_ERR.serverBusy, 'internal error')) });

  return Object.assign(
    serverHandle<Fault>(`http://127.0.0.1:${port}/routerjson`, state, (f) => (fault = f), close),
    { shipments: actions.shipments },
  );
}
