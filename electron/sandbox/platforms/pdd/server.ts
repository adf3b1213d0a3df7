// A loopback PDD gateway for tests and offline development: speaks the real protocol (POST JSON or
// form to /api/router, common params, MD5 sign, ±10 min timestamp; docs/platforms/pdd.md) and serves
// pdd.order.number.list.increment.get over an in-memory, mutable set of orders — plus the push-back
// and decrypt APIs of server-push.ts and the waybill and trace APIs over the same orders — with
// switchable faults (5xx, throttling, expired token, malformed JSON, a malformed order payload)
// that apply to every API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { PlatformOrder } from '../../../shared/model.ts';
import { pddOrderPayload, type PddOrderPayload } from './server-order.ts';
import { HORIZON_S, MAX_PAGE_SIZE, MAX_WINDOW_S, PDD_API, PDD_CODES as PDD_ERR, PddGatewayError as GatewayError, TIMESTAMP_SKEW_S, expectedSign, type PddErrorBody } from './server-protocol.ts';
import { handlePushApi, PUSH_TYPES, type PddPushState, type PddShipment } from './server-push.ts';
import { pddOrdertraceGet } from './server-trace.ts';
import { createPddWaybills } from './server-waybill.ts';
import { createPddGoodsList, GOODS_LIST_GET } from './server-products.ts';
import { createPddQuantityUpdate, GOODS_QUANTITY_UPDATE } from './server-stock.ts';
import { createServerFaults, type SharedFault } from '../server-faults.ts';
import { cutOff, listenLoopback, readBody, serverHandle, send, sendBadGateway, type LoopbackPlatformServer, type LoopbackServerOptions, type ProductListingServer, type ProtocolFault } from '../loopback-server.ts';

export type Fault =
  | ProtocolFault // loopback-server.ts; here badPayload means every listed order has a broken pay_amount
  | SharedFault; // slow answers, timeouts, an order changing between pages (server-faults.ts)

export type PlatformServerOptions = LoopbackServerOptions;

export interface PlatformServer extends LoopbackPlatformServer<Fault>, ProductListingServer {
  /** SKU ids in a promotion slot (资源位): their stock may not be reduced. */
  promotionLocked: Set<string>;
  /** Mutable: change, add or remove orders between pulls. Ship and note pushes replace the pushed order's element. */
  orders: PlatformOrder[];
  /** Online sends the gateway accepted, by order_sn: the tracking number information.get reports. */
  shipments: Map<string, PddShipment>;
  /** Requests that passed the gateway's checks, by API type (tests assert batching and pacing). */
  calls: Array<{ type: string; params: Record<string, string>; at: number }>;
}

/** Params as the gateway sees them: a flat JSON object (non-strings → their JSON/string form) or a form. */
function parseParams(req: IncomingMessage, body: string): Record<string, string> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new GatewayError(PDD_ERR.badParams, 'request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new GatewayError(PDD_ERR.badParams, 'request body must be a JSON object');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    return out;
  }
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  throw new GatewayError(PDD_ERR.badParams, `unsupported content-type "${type}"`);
}

function intParam(params: Record<string, string>, key: string, fallback?: number): number {
  const raw = params[key];
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    throw new GatewayError(PDD_ERR.badParams, `missing ${key}`);
  }
  if (!/^-?\d+$/.test(raw)) throw new GatewayError(PDD_ERR.badParams, `${key} must be an integer`);
  return Number(raw);
}

const updatedSeconds = (o: PlatformOrder): number => Math.floor(o.platformUpdatedAt / 1000);

