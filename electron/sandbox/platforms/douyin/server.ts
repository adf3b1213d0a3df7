// A loopback doudian (抖店) gateway for tests and offline development: speaks the real protocol
// (POST https://…/<method with . → />, system params in the query, body = param_json, hmac-sha256
// sign and timestamp skew checked as docs/platforms/douyin.md says) and serves order.searchList over an in-memory, mutable
// set of orders, with switchable faults (5xx, throttling, expired token, malformed JSON, bad payload).
// The push-back and decrypt APIs (logisticsAdd, addOrderRemark, orderDetail, batchDecrypt) live in
// server-actions.ts; the faults apply to them too.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { PlatformOrder } from '../../../shared/model.ts';
import { createDoudianActions, type Shipment } from './server-actions.ts';
import { DOUDIAN_CODES as DOUDIAN_ERR, DOUDIAN_METHOD, DoudianFault, HORIZON_S, MAX_DEPTH, MAX_SIZE, TIMESTAMP_SKEW_S, expectedSign, type DoudianEnvelopeBody } from './server-protocol.ts';
import { createWaybillHandlers } from './server-waybill.ts';
import { createServerFaults, type SharedFault } from '../server-faults.ts';
import { cutOff, listenLoopback, readBody, serverHandle, send as sendAnswer, sendBadGateway, type LoopbackPlatformServer, type LoopbackServerOptions, type ProductListingServer, type ProtocolFault } from '../loopback-server.ts';
import { createDoudianProductHandlers } from './server-products.ts';
import { createDoudianStockHandlers } from './server-stock.ts';

export type Fault =
  | ProtocolFault // loopback-server.ts; here badPayload means every listed order has a fractional pay_amount
  | SharedFault; // slow answers, timeouts, an order changing between pages (server-faults.ts)

export type PlatformServerOptions = LoopbackServerOptions;

export interface PlatformServer extends LoopbackPlatformServer<Fault>, ProductListingServer {
  /** SKU ids whose stock an activity holds: lowering them is refused (-20008 / 2010045). */
  promotionLocked: Set<string>;
  /** Carrier + waybill of the orders shipped through order.logisticsAdd, by order id. */
  shipments: ReadonlyMap<string, Shipment>;
}

// No maximum window is documented (docs/platforms/douyin.md); this server enforces the 30-minute
// windows the notes advise, so an adapter that drifts from them fails loudly in tests.
const MAX_WINDOW_S = 30 * 60;
const SEARCH_LIST = DOUDIAN_METHOD.searchList;

const GatewayError = DoudianFault;
type GatewayError = DoudianFault;

const badParam = (msg: string): GatewayError => new GatewayError(DOUDIAN_ERR.badParam, 'isv.parameter-invalid', msg);

function intField(param: Record<string, unknown>, key: string, fallback?: number): number {
  const v = param[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new GatewayError(DOUDIAN_ERR.missingParam, `isv.missing-parameter:${key}`, `缺少必选参数 ${key}`);
  }
  // The Go SDK sends int64 fields as JSON numbers; the gateway also takes their decimal strings.
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw badParam(`${key} must be an integer`);
  return n;
}

const sortKey = (o: PlatformOrder): number => Math.floor(o.platformUpdatedAt / 1000);

