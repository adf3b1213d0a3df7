// 仓库: add, change and list the warehouses stock is held in. Regions (the provinces a warehouse
// serves) and priority are kept for choosing a warehouse per order, which is not built yet.
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedInput, WarehouseView } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { ReadDb } from '../db/access.ts';
import { findWarehouse, warehouseByCode } from './lookup.ts';
import type { StoredWarehouse } from './rows.ts';

const view = (w: StoredWarehouse): WarehouseView => ({
  id: w.id,
  code: w.code,
  name: w.name,
  address: w.address,
  regions: JSON.parse(w.regions) as string[],
  priority: w.priority,
});

/** Regions as given, trimmed, each once. */
const cleanRegions = (regions: readonly string[]): string[] => [...new Set(regions.map((r) => r.trim()).filter(Boolean))];

export function listWarehouses(db: ReadDb): WarehouseView[] {
  const rows = db.$client
    .prepare('SELECT id, code, name, address, regions, priority, created_at AS createdAt, updated_at AS updatedAt FROM warehouses ORDER BY priority DESC, code')
    .all() as StoredWarehouse[];
  return rows.map(view);
}

export function addWarehouse(ctx: CoreContext, input: ApiParsedInput<'warehouses.add'>): WarehouseView {
  return runCommand(ctx, 'warehouses.add', input, { tables: ['warehouses'] }, (scope) => {
    if (findWarehouse(scope.tx, input.code)) throw reasonError('warehouse.code_taken', { code: input.code }, `warehouse code "${input.code}" is already taken`);
    scope.tx.$client
      .prepare('INSERT INTO warehouses (id, code, name, address, regions, priority, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(uuidv7(), input.code, input.name, input.address ?? null, JSON.stringify(cleanRegions(input.regions ?? [])), input.priority ?? 0, scope.at, scope.at);
    const w = view(warehouseByCode(scope.tx, input.code));
    scope.audit({ entity: 'warehouse', entityId: input.code, after: w });
    return w;
  });
}

export function updateWarehouse(ctx: CoreContext, input: ApiParsedInput<'warehouses.update'>): WarehouseView {
  return runCommand(ctx, 'warehouses.update', input, { tables: ['warehouses'] }, (scope) => {
    const before = view(warehouseByCode(scope.tx, input.code));
    const p = input.patch;
    const next = {
      name: p.name ?? before.name,
      address: p.address === undefined ? before.address : p.address,
      regions: p.regions === undefined ? before.regions : cleanRegions(p.regions),
      priority: p.priority ?? before.priority,
    };
    scope.tx.$client
      .prepare('UPDATE warehouses SET name = ?, address = ?, regions = ?, priority = ?, updated_at = ? WHERE id = ?')
      .run(next.name, next.address, JSON.stringify(next.regions), next.priority, scope.at, before.id);
    const after = view(warehouseByCode(scope.tx, input.code));
    scope.audit({ entity: 'warehouse', entityId: input.code, before, after });
    return after;
  });
}
