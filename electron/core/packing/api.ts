// The packing part of the API (electron/shared/api/packing.ts): scan verification (验货). Scan
// sessions live in the station's memory (station/station.ts).
import type { PackingMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { completePackage, scanItem, scanWaybill } from './verify.ts';

export function packingHandlers(d: DomainDeps): Pick<Handlers, PackingMethod> {
  const { db, ctx } = d;
  const sessions = d.station.scanSessions;
  return {
    'packing.scanWaybill': (input) => scanWaybill(db, input, sessions),
    'packing.scanItem': (input) => scanItem(db, input, sessions),
    'packing.complete': (input, actor) => completePackage(ctx(actor), input, sessions),
  };
}
