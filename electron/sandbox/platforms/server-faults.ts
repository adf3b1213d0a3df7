// The transport-level faults every loopback platform server can switch on, built once: slow answers,
// requests that are never answered (timeouts), and an order that changes while a client pages a
// window. Each server keeps its own platform-shaped faults (5xx, throttling codes, expired token,
// malformed JSON, bad payload) and adds these to its Fault union; the servers call gate() before
// handling a request and afterListPage() after serving a page of their incremental order list.
import type { ServerResponse } from 'node:http';
import type { PlatformOrder } from '../../shared/model.ts';

export type SharedFault =
  /** Every answer comes `delayMs` late (keep it under the client's timeout to test patience). */
  | { kind: 'slow'; delayMs: number }
  /**
   * The request is accepted and never answered: the socket stays open until the client gives up
   * (its fetch timeout aborts) or the server closes. Nothing of the request is processed.
   */
  | { kind: 'timeout' }
  /**
   * After serving a page of a window that spans more than one page, the server changes one order of
   * that window (status to shipped when it awaits shipment, modified time to now), so the window's
   * later pages shift — what a real platform does while a client pages. Repeats on every such page
   * while the fault is on, each time picking an order it has not changed yet.
   */
  | { kind: 'order-changes-between-pages' };

const SHARED_KINDS: ReadonlySet<string> = new Set(['slow', 'timeout', 'order-changes-between-pages']);

/** True for the shared faults, whatever else a server's Fault union carries (strings or objects). */
export function isSharedFault(f: unknown): f is SharedFault {
  return typeof f === 'object' && f !== null && SHARED_KINDS.has((f as { kind?: unknown }).kind as string);
}

export interface ServerFaultsOptions {
  now: () => number;
  /** The server's live order array; a changed order replaces its element in place. */
  orders: () => PlatformOrder[];
  /** The platform's own status text for a shipped order (platformStatus), e.g. TOP's WAIT_BUYER_CONFIRM_GOODS. */
  shippedPlatformStatus: string;
}

export interface ServerFaults {
  /**
   * Call first for every request. Resolves true when the server should go on handling it (after
   * the slow fault's delay), false when the timeout fault holds it open unanswered.
   */
  gate(fault: unknown, res: ServerResponse): Promise<boolean>;
  /**
   * Call after serving a page of the incremental order list. `window` is every order of the
   * requested window (any order), `pageSize` the page size asked for.
   */
  afterListPage(fault: unknown, window: readonly PlatformOrder[], pageSize: number): void;
  /** Order ids the between-pages fault changed, in order (tests check the client picked them up). */
  readonly changed: readonly string[];
  /** Requests held open by the timeout fault right now. */
  readonly hanging: number;
  /** Cancel pending delays and drop held requests; call from the server's close(). */
  close(): void;
}

export function createServerFaults(opts: ServerFaultsOptions): ServerFaults {
  const timers = new Set<NodeJS.Timeout>();
  const held = new Set<ServerResponse>();
  const changed: string[] = [];
  const changedSet = new Set<string>();
  let closed = false;

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  /** The order to change: one awaiting shipment nearest the window's middle, so pages on both sides of it exist. */
  function pick(window: readonly PlatformOrder[]): PlatformOrder | undefined {
    const sorted = [...window].sort((a, b) => b.platformUpdatedAt - a.platformUpdatedAt || (a.platformOrderId < b.platformOrderId ? 1 : -1));
    const mid = Math.floor(sorted.length / 2);
    const fresh = sorted.map((o, i) => ({ o, d: Math.abs(i - mid) })).filter(({ o }) => !changedSet.has(o.platformOrderId));
    const awaiting = fresh.filter(({ o }) => o.status === 'awaiting_shipment');
    const pool = awaiting.length > 0 ? awaiting : fresh;
    pool.sort((a, b) => a.d - b.d);
    return pool[0]?.o;
  }

  return {
    async gate(fault, res) {
      if (!isSharedFault(fault) || closed) return true;
      if (fault.kind === 'slow') {
        await delay(fault.delayMs);
        // The client may have given up meanwhile, or the server closed: nothing left to answer.
        return !closed && !res.destroyed;
      }
      if (fault.kind === 'timeout') {
        held.add(res);
        res.once('close', () => held.delete(res));
        return false;
      }
      return true;
    },
    afterListPage(fault, window, pageSize) {
      if (!isSharedFault(fault) || fault.kind !== 'order-changes-between-pages') return;
      // Only a window that spans pages has "next pages" to shift.
      if (window.length <= pageSize) return;
      const target = pick(window);
      if (!target) return;
      const orders = opts.orders();
      const at = orders.findIndex((o) => o.platformOrderId === target.platformOrderId);
      if (at < 0) return;
      const ships = target.status === 'awaiting_shipment';
      orders[at] = {
        ...target,
        ...(ships ? { status: 'shipped' as const, platformStatus: opts.shippedPlatformStatus } : {}),
        // Strictly later than before, even under a test clock that has not moved.
        platformUpdatedAt: Math.max(opts.now(), target.platformUpdatedAt + 1000),
      };
      changed.push(target.platformOrderId);
      changedSet.add(target.platformOrderId);
    },
    get changed() {
      return changed;
    },
    get hanging() {
      return held.size;
    },
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const res of held) res.destroy();
      held.clear();
    },
  };
}
