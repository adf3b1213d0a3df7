// The station part of the API (electron/shared/api/station.ts): who is calling, and the packing
// station's settings.
import type { StationMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { readStationSettings, updateStationSettings } from './settings.ts';
import { stationUsers } from './users.ts';

export function stationHandlers(d: DomainDeps): Pick<Handlers, StationMethod> {
  const { db, ctx } = d;
  return {
    'session.whoami': (_input, actor) => actor,
    'station.users': () => stationUsers(db),
    'station.settings': () => readStationSettings(db),
    'station.updateSettings': (input, actor) => updateStationSettings(ctx(actor), input),
  };
}
