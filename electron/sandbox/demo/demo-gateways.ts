// The demo team's platforms: one loopback gateway per demo shop (the same Taobao/Tmall, PDD, JD,
// Douyin and Kuaishou sandbox servers the adapter tests use), fed live from the shop's simulated
// world, so a demo station syncs through the real adapters — signing, paging, payload mapping —
// exactly as it would against the platforms.
//
// Feeding: the servers read their mutable `orders` array on every request. At start each array gets
// the world's orders modified within the history the scheduler may ask for; then every few seconds
// the orders that changed since the last look (WorldFeed) are written into it in place, by platform
// order id. Station push-backs (ship, memo) mutate the server's copy too; a world change is merged
// field by field over it, the later writer winning, so the feeder never undoes a push.
import type { PlatformOrder } from '../../shared/model.ts';
import type { Db } from '../../core/db/open.ts';
import { loadShopSecrets, type SecretCipher, type ShopSecrets } from '../../core/shops/secrets.ts';
import { shopSettings } from '../../core/platforms/contract.ts';
import { startPlatformServer as startDouyin } from '../platforms/douyin/server.ts';
import { startPlatformServer as startJd } from '../platforms/jd/server.ts';
import { asSingleSkuOrder } from '../platforms/kuaishou/server-order.ts';
import { startPlatformServer as startKuaishou } from '../platforms/kuaishou/server.ts';
import { startPlatformServer as startPdd } from '../platforms/pdd/server.ts';
import { startPlatformServer as startTaobao } from '../platforms/taobao/server.ts';
import type { SandboxProduct } from '../platforms/server-products.ts';
import { worldShopOf } from './adapter.ts';
import { DEMO_GATEWAY_NOT_STARTED, DEMO_HISTORY_MS } from './demo-team.ts';
import { DAY, deliveryDelayMs, HOUR, type WorldShop } from './generator.ts';
import { demoListing } from './listing.ts';
import { WorldFeed } from './world-feed.ts';

/** What demo-gateways needs of a sandbox server: where it listens and the array it serves. */
interface FedServer {
  url: string;
  orders: PlatformOrder[];
  /** The shop's listing (商品对应 pulls it; stock pushes change its figures). */
  products: SandboxProduct[];
  close(): Promise<void>;
}

interface ServerOptions {
  orders: PlatformOrder[];
  products: SandboxProduct[];
  appKey: string;
  appSecret: string;
  accessToken: string;
  now: () => number;
}

/** Each platform's loopback server; Tmall shops speak TOP like Taobao's. */
const STARTERS: Record<DemoGatewayPlatform, (opts: ServerOptions) => Promise<FedServer>> = {
  taobao: startTaobao,
  tmall: startTaobao,
  pdd: startPdd,
  jd: startJd,
  douyin: startDouyin,
  kuaishou: startKuaishou,
};

export const DEMO_GATEWAY_PLATFORMS = ['taobao', 'tmall', 'pdd', 'jd', 'douyin', 'kuaishou'] as const;
export type DemoGatewayPlatform = (typeof DEMO_GATEWAY_PLATFORMS)[number];

/** The world's orders reshaped to what the platform can express (Kuaishou sells one SKU per order). */
function reshapeFor(platform: DemoGatewayPlatform): (o: PlatformOrder) => PlatformOrder {
  return platform === 'kuaishou' ? asSingleSkuOrder : (o) => o;
}

/** How often the feeder looks at the worlds. Every adapter keeps ≥ 1 min behind now, so this is never seen. */
export const DEMO_FEED_INTERVAL_MS = 5_000;
/** Servers refuse windows older than 90 days (TOP, PDD, Kuaishou): older orders can never be asked for. */
const HOLD_HORIZON_MS = 90 * DAY;

export interface DemoGateway {
  shopId: string;
  shopName: string;
  platform: DemoGatewayPlatform;
  url: string;
  /** The server's live order array (tests and push-back code read and change it). */
  readonly orders: PlatformOrder[];
  /** The server's live listing: the products its orders sell, with the stock figures pushes set. */
  readonly products: SandboxProduct[];
}

export interface DemoGateways {
  /** Gateway URL by demo shop id. */
  urls: Record<string, string>;
  /** Per demo shop that is being served. */
  gateways: DemoGateway[];
  /** One line naming the gateways, for the host's log. */
  summary: string;
  /** Feed the servers up to now() at once (the timer does this every DEMO_FEED_INTERVAL_MS). */
  refresh(): void;
  close(): Promise<void>;
}

