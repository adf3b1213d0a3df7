// What every platform adapter must do when pushing back to the platform, as one set of tests run
// against each platform's loopback server over real HTTP (jd, douyin, kuaishou; PDD's push tests run
// on a fake clock for its decrypt pacing and keep their own file):
//   - a ship is confirmed, the order is shipped at the platform with our waybill, a pull shows it;
//   - shipping again reads back the platform's waybill (already shipped, or confirmed where the
//     platform treats the same waybill as idempotent); an order shipped elsewhere is already shipped
//     with an unknown waybill;
//   - business refusals are rejected with the platform's words and nothing ships;
//   - throttling, 5xx and a cut-off body throw retryable errors, and the retry after a lost answer
//     reads our own waybill back;
//   - an expired token is SHOP_AUTH_EXPIRED for ships and memos;
//   - memo + flag are set and read back, and a memo over the platform's limit is refused unsent.
// Each platform passes its API names, its shipment record, its refusal words and its limits.
import { describe, expect, it } from 'vitest';
import type { AfterSaleState, PlatformOrder, SellerFlag } from '../../shared/model.ts';
import type { CarrierCode } from '../../shared/carriers.ts';
import { classifyError, markedRetryable } from '../../core/sync/backoff.ts';
import type { PlatformAdapter, PullWindow, PushOutcome, PushRequest } from '../../core/platforms/contract.ts';
import { generateOrders } from '../../sandbox/demo/generator.ts';
import { pullAll, rejection, useLoopbackShop, type LoopbackPlatform, type LoopbackServer } from './test-adapter.ts';

const MIN = 60_000;
/** The platform's "now" in the push tests (fixed for the server and the adapter). */
export const PUSH_NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
/** The waybill a ship sends unless a test says otherwise. */
export const WAYBILL = 'ZT7812345678901';

/** A loopback server that records the shipments it accepted, in its own shape. */
export interface PushServer extends LoopbackServer {
  shipments: ReadonlyMap<string, unknown>;
}

export interface PushPlatform<S extends PushServer> extends LoopbackPlatform<S> {
  /** The platform's order as its list shows it (e.g. Kuaishou orders are 一单一品). */
  listed?(o: PlatformOrder): PlatformOrder;
}

/**
 * `count` generated orders awaiting shipment with no memo, modified 50 min before PUSH_NOW one second
 * apart (inside pushWindow's reach), with `over` applied to each.
 */
export function pushOrders(p: PushPlatform<PushServer>, count: number, over: Partial<PlatformOrder> = {}): PlatformOrder[] {
  const listed = p.listed ?? ((o: PlatformOrder) => o);
  return Array.from(generateOrders({ shops: [{ id: `${p.platform}-shop`, platform: p.platform, seed: 11 }], count, fromMs: PUSH_NOW - 2 * 86_400_000, toMs: PUSH_NOW - 60 * MIN })).map((g, i) => ({
    ...listed(g.order),
    status: 'awaiting_shipment',
    afterSale: 'none',
    sellerMemo: null,
    sellerFlag: 0,
    platformUpdatedAt: PUSH_NOW - 50 * MIN + i * 1000,
    ...over,
  }));
}

/** A ship push of the whole order with one waybill. */
export const ship = (id: string, waybillNo = WAYBILL, carrierCode: CarrierCode = 'ZTO'): PushRequest => ({ kind: 'ship', platformOrderId: id, carrierCode, waybillNo });

/** A memo push. */
export const memo = (id: string, text: string | null, flag: SellerFlag): PushRequest => ({ kind: 'memo', platformOrderId: id, memo: text, flag });

/** The current mapped state of one order, pulled through the adapter like the sync engine would. */
export async function pulled(adapter: PlatformAdapter, id: string, window: PullWindow = { fromMs: PUSH_NOW - 29 * MIN, toMs: PUSH_NOW + 1000 }): Promise<PlatformOrder | undefined> {
  return (await pullAll(adapter, window)).find((o) => o.platformOrderId === id);
}

