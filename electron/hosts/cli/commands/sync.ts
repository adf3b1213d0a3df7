// `shopfleet sync`: one sync round for one shop or every shop through the API (sync.run, on the
// sync engine the app uses), with a per-shop summary (orders kept with warnings too, their first
// reasons on stderr); exit code 1 when any shop failed, each failure with its reason. Due push-backs
// (ship, memo) are sent first, so a headless station's pulls see them on the platform.
import { parseArgs } from 'node:util';
import type { ShopConnection, ShopRunResult } from '../../../shared/contract.ts';
import { callOrThrow } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { ApiFailure, UsageError } from '../usage.ts';

export function parseSince(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  // ISO 8601 only (a date, or a date-time with an offset or Z); Date.parse alone accepts too much.
  const ms = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--since must be an ISO date or date-time with a zone, e.g. 2026-03-01 or 2026-03-01T08:00:00+08:00 (got "${raw}")`);
  return ms;
}

export async function sync(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, shop: { type: 'string' }, since: { type: 'string' } },
  });
  const since = parseSince(values.since);
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const all = await callOrThrow<ShopConnection[]>(core, 'shops.connections', {});
    const shops = values.shop === undefined ? all : all.filter((s) => s.id === values.shop || s.name === values.shop);
    if (values.shop !== undefined && shops.length === 0) throw new ApiFailure('NOT_FOUND', `no shop with id or name "${values.shop}"`);
    let failed = 0;
    const runnable = shops.filter((s) => {
      if (s.state === 'active') return true;
      // An expired authorisation is a failure someone must act on; a paused shop is a choice.
      if (s.state === 'auth_expired') {
        failed += 1;
        process.stderr.write(`${s.name} (${s.id}): FAILED — authorisation expired, re-authorise the shop${s.lastError ? ` (last error: ${s.lastError})` : ''}\n`);
      } else {
        process.stderr.write(`${s.name} (${s.id}): skipped — shop is ${s.state}\n`);
      }
      return false;
    });
    const results: { shop: ShopConnection; result: ShopRunResult }[] = [];
    if (runnable.length > 0) {
      const shopIds = runnable.map((s) => s.id);
      if (since !== undefined) await callOrThrow(core, 'sync.rewind', { shopIds, sinceMs: since });
      // Sends due push-backs first; the engine caps how many shops pull at once. A shop's failure is its result's error.
      const round = await callOrThrow<{ pushesSent: number; results: ShopRunResult[] }>(core, 'sync.run', { shopIds });
      if (round.pushesSent > 0) process.stderr.write(`push-backs sent: ${round.pushesSent} (see pushes.list for any that failed)\n`);
      const byId = new Map(runnable.map((s) => [s.id, s]));
      for (const result of round.results) {
        const shop = byId.get(result.shopId);
        if (shop) results.push({ shop, result });
      }
    }
    for (const { shop, result } of results) {
      const warned = result.warnings?.orders ?? 0;
      const line = `${shop.name}\t${shop.platform}\tpulled ${result.pulled}\tchanged ${result.changed}\tquarantined ${result.quarantined}\twarnings ${warned}`;
      // Orders kept although part of them could not be read: say how many and the first reasons.
      if (warned > 0) {
        const samples = result.warnings?.samples ?? [];
        process.stderr.write(`${shop.name} (${shop.id}): ${warned} orders kept with warnings: ${samples.join(' | ')}${warned > samples.length ? ` | … ${warned - samples.length} more (sync.log)` : ''}\n`);
      }
      if (result.error === undefined) {
        await writeOut(`${line}\n`);
      } else {
        failed += 1;
        await writeOut(`${line}\tFAILED\n`);
        process.stderr.write(`${shop.name} (${shop.id}): FAILED — ${result.error}\n`);
      }
    }
    if (shops.length === 0) process.stderr.write('no shops to sync (add one with: shopfleet shops add)\n');
    return failed > 0 ? 1 : 0;
  });
}