export async function startPlatformServer(opts: PlatformServerOptions): Promise<PlatformServer> {
  const now = opts.now ?? Date.now;
  let fault: Fault | null = null;
  const state = { orders: opts.orders, products: opts.products ?? [] };
  const calls: PlatformServer['calls'] = [];
  const faults = createServerFaults({ now, orders: () => state.orders, shippedPlatformStatus: 'order_status=2,confirm_status=1' });
  const pushState: PddPushState = { orders: () => state.orders, now, appSecret: opts.appSecret, shipments: new Map(), lastDecryptAt: null };
  const waybills = createPddWaybills(() => state.orders, opts.appSecret);
  const goodsListGet = createPddGoodsList(() => state.products, now);
  const promotionLocked = new Set<string>();
  const quantityUpdate = createPddQuantityUpdate(() => state.products, promotionLocked);

  /** Common params, timestamp and signature, in the order the gateway checks them. */
  function authenticate(params: Record<string, string>): void {
    for (const key of ['type', 'client_id', 'timestamp', 'sign']) {
      if (!params[key]) throw new GatewayError(PDD_ERR.badParams, `missing common param ${key}`);
    }
    if (params.client_id !== opts.appKey) throw new GatewayError(PDD_ERR.badParams, 'unknown client_id');
    const ts = intParam(params, 'timestamp');
    if (Math.abs(ts - Math.floor(now() / 1000)) > TIMESTAMP_SKEW_S) throw new GatewayError(PDD_ERR.badTimestamp, 'timestamp 超出允许范围');
    if (expectedSign(params, opts.appSecret) !== params.sign) throw new GatewayError(PDD_ERR.badSign, '签名校验失败');
    if (fault === 'tokenExpired' || params.access_token !== opts.accessToken) throw new GatewayError(PDD_ERR.tokenExpired, 'access_token 已过期');
  }

  function incrementGet(params: Record<string, string>): unknown {
    const start = intParam(params, 'start_updated_at');
    const end = intParam(params, 'end_updated_at');
    const nowS = Math.floor(now() / 1000);
    if (end <= start) throw new GatewayError(PDD_ERR.badParams, 'end_updated_at must be after start_updated_at');
    if (end - start > MAX_WINDOW_S) throw new GatewayError(PDD_ERR.badParams, '开始时间与结束时间间隔不能超过30分钟');
    if (start < nowS - HORIZON_S) throw new GatewayError(PDD_ERR.badParams, '只能查询最近3个月的订单');
    const orderStatus = intParam(params, 'order_status');
    const refundStatus = intParam(params, 'refund_status');
    const page = intParam(params, 'page', 1);
    const pageSize = intParam(params, 'page_size', 100);
    if (page < 1) throw new GatewayError(PDD_ERR.badParams, 'page starts at 1');
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new GatewayError(PDD_ERR.badParams, `page_size must be 1..${MAX_PAGE_SIZE}`);

    // Half-open [start, end) on whole seconds; paid orders only; newest first (PDD sorts by
    // updated_at desc, which is why clients page from the last page backwards).
    const inWindow = state.orders.filter((o) => o.status !== 'unpaid' && updatedSeconds(o) >= start && updatedSeconds(o) < end);
    const matching: PddOrderPayload[] = inWindow
      .sort((a, b) => b.platformUpdatedAt - a.platformUpdatedAt || (a.platformOrderId < b.platformOrderId ? 1 : a.platformOrderId > b.platformOrderId ? -1 : 0))
      .map((o) => pddOrderPayload(o, opts.appSecret))
      .filter((p) => orderStatus === 5 || (p.confirm_status === 1 && p.order_status === orderStatus))
      .filter((p) => refundStatus === 5 || p.refund_status === refundStatus);
    let list: unknown[] = matching.slice((page - 1) * pageSize, page * pageSize);
    if (fault === 'badPayload') list = list.map((p) => ({ ...(p as PddOrderPayload), pay_amount: '¥12.345' }));
    faults.afterListPage(fault, inWindow, pageSize);
    return {
      order_sn_increment_get_response: {
        total_count: matching.length,
        has_next: page * pageSize < matching.length,
        order_sn_list: list,
      },
    };
  }

  function errorBody(code: number, subMsg: string): string {
    const body: PddErrorBody = {
      error_response: { error_code: code, error_msg: subMsg, sub_code: String(code), sub_msg: subMsg, request_id: randomUUID() },
    };
    return JSON.stringify(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (fault === 'http5xx') return sendBadGateway(res);
    if (req.method !== 'POST') return send(res, 405, errorBody(PDD_ERR.badParams, 'POST only'));
    try {
      const params = parseParams(req, body);
      authenticate(params);
      calls.push({ type: params.type ?? '', params, at: now() });
      if (fault === 'throttled') throw new GatewayError(PDD_ERR.throttled, '调用过于频繁，请稍后再试');
      let result: unknown;
      if (params.type === PDD_API.incrementGet) result = incrementGet(params);
      else if (params.type === PDD_API.waybill) result = waybills.get(params);
      else if (params.type === GOODS_LIST_GET) result = goodsListGet(params);
      else if (params.type === GOODS_QUANTITY_UPDATE) result = quantityUpdate(params);
      else if (params.type === PDD_API.trace) result = pddOrdertraceGet(params, state.orders, pushState.shipments, now());
      else if (PUSH_TYPES.has(params.type as string)) result = handlePushApi(params.type as string, params, pushState);
      else throw new GatewayError(PDD_ERR.badParams, `unknown or unsupported type "${params.type}"`);
      const text = JSON.stringify(result);
      send(res, 200, fault === 'malformedJson' ? cutOff(text) : text);
    } catch (e) {
      if (e instanceof GatewayError) return send(res, 200, errorBody(e.code, e.subMsg));
      send(res, 200, errorBody(PDD_ERR.serverBusy, e instanceof Error ? e.message : String(e)));
    }
  }

  const { port, close } = await listenLoopback({ name: 'pdd server', port: opts.port, faults, fault: () => fault, handle, internalError: (res) => send(res, 500, errorBody(PDD_ERR.serverBusy, 'internal error')) });

  return Object.assign(
    serverHandle<Fault>(`http://127.0.0.1:${port}/api/router`, state, (f) => (fault = f), close),
    { shipments: pushState.shipments, calls, promotionLocked },
  );
}
