// The sync part of the API (electron/shared/api/sync.ts): pull status and runs, quarantined
// payloads and push-backs to the platforms.
import type { SyncMethod } from '../../shared/contract.ts';
import { AppError } from '../../shared/result.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { listPushes, retryPushes } from './pushes-query.ts';
import { listQuarantine, retryQuarantine } from './quarantine.ts';
import { rewindCursors } from './rewind.ts';
import { listSyncRuns } from './sync-log.ts';

export function syncHandlers(d: DomainDeps): Pick<Handlers, SyncMethod> {
  const { db, ctx, scheduler } = d;
  return {
    'sync.status': () => scheduler.status(),
    // Starting a pull changes nothing by itself; the sync engine writes its rows as it goes.
    'sync.now': (input) => ({ started: scheduler.syncNow(input.shopId) }),
    'sync.run': async (input) => {
      const { pushes } = d;
      if (!scheduler.syncShop || !pushes) throw new AppError('INVALID_STATE', 'this station has no sync engine to run a round with');
      // Push-backs first, so a pull sees the platform with them applied. syncShop never rejects: a
      // shop's failure comes back in its result (and on the shop's cursor).
      const { sent } = await pushes.flush();
      const results = await Promise.all(input.shopIds.map(async (shopId) => ({ shopId, ...(await scheduler.syncShop!(shopId)) })));
      return { pushesSent: sent, results };
    },
    'sync.log': (input) => listSyncRuns(db, input),
    'quarantine.list': (input) => listQuarantine(db, input),
    'quarantine.retry': (input, actor) => retryQuarantine(ctx(actor), input),
    'pushes.list': (input) => listPushes(db, input),
    'pushes.retry': (input, actor) => retryPushes(ctx(actor), input),
    'sync.rewind': (input, actor) => rewindCursors(ctx(actor), input),
  };
}
