// The stock part of the API (electron/shared/api/stock.ts): the SKU catalogue and its files,
// warehouses, the ledger's commands and what it adds up to.
import type { StockMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { ledgerOf, listStock } from './balances.ts';
import { reservationsOf } from './reservations-read.ts';
import { shopsJson } from '../scope.ts';
import { skuForScan } from './sku-scan.ts';
import { addSku, listSkus, updateSku } from './catalogue.ts';
import { adjustStock, correctMovement, countStock, receiveStock, transferStock } from './ledger.ts';
import { exportSkus, skuTemplate } from './sku-file.ts';
import { importSkus } from './sku-import.ts';
import { addWarehouse, listWarehouses, updateWarehouse } from './warehouses.ts';

export function stockHandlers(d: DomainDeps): Pick<Handlers, StockMethod> {
  const { db, ctx } = d;
  return {
    'skus.list': (input) => listSkus(db, input),
    'skus.scan': (input) => ({ sku: skuForScan(db, input.code) }),
    'skus.add': (input, actor) => addSku(ctx(actor), input),
    'skus.update': (input, actor) => updateSku(ctx(actor), input),
    'skus.import': (input, actor) => importSkus(ctx(actor), input),
    'skus.export': () => exportSkus(db, d.now()),
    'skus.template': () => skuTemplate(),
    'warehouses.list': () => listWarehouses(db),
    'warehouses.add': (input, actor) => addWarehouse(ctx(actor), input),
    'warehouses.update': (input, actor) => updateWarehouse(ctx(actor), input),
    'stock.receive': (input, actor) => receiveStock(ctx(actor), input),
    'stock.count': (input, actor) => countStock(ctx(actor), input),
    'stock.adjust': (input, actor) => adjustStock(ctx(actor), input),
    'stock.transfer': (input, actor) => transferStock(ctx(actor), input),
    'stock.correct': (input, actor) => correctMovement(ctx(actor), input),
    'stock.list': (input) => listStock(db, input, d.now()),
    'stock.ledger': (input) => ledgerOf(db, input),
    'stock.reservations': (input, actor) => reservationsOf(db, input, shopsJson(actor)),
  };
}
