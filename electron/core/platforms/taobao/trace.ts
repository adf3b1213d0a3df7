// Logistics traces through TOP: taobao.logistics.trace.search (物流流转信息查询) by trade id, mapped to
// our trace events. No public source documents a trace API (docs/platforms/common.md#which-apis-exist);
// everything here is [UNVERIFIED], taken from the public TOP API model (bububa/opentaobao model/logistic
// TaobaoLogisticsTraceSearchAPIRequest/ Response, TransitStepInfo): request `tid` (+ `is_split`, `sub_tid`
// for split shipments — not sent: the station traces whole-trade shipments); response
// logistics_trace_search_response { tid, out_sid, company_name, status, trace_list: { transit_step_info: [{
// status_time, status_desc, action }] } }. TOP notes that offline-sent (offline.send) waybills are not
// traced.
import type { TraceStatus } from '../../tracking/status-words.ts';
import type { ParcelTrace } from '../contract.ts';
import { readStep, readSteps, text } from '../trace-steps.ts';
import type { TopCall } from './push.ts';

export const TRACE_METHOD = 'taobao.logistics.trace.search';

/**
 * TransitStepInfo.action ("节点说明，指明当前节点揽收、派送，签收") → our state. The code values are
 * [UNVERIFIED] (the usual Cainiao node codes); an unknown action falls back to the description's words.
 */
export const TOP_TRACE_ACTIONS: Readonly<Record<string, TraceStatus>> = {
  GOT: 'collected',
  ACCEPT: 'collected',
  DEPARTURE: 'in_transit',
  ARRIVAL: 'in_transit',
  TRANSPORT: 'in_transit',
  SENT_SCAN: 'delivering',
  SIGNED: 'signed',
  FAILED: 'exception',
  REJECT: 'returned',
  TMS_RETURN: 'returned',
  RETURN: 'returned',
};

export interface TopTrace extends ParcelTrace {
  companyName: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** TOP wraps JSON lists as {transit_step_info: [...]}; a bare array is accepted too. */
function steps(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value) && Array.isArray(value.transit_step_info)) return value.transit_step_info as unknown[];
  return [];
}

/** The trade's trace; steps with an unreadable time or no state are skipped (a trace is advisory). */
export async function searchTopTrace(call: TopCall, tid: string): Promise<TopTrace> {
  const r = await call(TRACE_METHOD, { tid });
  // TOP gives no location field; readStep takes the city carriers put in 【】.
  const events = readSteps(steps(r.trace_list), (s) => readStep({ time: s.status_time, description: s.status_desc, code: s.action }, TOP_TRACE_ACTIONS));
  return { waybillNo: text(r.out_sid) || null, companyName: text(r.company_name) || null, events };
}
