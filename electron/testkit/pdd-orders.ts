// Paid PDD orders for sandbox gateways in sync tests: `count` orders updated between `from` and `to`,
// whole seconds apart (the gateway's windows are in seconds), none left unpaid.
import { generateOrders } from '../sandbox/demo/generator.ts';
import type { PlatformOrder } from '../shared/model.ts';

export function pddOrders(seed: number, count: number, from: number, to: number): PlatformOrder[] {
  const step = Math.floor((to - from) / count / 1000) * 1000;
  return [...generateOrders({ shops: [{ id: `p${seed}`, platform: 'pdd', seed }], count, fromMs: from - 3 * 86_400_000, toMs: from })].map((g, i) => ({
    ...g.order,
    status: g.order.status === 'unpaid' ? ('awaiting_shipment' as const) : g.order.status,
    platformUpdatedAt: from + i * step,
  }));
}
