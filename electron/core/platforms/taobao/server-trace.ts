// The loopback TOP gateway's taobao.logistics.trace.search ([UNVERIFIED] shape, see trace.ts): for a
// trade the gateway shipped (online.send), a deterministic trace that unfolds with the gateway's
// clock — collected 2 h after the send, in transit, out for delivery, signed at ~36 h — so tests and
// the demo see a parcel move by advancing time. A tid ending in 7 is signed at a parcel locker (代收)
// and one ending in 9 stalls after the transfer centre, to exercise the exception rules.
import type { PlatformOrder } from '../../../shared/model.ts';
import { formatGmt8 } from '../gmt8.ts';
import type { TopShipment } from './server-push.ts';
import { missingParam, TopError } from './top-error.ts';
import { TRACE_METHOD } from './trace.ts';

export { TRACE_METHOD };

const HOUR = 3_600_000;
/** [UNVERIFIED] sub_codes: no public source lists trace.search's errors. */
const refuse = (sub: string, msg: string): TopError => new TopError(15, 'Remote service error', `isv.${sub}`, msg);

/** The scripted route of one shipment: [hours after the send, action, description]. */
function route(tid: string, city: string): Array<[number, string, string]> {
  const steps: Array<[number, string, string]> = [
    [2, 'GOT', '【杭州市】快件已被【余杭仓前网点】揽收'],
    [8, 'DEPARTURE', '【杭州市】快件离开【杭州转运中心】，已发往【' + city + '】'],
  ];
  if (tid.endsWith('9')) return steps;
  steps.push([20, 'ARRIVAL', `【${city}】快件已到达【${city}转运中心】`], [30, 'SENT_SCAN', `【${city}】快递员正在派件，请保持电话畅通`]);
  steps.push(tid.endsWith('7') ? [36, 'SIGNED', `【${city}】快件已被【丰巢智能快递柜】代收，请及时取件`] : [36, 'SIGNED', `【${city}】已签收，签收人：本人`]);
  return steps;
}

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
  const trace = route(tid, order.receiver.city || order.receiver.province)
    .filter(([h]) => shipment.at + h * HOUR <= now)
    .map(([h, action, desc]) => ({ status_time: formatGmt8(shipment.at + h * HOUR), status_desc: desc, action }));
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
