// Who is signed in at a station joined to a team hub (docs/team-hub.md#signing-in-at-a-station).
// The people are the hub's users. A person signs in with their password, or switches in with their
// PIN; online the hub checks it (POST /v1/login with the station token), and this station keeps an
// argon2 hash of what the hub accepted, so the same person can sign in here while the hub is out
// of reach. Plain passwords and PINs are never stored. Everything is JSON in the meta table:
//   hub.signedIn    who is signed in (id, name, role, shops): the actor of every call
//   hub.verifiers   per person: argon2 hashes of the password and PIN last accepted, role, shops
//   hub.signInTries per person: wrong tries in a row and the lockout's end
//   hub.people      the team's people as the hub last listed them (the picker offline)
import type { Actor, SessionPeople, SessionPerson } from '../../shared/contract.ts';
import type { HubUser } from '../../shared/hub/protocol.ts';
import { ROLES, type Role } from '../../shared/model.ts';
import { reasonError } from '../../shared/reasons.ts';
import { AppError } from '../../shared/result.ts';
import { writeTx, type WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { loadHubToken, readHubSettings } from './settings.ts';
import { HubRequestError, HubUnreachable, identityTransport, type FetchLike } from './transport.ts';

export const SIGNED_IN_KEY = 'hub.signedIn';
const VERIFIERS_KEY = 'hub.verifiers';
const TRIES_KEY = 'hub.signInTries';
const PEOPLE_KEY = 'hub.people';
/** Every key this file writes: leaving the hub forgets them all. */
export const IDENTITY_KEYS = [SIGNED_IN_KEY, VERIFIERS_KEY, TRIES_KEY, PEOPLE_KEY] as const;

/** Wrong tries in a row before a person is locked out at this station. */
export const MAX_TRIES = 5;
/** How long the lockout lasts: long enough to stop guessing a 4-digit PIN, short enough for a busy packing bench. */
export const LOCKOUT_MS = 60_000;

export interface IdentityDeps {
  cipher: SecretCipher;
  fetch?: FetchLike;
  now?: () => number;
  /** How long to wait for the hub before checking offline (default 8 s). */
  timeoutMs?: number;
}

interface SignedIn {
  id: string;
  name: string;
  role: string;
  shops: string[] | null;
  at: number;
}

interface Verifier {
  name: string;
  role: string;
  shops: string[] | null;
  /** argon2id of the password the hub last accepted here. */
  password: string | null;
  /** argon2id of the PIN the hub last accepted here. */
  pin: string | null;
  at: number;
}

interface Tries {
  count: number;
  lockedUntil: number | null;
}

interface CachedPerson {
  id: string;
  name: string;
  role: string;
  hasPin: boolean;
}

function readJson<T>(db: Pick<Db, '$client'>, key: string): T | null {
  const raw = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  return raw ? (JSON.parse(raw) as T) : null;
}

function putJson(tx: WriteTx, key: string, value: unknown): void {
  tx.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

/**
 * A person's role and shops as the hub now has them (a pulled users row): whoever is signed in as
 * them acts with those at once, and an offline sign-in gets them too, without waiting for the
 * person to sign in online again.
 */
export function applyPulledPerson(tx: WriteTx, person: { id: string; role: string; shops: string[] | null }): void {
  const signedIn = readJson<SignedIn>(tx, SIGNED_IN_KEY);
  if (signedIn && signedIn.id === person.id && (signedIn.role !== person.role || JSON.stringify(signedIn.shops) !== JSON.stringify(person.shops))) {
    putJson(tx, SIGNED_IN_KEY, { ...signedIn, role: person.role, shops: person.shops });
  }
  const verifiers = readJson<Record<string, Verifier>>(tx, VERIFIERS_KEY);
  const v = verifiers?.[person.id];
  if (verifiers && v && (v.role !== person.role || JSON.stringify(v.shops) !== JSON.stringify(person.shops))) {
    putJson(tx, VERIFIERS_KEY, { ...verifiers, [person.id]: { ...v, role: person.role, shops: person.shops } });
  }
}

const asRole = (role: string): Role => ((ROLES as readonly string[]).includes(role) ? (role as Role) : 'packer');

export function actorOfSignedIn(s: SignedIn): Actor {
  return { userId: s.id, name: s.name, role: asRole(s.role), shops: s.shops };
}

/** Who is signed in at this station, or null (nobody; or the station has no hub). */
export function signedInActor(db: Pick<Db, '$client'>): Actor | null {
  const s = readJson<SignedIn>(db, SIGNED_IN_KEY);
  return s ? actorOfSignedIn(s) : null;
}

/** Signs this hub user in here (a verified sign-in, or the person a join code names). */
export function writeSignedIn(tx: WriteTx, user: Pick<HubUser, 'id' | 'name' | 'role' | 'shops'>, now: number): void {
  putJson(tx, SIGNED_IN_KEY, { id: user.id, name: user.name, role: user.role, shops: user.shops ?? null, at: now } satisfies SignedIn);
  // The person the join named is one of the team's people even before the picker asks the hub.
  const people = readJson<CachedPerson[]>(tx, PEOPLE_KEY) ?? [];
  if (!people.some((p) => p.id === user.id)) putJson(tx, PEOPLE_KEY, [...people, { id: user.id, name: user.name, role: user.role, hasPin: false }]);
}

export function signOut(db: Db): void {
  writeTx(db, (tx) => tx.$client.prepare('DELETE FROM meta WHERE key = ?').run(SIGNED_IN_KEY));
}

/** Forgets who signed in here and everything kept to check them (the station left its hub). */
export function clearIdentity(tx: WriteTx): void {
  tx.$client.prepare(`DELETE FROM meta WHERE key IN (${IDENTITY_KEYS.map(() => '?').join(', ')})`).run(...IDENTITY_KEYS);
}

function joinedOrThrow(db: Db) {
  const s = readHubSettings(db);
  if (!s) throw reasonError('session.not_joined', {}, 'this station is not joined to a team hub: nobody signs in');
  return s;
}

// The hashing library is loaded when someone signs in, not when the core starts: a station without a
// hub never needs it.
const argon2 = () => import('@node-rs/argon2');

async function matches(hash: string | null, typed: string): Promise<boolean> {
  if (hash === null) return false;
  try {
    return await (await argon2()).verify(hash, typed);
  } catch {
    return false;
  }
}

/** The team's people for the picker: the hub's list when it answers, else the list last heard. */
export async function listPeople(db: Db, deps: IdentityDeps): Promise<SessionPeople> {
  const settings = readHubSettings(db);
  if (!settings) return { people: [], online: false };
  const verifiers = readJson<Record<string, Verifier>>(db, VERIFIERS_KEY) ?? {};
  const knownHere = (id: string) => Boolean(verifiers[id]?.password || verifiers[id]?.pin);
  let online = false;
  let people = readJson<CachedPerson[]>(db, PEOPLE_KEY) ?? [];
  try {
    const team = await identityTransport(settings.url, loadHubToken(db, deps.cipher), deps.fetch, deps.timeoutMs).team();
    people = team.users.map((u) => ({ id: u.id, name: u.name, role: u.role, hasPin: u.hasPin }));
    writeTx(db, (tx) => putJson(tx, PEOPLE_KEY, people));
    online = true;
  } catch (err) {
    if (!(err instanceof HubUnreachable) && !(err instanceof HubRequestError)) throw err;
    // Offline: also everyone who signed in here, and the hub's users rows this station pulled (ids
    // `user_…` as the hub makes them), in case the list was never heard.
    for (const [id, v] of Object.entries(verifiers)) if (!people.some((p) => p.id === id)) people.push({ id, name: v.name, role: v.role, hasPin: v.pin !== null });
    const pulled = db.$client.prepare<[], { id: string; name: string; role: string }>("SELECT id, name, role FROM users WHERE id LIKE 'user\\_%' ESCAPE '\\' ORDER BY created_at, name").all();
    for (const u of pulled) if (!people.some((p) => p.id === u.id)) people.push({ ...u, hasPin: false });
  }
  const out: SessionPerson[] = people.map((p) => ({ ...p, knownHere: knownHere(p.id) }));
  return { people: out, online };
}

export interface SignInInput {
  userId: string;
  password?: string | undefined;
  pin?: string | undefined;
}

/** The name the hub knows this person by: from the list last heard, or an earlier sign-in here. */
function personOf(db: Db, userId: string): { id: string; name: string } | null {
  const people = readJson<CachedPerson[]>(db, PEOPLE_KEY) ?? [];
  const p = people.find((x) => x.id === userId);
  if (p) return p;
  const v = readJson<Record<string, Verifier>>(db, VERIFIERS_KEY)?.[userId];
  if (v) return { id: userId, name: v.name };
  const row = db.$client.prepare<[string], { id: string; name: string }>('SELECT id, name FROM users WHERE id = ?').get(userId);
  return row ?? null;
}

function lockedUntil(db: Db, userId: string, now: number): number | null {
  const t = readJson<Record<string, Tries>>(db, TRIES_KEY)?.[userId];
  return t?.lockedUntil !== null && t?.lockedUntil !== undefined && t.lockedUntil > now ? t.lockedUntil : null;
}

/** One more wrong try: the refusal to throw (how many are left, or the lockout that began). */
function wrongTry(db: Db, person: { id: string; name: string }, now: number): AppError {
  const tries = writeTx(db, (tx) => {
    const all = readJson<Record<string, Tries>>(tx, TRIES_KEY) ?? {};
    const prev = all[person.id];
    // A lockout that ran out starts the count again.
    const count = (prev && (prev.lockedUntil === null || prev.lockedUntil > now) ? prev.count : 0) + 1;
    const next: Tries = { count, lockedUntil: count >= MAX_TRIES ? now + LOCKOUT_MS : null };
    all[person.id] = next;
    putJson(tx, TRIES_KEY, all);
    return next;
  });
  if (tries.lockedUntil !== null) return lockedError(person.name, tries.lockedUntil, now);
  return reasonError('session.bad_credentials', { attemptsLeft: MAX_TRIES - tries.count }, 'the password or PIN is wrong');
}

const lockedError = (name: string, until: number, now: number) =>
  reasonError('session.locked', { name, until, seconds: Math.ceil((until - now) / 1000) }, `too many wrong tries for ${name}: wait until ${new Date(until).toISOString()}`);

/**
 * Signs a person in at this station. Online the hub decides and this station remembers a hash of
 * what it accepted; offline only a password or PIN accepted here before works.
 */
export function signIn(db: Db, deps: IdentityDeps, input: SignInInput): Promise<Actor> {
  return checkPerson(db, deps, input, true);
}

/**
 * Proves a person without signing them in (the CLI's --user on a joined station): the same checks,
 * tries and lockout as signIn, and the same remembered hash, but whoever is signed in stays.
 */
export function verifyPerson(db: Db, deps: IdentityDeps, input: SignInInput): Promise<Actor> {
  return checkPerson(db, deps, input, false);
}

async function checkPerson(db: Db, deps: IdentityDeps, input: SignInInput, andSignIn: boolean): Promise<Actor> {
  const settings = joinedOrThrow(db);
  const now = (deps.now ?? Date.now)();
  const person = personOf(db, input.userId);
  if (!person) throw reasonError('session.unknown_person', { userId: input.userId }, `no person ${input.userId} in this station's team`);
  const until = lockedUntil(db, person.id, now);
  if (until !== null) throw lockedError(person.name, until, now);
  const secret = input.password ?? input.pin;
  if (secret === undefined) throw new AppError('VALIDATION_FAILED', 'give a password or a PIN');
  const kind: 'password' | 'pin' = input.password !== undefined ? 'password' : 'pin';

  let user: HubUser | null = null;
  try {
    const answer = await identityTransport(settings.url, loadHubToken(db, deps.cipher), deps.fetch, deps.timeoutMs).login({
      user: person.name,
      ...(kind === 'password' ? { password: secret } : { pin: secret }),
    });
    user = answer.user;
  } catch (err) {
    if (err instanceof HubRequestError && err.code === 'BAD_CREDENTIALS') throw wrongTry(db, person, now);
    // The hub counts wrong sign-ins too (from every station, and per address): its lock reads as this station's.
    if (err instanceof HubRequestError && err.code === 'SIGN_IN_LOCKED') throw lockedError(person.name, now + (err.body.retryAfterMs ?? LOCKOUT_MS), now);
    if (err instanceof HubRequestError) throw new AppError(err.status === 401 ? 'UNAUTHENTICATED' : 'INVALID_STATE', err.message, { hubCode: err.code });
    if (!(err instanceof HubUnreachable)) throw err;
  }

  if (user !== null) {
    const hash = await (await argon2()).hash(secret);
    const verified = user;
    writeTx(db, (tx) => {
      const all = readJson<Record<string, Verifier>>(tx, VERIFIERS_KEY) ?? {};
      const prev = all[verified.id];
      all[verified.id] = {
        name: verified.name,
        role: verified.role,
        shops: verified.shops,
        password: kind === 'password' ? hash : (prev?.password ?? null),
        pin: kind === 'pin' ? hash : (prev?.pin ?? null),
        at: now,
      };
      putJson(tx, VERIFIERS_KEY, all);
      forgetTries(tx, verified.id);
      if (andSignIn) writeSignedIn(tx, verified, now);
    });
    return { userId: verified.id, name: verified.name, role: asRole(verified.role), shops: verified.shops };
  }

  // The hub is out of reach: check against what the hub accepted here before.
  const v = readJson<Record<string, Verifier>>(db, VERIFIERS_KEY)?.[person.id];
  const hash = v ? (kind === 'password' ? v.password : v.pin) : null;
  if (!v || hash === null) {
    throw reasonError('session.offline_unknown', { name: person.name }, `the hub is out of reach and ${person.name} never signed in here with a ${kind}`);
  }
  if (!(await matches(hash, secret))) throw wrongTry(db, person, now);
  const known = { id: person.id, name: v.name, role: v.role as HubUser['role'], shops: v.shops };
  writeTx(db, (tx) => {
    forgetTries(tx, person.id);
    if (andSignIn) writeSignedIn(tx, known, now);
  });
  return { userId: known.id, name: known.name, role: asRole(known.role), shops: known.shops };
}

function forgetTries(tx: WriteTx, userId: string): void {
  const all = readJson<Record<string, Tries>>(tx, TRIES_KEY);
  if (!all?.[userId]) return;
  delete all[userId];
  putJson(tx, TRIES_KEY, all);
}
