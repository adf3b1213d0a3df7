// Test support for adapter tests against the loopback gateways: one loopback shop per test (server +
// adapter, closed after the test), what a rejected call threw, every order a window holds, pulled
// page by page through the adapter the way the sync engine does, and a table of listed statuses
// checked against what the adapter maps them to. The shared cases that every platform adapter must
// pass live in adapter-contract.ts, push-contract.ts and sync-e2e-harness.ts.
import { afterEach, expect } from 'vitest';
import type { AfterSaleState, OrderStatus, Platform, PlatformOrder } from '../../shared/model.ts';
import type { AdapterFactory, PlatformAdapter, PullWindow, ShopRecord } from '../../core/platforms/contract.ts';
import type { LoopbackPlatformServer, LoopbackServerOptions, ProtocolFault } from '../../sandbox/platforms/loopback-server.ts';

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

/** How to stand up one platform: its loopback server, its adapter factory and the app credentials both use. */
export interface LoopbackPlatform<S extends LoopbackServer> {
  platform: Platform;
  /** The shop's display name in tests (e.g. 拼多多店). */
  shopName: string;
  app: { appKey: string; appSecret: string; accessToken: string };
  startServer(opts: LoopbackServerOptions): Promise<S>;
  createAdapter: AdapterFactory;
}

/** A shop record pointing at `gateway`, with the platform's credentials and any extra settings. */
export function loopbackShop(p: LoopbackPlatform<LoopbackServer>, gateway: string, settings: Record<string, unknown> = {}): ShopRecord {
  return { id: `shop-${p.platform}`, name: p.shopName, platform: p.platform, state: 'active', settings: JSON.stringify({ gateway, ...p.app, ...settings }) };
}

/**
 * Call at file or describe level: registers an afterEach that closes the test's server, and returns
 * setup(orders, settings), which starts the platform's loopback server with `orders` on a clock fixed
 * at `now` and an adapter for a shop pointing at it (`settings` adds e.g. pageSize).
 */
export function useLoopbackShop<S extends LoopbackServer>(
  p: LoopbackPlatform<S>,
  now: number,
): (orders: PlatformOrder[], settings?: Record<string, unknown>) => Promise<{ srv: S; adapter: PlatformAdapter }> {
  let server: S | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  return async (orders, settings = {}) => {
    server = await p.startServer({ orders, ...p.app, now: () => now });
    return { srv: server, adapter: p.createAdapter(loopbackShop(p, server.url, settings), { now: () => now }) };
  };
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
