// The loopback TOP gateway's push-back and PII APIs: taobao.logistics.online.send (ship, with the
// already-shipped / closed / refunding refusals), taobao.trade.memo.update, taobao.trade.fullinfo.get
// (the whole trade: the sync's detail call, and a shipped trade's waybill) and taobao.top.oaid.decrypt (≤ 20 oaids;
// the plaintext receiver never leaves this side except through it). They change the gateway's live
// order array in place, so the next increment pull sees what a push did. Facts: docs/platforms/taobao.md.
import type { PlatformOrder } from '../../../shared/model.ts';
import { formatGmt8 } from '../gmt8.ts';
import { toTopTrade } from './server.ts';
import { DECRYPT_MAX_QUERIES, DECRYPT_SCENES, invalidParam, MEMO_MAX_BYTES, missingParam, QUOTED_COMPANY_CODES, SANDBOX_COMPANY_CODES, TOP_METHOD, TopError } from './server-protocol.ts';

/** What the gateway remembers of an online send (the common order has no waybill field). */
export interface TopShipment {
  companyCode: string;
  outSid: string;
  at: number;
}

export interface TopPushState {
  /** The gateway's live order array (read and replaced element-wise on every call). */
  orders(): PlatformOrder[];
  now(): number;
  shipments: Map<string, TopShipment>;
}

export const PUSH_METHODS: ReadonlySet<string> = new Set([TOP_METHOD.ship, TOP_METHOD.memo, TOP_METHOD.fullinfo, TOP_METHOD.decrypt]);

/** company_codes this gateway knows: the sandbox shop's carriers plus the two the online.send documentation quotes. */
const KNOWN_COMPANIES = new Set([...Object.values(SANDBOX_COMPANY_CODES), ...QUOTED_COMPANY_CODES]);

/**
 * Online-send refusals. docs/platforms/taobao.md#push-backs-and-decrypt: the sub_codes have the form
 * isv.logistics-online-service-error:B…, but "the exact B-codes were not found in sources" — the B-numbers
 * and texts below are [UNVERIFIED].
 */
const sendRefusal = (b: string, subMsg: string): TopError => new TopError(15, 'Remote service error', `isv.logistics-online-service-error:${b}`, subMsg);

function findTrade(state: TopPushState, tid: string | undefined): number {
  if (!tid) throw missingParam('tid');
  const i = state.orders().findIndex((o) => o.platformOrderId === tid);
  // [UNVERIFIED] sub_code for an unknown trade.
  if (i < 0) throw new TopError(15, 'Remote service error', 'isv.trade-not-exist', `交易${tid}不存在`);
  return i;
}

function ship(state: TopPushState, p: Record<string, string>): Record<string, unknown> {
  const i = findTrade(state, p.tid);
  if (!p.company_code) throw missingParam('company_code');
  if (!KNOWN_COMPANIES.has(p.company_code)) throw invalidParam('company_code', `物流公司编码${p.company_code}不存在`);
  // Without out_sid TOP waits for logistics.online.confirm (docs/platforms/taobao.md#push-backs-and-decrypt);
  // this gateway serves the one-step send only.
  if (!p.out_sid) throw invalidParam('out_sid', 'this sandbox needs out_sid (one-step online send)');
  const orders = state.orders();
  const o = orders[i] as PlatformOrder;
  if (o.status === 'shipped' || o.status === 'completed') throw sendRefusal('B04', '该订单已发货，不能重复发货');
  if (o.status === 'closed') throw sendRefusal('B27', '交易已关闭，不能发货');
  if (o.status === 'unpaid') throw sendRefusal('B01', '买家未付款，不能发货');
  if (o.platformStatus === 'PAID_FORBID_CONSIGN') throw sendRefusal('B59', '订单发货强管控中（拼团中），暂不能发货');
  if (o.afterSale === 'requested' || o.afterSale === 'in_progress') throw sendRefusal('B150', '订单退款中，不能发货');
  const at = state.now();
  orders[i] = { ...o, status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS', platformUpdatedAt: at };
  state.shipments.set(o.platformOrderId, { companyCode: p.company_code, outSid: p.out_sid, at });
  return { shipping: { is_success: true } };
}

function memo(state: TopPushState, p: Record<string, string>): Record<string, unknown> {
  const i = findTrade(state, p.tid);
  const reset = p.reset === 'true';
  if (p.memo === undefined && !reset && p.flag === undefined) throw missingParam('memo');
  if (p.memo !== undefined && Buffer.byteLength(p.memo, 'utf8') > MEMO_MAX_BYTES) throw invalidParam('memo', `备注不能超过${MEMO_MAX_BYTES}字节`);
  let flag: number | undefined;
  if (p.flag !== undefined) {
    flag = Number(p.flag);
    if (!/^\d$/.test(p.flag) || flag > 5) throw invalidParam('flag', 'flag 取值范围 0-5');
  }
  const orders = state.orders();
  const o = orders[i] as PlatformOrder;
  const at = state.now();
  orders[i] = {
    ...o,
    sellerMemo: reset ? null : (p.memo ?? o.sellerMemo),
    sellerFlag: flag === undefined ? o.sellerFlag : (flag as PlatformOrder['sellerFlag']),
    platformUpdatedAt: at,
  };
  // "其中可用字段为tid和modified" (memo.update response Trade).
  return { trade: { tid: o.platformOrderId, modified: formatGmt8(at) } };
}

/** Keep the requested fields; "orders.x" names keep the orders list with only those line fields. */
function pick(trade: Record<string, unknown>, fields: Set<string>): Record<string, unknown> {
  const lineFields = [...fields].filter((f) => f.startsWith('orders.')).map((f) => f.slice('orders.'.length));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(trade)) {
    const base = k.endsWith('_str') ? k.slice(0, -4) : k;
    if (k === 'orders' && !fields.has('orders') && lineFields.length > 0) {
      const keep = new Set([...lineFields, ...lineFields.map((f) => `${f}_str`)]);
      const lines = (v as { order: Array<Record<string, unknown>> }).order;
      out.orders = { order: lines.map((l) => Object.fromEntries(Object.entries(l).filter(([lk]) => keep.has(lk)))) };
    } else if (fields.has(k) || fields.has(base)) {
      out[k] = v;
    }
  }
  return out;
}

