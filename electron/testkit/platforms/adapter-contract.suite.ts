// What every platform adapter must do when pulling orders, as one set of tests run against each
// platform's loopback server over real HTTP (pdd, jd, douyin, kuaishou):
//   - a many-page window comes back with every order exactly once, in its current state;
//   - orders that change while the client pages leave the window without any other order being
//     skipped, and the next window picks them up;
//   - throttling is a retryable, throttled PLATFORM_ERROR, and the next call goes through;
//   - an expired or wrong token is SHOP_AUTH_EXPIRED;
//   - 5xx and a cut-off JSON body are retryable PLATFORM_ERRORs, not throttling;
//   - a malformed order payload is an AdapterPayloadError naming the field and the order.
// Each platform passes its values (error codes, paging direction, how a mapped order must compare
// with the platform's order, which field breaks under the badPayload fault); the platform's own test
// file keeps what only it has: status tables, amount formats, signatures, window and page limits.
import { describe, expect, it } from 'vitest';
import type { AfterSaleState, OrderStatus, Platform, PlatformOrder } from '../../shared/model.ts';
import { AdapterPayloadError, type PullWindow } from '../../core/platforms/contract.ts';
import { generateOrders } from '../../sandbox/demo/generator.ts';
import { loopbackShop, pullPayloads, rejection, thrown, useLoopbackShop, type LoopbackPlatform, type LoopbackServer } from './test-adapter.ts';

export interface WindowOrdersOptions {
  platform: Platform;
  /** The generator's seed (realistic items, receivers, amounts). */
  seed: number;
  now: number;
  window: PullWindow;
  /** Cycled over the orders: the statuses the platform's list returns (PDD and JD list paid orders only). */
  statuses: readonly OrderStatus[];
  /** Cycled over the orders (a length coprime to statuses' mixes every pair). */
  afterSales: readonly AfterSaleState[];
  /** The platform's order from a generated one and its index (e.g. 一单一品 for Kuaishou, a seller flag). */
  listed?(o: PlatformOrder, i: number): PlatformOrder;
  /** When the i-th order was modified, after window.fromMs: by default every 7/3 s in whole seconds, so several share a second. */
  updatedAfterMs?(i: number): number;
}

/** Statuses for a platform whose list returns unpaid orders too (Douyin, Kuaishou): five statuses, six after-sale states. */
export const LISTS_UNPAID: Pick<WindowOrdersOptions, 'statuses' | 'afterSales'> = {
  statuses: ['unpaid', 'awaiting_shipment', 'shipped', 'completed', 'closed'],
  afterSales: ['none', 'requested', 'in_progress', 'refunded', 'rejected', 'none'],
};

/** Statuses for a platform whose list returns paid orders only (PDD, JD): four statuses, five after-sale states. */
export const LISTS_PAID_ONLY: Pick<WindowOrdersOptions, 'statuses' | 'afterSales'> = {
  statuses: ['awaiting_shipment', 'shipped', 'completed', 'closed'],
  afterSales: ['none', 'requested', 'in_progress', 'refunded', 'rejected'],
};

/** ordersInWindow for a spec: `count` realistic generated orders, all modified inside the window. */
export function windowOrders(opts: WindowOrdersOptions): (count: number) => PlatformOrder[] {
  const listed = opts.listed ?? ((o: PlatformOrder) => o);
  const after = opts.updatedAfterMs ?? ((i: number) => Math.floor((i * 7) / 3) * 1000);
  return (count) =>
    [...generateOrders({ shops: [{ id: `${opts.platform}-shop`, platform: opts.platform, seed: opts.seed }], count, fromMs: opts.now - 3 * 86_400_000, toMs: opts.now - 3_600_000 })].map((g, i) => ({
      ...listed(g.order, i),
      status: opts.statuses[i % opts.statuses.length]!,
      afterSale: opts.afterSales[i % opts.afterSales.length]!,
      platformUpdatedAt: opts.window.fromMs + after(i),
    }));
}

