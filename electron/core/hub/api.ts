// Handlers of electron/shared/api/hub.ts. Joining and syncing talk to the hub (async, outside any
// command transaction: the client writes its own transactions); the token goes to the secret store.
import { AppError } from '../../shared/result.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { DomainDeps } from '../api/domain.ts';
import { joinHub, leaveHub, syncOnce, type HubDeps } from './client.ts';
import { hubStatus } from './status.ts';

export function hubDepsOf(d: Pick<DomainDeps, 'secretCipher' | 'events' | 'now'>): HubDeps {
  const cipher = d.secretCipher;
  if (!cipher) throw new AppError('INVALID_STATE', 'this station has no secret store to keep a hub token in');
  return { cipher, now: d.now, onChanged: (tables) => d.events.emit('db.changed', { tables }) };
}

export function hubHandlers(d: DomainDeps): Pick<Handlers, 'hub.status' | 'hub.join' | 'hub.syncNow' | 'hub.leave'> {
  return {
    'hub.status': () => hubStatus(d.db),
    'hub.join': async (input) => {
      const deps = hubDepsOf(d);
      const joined = await joinHub(d.db, deps, input);
      // The first round right away: a new station is bootstrapped, a first station pushes what it brought.
      await syncOnce(d.db, deps).catch(() => undefined);
      d.events.emit('db.changed', { tables: ['ops'] });
      return { status: hubStatus(d.db), broughtRows: joined.broughtRows };
    },
    'hub.syncNow': async () => {
      const r = await syncOnce(d.db, hubDepsOf(d));
      d.events.emit('db.changed', { tables: ['ops'] });
      return r;
    },
    'hub.leave': () => {
      const left = leaveHub(d.db);
      d.events.emit('db.changed', { tables: ['ops'] });
      return { left };
    },
  };
}
