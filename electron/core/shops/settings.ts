// 'shops.update': edit a shop's name, gateway, sync interval and backfill depth — the non-secret
// settings JSON and the name column — as one audited command (rows + audit + ops in one transaction).
import type { ApiParsedInput, ShopSummary } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import { shopSettings } from '../platforms/contract.ts';
import { shopSummary } from './connect.ts';

export function updateShop(ctx: CoreContext, input: ApiParsedInput<'shops.update'>): ShopSummary {
  const client = ctx.db.$client;
  return runCommand(ctx, 'shops.update', input, { tables: ['shops'] }, (scope) => {
    const row = client.prepare<[string], { name: string; settings: string }>('SELECT name, settings FROM shops WHERE id = ?').get(input.id);
    if (!row) throw reasonError('shop.not_found', { shopId: input.id }, `No shop with id "${input.id}"`);
    const before = shopSettings(row);
    const after: Record<string, unknown> = { ...before };
    if (input.gateway !== undefined) {
      // null goes back to the platform's production gateway: the adapter's default when none is set.
      if (input.gateway === null) delete after.gateway;
      else after.gateway = input.gateway;
    }
    if (input.oauthBase !== undefined) {
      if (input.oauthBase === null) delete after.oauthBase;
      else after.oauthBase = input.oauthBase;
    }
    if (input.syncIntervalMinutes !== undefined) after.syncIntervalMs = input.syncIntervalMinutes * 60_000;
    if (input.backfillDays !== undefined) after.backfillDays = input.backfillDays;
    const name = input.name ?? row.name;
    if (name !== row.name) scope.audit({ entity: 'shop', entityId: input.id, field: 'name', before: row.name, after: name });
    for (const key of ['gateway', 'oauthBase', 'syncIntervalMs', 'backfillDays'] as const) {
      if (before[key] !== after[key]) scope.audit({ entity: 'shop', entityId: input.id, field: key, before: before[key] ?? null, after: after[key] ?? null });
    }
    client.prepare('UPDATE shops SET name = ?, settings = ? WHERE id = ?').run(name, JSON.stringify(after), input.id);
    const summary = shopSummary(ctx.db, input.id);
    if (!summary) throw reasonError('shop.not_found', { shopId: input.id }, `No shop with id "${input.id}"`);
    return summary;
  });
}