export async function startPlatformServer(opts: PlatformServerOptions): Promise<PlatformServer> {
  const now = opts.now ?? Date.now;
  let fault: Fault | null = null;
  const state = { orders: opts.orders, products: opts.products ?? [] };
  const listing = createDoudianProductHandlers(() => state.products);
  const promotionLocked = new Set<string>();
  const stock = createDoudianStockHandlers({ products: () => state.products, promotionLocked, usedIds: new Set() });
  const actions = createDoudianActions(state, now, opts.appSecret);
  const waybills = createWaybillHandlers(() => state.orders, opts.appSecret);
  const faults = createServerFaults({ now, orders: () => state.orders, shippedPlatformStatus: '3' });

  /** System params, timestamp and signature, in the order the gateway checks them. */
  function authenticate(q: URLSearchParams, pathMethod: string, body: string): string {
    for (const key of ['app_key', 'method', 'timestamp', 'sign']) {
      if (!q.get(key)) throw new GatewayError(DOUDIAN_ERR.missingParam, `isv.missing-parameter:${key}`, `缺少必选参数 ${key}`);
    }
    const method = q.get('method') as string;
    if (method !== pathMethod) throw badParam(`method "${method}" does not match the path /${pathMethod.replace(/\./g, '/')}`);
    if (q.get('v') !== '2') throw badParam('v must be 2');
    if (q.get('app_key') !== opts.appKey) throw badParam('unknown app_key');
    const tsText = q.get('timestamp') as string;
    if (!/^\d+$/.test(tsText) || Math.abs(Number(tsText) - Math.floor(now() / 1000)) > TIMESTAMP_SKEW_S) {
      throw new GatewayError(DOUDIAN_ERR.badTimestamp, 'isv.timestamp-invalid', 'timestamp 超出允许范围');
    }
    const signMethod = q.get('sign_method') || 'md5'; // omitted = legacy md5 (docs/platforms/douyin.md)
    if (signMethod !== 'hmac-sha256' && signMethod !== 'md5') throw badParam(`unknown sign_method "${signMethod}"`);
    // The signature covers the exact body bytes, so a re-serialised body would not verify.
    const expected = expectedSign({ appKey: opts.appKey, method, body, timestamp: tsText }, opts.appSecret, signMethod);
    if (expected !== q.get('sign')) throw new GatewayError(DOUDIAN_ERR.badSign, 'isv.signature-invalid', '签名校验失败');
    if (fault === 'tokenExpired' || q.get('access_token') !== opts.accessToken) {
      throw new GatewayError(DOUDIAN_ERR.tokenExpired, 'isv.access-token-expired', 'access_token 已过期');
    }
    return method;
  }

  function searchList(param: Record<string, unknown>): unknown {
    if (param.create_time_start !== undefined) throw badParam('this sandbox serves update_time windows only');
    const start = intField(param, 'update_time_start');
    const end = intField(param, 'update_time_end', Math.floor(now() / 1000));
    const nowS = Math.floor(now() / 1000);
    if (end < start) throw badParam('update_time_end must not be before update_time_start');
    if (end - start > MAX_WINDOW_S) throw badParam('查询时间跨度不能超过30分钟');
    if (start < nowS - HORIZON_S) throw new GatewayError(DOUDIAN_ERR.horizon, 'isv.business-failed:20022', '只能查询最近90天的订单');
    const page = intField(param, 'page', 0);
    const size = intField(param, 'size', 10);
    if (page < 0) throw new GatewayError(DOUDIAN_ERR.pageNegative, 'isv.parameter-invalid:page', 'page 不能小于0');
    if (size < 1 || size > MAX_SIZE) throw new GatewayError(DOUDIAN_ERR.sizeTooLarge, 'isv.parameter-invalid:size', `size 取值 1..${MAX_SIZE}`);
    if ((page + 1) * size > MAX_DEPTH) throw new GatewayError(DOUDIAN_ERR.pageTooDeep, 'isv.business-failed:20013', 'page × size 不能超过 50000');
    const orderBy = param.order_by ?? 'create_time';
    if (orderBy !== 'update_time' && orderBy !== 'create_time') throw badParam(`order_by "${String(orderBy)}"`);
    const asc = param.order_asc === true;
    const key = (o: PlatformOrder): number => (orderBy === 'update_time' ? sortKey(o) : Math.floor(o.createdAt / 1000));

    // Whole seconds, both ends inclusive; sorted by the chosen time, order_id breaking ties.
    const matching = state.orders
      .filter((o) => sortKey(o) >= start && sortKey(o) <= end)
      .sort((a, b) => {
        const d = key(a) - key(b) || (a.platformOrderId < b.platformOrderId ? -1 : a.platformOrderId > b.platformOrderId ? 1 : 0);
        return asc ? d : -d;
      });
    let list: unknown[] = matching.slice(page * size, (page + 1) * size).map((o) => actions.payload(o));
    if (fault === 'badPayload') list = list.map((p) => ({ ...(p as Record<string, unknown>), pay_amount: 12.345 }));
    faults.afterListPage(fault, matching, size);
    return { page, size, total: matching.length, shop_order_list: list };
  }

  function envelope(code: number, subCode: string, subMsg: string, data: unknown): string {
    const body: DoudianEnvelopeBody = { code, msg: code === DOUDIAN_ERR.success ? 'success' : subMsg, sub_code: subCode, sub_msg: subMsg, log_id: randomUUID().replace(/-/g, ''), data };
    return JSON.stringify(body);
  }

  // doudian spells its JSON content type its own way.
  const send = (res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void => sendAnswer(res, status, body, type);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (fault === 'http5xx') return sendBadGateway(res);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'POST') return send(res, 405, envelope(DOUDIAN_ERR.badParam, 'isv.parameter-invalid', 'POST only', {}));
    try {
      const pathMethod = url.pathname.replace(/^\//, '').replace(/\//g, '.');
      authenticate(url.searchParams, pathMethod, body);
      if (fault === 'throttled') throw new GatewayError(DOUDIAN_ERR.throttled, 'isv.frequency-limited', '调用频率超限，请稍后再试');
      let param: unknown;
      try {
        param = body === '' ? {} : JSON.parse(body);
      } catch {
        throw badParam('param_json is not valid JSON');
      }
      if (typeof param !== 'object' || param === null || Array.isArray(param)) throw badParam('param_json must be a JSON object');
      const action = actions.handlers[pathMethod] ?? waybills[pathMethod] ?? listing[pathMethod] ?? stock[pathMethod];
      if (pathMethod !== SEARCH_LIST && !action) throw badParam(`unknown or unsupported method "${pathMethod}"`);
      const p = param as Record<string, unknown>;
      const text = envelope(DOUDIAN_ERR.success, '', '', action ? action(p) : searchList(p));
      send(res, 200, fault === 'malformedJson' ? cutOff(text) : text);
    } catch (e) {
      if (e instanceof DoudianFault) return send(res, 200, envelope(e.code, e.subCode, e.subMsg, {}));
      send(res, 200, envelope(DOUDIAN_ERR.system, 'isp.service-error', e instanceof Error ? e.message : String(e), {}));
    }
  }

  const { port, close } = await listenLoopback({ name: 'doudian server', port: opts.port, faults, fault: () => fault, handle, internalError: (res) => send(res, 500, envelope(DOUDIAN_ERR.system, 'isp.service-error', 'internal error', {})) });

  // The gateway base: the adapter appends /<method path> as for https://openapi-fxg.jinritemai.com.
  return Object.assign(
    serverHandle<Fault>(`http://127.0.0.1:${port}`, state, (f) => (fault = f), close),
    { shipments: actions.shipments, promotionLocked },
  );
}