export interface AdapterContractSpec<S extends LoopbackServer> extends LoopbackPlatform<S> {
  /** The describe title, e.g. 'PDD adapter ↔ loopback PDD server'. */
  label: string;
  /** The platform's "now" (fixed for the server and the adapter). */
  now: number;
  /** A ≤ 30-minute window, in the past, that ordersInWindow fills. */
  window: PullWindow;
  /** `count` platform orders, all modified inside `window`, in the variety the platform lists. */
  ordersInWindow(count: number): PlatformOrder[];
  /** The platform's error codes the adapter must carry in AppError.details.code. */
  errors: { throttled: string | number; tokenExpired?: string | number };
  fullPull: {
    /** How the platform pages, for the test titles: 'backwards' (last page first) or 'cursor'. */
    paging: 'backwards' | 'cursor';
    /** Asserts one mapped order against the platform order it came from (the platform's mapping rules; status and money are checked for every platform). */
    expectMapped(got: PlatformOrder, want: PlatformOrder): void;
    /** Platform checks on the whole pull (e.g. page count, sort order), after the exactly-once check. */
    expectPull?(pull: { mapped: PlatformOrder[]; pages: number }): void;
  };
  midPull: {
    /** How an order looks after it changes on the platform mid-pull (it must leave `window`). */
    change(o: PlatformOrder): PlatformOrder;
    /** The window after `window` that must hold exactly the changed orders. */
    next: PullWindow;
    /** Platform checks on the changed orders as the next window maps them. */
    expectNext?(changed: PlatformOrder[]): void;
  };
  badPayload: {
    /** The field the server's badPayload fault breaks; the reason must name it. */
    field: string;
    /** The order id as it stands in the raw payload. */
    idOf(payload: unknown): string;
    /** Hand-made payloads that must be refused too (beyond a non-object). */
    alsoRefused?: unknown[];
  };
}

