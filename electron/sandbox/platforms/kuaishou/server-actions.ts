// The loopback Kuaishou gateway's write, detail and decrypt APIs: goods.deliver ships an order of the
// mutable `orders` array and remembers carrier + waybill (the same waybill again is idempotent
// success, another is "already delivered"), note.add sets memo + flag, open.order.detail shows the
// waybill, decrypt.batch returns the plaintext held server-side within a batch size and a call rate.
// Codes and field names are docs/platforms/kuaishou.md's and, like its notes, largely [UNVERIFIED].
import type { PlatformOrder, SellerFlag } from '../../../shared/model.ts';
import { ksCipherText as encrypt, ksOrderPayload } from './server-order.ts';
import { DECRYPT_MAX_ITEMS as KS_DECRYPT_BATCH, KS_CODES as KS_ERR, KS_METHOD, KS_SUBCODES as KS_BIZ, NOTE_MAX as KS_NOTE_MAX, SANDBOX_EXPRESS_CODES } from './server-protocol.ts';

/** A refusal in Kuaishou's error-body terms; server.ts renders it. */
export class KsFault extends Error {
  constructor(
    readonly code: number,
    readonly subMsg: string,
    readonly subCode: string = String(code),
  ) {
    super(subMsg);
  }
}

/**
 * Decrypt calls allowed per rolling second: this sandbox's choice (Kuaishou's quota is [UNVERIFIED]),
 * counted on the wall clock, not the server's `now` (tests freeze that).
 */
export const DECRYPT_CALLS_PER_SECOND = 5;

export interface Shipment {
  expressCode: number;
  expressNo: string;
  shippedAt: number;
}