function fullinfo(state: TopPushState, p: Record<string, string>): Record<string, unknown> {
  if (!p.fields) throw missingParam('fields');
  const o = state.orders()[findTrade(state, p.tid)] as PlatformOrder;
  const trade = toTopTrade(o);
  const shipment = state.shipments.get(o.platformOrderId);
  if (shipment && (o.status === 'shipped' || o.status === 'completed')) {
    // A whole-order send: every line carries the waybill and the carrier (Order.invoice_no /
    // logistics_company, docs/platforms/taobao.md#reading-a-trade).
    trade.consign_time = formatGmt8(shipment.at);
    for (const line of (trade.orders as { order: Array<Record<string, unknown>> }).order) {
      line.invoice_no = shipment.outSid;
      line.logistics_company = shipment.companyCode;
      line.consign_time = formatGmt8(shipment.at);
    }
  }
  return { trade: pick(trade, new Set(p.fields.split(',').map((f) => f.trim()))) };
}

interface ReceiverQuery {
  tid: string;
  oaid: string;
  scene: string;
}

function parseQueryList(text: string | undefined): ReceiverQuery[] {
  if (!text) throw missingParam('query_list');
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw invalidParam('query_list', 'query_list 必须是 JSON 数组');
  }
  if (!Array.isArray(list) || list.length === 0) throw invalidParam('query_list', 'query_list 必须是非空 JSON 数组');
  if (list.length > DECRYPT_MAX_QUERIES) throw invalidParam('query_list', `解密请求列表，最多支持${DECRYPT_MAX_QUERIES}个`);
  return list.map((q: unknown) => {
    const r = (typeof q === 'object' && q !== null ? q : {}) as Record<string, unknown>;
    const tid = typeof r.tid === 'number' ? String(r.tid) : r.tid;
    if (typeof tid !== 'string' || tid === '' || typeof r.oaid !== 'string' || r.oaid === '') throw invalidParam('query_list', '每个 ReceiverQuery 需要 tid 和 oaid');
    const scene = String(r.scene ?? '');
    if (!DECRYPT_SCENES.includes(scene)) throw invalidParam('scene', `不支持的解密场景 ${scene}`);
    return { tid, oaid: r.oaid, scene };
  });
}

/**
 * Decrypts what the trade's current oaid stands for. An unknown tid or an oaid that is not the
 * trade's is simply missing from receiver_list [UNVERIFIED: how TOP reports a per-item failure].
 */
function decrypt(state: TopPushState, p: Record<string, string>): Record<string, unknown> {
  const receivers: Array<Record<string, unknown>> = [];
  for (const q of parseQueryList(p.query_list)) {
    const o = state.orders().find((x) => x.platformOrderId === q.tid);
    if (!o || o.receiver.cipher === null || o.receiver.cipher !== q.oaid) continue;
    const r = o.receiver;
    receivers.push({
      tid: q.tid,
      order_id: q.tid,
      oaid: q.oaid,
      name: r.name,
      mobile: r.phone,
      state: r.province,
      city: r.city,
      district: r.district,
      ...(r.town !== null ? { town: r.town } : {}),
      address_detail: r.address,
      matched: true,
      privacy_protection: false,
    });
  }
  return { receiver_list: { receiver: receivers } };
}

/** Serve one push/PII method; returns the `<method>_response` key and its body. */
export function handlePushApi(method: string, p: Record<string, string>, state: TopPushState): { key: string; body: Record<string, unknown> } {
  switch (method) {
    case TOP_METHOD.ship:
      return { key: 'logistics_online_send_response', body: ship(state, p) };
    case TOP_METHOD.memo:
      return { key: 'trade_memo_update_response', body: memo(state, p) };
    case TOP_METHOD.fullinfo:
      return { key: 'trade_fullinfo_get_response', body: fullinfo(state, p) };
    case TOP_METHOD.decrypt:
      return { key: 'top_oaid_decrypt_response', body: decrypt(state, p) };
    default:
      throw new TopError(22, 'Invalid Method');
  }
}
