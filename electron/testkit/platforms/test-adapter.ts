// Test support for adapter tests against the loopback gateways: one loopback shop per test (server +
// adapter, closed after the test), what a rejected call threw, every order a window holds, pulled
// page by page through the adapter the way the sync engine does, and a table of listed statuses
// checked against what the adapter maps them to. The shared cases that every platform adapter must
// pass live in adapter-contract.ts, push-contract.ts and sync-e2e-harness.ts.
import { afterEach, expect } from 'vitest';
import type { AfterSaleState, OrderStatus, Platform, PlatformOrder } from '../../shared/model.ts';
import type { AdapterFactory, PlatformAdapter, PullWindow, ShopRecord } from '../../core/platforms/contract.ts';
import type { LoopbackPlatformServer, LoopbackServerOptions, ProtocolFault } from '../../sandbox/platforms/loopback-server.ts';
import type { SandboxProduct } from '../../sandbox/platforms/server-products.ts';

export { rejection } from '../results.ts';

/** What a synchronous call threw, or null when it returned (payload-mapping errors are thrown, not rejected). */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return null;
}

/** Every order in the window, mapped, across all its pages. */
export async function pullAll(adapter: PlatformAdapter, window: PullWindow): Promise<PlatformOrder[]> {
  return (await pullPayloads(adapter, window)).payloads.map((p) => adapter.toOrder(p));
}

/**
 * Every raw payload in the window across all its pages, and how many pages that took. `between(pageNo)`
 * runs after each page: tests change orders on the "platform" there, as happens while a client pages.
 */
export async function pullPayloads(adapter: PlatformAdapter, window: PullWindow, between?: (pageNo: number) => void): Promise<{ payloads: unknown[]; pages: number }> {
  const payloads: unknown[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const page = await adapter.pullPage(window, token);
    payloads.push(...page.payloads);
    token = page.next;
    pages += 1;
    between?.(pages);
  } while (token !== null && pages < 1000); // a paging bug must fail the test, not hang it
  return { payloads, pages };
}

/** What the shared tests need of a loopback platform server (pdd, jd, douyin, kuaishou); each has more. */
export type LoopbackServer = LoopbackPlatformServer<ProtocolFault>;

/** What the setup helpers need of any loopback server, TOP's included (it names its faults its own way). */
export interface ClosableServer {
  url: string;
  close(): Promise<void>;
}

/** How to stand up one platform: its loopback server, its adapter factory and the app credentials both use. */
export interface LoopbackPlatform<S extends ClosableServer> {
  platform: Platform;
  /** The shop's display name in tests (e.g. 拼多多店). */
  shopName: string;
  app: { appKey: string; appSecret: string; accessToken: string };
  startServer(opts: LoopbackServerOptions): Promise<S>;
  createAdapter: AdapterFactory;
}

/** A shop record pointing at `gateway`, with the platform's credentials and any extra settings. */
export function loopbackShop(p: Pick<LoopbackPlatform<ClosableServer>, 'platform' | 'shopName' | 'app'>, gateway: string, settings: Record<string, unknown> = {}): ShopRecord {
  return { id: `shop-${p.platform}`, name: p.shopName, platform: p.platform, state: 'active', settings: JSON.stringify({ gateway, ...p.app, ...settings }) };
}

/** The clock every platform's loopback tests run on (2026-11-20 12:00 Beijing time). */
export const PLATFORM_TEST_NOW = Date.UTC(2026, 10, 20, 4, 0, 0);