export interface StartDemoGatewaysOptions {
  db: Db;
  now: () => number;
  secretCipher: SecretCipher | undefined;
  /** Where the summary and problems are written (default console.info). */
  log?: (line: string) => void;
  /** Feed timer period (default DEMO_FEED_INTERVAL_MS); 0 = no timer, call refresh() yourself. */
  feedIntervalMs?: number;
}

interface DemoShopRow {
  id: string;
  name: string;
  platform: DemoGatewayPlatform;
  settings: string;
  cursor_ms: number | null;
}

const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b));

/** How far along an order is. Closed is outside the order: a refund may close it at any point. */
const STATUS_RANK: Record<Exclude<PlatformOrder['status'], 'closed'>, number> = { unpaid: 0, awaiting_shipment: 1, shipped: 2, completed: 3 };

/**
 * Three-way merge of one order on a demo server. `base` is the world's copy last written to the
 * server, `ours` the server's copy now (a ship or memo push may have changed it), `theirs` the world's
 * new copy. A field only the world changed takes the world's value; a field only the server changed
 * keeps the server's; a field both changed goes to the later writer by modified time — so a memo the
 * station pushed survives the world's next unrelated event, and an older world copy never undoes a
 * push. Fields the world does not know (a pushed waybill) stay.
 */
export function mergeWorldChange(base: PlatformOrder | undefined, ours: PlatformOrder, theirs: PlatformOrder): PlatformOrder {
  if (base === undefined) return { ...theirs };
  const worldIsLater = theirs.platformUpdatedAt > ours.platformUpdatedAt;
  const out: Record<string, unknown> = { ...ours };
  const o = ours as unknown as Record<string, unknown>;
  const b = base as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(theirs)) {
    if (sameValue(value, b[key])) continue; // the world did not change it: keep the server's
    if (sameValue(o[key], b[key]) || worldIsLater) out[key] = value;
  }
  // A parcel that left (or was received) does not come back: the world catching up with a shipment
  // or receipt the server already has never moves the order back to an earlier status.
  if (theirs.status !== 'closed' && ours.status !== 'closed' && STATUS_RANK[theirs.status] < STATUS_RANK[ours.status]) {
    out.status = ours.status;
    out.platformStatus = ours.platformStatus;
  }
  out.platformUpdatedAt = Math.max(ours.platformUpdatedAt, theirs.platformUpdatedAt);
  return out as unknown as PlatformOrder;
}

/** One demo shop's server and the feeder's bookkeeping for it. */
class FedGateway implements DemoGateway {
  /** The world's copy last written, by platform order id. */
  private readonly base = new Map<string, PlatformOrder>();
  /** Position of each order in the server's array; rebuilt if someone replaces or reorders the array. */
  private index = new Map<string, number>();
  private indexed: PlatformOrder[] | null = null;
  private readonly reshape: (o: PlatformOrder) => PlatformOrder;
  /** Orders the station shipped before the world did, with when the ship push landed. */
  private readonly stationShipped = new Map<string, number>();

  constructor(
    readonly shopId: string,
    readonly shopName: string,
    readonly platform: DemoGatewayPlatform,
    private readonly server: FedServer,
    private readonly feed: WorldFeed,
    private readonly world: Pick<WorldShop, 'seed' | 'deliveryScale'>,
  ) {
    this.reshape = reshapeFor(platform);
  }

  get url(): string {
    return this.server.url;
  }

  get orders(): PlatformOrder[] {
    return this.server.orders;
  }

  get products(): SandboxProduct[] {
    return this.server.products;
  }

  refresh(nowMs: number): void {
    for (const order of this.feed.advance(nowMs)) this.put(order);
    this.deliver(nowMs);
  }

  /**
   * The buyer confirms receipt (确认收货) of a parcel the station shipped, the world's delivery time
   * after the ship push landed — so orders shipped at the demo station complete as the world's own
   * do, and reach the station by the ordinary sync. Not while a refund is open.
   */
  deliver(nowMs: number): void {
    const arr = this.server.orders;
    for (let i = 0; i < arr.length; i += 1) {
      const o = arr[i] as PlatformOrder;
      if (o.status !== 'shipped') continue;
      const id = o.platformOrderId;
      const pushedAt = this.noticeStationShipment(o);
      if (pushedAt === undefined) continue;
      if (nowMs < pushedAt + deliveryDelayMs(this.world, id) || o.afterSale === 'requested' || o.afterSale === 'in_progress') continue;
      arr[i] = { ...o, status: 'completed', platformStatus: 'TRADE_FINISHED', platformUpdatedAt: Math.max(nowMs, o.platformUpdatedAt + 1000) };
      this.stationShipped.delete(id);
    }
  }