export interface PushContractSpec<S extends PushServer> extends PushPlatform<S> {
  /** The describe title prefix, e.g. 'doudian push'. */
  label: string;
  ship: {
    /** The ship API's name, for the title. */
    api: string;
    /** What the server recorded for a ZTO ship of WAYBILL (its own field names and carrier ids). */
    shipment: Record<string, unknown>;
    /** The platform's status text for a shipped order, as the adapter maps it. */
    shippedPlatformStatus: string;
    /** The outcome of shipping again with the same waybill (already shipped, or confirmed if idempotent). */
    resendSame(waybillNo: string): PushOutcome;
    refusals: {
      /** Reason for a closed (cancelled) order. */
      closed: RegExp;
      /** An open after-sale blocks shipping: which state, and the reason. */
      refund: { afterSale: AfterSaleState; reason: RegExp };
      /** Reason for a waybill number the platform's rules refuse ('bad-waybill!'). */
      badWaybill: RegExp;
      /** An order id the platform does not know (in its id format), and the reason. */
      unknownOrder: { id: string; reason: RegExp };
    };
  };
  memo: {
    /** The memo API's name, for the title. */
    api: string;
    /** Whether the platform's order list returns the flag (else only the platform's own record shows it). */
    pullShowsFlag: boolean;
    /** The longest memo the platform takes, in characters. */
    maxChars: number;
  };
}

