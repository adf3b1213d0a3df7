// The people at this station as the API lists them (station.users): the CLI's --user picks one.
// Users are created elsewhere (session.ts makes the first owner); this only reads them.
import type { StationUser } from '../../shared/contract.ts';
import type { Db } from '../db/open.ts';

/** Every station user, oldest first, with the role as stored (a caller that acts as one checks it). */
export function stationUsers(db: Db): StationUser[] {
  return db.$client.prepare<[], StationUser>('SELECT id, name, role FROM users ORDER BY created_at, id').all();
}