  /**
   * When the station's ship push landed on this order, or undefined when it did not ship it: the
   * server's copy is shipped while the world's last copy still waits, and the copy's modified time
   * is the push's. Noted on the first look after the push, and put() looks before it merges a world
   * change over the order: the merge moves the modified time on (a memo, an address edit) or ships
   * the world's copy too, and either would lose the push — the receipt would come late or never.
   */
  private noticeStationShipment(ours: PlatformOrder): number | undefined {
    const id = ours.platformOrderId;
    const known = this.stationShipped.get(id);
    if (known !== undefined || ours.status !== 'shipped' || this.base.get(id)?.status !== 'awaiting_shipment') return known;
    this.stationShipped.set(id, ours.platformUpdatedAt);
    return ours.platformUpdatedAt;
  }

  /** Write one world order into the server's array (the array stays the same object: servers hold it). */
  put(worldOrder: PlatformOrder): void {
    const theirs = this.reshape(worldOrder);
    const id = theirs.platformOrderId;
    const arr = this.server.orders;
    let i = this.positionOf(arr, id);
    if (i === undefined) {
      i = arr.length;
      // A shallow copy: a push that edits the server's order in place must not edit our base too.
      arr.push({ ...theirs });
      this.index.set(id, i);
    } else {
      const ours = arr[i] as PlatformOrder;
      this.noticeStationShipment(ours);
      arr[i] = mergeWorldChange(this.base.get(id), ours, theirs);
    }
    this.base.set(id, theirs);
  }

