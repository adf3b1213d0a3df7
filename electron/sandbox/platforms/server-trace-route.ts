// The scripted route every loopback gateway traces a parcel it shipped along, so tests and the demo
// see parcels move by advancing the gateway's clock: collected 2 h after the send, off to the
// receiver's city, arrived, out for delivery, signed at ~36 h. An order id ending in 7 is signed at a
// parcel locker (代收) and one ending in 9 stalls after the transfer centre, to exercise the
// exception rules. Each gateway words the steps in its own platform's codes.

const HOUR = 3_600_000;

export type RouteStep = 'collected' | 'departed' | 'arrived' | 'delivering' | 'signed' | 'signed_at_locker';

export interface RouteNode {
  at: number;
  step: RouteStep;
  /** The carrier's words, the city in 【】 first as carriers write it. */
  description: string;
  /** The station the step happened at. */
  site: string;
}

/** The steps of the parcel shipped for `orderId` at `shippedAt` that have happened by `now`, oldest first. */
export function routeSoFar(orderId: string, city: string, shippedAt: number, now: number): RouteNode[] {
  const steps: Array<[number, RouteStep, string, string]> = [
    [2, 'collected', '【杭州市】快件已被【余杭仓前网点】揽收', '余杭仓前网点'],
    [8, 'departed', `【杭州市】快件离开【杭州转运中心】，已发往【${city}】`, '杭州转运中心'],
  ];
  if (!orderId.endsWith('9')) {
    steps.push([20, 'arrived', `【${city}】快件已到达【${city}转运中心】`, `${city}转运中心`], [30, 'delivering', `【${city}】快递员正在派件，请保持电话畅通`, `${city}营业部`]);
    steps.push(
      orderId.endsWith('7')
        ? [36, 'signed_at_locker', `【${city}】快件已被【丰巢智能快递柜】代收，请及时取件`, '丰巢智能快递柜']
        : [36, 'signed', `【${city}】已签收，签收人：本人`, `${city}营业部`],
    );
  }
  return steps.filter(([h]) => shippedAt + h * HOUR <= now).map(([h, step, description, site]) => ({ at: shippedAt + h * HOUR, step, description, site }));
}
