// A loopback Kuaishou gateway for tests and offline development: speaks the real protocol (method as
// the URL path, common params in the GET query or a POST form, ms timestamp, MD5/HMAC_SHA256 sign;
// docs/platforms/kuaishou.md) and serves open.order.cursor.list over an in-memory, mutable set of orders
// with cursor paging, plus switchable faults (5xx, throttling, expired token, malformed JSON, a
// malformed order payload). The push-back, detail and decrypt APIs live in server-actions.ts; the
// faults apply to them too.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ksOrderPayload } from './server-order.ts';
import { HORIZON_MS, KS_CODES as KS_ERR, KS_METHOD, MAX_PAGE_SIZE, MAX_WINDOW_MS, NO_MORE, TIMESTAMP_SKEW_MS, expectedSign, type KsErrorBody } from './server-protocol.ts';
import { KsFault, createKsActions, type Shipment } from './server-actions.ts';
import { createKsWaybillHandlers } from './server-waybill.ts';
import { ITEM_LIST_GET, KsListError, ksItemListGet } from './server-products.ts';
import { ksSkuStockUpdate, SKU_STOCK_UPDATE } from './server-stock.ts';

import { createServerFaults, type SharedFault } from '../server-faults.ts';
import { cutOff, listenLoopback, readBody, serverHandle, send, sendBadGateway, type LoopbackPlatformServer, type LoopbackServerOptions, type ProductListingServer, type ProtocolFault } from '../loopback-server.ts';

export type Fault =
  | ProtocolFault // loopback-server.ts; here badPayload means every listed order has a broken totalFee
  | SharedFault; // slow answers, timeouts, an order changing between pages (server-faults.ts)

/** appSecret is used as the signSecret: Kuaishou signs with a separate signSecret (docs/platforms/kuaishou.md); the sandbox has one secret. */
export type PlatformServerOptions = LoopbackServerOptions;

export interface PlatformServer extends LoopbackPlatformServer<Fault>, ProductListingServer {
  /** The gateway base; the API path is the method with "." → "/" (docs/platforms/kuaishou.md). */
  url: string;
  /** Carrier + waybill of the orders shipped through goods.deliver, by order id. */
  shipments: ReadonlyMap<string, Shipment>;
}

const CURSOR_LIST = KS_METHOD.cursorList;

class GatewayError extends Error {
  constructor(
    readonly code: number,
    readonly subMsg: string,
  ) {
    super(subMsg);
  }
}

/** Params as the gateway sees them: the query string, plus the form body of a POST. */
function parseParams(req: IncomingMessage, url: URL, body: string): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (!type.includes('application/x-www-form-urlencoded')) throw new GatewayError(KS_ERR.badParams, `unsupported content-type "${type}"`);
    Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  }
  return params;
}

/** Business params: `param` is a JSON object string (docs/platforms/kuaishou.md). */
function businessParams(params: Record<string, string>): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(params.param ?? '{}');
  } catch {
    throw new GatewayError(KS_ERR.badParams, 'param is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new GatewayError(KS_ERR.badParams, 'param must be a JSON object');
  return parsed as Record<string, unknown>;
}

function intField(p: Record<string, unknown>, key: string, fallback?: number): number {
  const v = p[key];
  if (v === undefined || v === null || v === '') {
    if (fallback !== undefined) return fallback;
    throw new GatewayError(KS_ERR.badParams, `${key}无效: missing`);
  }
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new GatewayError(KS_ERR.badParams, `${key}无效: not an integer`);
  return n;
}

/** Order key for keyset paging: newest first (sort=1), ties by oid descending. */
interface Key {
  updateTime: number;
  oid: string;
}
const compareDesc = (a: Key, b: Key): number => b.updateTime - a.updateTime || (a.oid < b.oid ? 1 : a.oid > b.oid ? -1 : 0);
const encodeCursor = (k: Key): string => Buffer.from(JSON.stringify([k.updateTime, k.oid]), 'utf8').toString('base64url');
function decodeCursor(cursor: string): Key {
  try {
    const [updateTime, oid] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof updateTime === 'number' && typeof oid === 'string') return { updateTime, oid };
  } catch {
    // fall through
  }
  throw new GatewayError(KS_ERR.badParams, 'cursor无效');
}

