// The loopback PDD gateway's push-back and PII APIs: pdd.logistics.online.send (with the
// already-shipped / cancelled / after-sale refusals), pdd.order.note.update, pdd.order.information.get
// (the detail call that shows a shipped order's tracking number) and pdd.open.decrypt.batch (≤ 100
// items, 1 call / 10 s per app; the plaintext receiver never leaves this side except through it).
// They change the gateway's live order array in place, so the next increment pull sees what a push
// did. Protocol facts: docs/platforms/pdd.md.
import type { PlatformOrder } from '../../../shared/model.ts';
import { pddCipherText, pddOrderPayload, pddPlainFields } from './server-order.ts';
import { DECRYPT_EVERY_MS, DECRYPT_MAX_ITEMS, PDD_API, PDD_CODES as PDD_ERR, PddGatewayError, SANDBOX_LOGISTICS_IDS } from './server-protocol.ts';

export { PddGatewayError };

/** What the gateway remembers of an online send (the common order has no waybill field). */
export interface PddShipment {
  logisticsId: number;
  trackingNumber: string;
  at: number;
}

export interface PddPushState {
  /** The gateway's live order array (read and replaced element-wise on every call). */
  orders(): PlatformOrder[];
  now(): number;
  appSecret: string;
  shipments: Map<string, PddShipment>;
  /** When the app's last decrypt.batch call was let through (the 1 / 10 s limit). */
  lastDecryptAt: number | null;
}

export const PUSH_TYPES: ReadonlySet<string> = new Set([PDD_API.ship, PDD_API.note, PDD_API.detail, PDD_API.decrypt]);

const KNOWN_LOGISTICS = new Set(Object.values(SANDBOX_LOGISTICS_IDS));
/** [UNVERIFIED] note length limit; PDD documents none in the sources at hand. */
const NOTE_MAX_CHARS = 500;

const bad = (msg: string): PddGatewayError => new PddGatewayError(PDD_ERR.badParams, msg);

function required(p: Record<string, string>, key: string): string {
  const v = p[key];
  if (v === undefined || v === '') throw bad(`缺少参数 ${key}`);
  return v;
}

function findOrder(state: PddPushState, sn: string): number {
  const i = state.orders().findIndex((o) => o.platformOrderId === sn);
  if (i < 0) throw new PddGatewayError(PDD_ERR.orderNotFound, `订单${sn}不存在`);
  return i;
}

function ship(state: PddPushState, p: Record<string, string>): unknown {
  const sn = required(p, 'order_sn');
  const idText = required(p, 'logistics_id');
  const tracking = required(p, 'tracking_number');
  if (!/^\d+$/.test(idText) || !KNOWN_LOGISTICS.has(Number(idText))) throw new PddGatewayError(PDD_ERR.badLogistics, `快递公司编号${idText}不存在`);
  if (!/^[A-Za-z0-9-]{4,40}$/.test(tracking)) throw new PddGatewayError(PDD_ERR.badLogistics, '快递单号格式不正确');
  const i = findOrder(state, sn);
  const orders = state.orders();
  const o = orders[i] as PlatformOrder;
  // Refusal texts and codes are [UNVERIFIED] (docs/platforms/pdd.md); redelivery_type=2 (change a sent waybill) is not served.
  if (o.status === 'shipped' || o.status === 'completed') throw new PddGatewayError(PDD_ERR.orderShipped, '订单已发货，请勿重复发货');
  if (o.status === 'closed') throw new PddGatewayError(PDD_ERR.orderNotShippable, '订单已取消，不能发货');
  if (o.status === 'unpaid') throw new PddGatewayError(PDD_ERR.orderNotShippable, '订单未成交，不能发货');
  if (o.afterSale === 'requested' || o.afterSale === 'in_progress') throw new PddGatewayError(PDD_ERR.orderNotShippable, '订单售后处理中，不能发货');
  const at = state.now();
  orders[i] = { ...o, status: 'shipped', platformStatus: 'order_status=2,confirm_status=1', platformUpdatedAt: at };
  state.shipments.set(sn, { logisticsId: Number(idText), trackingNumber: tracking, at });
  return { logistics_online_send_response: { is_success: true } };
}

