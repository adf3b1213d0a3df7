// The tracking part of the API (electron/shared/api/tracking.ts): trace timelines, carrier CSV
// imports, exceptions and the carrier scorecard.
import type { TrackingMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { importTraceCsv } from './csv-import.ts';
import { listTrackingExceptions } from './exceptions.ts';
import { listTraces } from './list.ts';
import { carrierScorecard } from './scorecard.ts';
import { shopsJson } from '../scope.ts';

export function trackingHandlers(d: DomainDeps): Pick<Handlers, TrackingMethod> {
  const { db, ctx } = d;
  return {
    'tracking.list': (input) => listTraces(db, input),
    'tracking.import': (input, actor) => importTraceCsv(ctx(actor), input),
    'tracking.exceptions': (input, actor) => listTrackingExceptions(db, d.now(), input, shopsJson(actor)),
    'tracking.scorecard': (input) => carrierScorecard(db, d.now(), input),
  };
}
