// The stock-alerts part of the API (electron/shared/api/stock-alerts.ts): the alert list and counts,
// mutes, the notification claim, a full evaluation on demand, and restock suggestions.
import type { StockAlertsMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { alertCounts, claimNotifications, evaluateNow, listAlerts, muteSku, unmuteSku } from './alert-views.ts';
import { restock, restockExport } from './restock.ts';
import { shopsJson } from '../scope.ts';

export function stockAlertsHandlers(d: DomainDeps): Pick<Handlers, StockAlertsMethod> {
  const { db, ctx } = d;
  return {
    'alerts.list': (input, actor) => listAlerts(db, input, shopsJson(actor)),
    'alerts.counts': (_input, actor) => alertCounts(db, shopsJson(actor)),
    'alerts.mute': (input, actor) => muteSku(ctx(actor), input),
    'alerts.unmute': (input, actor) => unmuteSku(ctx(actor), input),
    'alerts.claimNotifications': (input, actor) => claimNotifications(ctx(actor), input),
    'alerts.evaluate': (_input, actor) => evaluateNow(ctx(actor)),
    'stock.restock': (input) => restock(db, input, d.now()),
    'stock.restockExport': (input) => restockExport(db, input, d.now()),
  };
}
