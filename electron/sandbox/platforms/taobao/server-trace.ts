// The loopback TOP gateway's taobao.logistics.trace.search ([UNVERIFIED] shape: the public TOP API
// model's request `tid` and response { tid, out_sid, company_name, status, trace_list.transit_step_info[] }): for a
// trade the gateway shipped (online.send), the scripted route of server-trace-route.ts as TOP words it.
import type { PlatformOrder } from '../../../shared/model.ts';
import { formatGmt8 } from '../gmt8.ts';
import { routeSoFar, type RouteStep } from '../server-trace-route.ts';
import type { TopShipment } from './server-push.ts';
import { missingParam, TopError } from './server-protocol.ts';

/** [UNVERIFIED] sub_codes: no public source lists trace.search's errors. */
const refuse = (sub: string, msg: string): TopError => new TopError(15, 'Remote service error', `isv.${sub}`, msg);

/** Our route steps as TOP's TransitStepInfo.action codes (the usual Cainiao node codes, [UNVERIFIED]). */
const ACTIONS: Record<RouteStep, string> = {
  collected: 'GOT',
  departed: 'DEPARTURE',
  arrived: 'ARRIVAL',
  delivering: 'SENT_SCAN',
  signed: 'SIGNED',
  signed_at_locker: 'SIGNED',
};

/** Answer one taobao.logistics.trace.search: `{ logistics_trace_search_response: {...} }`. */
export function logisticsTraceSearch(
  p: Record<string, string>,
  orders: readonly PlatformOrder[],
  shipments: ReadonlyMap<string, TopShipment>,
  now: number,
  requestId: string,
): Record<string, unknown> {
  const tid = p.tid;
  if (!tid) throw missingParam('tid');
  const order = orders.find((o) => o.platformOrderId === tid);
  if (!order) throw refuse('trade-not-exist', `交易${tid}不存在`);
  const shipment = shipments.get(tid);
  if (!shipment) throw refuse('logistics-not-consigned', `交易${tid}尚未发货，没有物流信息`);
  const trace = routeSoFar(tid, order.receiver.city || order.receiver.province, shipment.at, now).map((n) => ({
    status_time: formatGmt8(n.at),
    status_desc: n.description,
    action: ACTIONS[n.step],
  }));
  const last = trace[trace.length - 1];
  return {
    logistics_trace_search_response: {
      tid,
      out_sid: shipment.outSid,
      company_name: shipment.companyCode,
      status: last?.action === 'SIGNED' ? '对方已签收' : trace.length > 0 ? '运输中' : '已发货',
      trace_list: { transit_step_info: trace },
      request_id: requestId,
    },
  };
}
