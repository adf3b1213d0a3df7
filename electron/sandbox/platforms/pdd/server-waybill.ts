// The loopback PDD gateway's e-waybill API, pdd.waybill.get (docs/platforms/pdd.md): checks the
// request the way PDD documents it (wp_code, sender, ≤ 10 trade_order_info_dtos, each receiver as the
// order's own ciphertexts or in plaintext) and answers modules[] with print data for the PDD print
// component, encrypted (need_encrypt) or clear with a 三段码 routingInfo. PDD promises nothing about
// asking twice for the same object_id, so every call issues new numbers: a client that loses an
// answer and asks again gets other numbers, as it may on the real platform.
// Faults (5xx, throttling, expired token, timeouts) apply through server.ts like for every API.
import { randomUUID } from 'node:crypto';
import type { PlatformOrder } from '../../../shared/model.ts';
import { sandboxEncryptedPrintData, sandboxSortCode, sandboxWaybillNo } from '../server-waybill-numbers.ts';
import { pddCipherText } from './server-order.ts';
import { PDD_CODES as PDD_ERR, PddGatewayError, SANDBOX_WP_CODES, WAYBILL_MAX_DTOS as WAYBILL_BATCH, WAYBILL_REQUEST_PARAM as WAYBILL_PARAM } from './server-protocol.ts';

const CARRIER_BY_WP = new Map(Object.entries(SANDBOX_WP_CODES).map(([carrier, wp]) => [wp, carrier]));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const bad = (msg: string): PddGatewayError => new PddGatewayError(PDD_ERR.badParams, msg);
const isCipher = (v: string): boolean => /^~.+~\d+~$/.test(v);

/** The gateway's pdd.waybill.get; numbers are unique per issue (a per-server salt and a running count). */
export function createPddWaybills(orders: () => readonly PlatformOrder[], appSecret: string): { get(p: Record<string, string>): Record<string, unknown> } {
  const salt = randomUUID();
  let issued = 0;
  return { get: (p) => pddWaybillGet(p, orders(), appSecret, () => `${salt}|${(issued += 1)}`) };
}

/** Answer one pdd.waybill.get: `{ pdd_waybill_get_response: { modules } }`. */
function pddWaybillGet(p: Record<string, string>, orders: readonly PlatformOrder[], appSecret: string, nextIssue: () => string): Record<string, unknown> {
  const raw = p[WAYBILL_PARAM];
  if (!raw) throw bad(`缺少参数 ${WAYBILL_PARAM}`);
  let req: unknown;
  try {
    req = JSON.parse(raw);
  } catch {
    throw bad(`${WAYBILL_PARAM} 不是合法的 JSON`);
  }
  if (!isRecord(req)) throw bad(`${WAYBILL_PARAM} 必须是对象`);
  const wp = str(req.wp_code);
  const carrier = CARRIER_BY_WP.get(wp);
  // [UNVERIFIED] code for a carrier the shop has no waybill subscription with; reuses the logistics refusal.
  if (!carrier) throw new PddGatewayError(PDD_ERR.badLogistics, `快递公司 ${wp || '(空)'} 未开通电子面单`);
  const sender = isRecord(req.sender) ? req.sender : null;
  const senderAddr = sender && isRecord(sender.address) ? sender.address : null;
  if (!sender || !str(sender.name) || !(str(sender.mobile) || str(sender.phone)) || !senderAddr || !str(senderAddr.province) || !str(senderAddr.detail)) {
    throw bad('发件人姓名、电话、省份和详细地址必填');
  }
  const dtos = Array.isArray(req.trade_order_info_dtos) ? req.trade_order_info_dtos : [];
  if (dtos.length === 0) throw bad('缺少参数 trade_order_info_dtos');
  if (dtos.length > WAYBILL_BATCH) throw bad(`trade_order_info_dtos 最多 ${WAYBILL_BATCH} 个`);
  const modules = dtos.map((dto) => {
    if (!isRecord(dto)) throw bad('trade_order_info_dto 必须是对象');
    const objectId = str(dto.object_id);
    if (!objectId) throw bad('缺少参数 object_id');
    const r = isRecord(dto.recipient) ? dto.recipient : {};
    const addr = isRecord(r.address) ? r.address : {};
    const name = str(r.name);
    const mobile = str(r.mobile) || str(r.phone);
    const detail = str(addr.detail);
    if (!name || !mobile || !str(addr.province) || !detail) throw bad('收件人姓名、电话、省份和详细地址必填');
    let receiver = { name, mobile, province: str(addr.province), city: str(addr.city), district: str(addr.district), detail };
    if (isCipher(name) || isCipher(mobile) || isCipher(detail)) {
      // Ciphertexts decrypt only against the order they came from (trade_order_list[0]).
      const info = isRecord(dto.order_info) ? dto.order_info : {};
      const sn = Array.isArray(info.trade_order_list) ? str(info.trade_order_list[0]) : '';
      const order = orders.find((o) => o.platformOrderId === sn);
      if (!order) throw new PddGatewayError(PDD_ERR.orderNotFound, `订单${sn}不存在`);
      const rv = order.receiver;
      const matches = pddCipherText(rv.name, appSecret) === name && pddCipherText(rv.phone, appSecret) === mobile && pddCipherText(rv.address, appSecret) === detail;
      if (!matches) throw new PddGatewayError(PDD_ERR.orderNotFound, `订单${sn}的收件人密文无法解密`);
      receiver = { name: rv.name, mobile: rv.phone, province: rv.province, city: rv.city, district: rv.district, detail: rv.address };
    }
    const waybillCode = sandboxWaybillNo(carrier, `${objectId}|${nextIssue()}`);
    const data = {
      waybillCode,
      wpCode: wp,
      routingInfo: { sortation: { name: sandboxSortCode(carrier, receiver.province, receiver.city, receiver.district) } },
      recipient: { name: receiver.name, mobile: receiver.mobile, address: { province: receiver.province, city: receiver.city, district: receiver.district, detail: receiver.detail } },
    };
    const templateUrl = str(dto.template_url);
    const printData = req.need_encrypt === true ? sandboxEncryptedPrintData(appSecret, data, templateUrl) : { data, templateURL: templateUrl, signature: '' };
    return { object_id: objectId, waybill_code: waybillCode, print_data: JSON.stringify(printData) };
  });
  return { pdd_waybill_get_response: { modules } };
}
