// The ledger's commands (docs/stock.md): receive (入库), count (盘点), adjust (调整), transfer (调拨)
// and correct (冲正). Each is one runCommand — its movements, its audit entry and one ops row in one
// transaction — and each only appends: on hand is the sum of the rows, and a mistake is undone by a
// reversing row, never an edit (triggers in the migration refuse UPDATE and DELETE). A caller's
// requestId makes a retried call write nothing new: the movements it wrote the first time come back.
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedInput, MovementReason, MovementResult } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CommandScope, type CoreContext } from '../api/command.ts';
import type { ReadDb, WriteTx } from '../db/access.ts';
import type { StoredSku } from '../db/rows.ts';
import { movementViews, onHandOf } from './balances.ts';
import { markStockDirty } from './dirty.ts';
import { skuByCode, warehouseByCode } from './lookup.ts';
import { refillShort } from './short-queue.ts';
import type { StoredMovement, StoredWarehouse } from './rows.ts';

const TABLES = ['stock_movements', 'stock_reservations', 'orders', 'stock_dirty'];

export interface NewMovement {
  sku: StoredSku;
  warehouse: StoredWarehouse;
  delta: number;
  reason: MovementReason;
  reference?: string | null | undefined;
  note?: string | null | undefined;
  correctsId?: string | null | undefined;
}

/** Movements an earlier call with this requestId wrote (none: it is new). */
function recorded(db: ReadDb, requestId: string | undefined): string[] {
  if (requestId === undefined) return [];
  return (db.$client.prepare('SELECT id FROM stock_movements WHERE request_id = ? ORDER BY id').all(requestId) as { id: string }[]).map((r) => r.id);
}

/**
 * Appends the movements in the command's transaction, all or none: a movement that would leave on
 * hand below zero refuses the whole command (nothing is written — the transaction rolls back).
 */