const biz = (subCode: string, msg: string): KsFault => new KsFault(KS_ERR.business, msg, subCode);
/** A request the gateway refuses as malformed (参数错误). */
export const bad = (msg: string): KsFault => new KsFault(KS_ERR.badParams, msg);
const KNOWN_EXPRESS = new Set(Object.values(SANDBOX_EXPRESS_CODES));
/** note.add `flag` 0–5 → the seller flag it shows as (orderBaseInfo.flagTagCode, the same numbering). */
const FLAG_BACK = new Map<number, SellerFlag>([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
const EXPRESS_NO = /^[A-Za-z0-9]{8,32}$/; // real per-carrier rules are stricter [UNVERIFIED]

/** The business params: the `param` JSON of the query or form. */
export function param(params: Record<string, string>): Record<string, unknown> {
  try {
    const p: unknown = JSON.parse(params.param ?? '{}');
    if (typeof p === 'object' && p !== null && !Array.isArray(p)) return p as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw bad('param is not a JSON object');
}

const idText = (v: unknown, key: string): string => {
  if ((typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^\d+$/.test(v))) return String(v);
  throw bad(`${key}无效`);
};

export function createKsActions(state: { orders: PlatformOrder[] }, now: () => number, secret: string) {
  const shipments = new Map<string, Shipment>();
  const decryptCalls: number[] = [];

  function find(id: string): { index: number; order: PlatformOrder } {
    const index = state.orders.findIndex((o) => o.platformOrderId === id);
    const order = state.orders[index];
    if (index < 0 || !order) throw biz(KS_BIZ.notFound, '订单不存在');
    return { index, order };
  }

  function deliver(params: Record<string, string>): unknown {
    const p = param(params);
    const id = idText(p.orderId, 'orderId');
    const expressNo = typeof p.expressNo === 'string' ? p.expressNo : '';
    const expressCode = Number(p.expressCode);
    const { index, order } = find(id);
    const earlier = shipments.get(id);
    // Same waybill again: idempotent success, as Kuaishou documents for goods.deliver.
    if (earlier && earlier.expressNo === expressNo && earlier.expressCode === expressCode) return { result: KS_ERR.ok, error_msg: 'SUCCESS' };
    if (order.status === 'shipped') throw biz(KS_BIZ.alreadyDelivered, '订单已发货，不能重复发货');
    if (order.status === 'completed') throw biz(KS_BIZ.orderFinished, '订单已完成');
    if (order.status === 'closed') throw biz(KS_BIZ.orderClosed, '订单已关闭');
    if (order.status === 'unpaid') throw biz(KS_BIZ.notPaid, '订单未付款');
    if (order.afterSale === 'requested' || order.afterSale === 'in_progress') throw biz(KS_BIZ.refunding, '订单存在进行中的退款，不能发货');
    if (order.afterSale === 'refunded') throw biz(KS_BIZ.refunding, '订单已退款，不能发货');
    if (!KNOWN_EXPRESS.has(expressCode)) throw biz(KS_BIZ.badExpressCode, '快递公司编码无效');
    if (!EXPRESS_NO.test(expressNo)) throw biz(KS_BIZ.badExpressNo, '快递单号格式错误');
    const at = now();
    shipments.set(id, { expressCode, expressNo, shippedAt: at });
    state.orders[index] = { ...order, status: 'shipped', platformUpdatedAt: at };
    return { result: KS_ERR.ok, error_msg: 'SUCCESS' };
  }

  function noteAdd(params: Record<string, string>): unknown {
    const p = param(params);
    const { index, order } = find(idText(p.orderId, 'orderId'));
    const note = typeof p.note === 'string' ? p.note : '';
    if ([...note].length > KS_NOTE_MAX) throw biz(KS_BIZ.noteTooLong, `备注不能超过${KS_NOTE_MAX}字`);
    let flag = order.sellerFlag;
    if (p.flag !== undefined && p.flag !== null) {
      const f = FLAG_BACK.get(Number(p.flag));
      if (f === undefined) throw bad('flag无效');
      flag = f;
    }
    state.orders[index] = { ...order, sellerMemo: note === '' ? null : note, sellerFlag: flag, platformUpdatedAt: now() };
    return { result: KS_ERR.ok, error_msg: 'SUCCESS' };
  }

  function detail(params: Record<string, string>): unknown {
    const { order } = find(idText(param(params).oid, 'oid'));
    const s = shipments.get(order.platformOrderId);
    return {
      result: KS_ERR.ok,
      error_msg: 'SUCCESS',
      data: { ...ksOrderPayload(order, secret), logisticsInfo: s ? [{ expressCode: s.expressCode, expressNo: s.expressNo }] : [] },
    };
  }

  function decrypt(params: Record<string, string>): unknown {
    const list = param(params).batchDecryptList;
    if (!Array.isArray(list) || list.length === 0) throw bad('batchDecryptList无效');
    if (list.length > KS_DECRYPT_BATCH) throw bad(`batchDecryptList无效: 每次最多${KS_DECRYPT_BATCH}条`);
    const wall = Date.now();
    while (decryptCalls.length > 0 && (decryptCalls[0] as number) <= wall - 1000) decryptCalls.shift();
    if (decryptCalls.length >= DECRYPT_CALLS_PER_SECOND) throw new KsFault(KS_ERR.throttled, '解密调用频率超限，请稍后再试');
    decryptCalls.push(wall);
    const decryptList = list.map((raw: unknown) => {
      const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const bizId = String(item.bizId ?? '');
      const encryptedData = String(item.encryptedData ?? '');
      const o = state.orders.find((x) => x.platformOrderId === bizId);
      // The sandbox's ciphertext is a keyed hash, so decrypting is finding the receiver field it hashes.
      const hit = o ? [o.receiver.name, o.receiver.phone, o.receiver.address].find((plain) => encrypt(plain, secret) === encryptedData) : undefined;
      return hit === undefined
        ? { bizId, encryptedData, decryptedData: '', errorCode: 1001, errorMsg: o ? '密文与订单不匹配' : '订单不存在' }
        : { bizId, encryptedData, decryptedData: hit, errorCode: 0, errorMsg: '' };
    });
    return { result: KS_ERR.ok, error_msg: 'SUCCESS', data: { decryptList } };
  }

  /** Method → its HTTP method (docs/platforms/kuaishou.md: deliver, note.add and decrypt.batch are POST; detail is GET) and handler. */
  const handlers: Record<string, { http: 'GET' | 'POST'; run: (params: Record<string, string>) => unknown }> = {
    [KS_METHOD.deliver]: { http: 'POST', run: deliver },
    [KS_METHOD.noteAdd]: { http: 'POST', run: noteAdd },
    [KS_METHOD.detail]: { http: 'GET', run: detail },
    [KS_METHOD.decrypt]: { http: 'POST', run: decrypt },
  };
  return { handlers, shipments: shipments as ReadonlyMap<string, Shipment> };
}