function note(state: PddPushState, p: Record<string, string>): unknown {
  const sn = required(p, 'order_sn');
  const text = p.note ?? '';
  if ([...text].length > NOTE_MAX_CHARS) throw bad(`备注不能超过${NOTE_MAX_CHARS}个字`);
  // "tag与tag_name关联，都入参或都不入参" (docs/platforms/pdd.md).
  if ((p.tag === undefined) !== (p.tag_name === undefined)) throw bad('tag 与 tag_name 需同时传入或同时不传');
  let tag: PlatformOrder['sellerFlag'] = 0;
  if (p.tag !== undefined) {
    if (!/^[1-5]$/.test(p.tag)) throw bad('tag 取值 1-5');
    if ([...(p.tag_name as string)].length > 3) throw bad('tag_name 长度最大为3个字符');
    tag = Number(p.tag) as PlatformOrder['sellerFlag'];
  }
  const orders = state.orders();
  const i = orders.findIndex((o) => o.platformOrderId === sn);
  // The note API answers its own failures inside `response` (pdd-node-sdk PddOrderNoteUpdate).
  if (i < 0) return { response: { success: false, error_code: PDD_ERR.orderNotFound, error_msg: `订单${sn}不存在` } };
  const o = orders[i] as PlatformOrder;
  orders[i] = { ...o, sellerMemo: text === '' ? null : text, sellerFlag: tag, platformUpdatedAt: state.now() };
  return { response: { success: true, error_code: 0, error_msg: '' } };
}

function detail(state: PddPushState, p: Record<string, string>): unknown {
  const o = state.orders()[findOrder(state, required(p, 'order_sn'))] as PlatformOrder;
  if (o.status === 'unpaid') throw new PddGatewayError(PDD_ERR.orderNotFound, `订单${o.platformOrderId}不存在`);
  const shipment = state.shipments.get(o.platformOrderId);
  const shipped = shipment !== undefined && (o.status === 'shipped' || o.status === 'completed');
  return {
    order_info_get_response: {
      order_info: {
        ...pddOrderPayload(o, state.appSecret),
        // information.get's tracking_number / logistics_id (docs/platforms/pdd.md); empty until the order is sent.
        tracking_number: shipped ? shipment.trackingNumber : '',
        logistics_id: shipped ? shipment.logisticsId : 0,
      },
    },
  };
}

interface DataItem {
  data_tag: string;
  encrypted_data: string;
}

function parseDataList(text: string | undefined): DataItem[] {
  if (text === undefined || text === '') throw bad('缺少参数 data_list');
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw bad('data_list 必须是 JSON 数组');
  }
  if (!Array.isArray(list) || list.length === 0) throw bad('data_list 必须是非空数组');
  if (list.length > DECRYPT_MAX_ITEMS) throw bad(`data_list 列表大小不超过${DECRYPT_MAX_ITEMS}`);
  return list.map((x: unknown) => {
    const r = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
    if (typeof r.data_tag !== 'string' || typeof r.encrypted_data !== 'string') throw bad('data_list 的每一项需要 data_tag 和 encrypted_data');
    return { data_tag: r.data_tag, encrypted_data: r.encrypted_data };
  });
}

/**
 * Decrypt by recomputing each field's ciphertext from the order named by data_tag: a match gives the
 * plaintext and its data_type (5 收件人, 6 手机号, 8 详细地址 — the SDK's enum); anything else (an
 * unknown order, a ciphertext from before an address change) is that item's error, not the call's.
 */
function decrypt(state: PddPushState, p: Record<string, string>): unknown {
  const items = parseDataList(p.data_list);
  const now = state.now();
  if (state.lastDecryptAt !== null && now - state.lastDecryptAt < DECRYPT_EVERY_MS) {
    throw new PddGatewayError(PDD_ERR.throttled, '接口调用频率超限：pdd.open.decrypt.batch 每10秒1次');
  }
  state.lastDecryptAt = now;
  const data_decrypt_list = items.map((item) => {
    const o = state.orders().find((x) => x.platformOrderId === item.data_tag);
    const hit = (o ? pddPlainFields(o) : []).find((f) => pddCipherText(f.plain, state.appSecret) === item.encrypted_data);
    const base = { data_tag: item.data_tag, encrypted_data: item.encrypted_data, virtual_number_type: 0, virtual_identify_number: '' };
    return hit
      ? { ...base, data_type: hit.dataType, decrypted_data: hit.plain, error_code: 0, error_msg: '' }
      : { ...base, data_type: 0, decrypted_data: '', error_code: PDD_ERR.decryptFailed, error_msg: '密文无法解密' };
  });
  return { open_decrypt_batch_response: { data_decrypt_list } };
}

/** Serve one push/PII API; returns the whole success body. */
export function handlePushApi(type: string, p: Record<string, string>, state: PddPushState): unknown {
  switch (type) {
    case PDD_API.ship:
      return ship(state, p);
    case PDD_API.note:
      return note(state, p);
    case PDD_API.detail:
      return detail(state, p);
    case PDD_API.decrypt:
      return decrypt(state, p);
    default:
      throw bad(`unknown or unsupported type "${type}"`);
  }
}