function append(scope: CommandScope, actor: string, moves: readonly NewMovement[], requestId: string | undefined): string[] {
  const tx: WriteTx = scope.tx;
  const insert = tx.$client.prepare(
    `INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, reference, note, actor, at, op_id, corrects_id, request_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids: string[] = [];
  for (const m of moves) {
    if (m.delta < 0) {
      const onHand = onHandOf(tx, m.sku.id, m.warehouse.id);
      if (onHand + m.delta < 0) {
        throw reasonError(
          'stock.insufficient',
          { sku: m.sku.outerSkuCode, warehouse: m.warehouse.code, onHand, delta: m.delta },
          `${m.sku.outerSkuCode} has ${onHand} on hand in ${m.warehouse.code}; it cannot go down by ${-m.delta}`,
        );
      }
    }
    const id = uuidv7();
    insert.run(id, m.sku.id, m.warehouse.id, m.delta, m.reason, m.reference ?? null, m.note ?? null, actor, scope.at, scope.opId, m.correctsId ?? null, requestId ?? null);
    ids.push(id);
  }
  return ids;
}

/**
 * Runs one ledger command: a requestId already recorded answers with its movements and writes
 * nothing; otherwise plan() says what to append, inside the transaction (so what it reads — on
 * hand for a count — is what the movement is computed from).
 */
export function ledgerCommand(
  ctx: CoreContext,
  name: string,
  input: { requestId?: string | undefined } | { movementId: string },
  plan: (scope: CommandScope) => { moves: NewMovement[]; audit: { entity: string; entityId: string; after: unknown; reason?: string } },
): MovementResult {
  const requestId = 'requestId' in input ? input.requestId : undefined;
  const before = recorded(ctx.db, requestId);
  if (before.length > 0) return { movements: movementViews(ctx.db, before), created: false };
  return runCommand(ctx, name, input, { tables: TABLES }, (scope) => {
    const { moves, audit } = plan(scope);
    const ids = append(scope, ctx.actor.name, moves, requestId);
    // Available moved for every SKU here; where units arrived, the 缺货 queue gets them first.
    markStockDirty(scope.tx, moves.map((m) => m.sku.id), scope.at);
    refillShort(scope.tx, moves.filter((m) => m.delta > 0).map((m) => m.sku.id), scope.at, { actor: ctx.actor.name, opId: scope.opId });
    scope.audit({ ...audit, after: { ...(audit.after as object), movements: ids } });
    return { movements: movementViews(scope.tx, ids), created: true };
  });
}

export function receiveStock(ctx: CoreContext, input: ApiParsedInput<'stock.receive'>): MovementResult {
  return ledgerCommand(ctx, 'stock.receive', input, (scope) => {
    const sku = skuByCode(scope.tx, input.sku);
    const warehouse = warehouseByCode(scope.tx, input.warehouse);
    return {
      moves: [{ sku, warehouse, delta: input.quantity, reason: 'receive', reference: input.reference }],
      audit: { entity: 'stock', entityId: `${input.sku}@${input.warehouse}`, after: { received: input.quantity } },
    };
  });
}

/** 盘点: the movement is counted − on hand, read in the same transaction; none when they agree. */
export function countStock(ctx: CoreContext, input: ApiParsedInput<'stock.count'>): MovementResult {
  return ledgerCommand(ctx, 'stock.count', input, (scope) => {
    const sku = skuByCode(scope.tx, input.sku);
    const warehouse = warehouseByCode(scope.tx, input.warehouse);
    const onHand = onHandOf(scope.tx, sku.id, warehouse.id);
    const delta = input.counted - onHand;
    return {
      moves: delta === 0 ? [] : [{ sku, warehouse, delta, reason: 'count', reference: input.reference }],
      audit: { entity: 'stock', entityId: `${input.sku}@${input.warehouse}`, after: { counted: input.counted, onHandBefore: onHand } },
    };
  });
}

export function adjustStock(ctx: CoreContext, input: ApiParsedInput<'stock.adjust'>): MovementResult {
  return ledgerCommand(ctx, 'stock.adjust', input, (scope) => {
    const sku = skuByCode(scope.tx, input.sku);
    const warehouse = warehouseByCode(scope.tx, input.warehouse);
    return {
      moves: [{ sku, warehouse, delta: input.delta, reason: 'adjust', note: input.reason }],
      audit: { entity: 'stock', entityId: `${input.sku}@${input.warehouse}`, after: { delta: input.delta }, reason: input.reason },
    };
  });
}

/** 调拨: out of one warehouse and into the other, two rows of one op; each names the other warehouse. */
export function transferStock(ctx: CoreContext, input: ApiParsedInput<'stock.transfer'>): MovementResult {
  if (input.from === input.to) throw reasonError('stock.same_warehouse', { warehouse: input.from }, `the transfer goes from and to ${input.from}`);
  return ledgerCommand(ctx, 'stock.transfer', input, (scope) => {
    const sku = skuByCode(scope.tx, input.sku);
    const from = warehouseByCode(scope.tx, input.from);
    const to = warehouseByCode(scope.tx, input.to);
    const note = input.reference ?? null;
    return {
      moves: [
        { sku, warehouse: from, delta: -input.quantity, reason: 'transfer_out', reference: to.code, note },
        { sku, warehouse: to, delta: input.quantity, reason: 'transfer_in', reference: from.code, note },
      ],
      audit: { entity: 'stock', entityId: input.sku, after: { from: from.code, to: to.code, quantity: input.quantity } },
    };
  });
}

const TRANSFER_REASONS: readonly string[] = ['transfer_out', 'transfer_in'];

/**
 * 冲正: a row of the opposite delta for a mistaken movement, once (stock_movements_corrects_uq). A
 * transfer is reversed whole — both its rows — so the total across warehouses stays what it was.
 */
export function correctMovement(ctx: CoreContext, input: ApiParsedInput<'stock.correct'>): MovementResult {
  return ledgerCommand(ctx, 'stock.correct', input, (scope) => {
    const c = scope.tx.$client;
    const byId = c.prepare('SELECT id, sku_id AS skuId, warehouse_id AS warehouseId, delta, reason, reference, op_id AS opId FROM stock_movements WHERE id = ?');
    const target = byId.get(input.movementId) as Pick<StoredMovement, 'id' | 'skuId' | 'warehouseId' | 'delta' | 'reason' | 'reference' | 'opId'> | undefined;
    if (!target) throw reasonError('stock_movement.not_found', { id: input.movementId }, `no stock movement ${input.movementId}`);
    if (target.reason === 'correction') throw reasonError('stock_movement.is_correction', { id: target.id }, `movement ${target.id} is itself a correction`);
    const originals = TRANSFER_REASONS.includes(target.reason)
      ? (c
          .prepare(
            `SELECT id, sku_id AS skuId, warehouse_id AS warehouseId, delta, reason, reference, op_id AS opId FROM stock_movements
             WHERE op_id = ? AND sku_id = ? AND reason IN ('transfer_out', 'transfer_in') ORDER BY delta`,
          )
          .all(target.opId, target.skuId) as (typeof target)[])
      : [target];
    const correctedBy = c.prepare('SELECT id FROM stock_movements WHERE corrects_id = ?');
    for (const o of originals) {
      const done = correctedBy.get(o.id) as { id: string } | undefined;
      if (done) throw reasonError('stock_movement.already_corrected', { id: o.id, correctionId: done.id }, `movement ${o.id} was already corrected by ${done.id}`);
    }
    const skuRow = c.prepare('SELECT outer_sku_code AS code FROM skus WHERE id = ?').get(target.skuId) as { code: string };
    const sku = skuByCode(scope.tx, skuRow.code);
    const warehouseOf = c.prepare('SELECT code FROM warehouses WHERE id = ?');
    // Increases first: reversing a transfer puts units back where they came from before taking them
    // from where they went, so the check below sees the final figures of each warehouse.
    const moves = originals
      .map((o) => ({
        sku,
        warehouse: warehouseByCode(scope.tx, (warehouseOf.get(o.warehouseId) as { code: string }).code),
        delta: -o.delta,
        reason: 'correction' as const,
        reference: o.reference,
        note: input.reason,
        correctsId: o.id,
      }))
      .sort((a, b) => b.delta - a.delta);
    return { moves, audit: { entity: 'stock_movement', entityId: target.id, after: { corrected: originals.map((o) => o.id) }, reason: input.reason } };
  });
}
