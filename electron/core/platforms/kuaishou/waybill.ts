// Kuaishou e-waybills (电子面单取号): open.express.ebill.get, ≤ 10 requests per call. The sources
// (docs/platforms/kuaishou.md#waybill-idempotency) name the API only; the request below follows the public
// Kuaishou SDK model (GetEbillOrderRequest: expressCompanyCode, packageCode, tradeOrderCode, orderChannel,
// receiver/sender Contract + AddressDTO, itemList, totalPackageQuantity, requestId, templateUrl, netSiteCode,
// settleAccount, extData) and is [UNVERIFIED] against the live platform. That SDK copy says the same
// packageCode under one order returns the same number and that requestId is used for idempotency; the
// project's notes do not record either, so nothing relies on them (a retry after a lost answer stores
// whatever number comes back, docs/platforms/kuaishou.md) — the package id goes as both anyway, which costs
// nothing if the promise holds. A Kuaishou order's receiver goes as the order's own ciphertexts
// ("支持使用快手订单收货地址密文取号"). The answer is read as data[] per request, each with its own data[] of waybills
// (data[i].data[0].waybillCode, as public callers read it); printData and the per-request error fields
// (errorMsg / message) are [UNVERIFIED] names.
import type { CarrierCode } from '../../../shared/carriers.ts';
import type { WaybillRequest, WaybillResult } from '../contract.ts';
import { allocateInCalls } from '../waybill-calls.ts';
import { receiverCipher } from '../receiver-cipher.ts';
import { ksBusinessRefusal, type KsCaller } from './pushback.ts';

export const EBILL_GET = 'open.express.ebill.get';
/** "支持批量取号（一次最多取10个）". */
export const EBILL_BATCH = 10;

/** expressCompanyCode per carrier: "SF" is sourced; the rest follow the common codes [UNVERIFIED]. */
export const KS_EBILL_CODES: Readonly<Record<CarrierCode, string>> = {
  ZTO: 'ZTO',
  YTO: 'YTO',
  STO: 'STO',
  YUNDA: 'YUNDA',
  JTSD: 'JT',
  SF: 'SF',
  EMS: 'EMS',
  POSTB: 'POSTB',
  JD: 'JD',
  DBL: 'DBKD',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** One GetEbillOrderRequest. Account options: templateUrl, netSiteCode/netSiteName (加盟), settleAccount (客户编码), extData, expressProductCode. */
export function ebillRequest(r: WaybillRequest): Record<string, unknown> {
  const enc = receiverCipher(r.receiver.cipher, { complete: true });
  const s = r.sender;
  const o = r.options;
  return {
    requestId: r.packageId,
    packageCode: r.packageId,
    tradeOrderCode: r.platformOrderId,
    orderChannel: 'KUAI_SHOU',
    expressCompanyCode: KS_EBILL_CODES[r.carrierCode],
    totalPackageQuantity: 1,
    itemList: r.items.map((i) => ({ itemTitle: i.name, itemQuantity: i.count })),
    receiverContract: { name: enc?.name ?? r.receiver.name, mobile: enc?.phone ?? r.receiver.phone },
    receiverAddress: {
      countryCode: 'CHN',
      provinceName: r.receiver.province,
      cityName: r.receiver.city,
      districtName: r.receiver.district,
      streetName: r.receiver.town ?? '',
      detailAddress: enc?.address ?? r.receiver.address,
    },
    senderContract: { name: s.name, mobile: s.mobile },
    senderAddress: { countryCode: 'CHN', provinceName: s.province, cityName: s.city, districtName: s.district, detailAddress: s.address },
    ...(o.templateUrl ? { templateUrl: o.templateUrl } : {}),
    ...(o.netSiteCode ? { netSiteCode: o.netSiteCode, netSiteName: o.netSiteName ?? o.netSiteCode } : {}),
    ...(o.settleAccount ? { settleAccount: o.settleAccount } : {}),
    ...(o.extData ? { extData: o.extData } : {}),
    ...(o.productType ? { expressProductCode: o.productType } : {}),
  };
}

async function callChunk(call: KsCaller, chunk: WaybillRequest[]): Promise<WaybillResult[]> {
  const body = await call(EBILL_GET, { getEbillOrderRequest: chunk.map(ebillRequest) }, 'POST');
  const answers = Array.isArray(body.data) ? body.data.filter(isRecord) : [];
  // Matched by requestId (our package id). Only a full answer without any requestId is matched by
  // position: were one entry missing, every later number would land on the wrong package.
  const byRequest = new Map(answers.filter((a) => str(a.requestId)).map((a) => [str(a.requestId), a]));
  const positional = answers.length === chunk.length && answers.every((a) => !str(a.requestId));
  return chunk.map((req, i): WaybillResult => {
    let a = byRequest.get(req.packageId) ?? (positional ? answers[i] : undefined);
    // An answer that names another package is not this one's.
    if (a && str(a.packageCode) && str(a.packageCode) !== req.packageId) a = undefined;
    const bill = a && Array.isArray(a.data) ? a.data.find(isRecord) : undefined;
    const waybillNo = bill ? str(bill.waybillCode) : '';
    if (bill && waybillNo) {
      const printData = bill.printData === undefined || bill.printData === null ? null : typeof bill.printData === 'string' ? bill.printData : JSON.stringify(bill.printData);
      return { kind: 'allocated', packageId: req.packageId, waybillNo, routing: { sortCode: str(bill.sortCode) || null }, printData };
    }
    const reason = a ? `${str(a.errorCode)} ${str(a.errorMsg) || str(a.message)}`.trim() : '';
    return { kind: 'refused', packageId: req.packageId, reason: reason || 'kuaishou returned no waybillCode for this package' };
  });
}

/**
 * Allocate through open.express.ebill.get, 10 per call (waybill-calls.ts). Refusals come per request;
 * a whole call refused for its content is asked again a package at a time. Transport/throttle/auth
 * errors throw.
 */
export function allocateKsWaybills(call: KsCaller, requests: WaybillRequest[]): Promise<WaybillResult[]> {
  return allocateInCalls(requests, { batch: EBILL_BATCH, call: (chunk) => callChunk(call, chunk), refusal: ksBusinessRefusal });
}
