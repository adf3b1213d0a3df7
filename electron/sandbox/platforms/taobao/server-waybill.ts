// The loopback TOP gateway's Cainiao e-waybill API, cainiao.waybill.ii.get
// (docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget): checks the request the way the
// adapter must build it (cp_code, sender, ≤ 10 trade_order_info_dtos, each receiver as oaid + tid of a trade
// on this gateway or in plaintext), and answers modules[] with a new number on every call — Cainiao
// documents no idempotency for object_id, so a retry after a lost answer is issued another number, as
// the PDD and Kuaishou gateways do — and print_data that is encrypted
// (need_encrypt) or clear with a 三段码 routingInfo. Faults (5xx, throttling, expired session, timeouts) apply
// through server.ts like for every API.
import type { PlatformOrder } from '../../../shared/model.ts';
import { sandboxEncryptedPrintData, sandboxPackageCenter, sandboxSortCode, sandboxWaybillNo } from '../server-waybill-numbers.ts';
import { invalidParam, missingParam, SANDBOX_COMPANY_CODES, TopError, WAYBILL_MAX_DTOS, WAYBILL_REQUEST_PARAM } from './server-protocol.ts';

const CARRIER_BY_CP = new Map(Object.entries(SANDBOX_COMPANY_CODES).map(([carrier, cp]) => [cp, carrier]));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
/**
 * [UNVERIFIED] sub_codes: docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget lists no
 * error codes for waybill.ii.get.
 */
const refuse = (sub: string, msg: string): TopError => new TopError(15, 'Remote service error', `isv.${sub}`, msg);

/** Answer one cainiao.waybill.ii.get: `{ cainiao_waybill_ii_get_response: {...} }`. */
export function cainiaoWaybillGet(p: Record<string, string>, orders: readonly PlatformOrder[], appSecret: string, requestId: string): Record<string, unknown> {
  const raw = p[WAYBILL_REQUEST_PARAM];
  if (!raw) throw missingParam(WAYBILL_REQUEST_PARAM);
  let req: unknown;
  try {
    req = JSON.parse(raw);
  } catch {
    throw invalidParam(WAYBILL_REQUEST_PARAM, `${WAYBILL_REQUEST_PARAM} 不是合法的 JSON`);
  }
  if (!isRecord(req)) throw invalidParam(WAYBILL_REQUEST_PARAM, `${WAYBILL_REQUEST_PARAM} 必须是对象`);
  const cp = str(req.cp_code);
  if (!cp) throw missingParam('cp_code');
  const carrier = CARRIER_BY_CP.get(cp);
  if (!carrier) throw refuse('cp-code-invalid', `物流公司编码${cp}未开通电子面单`);
  const sender = isRecord(req.sender) ? req.sender : null;
  const senderAddr = sender && isRecord(sender.address) ? sender.address : null;
  if (!sender || !str(sender.name) || !(str(sender.mobile) || str(sender.phone)) || !senderAddr || !str(senderAddr.province) || !str(senderAddr.detail)) {
    throw invalidParam('sender', '发件人姓名、电话、省份和详细地址必填');
  }
  const dtos = Array.isArray(req.trade_order_info_dtos) ? req.trade_order_info_dtos : [];
  if (dtos.length === 0) throw missingParam('trade_order_info_dtos');
  if (dtos.length > WAYBILL_MAX_DTOS) throw invalidParam('trade_order_info_dtos', `trade_order_info_dtos 最多 ${WAYBILL_MAX_DTOS} 个`);
  const needEncrypt = req.need_encrypt === true;
  const modules = dtos.map((dto) => {
    if (!isRecord(dto)) throw invalidParam('trade_order_info_dtos', 'trade_order_info_dto 必须是对象');
    const objectId = str(dto.object_id);
    if (!objectId) throw missingParam('object_id');
    const r = isRecord(dto.recipient) ? dto.recipient : {};
    const addr = isRecord(r.address) ? r.address : {};
    let receiver: { name: string; mobile: string; province: string; city: string; district: string; detail: string };
    if (str(r.oaid)) {
      // Encrypted Taobao order: Cainiao decrypts it itself from oaid + tid
      // (docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget).
      const tid = str(r.tid);
      const order = orders.find((o) => o.platformOrderId === tid);
      if (!tid || !order) throw refuse('trade-not-exist', `交易${tid}不存在`);
      if (order.receiver.cipher !== str(r.oaid)) throw refuse('oaid-invalid', `oaid 与交易${tid}不匹配`);
      const rv = order.receiver;
      receiver = { name: rv.name, mobile: rv.phone, province: rv.province, city: rv.city, district: rv.district, detail: rv.address };
    } else {
      if (!str(r.name) || !(str(r.mobile) || str(r.phone)) || !str(addr.province) || !str(addr.detail)) {
        throw invalidParam('recipient', '收件人姓名、电话、省份和详细地址必填（或传 oaid + tid）');
      }
      receiver = { name: str(r.name), mobile: str(r.mobile) || str(r.phone), province: str(addr.province), city: str(addr.city), district: str(addr.district), detail: str(addr.detail) };
    }
    // The request id is new on every call: asking again for the same object_id is another number.
    const waybillCode = sandboxWaybillNo(carrier, `${objectId}|${requestId}`);
    const templateURL = str(dto.template_url);
    const centre = sandboxPackageCenter(carrier, receiver.province);
    const data = {
      waybillCode,
      cpCode: cp,
      routingInfo: { sortation: { name: sandboxSortCode(carrier, receiver.province, receiver.city, receiver.district) }, consolidation: { code: centre.code, name: centre.name } },
      recipient: { name: receiver.name, mobile: receiver.mobile, address: { province: receiver.province, city: receiver.city, district: receiver.district, detail: receiver.detail } },
      sender: { name: str(sender.name), mobile: str(sender.mobile) || str(sender.phone), address: senderAddr },
    };
    const printData = needEncrypt ? sandboxEncryptedPrintData(appSecret, data, templateURL) : { data, templateURL, signature: '' };
    return { object_id: objectId, waybill_code: waybillCode, cp_code: cp, print_data: JSON.stringify(printData) };
  });
  return { cainiao_waybill_ii_get_response: { modules: { waybill_cloud_print_response: modules }, request_id: requestId } };
}