export async function startPlatformServer(opts: PlatformServerOptions): Promise<PlatformServer> {
  const now = opts.now ?? Date.now;
  let fault: Fault | null = null;
  const state = { orders: opts.orders, products: opts.products ?? [] };
  const actions = createKsActions(state, now, opts.appSecret);
  const waybills = createKsWaybillHandlers(() => state.orders, opts.appSecret);
  const listing: Record<string, { http: 'GET' | 'POST'; run: (params: Record<string, string>) => unknown }> = {
    [SKU_STOCK_UPDATE]: { http: 'POST', run: (params) => ksSkuStockUpdate(businessParams(params), state.products) },
    [ITEM_LIST_GET]: { http: 'GET', run: (params) => ksItemListGet(businessParams(params), state.products) },
  };
  const faults = createServerFaults({ now, orders: () => state.orders, shippedPlatformStatus: '40' });

  /** Common params, timestamp, signature and token, in the order the gateway checks them. */
  function authenticate(params: Record<string, string>, pathMethod: string): void {
    for (const key of ['appkey', 'method', 'version', 'timestamp', 'signMethod', 'sign', 'access_token']) {
      if (!params[key]) throw new GatewayError(key === 'sign' || key === 'signMethod' ? KS_ERR.badSign : KS_ERR.badParams, `missing common param ${key}`);
    }
    if (params.method !== pathMethod) throw new GatewayError(KS_ERR.badParams, `method "${params.method}" does not match the path`);
    if (params.appkey !== opts.appKey) throw new GatewayError(KS_ERR.noPermission, 'appkey 无效');
    if (!/^\d+$/.test(params.timestamp ?? '') || Math.abs(Number(params.timestamp) - now()) > TIMESTAMP_SKEW_MS) {
      throw new GatewayError(KS_ERR.badTimestamp, 'timestamp 无效或超出允许范围');
    }
    const method = params.signMethod;
    if (method !== 'MD5' && method !== 'HMAC_SHA256') throw new GatewayError(KS_ERR.badSign, `unsupported signMethod "${method}"`);
    if (expectedSign(params, opts.appSecret, method) !== params.sign) throw new GatewayError(KS_ERR.badSign, '签名校验失败');
    if (fault === 'tokenExpired') throw new GatewayError(KS_ERR.tokenExpired, 'access_token 已过期');
    if (params.access_token !== opts.accessToken) throw new GatewayError(KS_ERR.tokenInvalid, 'access_token 无效');
  }

  function cursorList(params: Record<string, string>): unknown {
    const p = businessParams(params);
    const begin = intField(p, 'beginTime');
    const end = intField(p, 'endTime');
    if (end <= begin) throw new GatewayError(KS_ERR.badParams, 'endTime无效: must be after beginTime');
    if (end - begin > MAX_WINDOW_MS) throw new GatewayError(KS_ERR.badParams, 'endTime无效: 时间跨度超出限制');
    if (begin < now() - HORIZON_MS) throw new GatewayError(KS_ERR.badParams, 'beginTime无效: 超出可查询范围');
    if (intField(p, 'queryType', 1) !== 2) throw new GatewayError(KS_ERR.badParams, 'queryType无效: the sandbox serves queryType=2 (update time) only');
    if (intField(p, 'orderViewStatus', 1) !== 1) throw new GatewayError(KS_ERR.badParams, 'orderViewStatus无效: the sandbox serves 1 (all) only');
    if (intField(p, 'sort', 1) !== 1) throw new GatewayError(KS_ERR.badParams, 'sort无效: the sandbox serves 1 (newest first) only');
    const pageSize = intField(p, 'pageSize', 20);
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new GatewayError(KS_ERR.badParams, `pageSize无效: 1..${MAX_PAGE_SIZE}`);
    const rawCursor = typeof p.cursor === 'string' ? p.cursor : '';
    if (rawCursor === NO_MORE) throw new GatewayError(KS_ERR.badParams, 'cursor无效: nomore');
    const after = rawCursor === '' ? null : decodeCursor(rawCursor);

    // Half-open [begin, end) on update time, newest first; the cursor is the key of the last order
    // sent, so an order that changes mid-pull leaves the window without shifting the others.
    const inWindow = state.orders.filter((o) => o.platformUpdatedAt >= begin && o.platformUpdatedAt < end);
    const keyed = inWindow
      .map((o) => ({ o, key: { updateTime: o.platformUpdatedAt, oid: o.platformOrderId } }))
      .sort((a, b) => compareDesc(a.key, b.key))
      .filter((x) => after === null || compareDesc(after, x.key) < 0);
    const pageItems = keyed.slice(0, pageSize);
    let list: unknown[] = pageItems.map((x) => ksOrderPayload(x.o, opts.appSecret));
    if (fault === 'badPayload') list = list.map((k) => ({ ...(k as Record<string, unknown>), orderBaseInfo: { ...((k as Record<string, unknown>).orderBaseInfo as object), totalFee: '12.34' } }));
    const last = pageItems[pageItems.length - 1];
    faults.afterListPage(fault, inWindow, pageSize);
    return {
      result: KS_ERR.ok,
      error_msg: 'SUCCESS',
      data: {
        cursor: keyed.length > pageSize && last ? encodeCursor(last.key) : NO_MORE,
        orderList: list,
      },
    };
  }

  function errorBody(code: number, msg: string, subCode = String(code)): string {
    const body: KsErrorBody = { result: code, error_msg: msg, subCode, subMsg: msg, requestId: randomUUID() };
    return JSON.stringify(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (fault === 'http5xx') return sendBadGateway(res);
    try {
      const pathMethod = url.pathname.replace(/^\//, '').replace(/\//g, '.');
      const action = actions.handlers[pathMethod] ?? waybills[pathMethod] ?? listing[pathMethod];
      if (pathMethod !== CURSOR_LIST && !action) throw new GatewayError(KS_ERR.badParams, `unknown or unsupported method "${pathMethod}"`);
      // open.order.cursor.list is a GET API; each action has its own (docs/platforms/kuaishou.md).
      const http = action ? action.http : 'GET';
      if (req.method !== http) throw new GatewayError(KS_ERR.badParams, `${pathMethod} is ${http} only`);
      const params = parseParams(req, url, body);
      authenticate(params, pathMethod);
      if (fault === 'throttled') throw new GatewayError(KS_ERR.throttled, '调用频率超限，请稍后再试');
      const text = JSON.stringify(action ? action.run(params) : cursorList(params));
      send(res, 200, fault === 'malformedJson' ? cutOff(text) : text);
    } catch (e) {
      if (e instanceof GatewayError) return send(res, 200, errorBody(e.code, e.subMsg));
      if (e instanceof KsFault) return send(res, 200, errorBody(e.code, e.subMsg, e.subCode));
      if (e instanceof KsListError) return send(res, 200, errorBody(e.code, e.subMsg));
      send(res, 500, errorBody(500, e instanceof Error ? e.message : String(e)));
    }
  }

  const { port, close } = await listenLoopback({ name: 'kuaishou server', port: opts.port, faults, fault: () => fault, handle, internalError: (res) => send(res, 500, errorBody(500, 'internal error')) });

  return Object.assign(
    serverHandle<Fault>(`http://127.0.0.1:${port}`, state, (f) => (fault = f), close),
    { shipments: actions.shipments },
  );
}
