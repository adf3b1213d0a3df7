// Test fixtures for the loopback platform servers: a platform's orders from the sandbox generator,
// made listable by that platform's incremental API and spread evenly over recent hours, so one
// sync's windows each hold a predictable handful. Used by tests only (no production code imports it).
import type { Platform, PlatformOrder } from '../../shared/model.ts';
import { asSingleSkuOrder } from '../../sandbox/platforms/kuaishou/server-order.ts';
import { generateOrders } from '../../sandbox/demo/generator.ts';

export type GatewayPlatform = Extract<Platform, 'taobao' | 'pdd' | 'jd' | 'douyin' | 'kuaishou'>;

export interface TestOrdersOptions {
  platform: GatewayPlatform;
  count: number;
  /** The test's "now" (epoch ms); every order is modified before now − 5 min. */
  nowMs: number;
  /** The first order's modified time is now − spreadMs (default 10 h). */
  spreadMs?: number;
  /** Gap between consecutive orders' modified times (default 97 s). */
  stepMs?: number;
  seed?: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * `count` orders (fewer if the spread cannot hold them before now − 5 min), modified at
 * now − spread + i·step. Whole seconds, except Kuaishou, whose API keeps milliseconds (a 13 ms offset
 * per order exercises that). Kuaishou orders have one line (its order model); PDD and JD list paid
 * orders only, so unpaid ones become awaiting shipment and every generated order is expected back.
 */
export function platformTestOrders(opts: TestOrdersOptions): PlatformOrder[] {
  const { platform, count, nowMs } = opts;
  const spreadMs = opts.spreadMs ?? 10 * HOUR;
  const stepMs = opts.stepMs ?? 97_000;
  const generated = generateOrders({ shops: [{ id: `test-${platform}`, platform, seed: opts.seed ?? 9 }], count, fromMs: nowMs - spreadMs - 3 * 24 * HOUR, toMs: nowMs - spreadMs - HOUR });
  const out: PlatformOrder[] = [];
  let i = 0;
  for (const g of generated) {
    let o = platform === 'kuaishou' ? asSingleSkuOrder(g.order) : g.order;
    if ((platform === 'pdd' || platform === 'jd') && o.status === 'unpaid') o = { ...o, status: 'awaiting_shipment' };
    const updated = nowMs - spreadMs + i * stepMs + (platform === 'kuaishou' ? i * 13 : 0);
    i += 1;
    if (updated >= nowMs - 5 * MINUTE) break;
    out.push({ ...o, platformUpdatedAt: updated });
  }
  return out;
}