/** Registers the shared push cases for one platform (two describe blocks: ship and memo). */
export function describePushContract<S extends PushServer>(spec: PushContractSpec<S>): void {
  const NOW = PUSH_NOW;
  const orders = (count: number, over: Partial<PlatformOrder> = {}) => pushOrders(spec, count, over);

  describe(`${spec.label}: ${spec.ship.api}`, () => {
    const setup = useLoopbackShop(spec, NOW);

    it('ships: confirmed, the order moves to shipped at the platform with the waybill, and a pull shows it', async () => {
      const list = orders(3);
      const id = list[1]!.platformOrderId;
      const { srv, adapter } = await setup(list);
      expect(await adapter.push(ship(id))).toEqual({ kind: 'confirmed' });
      const there = srv.orders.find((o) => o.platformOrderId === id)!;
      expect([there.status, there.platformUpdatedAt]).toEqual(['shipped', NOW]);
      expect(srv.shipments.get(id)).toMatchObject(spec.ship.shipment);
      const got = await pulled(adapter, id);
      expect([got?.status, got?.platformStatus]).toEqual(['shipped', spec.ship.shippedPlatformStatus]);
      // The others are untouched.
      expect(srv.orders.filter((o) => o.status === 'shipped')).toHaveLength(1);
    });

    it('a second ship reads the platform waybill back: the same one again, or another one (already shipped)', async () => {
      const list = orders(2);
      const id = list[0]!.platformOrderId;
      const { adapter } = await setup(list);
      await adapter.push(ship(id, 'ZT1111111111'));
      expect(await adapter.push(ship(id, 'ZT1111111111'))).toEqual(spec.ship.resendSame('ZT1111111111'));
      expect(await adapter.push(ship(id, 'YT2222222222', 'YTO'))).toEqual({ kind: 'already_shipped', waybillNo: 'ZT1111111111' });
    });

    it('already shipped elsewhere (no waybill on the platform): already_shipped with an unknown waybill', async () => {
      const list = orders(1, { status: 'shipped' });
      const { adapter } = await setup(list);
      expect(await adapter.push(ship(list[0]!.platformOrderId))).toEqual({ kind: 'already_shipped', waybillNo: null });
    });

    it('business refusals are rejected with the platform words: closed, refund pending, bad waybill, unknown order', async () => {
      const { refusals } = spec.ship;
      const [closed] = orders(1, { status: 'closed' });
      const [refund] = orders(1, { afterSale: refusals.refund.afterSale }).map((o) => ({ ...o, platformOrderId: `${o.platformOrderId}9` }));
      const [ok] = orders(1).map((o) => ({ ...o, platformOrderId: `${o.platformOrderId}8` }));
      const { srv, adapter } = await setup([closed!, refund!, ok!]);
      const reason = (out: PushOutcome): string | false => out.kind === 'rejected' && out.reason;
      expect(reason(await adapter.push(ship(closed!.platformOrderId)))).toMatch(refusals.closed);
      expect(reason(await adapter.push(ship(refund!.platformOrderId)))).toMatch(refusals.refund.reason);
      expect(reason(await adapter.push(ship(ok!.platformOrderId, 'bad-waybill!')))).toMatch(refusals.badWaybill);
      expect(reason(await adapter.push(ship(refusals.unknownOrder.id)))).toMatch(refusals.unknownOrder.reason);
      expect(srv.orders.every((o) => o.status !== 'shipped')).toBe(true);
    });

    it('throttling, 5xx and a cut-off body throw retryable errors; the retry after a lost answer reads our own waybill', async () => {
      const list = orders(1);
      const id = list[0]!.platformOrderId;
      const { srv, adapter } = await setup(list);
      srv.setFault('throttled');
      const t = await rejection(adapter.push(ship(id)));
      expect([markedRetryable(t), classifyError(t).kind]).toEqual([true, 'throttled']);
      expect(srv.orders[0]!.status).toBe('awaiting_shipment');
      srv.setFault('http5xx');
      const f = await rejection(adapter.push(ship(id)));
      expect([markedRetryable(f), classifyError(f).kind]).toEqual([true, 'retryable']);
      srv.setFault('malformedJson');
      // The body is cut after the server acted: the retry must read that it shipped, with our waybill.
      expect(markedRetryable(await rejection(adapter.push(ship(id))))).toBe(true);
      // It did act: for a platform whose resend answers like a first ship (Kuaishou), this is what proves
      // the retry below met an order already shipped rather than shipping it for the first time.
      expect(srv.orders[0]!.status).toBe('shipped');
      srv.setFault(null);
      expect(await adapter.push(ship(id))).toEqual(spec.ship.resendSame(WAYBILL));
    });

    it('an expired token is SHOP_AUTH_EXPIRED, as for pulls', async () => {
      const list = orders(1);
      const { srv, adapter } = await setup(list);
      srv.setFault('tokenExpired');
      expect((await rejection(adapter.push(ship(list[0]!.platformOrderId)))).code).toBe('SHOP_AUTH_EXPIRED');
      expect((await rejection(adapter.push(memo(list[0]!.platformOrderId, 'x', 1)))).code).toBe('SHOP_AUTH_EXPIRED');
      expect(srv.orders[0]!.status).toBe('awaiting_shipment');
    });
  });

  describe(`${spec.label}: ${spec.memo.api}`, () => {
    const setup = useLoopbackShop(spec, NOW);

    it(`sets memo and flag, the platform bumps its update time, and a pull reads them back${spec.memo.pullShowsFlag ? '' : ' (the flag stays on the platform: its list does not return it)'}`, async () => {
      const list = orders(2);
      const id = list[0]!.platformOrderId;
      const { srv, adapter } = await setup(list);
      for (const flag of [1, 2, 3, 4, 5, 0] as const) {
        expect(await adapter.push(memo(id, `备注 ${flag}`, flag))).toEqual({ kind: 'confirmed' });
        const got = await pulled(adapter, id);
        expect(got?.sellerMemo).toBe(`备注 ${flag}`);
        expect(srv.orders[0]!.sellerFlag).toBe(flag);
        if (spec.memo.pullShowsFlag) expect(got?.sellerFlag).toBe(flag);
      }
      expect(srv.orders[0]!.platformUpdatedAt).toBe(NOW);
      expect(await adapter.push(memo(id, null, 0))).toEqual({ kind: 'confirmed' });
      expect((await pulled(adapter, id))?.sellerMemo).toBeNull();
    });

    it(`a memo over ${spec.memo.maxChars} characters is rejected with the reason, and nothing is sent`, async () => {
      const list = orders(1);
      const { srv, adapter } = await setup(list);
      const before = srv.orders[0];
      const out = await adapter.push(memo(list[0]!.platformOrderId, '字'.repeat(spec.memo.maxChars + 1), 2));
      expect(out.kind).toBe('rejected');
      expect(out.kind === 'rejected' && out.reason).toMatch(String(spec.memo.maxChars));
      expect(srv.orders[0]).toBe(before);
    });
  });
}
