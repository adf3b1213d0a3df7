// Douyin logistics traces: logistics.trackNoRouteDetail by carrier and waybill, mapped to our trace
// events. No public source documents a trace API (docs/platforms/common.md#which-apis-exist); the shape here
// is [UNVERIFIED], from the public doudian SDK model (request logistics_code — the company code of
// order.logisticsCompanyList, as for logisticsAdd — and track_no; response data { track_info { track_no,
// express }, route_node_list: [{ content, timestamp (seconds), state, state_description, site_name }] }; the
// SDK spells the list "route__node_list", both are read). The state code enum is not in the sources, so the
// state is read from state_description, then from content.
import type { CarrierCode } from '../../../shared/carriers.ts';
import type { ParcelTrace, TraceRequest } from '../contract.ts';
import { platformError } from '../gateway.ts';
import { readStep, readSteps, text } from '../trace-steps.ts';
import { DOUDIAN_COMPANY_CODES, type DoudianCaller } from './pushback.ts';

export const TRACE_METHOD = 'logistics.trackNoRouteDetail';

export async function traceDoudianParcel(call: DoudianCaller, req: TraceRequest): Promise<ParcelTrace> {
  const companyCode = DOUDIAN_COMPANY_CODES[req.carrierCode as CarrierCode];
  if (!companyCode) throw platformError(`抖店不支持的快递公司 ${req.carrierCode}`, { code: 'UNSUPPORTED_CARRIER', retryable: false, throttled: false });
  const data = await call(TRACE_METHOD, { logistics_code: companyCode, track_no: req.waybillNo });
  const nodes = data.route_node_list ?? data.route__node_list;
  const events = readSteps(nodes, (n) => readStep({ time: n.timestamp, description: n.content, stateWords: n.state_description, site: n.site_name }, {}));
  const info = data.track_info;
  const traced = typeof info === 'object' && info !== null ? text((info as Record<string, unknown>).track_no) : '';
  return { waybillNo: traced || req.waybillNo, events };
}
