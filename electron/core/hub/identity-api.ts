// Handlers of electron/shared/api/session.ts: who is signed in at this station, the team's people,
// signing in and out (identity-local.ts does the work).
import type { SessionMethod, SessionStatus } from '../../shared/contract.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Db } from '../db/open.ts';
import { AppError } from '../../shared/result.ts';
import { listPeople, signedInActor, signIn, signOut, verifyPerson, type IdentityDeps } from './identity-local.ts';
import { readHubSettings } from './settings.ts';
import { stationActor } from '../session.ts';

export function sessionStatus(db: Db): SessionStatus {
  const s = readHubSettings(db);
  if (!s) return { joined: false, actor: stationActor(db), teamName: null, stationName: null };
  return { joined: true, actor: signedInActor(db), teamName: s.team.name, stationName: s.stationName };
}

function identityDeps(d: Pick<DomainDeps, 'secretCipher' | 'now'>): IdentityDeps {
  if (!d.secretCipher) throw new AppError('INVALID_STATE', 'this station has no secret store: it cannot hold a hub token');
  return { cipher: d.secretCipher, now: d.now };
}

export function sessionHandlers(d: DomainDeps): Pick<Handlers, SessionMethod> {
  const changed = () => d.events.emit('db.changed', { tables: ['meta'] });
  return {
    'session.status': () => sessionStatus(d.db),
    'session.people': async () => (readHubSettings(d.db) ? listPeople(d.db, identityDeps(d)) : { people: [], online: false }),
    'session.signIn': async (input) => {
      await signIn(d.db, identityDeps(d), input);
      changed();
      return sessionStatus(d.db);
    },
    'session.verify': async (input) => {
      const actor = await verifyPerson(d.db, identityDeps(d), input);
      changed();
      return actor;
    },
    'session.signOut': () => {
      if (readHubSettings(d.db)) {
        signOut(d.db);
        changed();
      }
      return sessionStatus(d.db);
    },
  };
}
