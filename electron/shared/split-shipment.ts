// Whether one order may leave in several packages from several warehouses, per platform — the matrix
// of docs/platforms/split-shipment.md (sources there), said once so warehouse choice and shipping read
// the same answer:
//   by_line   — Taobao/Tmall (logistics.online.send with is_split and sub_tid) and Douyin
//               (logisticsAddMultiPack): each warehouse's lines are their own package and ship call;
//   one_call  — JD: several waybills in one jingdong.pop.order.shipment, so a split order ships only
//               when every package has its waybill;
//   none      — Pinduoduo and Kuaishou (one waybill per order; Kuaishou unverified, so the safe answer),
//               and the sandbox platform, which models neither.
import type { Platform } from './model.ts';

export type SplitShipment = 'by_line' | 'one_call' | 'none';

export const SPLIT_SHIPMENT: Readonly<Record<Platform, SplitShipment>> = {
  taobao: 'by_line',
  tmall: 'by_line',
  douyin: 'by_line',
  jd: 'one_call',
  pdd: 'none',
  kuaishou: 'none',
  sandbox: 'none',
};

/** Whether an order of this platform may be split across warehouses (by line). */
export const maySplitAcrossWarehouses = (platform: string): boolean => (SPLIT_SHIPMENT[platform as Platform] ?? 'none') !== 'none';
