// The loopback doudian server's e-waybill API, logistics.newCreateOrder (docs/platforms/douyin.md): checks
// the request the way the adapter must build it (logistics_code, sender_info, order_infos with
// order_id + pack_id, each receiver as the order's own ciphertexts or in plaintext) and answers
// ebill_infos[] with a number that is a pure function of (carrier, order_id, pack_id) — Douyin
// documents that re-requesting the same order_id + pack_id returns the old number and a new pack_id
// gets a new one, the one waybill idempotency any of the five platforms documents — plus sort code,
// 集包地 and 大头笔; per-order refusals (order missing, cancelled) go to err_infos[]. No print data,
// as on doudian. Faults (5xx, throttling, expired token, timeouts) apply through server.ts.
import type { PlatformOrder } from '../../../shared/model.ts';
import { sandboxPackageCenter, sandboxSortCode, sandboxWaybillNo } from '../server-waybill-numbers.ts';
import { doudianCipherText as encrypt } from './server-order.ts';
import { DOUDIAN_CODES as DOUDIAN_ERR, DOUDIAN_METHOD, DoudianFault, SANDBOX_COMPANY_CODES } from './server-protocol.ts';

/** order_infos per call: no source gives a limit; the sandbox takes up to 10, as the station sends. */
const WAYBILL_BATCH = 10;

const CARRIER_BY_CODE = new Map(Object.entries(SANDBOX_COMPANY_CODES).map(([carrier, code]) => [code, carrier]));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const badParam = (msg: string): DoudianFault => new DoudianFault(DOUDIAN_ERR.badParam, 'isv.parameter-invalid', msg);
const isCipher = (v: string): boolean => /^#.+##$/.test(v);

/** The handler server.ts dispatches `logistics.newCreateOrder` to; returns the envelope's data. */
export function createWaybillHandlers(orders: () => readonly PlatformOrder[], secret: string): Record<string, (param: Record<string, unknown>) => unknown> {
  function newCreateOrder(param: Record<string, unknown>): unknown {
    const code = str(param.logistics_code);
    if (!code) throw new DoudianFault(DOUDIAN_ERR.missingParam, 'isv.missing-parameter:logistics_code', '缺少必选参数 logistics_code');
    const carrier = CARRIER_BY_CODE.get(code);
    // [UNVERIFIED] sub_code for a carrier without a waybill subscription; 60018 is "不支持该物流公司" (docs/platforms/douyin.md).
    if (!carrier) throw new DoudianFault(DOUDIAN_ERR.business, 'isv.business-failed:60018', '不支持该物流公司');
    const sender = isRecord(param.sender_info) ? param.sender_info : {};
    const sAddr = isRecord(sender.address) ? sender.address : {};
    const sContact = isRecord(sender.contact) ? sender.contact : {};
    if (!str(sContact.name) || !str(sContact.mobile) || !str(sAddr.province_name) || !str(sAddr.detail_address)) {
      throw badParam('sender_info 的姓名、电话、省份和详细地址必填');
    }
    const infos = Array.isArray(param.order_infos) ? param.order_infos : [];
    if (infos.length === 0) throw new DoudianFault(DOUDIAN_ERR.missingParam, 'isv.missing-parameter:order_infos', '缺少必选参数 order_infos');
    if (infos.length > WAYBILL_BATCH) throw badParam(`order_infos 最多 ${WAYBILL_BATCH} 个`);
    const ebill: unknown[] = [];
    const errs: unknown[] = [];
    for (const info of infos) {
      if (!isRecord(info)) throw badParam('order_info 必须是对象');
      const orderId = str(info.order_id);
      const packId = str(info.pack_id);
      if (!orderId || !packId) throw badParam('order_id 和 pack_id 必填');
      const fail = (errCode: string, errMsg: string) => errs.push({ order_id: orderId, pack_id: packId, err_code: errCode, err_msg: errMsg });
      const order = orders().find((o) => o.platformOrderId === orderId);
      if (!order) {
        fail('60033', '订单不存在');
        continue;
      }
      if (order.status === 'closed') {
        fail('60021', '订单已取消');
        continue;
      }
      const rInfo = isRecord(info.receiver_info) ? info.receiver_info : {};
      const addr = isRecord(rInfo.address) ? rInfo.address : {};
      const contact = isRecord(rInfo.contact) ? rInfo.contact : {};
      const name = str(contact.name);
      const mobile = str(contact.mobile);
      const detail = str(addr.detail_address);
      if (!name || !mobile || !detail) {
        fail('40004', '收件人姓名、电话和详细地址必填');
        continue;
      }
      const rv = order.receiver;
      if ([name, mobile, detail].some(isCipher) && !(encrypt(rv.name, secret) === name && encrypt(rv.phone, secret) === mobile && encrypt(rv.address, secret) === detail)) {
        fail('60101', '收件人密文与订单不匹配');
        continue;
      }
      const centre = sandboxPackageCenter(carrier, rv.province);
      const city = rv.city.replace(/市$/u, '');
      ebill.push({
        order_id: orderId,
        pack_id: packId,
        track_no: sandboxWaybillNo(carrier, `${orderId}|${packId}`),
        sort_code: sandboxSortCode(carrier, rv.province, rv.city, rv.district),
        package_center_code: centre.code,
        package_center_name: centre.name,
        short_address_code: centre.code,
        short_address_name: `${city} ${centre.code}`,
        company: code,
        sub_waybill_codes: '',
        extra_resp: '',
      });
    }
    return { ebill_infos: ebill, err_infos: errs };
  }
  return { [DOUDIAN_METHOD.newCreateOrder]: newCreateOrder };
}
