// Calls the API in-process — through the core's dispatch, so every CLI command is validated and
// role-checked exactly as the workbench's calls are — and turns a refused Result into an
// ApiFailure (exit code 1).
import type { Core } from '../../core/app.ts';
import { MAX_BATCH_IDS, type Actor, type SessionPeople, type SessionPerson, type SessionStatus, type StationUser } from '../../shared/contract.ts';
import { passwordFromStdin } from './commands/hub.ts';
import { ROLES, type Role } from '../../shared/model.ts';
import { ApiFailure, UsageError } from './usage.ts';

export async function callOrThrow<T>(core: Core, name: string, input: unknown, actor?: Actor): Promise<T> {
  const result = await core.call(name, input, actor);
  if (!result.ok) throw new ApiFailure(result.error.code, `${name}: ${result.error.code} — ${result.error.message}`);
  return result.value as T;
}

/** `--user NAME|ID`: every command that changes orders, printers or waybills takes it (on a joined station, with the password or PIN on stdin). */
export const USER_OPTION = { user: { type: 'string' } } as const;

/** A secret of 4 to 8 digits is a PIN; a hub password has at least 8 characters. */
const PIN = /^\d{4,8}$/;

/**
 * Who a CLI command acts as. Like the desktop app and the web host, the station's own actor unless
 * `--user` names someone else: undefined lets the core pick it — the owner, or on a station joined
 * to a team hub the person signed in there, so the hub sees a person it knows. Without a hub,
 * `--user` names a station user whose stored role then applies (a packer's script is held to a
 * packer's rights). On a joined station it names a person of the team, who must prove it with their
 * password or PIN on standard input, checked like the sign-in (docs/team-hub.md#signing-in-at-a-station):
 * otherwise anyone at the station could act as anyone. Users are never created here.
 */
export async function actorFor(core: Core, user: string | undefined, secret: () => Promise<string> = readSecret(user)): Promise<Actor | undefined> {
  if (user === undefined) return undefined;
  const status = await callOrThrow<SessionStatus>(core, 'session.status', {}, core.defaultActor);
  if (status.joined) return provenPerson(core, user, secret);
  // Asked as the station owner: whom a script may act as is the owner's to say.
  const users = await callOrThrow<StationUser[]>(core, 'station.users', {}, core.defaultActor);
  const rows = users.filter((u) => u.id === user || u.name === user).slice(0, 2);
  if (rows.length !== 1) {
    const list = users.slice(0, 20).map((u) => `${u.name} (${u.role})`).join(', ') || 'none';
    throw new UsageError(rows.length === 0 ? `no station user "${user}" (users: ${list})` : `"${user}" names more than one user: use the id`);
  }
  const row = rows[0] as StationUser;
  if (!(ROLES as readonly string[]).includes(row.role)) throw new UsageError(`station user "${user}" has an unknown role "${row.role}"`);
  return { userId: row.id, name: row.name, role: row.role as Role };
}

const readSecret = (user: string | undefined) => () => passwordFromStdin(`the password or PIN of ${user ?? ''}`);

/** A person of the team, proven by the password or PIN read from `secret`; any failure is a usage error (exit 2). */
async function provenPerson(core: Core, user: string, secret: () => Promise<string>): Promise<Actor> {
  const { people } = await callOrThrow<SessionPeople>(core, 'session.people', {}, core.defaultActor);
  const rows = people.filter((p) => p.id === user || p.name === user).slice(0, 2);
  if (rows.length !== 1) {
    const list = people.slice(0, 20).map((p) => `${p.name} (${p.role})`).join(', ') || 'none';
    throw new UsageError(
      rows.length === 0
        ? `this station is joined to a team hub: --user names a person of the team (people: ${list}); "${user}" is not one`
        : `"${user}" names more than one person: use the id`,
    );
  }
  const person = rows[0] as SessionPerson;
  const typed = await secret();
  // Eight digits can be a password too: then a person with a PIN is asked for the PIN.
  const asPin = PIN.test(typed) && (typed.length < 8 || person.hasPin);
  const result = await core.call('session.verify', { userId: person.id, ...(asPin ? { pin: typed } : { password: typed }) }, core.defaultActor);
  if (!result.ok) {
    const reason = result.error.reason ? ` (${result.error.reason})` : '';
    throw new UsageError(`--user ${user}: ${person.name} is not proven — ${result.error.message}${reason}`);
  }
  return result.value as Actor;
}

/** A core and the actor its calls run as. */
export interface Session {
  readonly core: Core;
  /** undefined: the station's actor, as the core picks it. */
  readonly actor: Actor | undefined;
  call<T>(name: string, input: unknown): Promise<T>;
}

export async function sessionFor(core: Core, user: string | undefined): Promise<Session> {
  const actor = await actorFor(core, user);
  return { core, actor, call: <T>(name: string, input: unknown) => callOrThrow<T>(core, name, input, actor) };
}

/** The platform order numbers of these orders, for messages that name an order (ids with no order are absent). */
export async function orderNumbersOf(session: Session, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const numbers = new Map<string, string>();
  for (let i = 0; i < unique.length; i += MAX_BATCH_IDS) {
    const rows = await session.call<{ id: string; platformOrderId: string }[]>('orders.numbers', { ids: unique.slice(i, i + MAX_BATCH_IDS) });
    for (const r of rows) numbers.set(r.id, r.platformOrderId);
  }
  return numbers;
}
