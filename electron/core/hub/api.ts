// Handlers of electron/shared/api/hub.ts. Joining and syncing talk to the hub (async, outside any
// command transaction: the client writes its own transactions); the token goes to the secret store.
import { AppError } from '../../shared/result.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { DomainDeps } from '../api/domain.ts';
import { listHubAlerts } from './alerts.ts';
import { knownHolders } from './claims.ts';
import { HubNotJoined, joinHub, leaveHub, syncOnce, type HubDeps } from './client.ts';
import { HubRequestError, HubUnreachable } from './transport.ts';
import { hubStatus } from './status.ts';
import { listQuotas, setQuotas } from './quotas.ts';
import { inviteAsOwner, readTeam, revokeAsOwner, type TeamDeps } from './team.ts';

export function hubDepsOf(d: Pick<DomainDeps, 'secretCipher' | 'events' | 'now'>): HubDeps {
  const cipher = d.secretCipher;
  if (!cipher) throw new AppError('INVALID_STATE', 'this station has no secret store to keep a hub token in');
  return { cipher, now: d.now, onChanged: (tables) => d.events.emit('db.changed', { tables }) };
}

/** The hub's answers as the API's errors: the CLI exits 1 with the hub's code and words. */
async function asApiError<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof HubNotJoined || err instanceof HubUnreachable) throw new AppError('INVALID_STATE', err.message);
    if (err instanceof HubRequestError) {
      const code = err.status === 401 ? 'UNAUTHENTICATED' : err.status === 403 ? 'FORBIDDEN' : err.status === 400 ? 'VALIDATION_FAILED' : err.status === 404 ? 'NOT_FOUND' : 'INVALID_STATE';
      throw new AppError(code, err.message, { hubCode: err.code });
    }
    throw err;
  }
}

export function hubHandlers(
  d: DomainDeps,
): Pick<Handlers, 'hub.status' | 'hub.join' | 'hub.syncNow' | 'hub.leave' | 'hub.claims' | 'hub.team' | 'hub.revokeStation' | 'hub.invite' | 'hub.alerts' | 'hub.quotas' | 'hub.setQuotas'> {
  const teamDeps = (): TeamDeps => ({ cipher: d.secretCipher, now: d.now });
  return {
    'hub.status': () => hubStatus(d.db, d.now()),
    'hub.team': () => readTeam(d.db, teamDeps()),
    'hub.revokeStation': (input) => asApiError(async () => ({ station: await revokeAsOwner(d.db, teamDeps(), input) })),
    'hub.invite': (input) => asApiError(() => inviteAsOwner(d.db, teamDeps(), input)),
    'hub.alerts': (input) => listHubAlerts(d.db, input),
    'hub.quotas': (input) => listQuotas(d.db, input),
    'hub.setQuotas': (input, actor) =>
      asApiError(async () => {
        const r = await setQuotas(d.db, teamDeps(), actor.name, input);
        // The hub wrote the rows; pull them now so this station shows (and keeps) them at once.
        await syncOnce(d.db, hubDepsOf(d)).catch(() => undefined);
        d.events.emit('db.changed', { tables: ['stock_quotas'] });
        return r;
      }),
    'hub.claims': (input) =>
      [...knownHolders(d.db, input.ids, d.now())].map(([orderId, k]) => ({
        orderId,
        mine: k.mine,
        stationName: k.holder?.stationName ?? null,
        userName: k.holder?.userName ?? null,
        expiresAt: k.expiresAt,
      })),
    'hub.join': (input) => asApiError(async () => {
      const deps = hubDepsOf(d);
      const joined = await joinHub(d.db, deps, input);
      // The first round right away: a new station is bootstrapped, a first station pushes what it brought.
      await syncOnce(d.db, deps).catch(() => undefined);
      d.events.emit('db.changed', { tables: ['ops'] });
      return { status: hubStatus(d.db), broughtRows: joined.broughtRows };
    }),
    'hub.syncNow': () =>
      asApiError(async () => {
        const r = await syncOnce(d.db, hubDepsOf(d));
        d.events.emit('db.changed', { tables: ['ops'] });
        return r;
      }),
    'hub.leave': () => {
      const left = leaveHub(d.db);
      d.events.emit('db.changed', { tables: ['ops'] });
      return { left };
    },
  };
}
