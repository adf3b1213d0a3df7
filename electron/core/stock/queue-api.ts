// The 缺货 queue and 退货入库 in the API (electron/shared/api/stock-queue.ts).
import type { StockQueueMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { returnStock } from './returns.ts';
import { shortQueue } from './short-queue.ts';
import { shopsJson } from '../scope.ts';

export function stockQueueHandlers(d: DomainDeps): Pick<Handlers, StockQueueMethod> {
  const { db, ctx } = d;
  return {
    'stock.short': (input, actor) => shortQueue(db, input, shopsJson(actor)),
    'stock.return': (input, actor) => returnStock(ctx(actor), input),
  };
}