  private positionOf(arr: PlatformOrder[], id: string): number | undefined {
    let i = this.indexed === arr ? this.index.get(id) : undefined;
    if (this.indexed !== arr || (i !== undefined && arr[i]?.platformOrderId !== id)) {
      this.index = new Map(arr.map((o, n) => [o.platformOrderId, n]));
      this.indexed = arr;
      i = this.index.get(id);
    }
    return i;
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

function demoShops(db: Db): DemoShopRow[] {
  const placeholders = DEMO_GATEWAY_PLATFORMS.map(() => '?').join(', ');
  const rows = db.$client
    .prepare<string[], DemoShopRow>(
      `SELECT s.id, s.name, s.platform, s.settings, k.cursor_ms
         FROM shops s LEFT JOIN sync_cursors k ON k.shop_id = s.id
        WHERE s.platform IN (${placeholders}) ORDER BY s.created_at, s.id`,
    )
    .all(...DEMO_GATEWAY_PLATFORMS);
  return rows.filter((r) => shopSettings(r).demo === true);
}

/**
 * From when the server must hold orders: everything a first sync backfills (settings.backfillDays,
 * else the demo history) and everything since the shop's cursor (a station closed for a week
 * catches up from it), with an hour's margin for the scheduler's overlap.
 */
function holdFromMs(row: DemoShopRow, nowMs: number): number {
  const s = shopSettings(row);
  const backfillMs = typeof s.backfillDays === 'number' && s.backfillDays > 0 ? s.backfillDays * DAY : 0;
  let from = nowMs - Math.max(backfillMs, DEMO_HISTORY_MS) - HOUR;
  if (row.cursor_ms !== null) from = Math.min(from, row.cursor_ms - HOUR);
  return Math.max(from, nowMs - HOLD_HORIZON_MS);
}

/**
 * Start a loopback gateway for every demo shop (settings.demo, a real platform), stocked from its
 * world up to now, and point each shop's settings.gateway at it (one transaction) — call before the
 * scheduler's first round. A shop whose credentials cannot be opened is left pointing nowhere and
 * logged; its sync then fails with a network error the Shops page shows.
 */
export async function startDemoGateways(opts: StartDemoGatewaysOptions): Promise<DemoGateways> {
  const { db, now } = opts;
  const log = opts.log ?? ((line: string) => console.info(line));
  const started: FedGateway[] = [];
  const unserved: string[] = [];
  try {
    for (const row of demoShops(db)) {
      const appKey = shopSettings(row).appKey;
      const secrets = opts.secretCipher ? openSecrets(db, opts.secretCipher, row.id) : 'this station has no secret cipher';
      if (typeof secrets === 'string' || typeof appKey !== 'string') {
        log(`demo gateway not started for ${row.name}: ${typeof secrets === 'string' ? secrets : 'its settings lack the demo app key'}`);
        unserved.push(row.id);
        continue;
      }
      const nowMs = now();
      const world = worldShopOf(row);
      const feed = new WorldFeed(world, holdFromMs(row, nowMs), nowMs);
      // The listing the shop's orders sell from, so 商品对应 maps them and pushes have SKUs to set.
      const products = rememberedFigures(db, row.id, demoListing(world, nowMs));
      const server = await STARTERS[row.platform]({ orders: [], products, appKey, appSecret: secrets.appSecret, accessToken: secrets.accessToken, now });
      const gateway = new FedGateway(row.id, row.name, row.platform, server, feed, world);
      started.push(gateway);
      for (const order of feed.initial) gateway.put(order);
    }
  } catch (err) {
    await Promise.allSettled(started.map((g) => g.close()));
    throw err;
  }

  // Ports change on every start: point the shops at this start's servers (and the unserved ones at nothing).
  pointShops(db, [...started.map((g): [string, string] => [g.shopId, g.url]), ...unserved.map((id): [string, string] => [id, DEMO_GATEWAY_NOT_STARTED])]);

  const refresh = (): void => {
    const nowMs = now();
    for (const g of started) g.refresh(nowMs);
  };
  const period = opts.feedIntervalMs ?? DEMO_FEED_INTERVAL_MS;
  const timer =
    period > 0
      ? setInterval(() => {
          try {
            refresh();
          } catch (err) {
            // Keep feeding on the next tick; one bad tick must not stop the demo.
            log(`demo gateways: feeding failed: ${err instanceof Error ? err.message : String(err)}`);
          }
        }, period)
      : null;
  timer?.unref();

  const summary = describe(started);
  if (started.length > 0) log(summary);
  return {
    urls: Object.fromEntries(started.map((g) => [g.shopId, g.url])),
    gateways: started,
    summary,
    refresh,
    close: async () => {
      if (timer) clearInterval(timer);
      await Promise.allSettled(started.map((g) => g.close()));
      // A sync after this (say `shopfleet sync` on the file) must not reach whatever reuses these ports.
      if (db.$client.open) pointShops(db, started.map((g): [string, string] => [g.shopId, DEMO_GATEWAY_NOT_STARTED]));
    },
  };
}

/**
 * A platform remembers the stock figures it was told; a restarted gateway remembers them through the
 * station's own record of them (sku_mappings.platform_stock: the figure of the last listing or
 * confirmed stock write), so a restart does not put the listing's starting figure back on sale.
 */
function rememberedFigures(db: Db, shopId: string, products: SandboxProduct[]): SandboxProduct[] {
  const rows = db.$client
    .prepare<[string], { productId: string; skuId: string; stock: number }>(
      'SELECT platform_product_id AS productId, platform_sku_id AS skuId, platform_stock AS stock FROM sku_mappings WHERE shop_id = ? AND platform_stock IS NOT NULL',
    )
    .all(shopId);
  const told = new Map(rows.map((r) => [`${r.productId}\u0000${r.skuId}`, r.stock]));
  for (const p of products) for (const s of p.skus) s.stock = told.get(`${p.productId}\u0000${s.skuId}`) ?? s.stock;
  return products;
}

/** Set settings.gateway of each [shop id, url], in one transaction. */
function pointShops(db: Db, targets: [shopId: string, gateway: string][]): void {
  const client = db.$client;
  const read = client.prepare<[string], { settings: string }>('SELECT settings FROM shops WHERE id = ?');
  const write = client.prepare<[string, string]>('UPDATE shops SET settings = ? WHERE id = ?');
  client.transaction(() => {
    for (const [id, gateway] of targets) {
      const row = read.get(id);
      if (row) write.run(JSON.stringify({ ...shopSettings(row), gateway }), id);
    }
  })();
}

/** The shop's stored credentials, or why they cannot be had. */
function openSecrets(db: Db, cipher: SecretCipher, shopId: string): ShopSecrets | string {
  try {
    return loadShopSecrets(db, cipher, shopId) ?? 'no demo credentials stored';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** "demo team on loopback platform gateways (real adapters): 潮流女装旗舰店 tmall http://127.0.0.1:…, …" */
function describe(gateways: FedGateway[]): string {
  if (gateways.length === 0) return 'demo team: no loopback gateways started';
  const parts = gateways.map((g) => `${g.shopName} ${g.platform} ${g.url}`);
  return `demo team on ${gateways.length} loopback platform gateways (real adapters): ${parts.join(', ')}`;
}