/** The shop name and app credentials each platform's tests use; its loopback server expects the same ones. */
const TEST_SHOPS = {
  douyin: { shopName: '抖店', app: { appKey: '7000000000000000001', appSecret: 'dd-s3cret', accessToken: 'tok-dd-123' } },
  jd: { shopName: '京东店', app: { appKey: 'jd-app-1', appSecret: 'jd-s3cret', accessToken: 'tok-jd-123' } },
  kuaishou: { shopName: '快手店', app: { appKey: 'ks660000000000000001', appSecret: 'ks-sign-s3cret', accessToken: 'tok-123' } },
  pdd: { shopName: '拼多多店', app: { appKey: 'pdd-app-1', appSecret: 'pdd-s3cret', accessToken: 'tok-123' } },
  taobao: { shopName: '淘宝店', app: { appKey: '12345678', appSecret: 'top-s3cret', accessToken: 'session-abc' } },
} as const satisfies Partial<Record<Platform, Pick<LoopbackPlatform<ClosableServer>, 'shopName' | 'app'>>>;

/**
 * One platform as its tests stand it up: its own loopback server and adapter factory (passed in, so a
 * test loads only its platform's code), the test shop's name and credentials, and the fixed clock.
 */
export function platformUnderTest<S extends ClosableServer>(
  platform: keyof typeof TEST_SHOPS,
  startServer: (opts: LoopbackServerOptions) => Promise<S>,
  createAdapter: AdapterFactory,
): LoopbackPlatform<S> & { now: number } {
  return { platform, ...TEST_SHOPS[platform], startServer, createAdapter, now: PLATFORM_TEST_NOW };
}

/**
 * Call at file or describe level: registers an afterEach that closes the test's server, and returns
 * setup(content, settings), which starts the platform's loopback server holding `content` (orders,
 * products; none unless given) on a clock fixed at `now` and an adapter for a shop pointing at it
 * (`settings` adds e.g. pageSize).
 */
export function useLoopbackServer<S extends ClosableServer>(
  p: LoopbackPlatform<S>,
  now: number,
): (content: { orders?: PlatformOrder[]; products?: SandboxProduct[] }, settings?: Record<string, unknown>) => Promise<{ srv: S; adapter: PlatformAdapter }> {
  let server: S | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  return async ({ orders = [], products }, settings = {}) => {
    server = await p.startServer({ orders, products, ...p.app, now: () => now });
    return { srv: server, adapter: p.createAdapter(loopbackShop(p, server.url, settings), { now: () => now }) };
  };
}

/** useLoopbackServer for tests that only list orders: setup(orders, settings). */
export function useLoopbackShop<S extends ClosableServer>(p: LoopbackPlatform<S>, now: number) {
  const setup = useLoopbackServer(p, now);
  return (orders: PlatformOrder[], settings?: Record<string, unknown>) => setup({ orders }, settings);
}

/**
 * A status the platform lists an order in: the order's status and after-sale state as listed, then
 * the platformStatus and after-sale state the adapter must map the payload back to.
 */
export type StatusCase = [status: Exclude<OrderStatus, 'unpaid'>, afterSale: AfterSaleState, platformStatus: string, mappedAfterSale: AfterSaleState];

/**
 * Lists one copy of `base` per case (the i-th with id `idOf(i)`) on a fresh loopback shop, pulls the
 * window and checks each order maps to its case's status, platformStatus and after-sale state.
 * Returns the adapter and the raw payloads, for checks on payloads the server cannot list.
 */
export async function expectStatusCases(
  setup: (orders: PlatformOrder[]) => Promise<{ adapter: PlatformAdapter }>,
  window: PullWindow,
  base: PlatformOrder,
  cases: StatusCase[],
  idOf: (i: number) => string,
): Promise<{ adapter: PlatformAdapter; raw: unknown[] }> {
  const orders = cases.map(([status, afterSale], i) => ({ ...base, platformOrderId: idOf(i), status, afterSale }));
  const { adapter } = await setup(orders);
  const raw = (await pullPayloads(adapter, window)).payloads;
  const got = raw.map((p) => adapter.toOrder(p));
  for (const [i, [status, , platformStatus, afterSale]] of cases.entries()) {
    const o = got.find((g) => g.platformOrderId === idOf(i))!;
    expect([o.status, o.platformStatus, o.afterSale]).toEqual([status, platformStatus, afterSale]);
  }
  return { adapter, raw };
}
