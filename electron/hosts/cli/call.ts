// Calls the API in-process — through the core's dispatch, so every CLI command is validated and
// role-checked exactly as the workbench's calls are — and turns a refused Result into an
// ApiFailure (exit code 1).
import type { Core } from '../../core/app.ts';
import type { Actor } from '../../shared/contract.ts';
import { ROLES, type Role } from '../../shared/model.ts';
import { ApiFailure, UsageError } from './usage.ts';

export async function callOrThrow<T>(core: Core, name: string, input: unknown, actor?: Actor): Promise<T> {
  const result = await core.call(name, input, actor);
  if (!result.ok) throw new ApiFailure(result.error.code, `${name}: ${result.error.code} — ${result.error.message}`);
  return result.value as T;
}

/** `--user NAME|ID`: every command that changes orders, printers or waybills takes it. */
export const USER_OPTION = { user: { type: 'string' } } as const;

/**
 * Who a CLI command acts as. Like the desktop app and the web host, the station owner unless
 * `--user` names another station user, whose stored role then applies (a packer's script is held
 * to a packer's rights). Users are never created here: an unknown name is a usage error.
 */
export function actorFor(core: Core, user: string | undefined): Actor {
  if (user === undefined) return core.defaultActor;
  const rows = core.db.$client.prepare('SELECT id, name, role FROM users WHERE id = ? OR name = ? LIMIT 2').all(user, user) as { id: string; name: string; role: string }[];
  if (rows.length !== 1) {
    const known = core.db.$client.prepare('SELECT name, role FROM users ORDER BY created_at LIMIT 20').all() as { name: string; role: string }[];
    const list = known.map((u) => `${u.name} (${u.role})`).join(', ') || 'none';
    throw new UsageError(rows.length === 0 ? `no station user "${user}" (users: ${list})` : `"${user}" names more than one user: use the id`);
  }
  const row = rows[0] as { id: string; name: string; role: string };
  if (!(ROLES as readonly string[]).includes(row.role)) throw new UsageError(`station user "${user}" has an unknown role "${row.role}"`);
  return { userId: row.id, name: row.name, role: row.role as Role };
}

/** A core and the actor its calls run as. */
export interface Session {
  readonly core: Core;
  readonly actor: Actor;
  call<T>(name: string, input: unknown): Promise<T>;
}

export function sessionFor(core: Core, user: string | undefined): Session {
  const actor = actorFor(core, user);
  return { core, actor, call: <T>(name: string, input: unknown) => callOrThrow<T>(core, name, input, actor) };
}
