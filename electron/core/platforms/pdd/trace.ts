// PDD logistics traces: pdd.logistics.ordertrace.get (轨迹查询接口, "查询单个运单详情") by carrier and
// waybill, mapped to our trace events. No public source documents a trace API
// (docs/platforms/common.md#which-apis-exist); the shape here is [UNVERIFIED], from the public PDD SDK models
// (request company_code, mail_no, cache; response
// logistics_ordertrace_get_resposne — sic, PDD's own spelling — { trace_list: [{ status_time,
// status_desc, action, node_description, time, desc }] }). The call needs no shop authorisation.
import type { CarrierCode } from '../../../shared/carriers.ts';
import type { TraceStatus } from '../../tracking/status-words.ts';
import type { ParcelTrace, TraceRequest } from '../contract.ts';
import { platformError } from '../gateway.ts';
import { readStep, readSteps } from '../trace-steps.ts';
import type { PddCall } from './push.ts';
import { PDD_WP_CODES } from './waybill.ts';

export const TRACE_TYPE = 'pdd.logistics.ordertrace.get';

/**
 * trace_list[].action, "节点说明": GOT 揽件, SEND 派件, SIGN 签收, ARRIVAL 到件, DEPARTURE 发件, FAIL
 * 问题件, REJECTION 拒签, STAY_IN_WAREHOUSE 留仓, SIGN_ON_BEHALF 代收点代签, OTHER, RETURN 退件,
 * IN_CABINET 入柜/入代收点, OUT_CABINET 出柜/出代收点. OTHER falls back to the words.
 */
export const PDD_TRACE_ACTIONS: Readonly<Record<string, TraceStatus>> = {
  GOT: 'collected',
  DEPARTURE: 'in_transit',
  ARRIVAL: 'in_transit',
  SEND: 'delivering',
  IN_CABINET: 'delivering',
  SIGN: 'signed',
  SIGN_ON_BEHALF: 'signed',
  OUT_CABINET: 'signed',
  FAIL: 'exception',
  STAY_IN_WAREHOUSE: 'exception',
  REJECTION: 'returned',
  RETURN: 'returned',
};

/** The parcel's trace. PDD traces by waybill, so the answer is always about request.waybillNo. */
export async function tracePddParcel(call: PddCall, req: TraceRequest): Promise<ParcelTrace> {
  // The 快递公司编码 PDD uses for waybills names the carrier here too [UNVERIFIED]; unknown codes go as they are.
  const companyCode = PDD_WP_CODES[req.carrierCode as CarrierCode] ?? req.carrierCode;
  const body = await call(TRACE_TYPE, { company_code: companyCode, mail_no: req.waybillNo, cache: false });
  const r = body.logistics_ordertrace_get_resposne ?? body.logistics_ordertrace_get_response;
  if (typeof r !== 'object' || r === null) throw platformError(`pdd ${TRACE_TYPE}: no logistics_ordertrace_get_resposne`, { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  const events = readSteps((r as Record<string, unknown>).trace_list, (s) =>
    readStep({ time: s.status_time ?? s.time, description: s.status_desc ?? s.desc, code: s.action, site: s.node_description }, PDD_TRACE_ACTIONS),
  );
  return { waybillNo: req.waybillNo, events };
}