/** Registers the shared pull cases for one platform (a describe block of its own). */
export function describeAdapterContract<S extends LoopbackServer>(spec: AdapterContractSpec<S>): void {
  const { now: NOW, window: WINDOW } = spec;
  describe(`${spec.label}: the adapter contract`, () => {
    const setup = useLoopbackShop(spec, NOW);

    it(`pulls a many-page window (${spec.fullPull.paging} paging): every order exactly once, as its current state, mapped per docs/platforms/common.md`, async () => {
      const orders = spec.ordersInWindow(230);
      const { adapter } = await setup(orders, { pageSize: 20 });
      const { payloads, pages } = await pullPayloads(adapter, WINDOW);
      const mapped = payloads.map((p) => adapter.toOrder(p));
      const ids = mapped.map((o) => o.platformOrderId);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(orders.map((o) => o.platformOrderId).sort());
      spec.fullPull.expectPull?.({ mapped, pages });
      const byId = new Map(mapped.map((o) => [o.platformOrderId, o]));
      for (const want of orders) {
        // Status and money come through unchanged on every platform; the rest is the platform's own mapping.
        const got = byId.get(want.platformOrderId)!;
        expect(got.status).toBe(want.status);
        expect([got.goodsFen, got.shippingFen, got.discountFen, got.paidFen]).toEqual([want.goodsFen, want.shippingFen, want.discountFen, want.paidFen]);
        spec.fullPull.expectMapped(got, want);
      }
      // The buyer's message and the seller's memo travel as text on every platform's list. The sandbox
      // and the adapter name those fields independently, so a rename on either side shows here.
      for (const want of orders) {
        const got = byId.get(want.platformOrderId)!;
        expect([got.buyerMessage, got.sellerMemo], want.platformOrderId).toEqual([want.buyerMessage || null, want.sellerMemo || null]);
      }
    });

    it(`${spec.fullPull.paging} paging: orders that change mid-pull leave the window without any other order being skipped`, async () => {
      const orders = spec.ordersInWindow(100);
      const { srv, adapter } = await setup(orders, { pageSize: 10 });
      const changed = new Set<string>();
      const { payloads } = await pullPayloads(adapter, WINDOW, (pageNo) => {
        if (pageNo !== 3) return;
        // Five orders change now (some already read, some not yet): they leave this window for the next.
        srv.orders = srv.orders.map((o, i) => {
          if (i < 90 && i % 18 === 0) {
            changed.add(o.platformOrderId);
            return spec.midPull.change(o);
          }
          return o;
        });
      });
      expect(changed.size).toBe(5);
      const got = new Set(payloads.map((p) => adapter.toOrder(p).platformOrderId));
      for (const o of orders) if (!changed.has(o.platformOrderId)) expect(got.has(o.platformOrderId), o.platformOrderId).toBe(true);
      const next = (await pullPayloads(adapter, spec.midPull.next)).payloads.map((p) => adapter.toOrder(p));
      expect(new Set(next.map((o) => o.platformOrderId))).toEqual(changed);
      spec.midPull.expectNext?.(next);
    });

    it('throttling → PLATFORM_ERROR throttled and retryable; the next call goes through', async () => {
      const { srv, adapter } = await setup(spec.ordersInWindow(3));
      srv.setFault('throttled');
      const e = await rejection(adapter.pullPage(WINDOW, null));
      expect(e.code).toBe('PLATFORM_ERROR');
      expect(e.details).toMatchObject({ code: spec.errors.throttled, throttled: true, retryable: true });
      srv.setFault(null);
      await expect(adapter.pullPage(WINDOW, null)).resolves.toMatchObject({ next: null });
    });

    it('expired token (fault) or a wrong token → SHOP_AUTH_EXPIRED', async () => {
      const { srv, adapter } = await setup(spec.ordersInWindow(3));
      srv.setFault('tokenExpired');
      const e = await rejection(adapter.pullPage(WINDOW, null));
      expect(e.code).toBe('SHOP_AUTH_EXPIRED');
      if (spec.errors.tokenExpired !== undefined) expect(e.details).toMatchObject({ code: spec.errors.tokenExpired });
      srv.setFault(null);
      const stale = spec.createAdapter(loopbackShop(spec, srv.url, { accessToken: 'old' }), { now: () => NOW });
      expect((await rejection(stale.pullPage(WINDOW, null))).code).toBe('SHOP_AUTH_EXPIRED');
    });

    it('5xx and a cut-off JSON body → PLATFORM_ERROR retryable, not throttled', async () => {
      const { srv, adapter } = await setup(spec.ordersInWindow(3));
      for (const fault of ['http5xx', 'malformedJson'] as const) {
        srv.setFault(fault);
        const e = await rejection(adapter.pullPage(WINDOW, null));
        expect(e.code, fault).toBe('PLATFORM_ERROR');
        expect(e.details, fault).toMatchObject({ retryable: true, throttled: false });
      }
    });

    it(`a malformed order payload → AdapterPayloadError naming ${spec.badPayload.field} and the order id`, async () => {
      const { srv, adapter } = await setup(spec.ordersInWindow(2));
      srv.setFault('badPayload');
      const page = await adapter.pullPage(WINDOW, null);
      expect(page.payloads).toHaveLength(2);
      for (const p of page.payloads) {
        const e = thrown(() => adapter.toOrder(p));
        expect(e).toBeInstanceOf(AdapterPayloadError);
        expect((e as AdapterPayloadError).reason).toContain(spec.badPayload.field);
        expect((e as AdapterPayloadError).platformOrderId).toBe(spec.badPayload.idOf(p));
      }
      for (const bad of [...(spec.badPayload.alsoRefused ?? []), 'not an order']) expect(() => adapter.toOrder(bad), JSON.stringify(bad)).toThrow(AdapterPayloadError);
    });
  });
}
