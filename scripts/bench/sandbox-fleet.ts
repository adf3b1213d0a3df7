// The sync benchmark's platforms, in a child process so the measured process holds only the host:
// one loopback sandbox server per shop (Taobao, PDD, JD, Douyin, Kuaishou in turn), each with its
// own credentials and `--orders-per-shop` generated orders modified over the last two days.
// Prints ONE JSON line on stdout with every server's URL and credentials, then reads JSON-line
// commands on stdin:
//   {"cmd":"change","perShop":N}  changes N orders per shop (a new seller memo, modified now) and
//                                 answers {"changed":[{shop, platformOrderId, memo, at}]}
//   {"cmd":"exit"}                closes the servers and exits (so does the end of stdin).
// Run by scripts/bench/sync.ts as `node --import tsx scripts/bench/sandbox-fleet.ts --shops N --orders-per-shop M`.
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import type { Platform, PlatformOrder } from '../../electron/shared/model.ts';
import { DAY, generateOrders, MINUTE } from '../../electron/sandbox/demo/generator.ts';
import { startPlatformServer as startTaobao } from '../../electron/sandbox/platforms/taobao/server.ts';
import { startPlatformServer as startPdd } from '../../electron/sandbox/platforms/pdd/server.ts';
import { startPlatformServer as startJd } from '../../electron/sandbox/platforms/jd/server.ts';
import { startPlatformServer as startDouyin } from '../../electron/sandbox/platforms/douyin/server.ts';
import { startPlatformServer as startKuaishou } from '../../electron/sandbox/platforms/kuaishou/server.ts';
import { asSingleSkuOrder } from '../../electron/sandbox/platforms/kuaishou/server-order.ts';

export const FLEET_PLATFORMS = ['taobao', 'pdd', 'jd', 'douyin', 'kuaishou'] as const satisfies readonly Platform[];
export type FleetPlatform = (typeof FLEET_PLATFORMS)[number];

/** What the child prints first: everything the host needs for 'shops.add'. */
export interface FleetShop {
  key: string;
  platform: FleetPlatform;
  url: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
  orders: number;
}

export interface FleetChange {
  shop: string;
  platformOrderId: string;
  memo: string;
  /** When the sandbox's copy changed (epoch ms; the host compares with its own clock, same machine). */
  at: number;
}

/** The one shape every sandbox server shares (each server.ts declares its own identical-enough copy). */
interface Server {
  url: string;
  orders: PlatformOrder[];
  close(): Promise<void>;
}

type Start = (opts: { orders: PlatformOrder[]; appKey: string; appSecret: string; accessToken: string }) => Promise<Server>;
const START: Record<FleetPlatform, Start> = { taobao: startTaobao, pdd: startPdd, jd: startJd, douyin: startDouyin, kuaishou: startKuaishou };

/**
 * A shop's orders, modified between two days and ten minutes ago — older than every platform's
 * required lag, so one backfill sees them all. Paid only: PDD and JD list paid orders alone.
 */
function ordersFor(platform: FleetPlatform, index: number, count: number, now: number): PlatformOrder[] {
  const from = now - 2 * DAY;
  const span = 2 * DAY - 10 * MINUTE;
  const shop = { id: `bench-${platform}-${index}`, platform, seed: 1000 + index };
  return [...generateOrders({ shops: [shop], count, fromMs: from - 30 * DAY, toMs: from, seed: 7 + index })].map((g, i) => {
    // A Kuaishou order carries one SKU (its payload has no item list).
    const o = platform === 'kuaishou' ? asSingleSkuOrder(g.order) : g.order;
    // Whole seconds: the platforms' increment APIs speak seconds.
    const updated = Math.floor((from + ((i + 0.5) * span) / count) / 1000) * 1000;
    return { ...o, status: o.status === 'unpaid' ? ('awaiting_shipment' as const) : o.status, platformUpdatedAt: updated };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { shops: { type: 'string', default: '100' }, 'orders-per-shop': { type: 'string', default: '2000' } } });
  const shopCount = Number(values.shops);
  const perShop = Number(values['orders-per-shop']);
  if (!Number.isInteger(shopCount) || shopCount < 1 || !Number.isInteger(perShop) || perShop < 1) throw new Error('--shops and --orders-per-shop must be positive integers');
  const now = Date.now();
  const servers: { shop: FleetShop; server: Server }[] = [];
  for (let i = 0; i < shopCount; i += 1) {
    const platform = FLEET_PLATFORMS[i % FLEET_PLATFORMS.length]!;
    const creds = { appKey: `bench-${platform}-${i}`, appSecret: `secret-${i}-${platform}`, accessToken: `token-${i}-${platform}` };
    const orders = ordersFor(platform, i, perShop, now);
    const server = await START[platform]({ orders, ...creds });
    servers.push({ shop: { key: `${platform}-${i}`, platform, url: server.url, ...creds, orders: orders.length }, server });
  }
  process.stdout.write(`${JSON.stringify({ shops: servers.map((s) => s.shop) })}\n`);

  let seq = 0;
  const close = async () => {
    await Promise.all(servers.map((s) => s.server.close()));
    process.exit(0);
  };
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = JSON.parse(line) as { cmd: 'change'; perShop: number } | { cmd: 'exit' };
    if (command.cmd === 'exit') {
      void close();
      return;
    }
    const changed: FleetChange[] = [];
    for (const { shop, server } of servers) {
      const at = Math.floor(Date.now() / 1000) * 1000;
      // Replace elements (servers hand out the array's objects) rather than editing them in place.
      const next = server.orders.slice();
      for (let k = 0; k < command.perShop; k += 1) {
        seq += 1;
        const idx = (seq * 7919) % next.length;
        const memo = `bench-${seq}`;
        next[idx] = { ...next[idx]!, sellerMemo: memo, platformUpdatedAt: at };
        changed.push({ shop: shop.key, platformOrderId: next[idx]!.platformOrderId, memo, at });
      }
      server.orders = next;
    }
    process.stdout.write(`${JSON.stringify({ changed })}\n`);
  });
  lines.on('close', () => void close());
}

await main();
