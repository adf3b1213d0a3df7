// Pre-fetching waybill numbers (预取单号) while the station is online: every order waiting to be
// printed (queue awaiting_print) that has no number yet gets its package and a number from its
// account, in batches, so the labels can be printed later with the network gone. Safe to run again
// at any time: packages and numbers are idempotent (packages.ts, allocate.ts). The scheduler hook
// that runs it periodically comes later; this is the function.
import type { Db } from '../db/open.ts';
import { allocateWaybills, type AllocateDeps, type AllocateFailure } from './allocate.ts';
import { ensurePackages, type PackageSkipReason } from './packages.ts';

export interface PrefetchOptions {
  /** Orders per batch: one ensurePackages + one allocation per account (default 50). */
  batchSize?: number;
  /** At most this many orders in this run (default: all that qualify). */
  limit?: number;
  /** Use this account for orders that have no package yet (default: each shop's account). */
  accountId?: string;
}

export interface PrefetchResult {
  /** Orders that qualified (awaiting print, no number). */
  orders: number;
  packagesCreated: number;
  allocated: number;
  skipped: { orderId: string; code: PackageSkipReason; reason: string }[];
  failed: { packageId: string; code: AllocateFailure; reason: string }[];
}

/**
 * Orders waiting to print with no waybill on an open package, oldest paid first. The queue column is
 * stored and indexed with paid_at (orders_queue_paid_idx); the package check uses packages_order_seq_uq.
 */
export function ordersNeedingWaybills(db: Db, limit: number): string[] {
  return db.$client
    .prepare<[number], { id: string }>(
      `SELECT o.id FROM orders o
       WHERE o.queue = 'awaiting_print'
         AND NOT EXISTS (SELECT 1 FROM packages p WHERE p.order_id = o.id AND p.state <> 'cancelled' AND p.waybill_no IS NOT NULL)
       ORDER BY o.paid_at, o.id LIMIT ?`,
    )
    .all(limit)
    .map((r) => r.id);
}

export async function prefetchWaybills(deps: AllocateDeps, opts: PrefetchOptions = {}): Promise<PrefetchResult> {
  const batchSize = Math.max(1, opts.batchSize ?? 50);
  const orderIds = ordersNeedingWaybills(deps.db, opts.limit ?? -1);
  const result: PrefetchResult = { orders: orderIds.length, packagesCreated: 0, allocated: 0, skipped: [], failed: [] };
  /** Accounts whose platform failed (outage, throttling, expired authorisation) in this run: not called again until the next run. */
  const down = new Map<string, string>();
  const accountOf = deps.db.$client.prepare<[string], { accountId: string | null }>('SELECT account_id AS accountId FROM packages WHERE id = ?');
  for (let i = 0; i < orderIds.length; i += batchSize) {
    const ensured = ensurePackages(deps, orderIds.slice(i, i + batchSize), opts.accountId !== undefined ? { accountId: opts.accountId } : {});
    result.skipped.push(...ensured.skipped);
    result.packagesCreated += ensured.packages.filter((p) => p.created).length;
    const byAccount = new Map<string, string[]>();
    for (const p of ensured.packages) {
      const accountId = accountOf.get(p.packageId)?.accountId;
      if (!accountId) continue;
      byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), p.packageId]);
    }
    for (const [accountId, packageIds] of byAccount) {
      const cause = down.get(accountId);
      if (cause !== undefined) {
        for (const packageId of packageIds) result.failed.push({ packageId, code: 'platform_error', reason: `Not tried: the account failed earlier in this run (${cause}).` });
        continue;
      }
      const r = await allocateWaybills(deps, packageIds, accountId);
      result.allocated += r.allocated.length;
      result.failed.push(...r.failed);
      const outage = r.failed.find((f) => f.code === 'platform_error' || f.code === 'pool_exhausted');
      if (outage) down.set(accountId, outage.reason);
    }
  }
  return result;
}
