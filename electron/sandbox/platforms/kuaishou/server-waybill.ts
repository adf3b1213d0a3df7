// The loopback Kuaishou gateway's open.express.ebill.get ([UNVERIFIED] shape, docs/platforms/kuaishou.md):
// checks each GetEbillOrderRequest the way the public SDK describes it (a known expressCompanyCode,
// packageCode, sender and receiver complete, at most 10 per call) and answers data[] per request — a
// new number on every call, plus encrypted print data for the Kuaishou print component — or that
// request's refusal: a receiver given as ciphertexts must be the order's own. The project's notes
// record no idempotency for ebill.get, so the sandbox grants none and nothing may rely on one.
import type { PlatformOrder } from '../../../shared/model.ts';
import { sandboxEncryptedPrintData, sandboxSortCode, sandboxWaybillNo } from '../server-waybill-numbers.ts';
import { randomUUID } from 'node:crypto';
import { ksCipherText as encrypt } from './server-order.ts';
import { EBILL_MAX_REQUESTS as EBILL_BATCH, KS_CODES as KS_ERR, KS_METHOD, SANDBOX_EBILL_CODES } from './server-protocol.ts';
import { bad, param } from './server-actions.ts';

const CARRIER_BY_CODE = new Map(Object.entries(SANDBOX_EBILL_CODES).map(([carrier, code]) => [code, carrier]));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** One request's answer: its waybill, or its refusal. */
function answer(req: Record<string, unknown>, orders: readonly PlatformOrder[], secret: string, nextIssue: () => string): Record<string, unknown> {
  const requestId = str(req.requestId);
  const refuse = (errorMsg: string) => ({ requestId, errorCode: 'EBILL_REFUSED', errorMsg, data: [] });
  const carrier = CARRIER_BY_CODE.get(str(req.expressCompanyCode));
  if (!carrier) return refuse(`快递公司 ${str(req.expressCompanyCode) || '(空)'} 未开通电子面单`);
  const packageCode = str(req.packageCode);
  const orderId = str(req.tradeOrderCode);
  if (!packageCode || !orderId) return refuse('packageCode 和 tradeOrderCode 必填');
  const rc = isRecord(req.receiverContract) ? req.receiverContract : {};
  const ra = isRecord(req.receiverAddress) ? req.receiverAddress : {};
  const sc = isRecord(req.senderContract) ? req.senderContract : {};
  const sa = isRecord(req.senderAddress) ? req.senderAddress : {};
  if (!str(sc.name) || !str(sc.mobile) || !str(sa.provinceName) || !str(sa.detailAddress)) return refuse('发件人姓名、电话、省份和详细地址必填');
  const name = str(rc.name);
  const mobile = str(rc.mobile);
  const detail = str(ra.detailAddress);
  if (!name || !mobile || !str(ra.provinceName) || !detail) return refuse('收件人姓名、电话、省份和详细地址必填');
  const order = orders.find((o) => o.platformOrderId === orderId);
  // A Kuaishou order's receiver comes as its ciphertexts, which decrypt only against that order.
  if (order && str(req.orderChannel) === 'KUAI_SHOU') {
    const r = order.receiver;
    const own = name === encrypt(r.name, secret) && mobile === encrypt(r.phone, secret) && detail === encrypt(r.address, secret);
    if (!own) return refuse('收件人密文与订单不匹配');
  }
  const province = str(ra.provinceName);
  const city = str(ra.cityName);
  const district = str(ra.districtName);
  const waybillCode = sandboxWaybillNo(carrier, `ks|${orderId}|${packageCode}|${nextIssue()}`);
  const sortCode = sandboxSortCode(carrier, province, city, district);
  const printData = sandboxEncryptedPrintData(secret, { waybillCode, sortCode, receiver: { province, city, district } }, str(req.templateUrl) || `https://sandbox.kwaixiaodian.example/template/${carrier}`);
  return { requestId, data: [{ waybillCode, printData: JSON.stringify(printData) }] };
}

/** Answer one open.express.ebill.get: `{ result: 1, data: [...] }`, one entry per request. */
function ksEbillGet(p: Record<string, unknown>, orders: readonly PlatformOrder[], secret: string, nextIssue: () => string): Record<string, unknown> {
  const list = p.getEbillOrderRequest;
  if (!Array.isArray(list) || list.length === 0) throw bad('getEbillOrderRequest无效');
  if (list.length > EBILL_BATCH) throw bad(`getEbillOrderRequest无效: 每次最多${EBILL_BATCH}个`);
  const ids = list.map((r) => (isRecord(r) ? str(r.requestId) : ''));
  if (ids.some((id) => id !== '' && ids.indexOf(id) !== ids.lastIndexOf(id))) throw bad('requestId 不能重复');
  return { result: KS_ERR.ok, error_msg: 'SUCCESS', data: list.map((r) => (isRecord(r) ? answer(r, orders, secret, nextIssue) : { requestId: '', errorCode: 'EBILL_REFUSED', errorMsg: '请求项必须是对象', data: [] })) };
}

/** The gateway's waybill API, by method, beside createKsActions' handlers (server.ts looks in both). */
export function createKsWaybillHandlers(orders: () => readonly PlatformOrder[], secret: string): Record<string, { http: 'POST'; run: (params: Record<string, string>) => unknown }> {
  // Numbers unique per issue: a per-server salt and a running count.
  const salt = randomUUID();
  let issued = 0;
  const nextIssue = () => `${salt}|${(issued += 1)}`;
  return { [KS_METHOD.ebillGet]: { http: 'POST', run: (params) => ksEbillGet(param(params), orders(), secret, nextIssue) } };
}
