// Who is at this station. The transports attach an Actor to every call; roles are checked in
// dispatch against the contract. A fresh station gets one owner so it is usable from the start.
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../shared/contract.ts';
import { ROLES, type Role } from '../shared/model.ts';
import { writeTx, type ReadDb } from './db/access.ts';
import type { StoredUser } from './db/rows.ts';

type UserRow = Pick<StoredUser, 'id' | 'name' | 'role'>;

const asActor = (u: UserRow): Actor => ({ userId: u.id, name: u.name, role: (ROLES as readonly string[]).includes(u.role) ? (u.role as Role) : 'packer' });

/** The station's first owner, created on first use. */
export function defaultActor(db: ReadDb): Actor {
  const client = db.$client;
  const existing = client.prepare("SELECT id, name, role FROM users WHERE role = 'owner' ORDER BY created_at LIMIT 1").get() as UserRow | undefined;
  if (existing) return asActor(existing);
  const user = { id: uuidv7(), name: '店主', role: 'owner' };
  // Setting the station up, not a command: no person to audit yet.
  writeTx(db, (tx) => tx.$client.prepare('INSERT INTO users (id, name, role, created_at) VALUES (?, ?, ?, ?)').run(user.id, user.name, user.role, Date.now()));
  return asActor(user);
}

/** Find or create a station user by name (used by the CLI's --user and by tests). */
export function actorNamed(db: ReadDb, name: string, role: Role): Actor {
  const client = db.$client;
  const existing = client.prepare('SELECT id, name, role FROM users WHERE name = ?').get(name) as UserRow | undefined;
  if (existing) return asActor(existing);
  const user = { id: uuidv7(), name, role };
  // Setting the station up, not a command: no person to audit yet.
  writeTx(db, (tx) => tx.$client.prepare('INSERT INTO users (id, name, role, created_at) VALUES (?, ?, ?, ?)').run(user.id, user.name, user.role, Date.now()));
  return asActor(user);
}
