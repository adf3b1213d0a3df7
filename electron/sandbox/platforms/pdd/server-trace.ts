// The loopback PDD gateway's pdd.logistics.ordertrace.get ([UNVERIFIED] shape, docs/platforms/pdd.md): for a
// waybill the gateway shipped (logistics.online.send), the scripted route of server-trace-route.ts in
// PDD's node codes; a waybill it never shipped has no trace yet (an empty list), an unknown carrier
// code is refused.
import type { PlatformOrder } from '../../../shared/model.ts';
import { formatGmt8 } from '../gmt8.ts';
import { routeSoFar, type RouteStep } from '../server-trace-route.ts';
import type { PddShipment } from './server-push.ts';
import { PDD_CODES as PDD_ERR, PddGatewayError, SANDBOX_LOGISTICS_IDS, SANDBOX_WP_CODES } from './server-protocol.ts';

const ACTIONS: Record<RouteStep, string> = {
  collected: 'GOT',
  departed: 'DEPARTURE',
  arrived: 'ARRIVAL',
  delivering: 'SEND',
  signed: 'SIGN',
  signed_at_locker: 'SIGN_ON_BEHALF',
};

/** logistics_id by PDD company code. */
const LOGISTICS_ID_BY_CODE = new Map(Object.entries(SANDBOX_WP_CODES).map(([carrier, code]) => [code, SANDBOX_LOGISTICS_IDS[carrier]]));

export function pddOrdertraceGet(params: Record<string, string>, orders: readonly PlatformOrder[], shipments: ReadonlyMap<string, PddShipment>, now: number): unknown {
  const companyCode = params.company_code ?? '';
  const mailNo = params.mail_no ?? '';
  if (!companyCode || !mailNo) throw new PddGatewayError(PDD_ERR.badParams, '缺少必填参数 company_code / mail_no');
  const logisticsId = LOGISTICS_ID_BY_CODE.get(companyCode);
  if (logisticsId === undefined) throw new PddGatewayError(PDD_ERR.badParams, `物流公司编码 ${companyCode} 不存在`);
  const shipped = [...shipments.entries()].find(([, s]) => s.trackingNumber === mailNo && s.logisticsId === logisticsId);
  const order = shipped ? orders.find((o) => o.platformOrderId === shipped[0]) : undefined;
  const trace =
    shipped && order
      ? routeSoFar(order.platformOrderId, order.receiver.city || order.receiver.province, shipped[1].at, now).map((n) => ({
          status_time: formatGmt8(n.at),
          status_desc: n.description,
          action: ACTIONS[n.step],
          node_description: n.site,
          time: formatGmt8(n.at),
          desc: n.description,
        }))
      : [];
  // PDD's own spelling of the wrapper (trace.ts).
  return { logistics_ordertrace_get_resposne: { trace_list: trace } };
}
