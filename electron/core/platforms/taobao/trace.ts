// Logistics traces through TOP: taobao.logistics.trace.search (物流流转信息查询) by trade id, mapped to
// our trace events. platforms.md has no trace API; everything here is [UNVERIFIED], taken from the
// public TOP API model (bububa/opentaobao model/logistic TaobaoLogisticsTraceSearchAPIRequest/
// Response, TransitStepInfo): request `tid` (+ `is_split`, `sub_tid` for split shipments — not sent:
// the station traces whole-trade shipments); response logistics_trace_search_response
// { tid, out_sid, company_name, status, trace_list: { transit_step_info: [{ status_time, status_desc,
// action }] } }. TOP notes that offline-sent (offline.send) waybills are not traced.
import { parseGmt8 } from '../gmt8.ts';
import { statusFromText, type TraceStatus } from '../../tracking/status-words.ts';
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

export interface TopTraceEvent {
  at: number;
  status: TraceStatus;
  description: string;
  location: string | null;
}

export interface TopTrace {
  waybillNo: string | null;
  companyName: string | null;
  events: TopTraceEvent[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const GMT8_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** TOP wraps JSON lists as {transit_step_info: [...]}; a bare array is accepted too. */
function steps(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value) && Array.isArray(value.transit_step_info)) return value.transit_step_info as unknown[];
  return [];
}

/** The trade's trace; steps with an unreadable time or no state are skipped (a trace is advisory). */
export async function searchTopTrace(call: TopCall, tid: string): Promise<TopTrace> {
  const r = await call(TRACE_METHOD, { tid });
  const events: TopTraceEvent[] = [];
  for (const s of steps(r.trace_list)) {
    if (!isRecord(s)) continue;
    const time = str(s.status_time);
    const description = str(s.status_desc).trim();
    if (!GMT8_TEXT.test(time) || description === '') continue;
    const status = TOP_TRACE_ACTIONS[str(s.action).toUpperCase()] ?? statusFromText(description);
    if (status === null) continue;
    // TOP gives no location field; carriers put the city in 【】 at the start of the description.
    const place = /^【([^】]{1,30})】/.exec(description);
    events.push({ at: parseGmt8(time), status, description, location: place ? place[1]! : null });
  }
  return { waybillNo: str(r.out_sid) || null, companyName: str(r.company_name) || null, events };
}
