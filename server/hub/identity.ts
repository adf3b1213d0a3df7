// Teams, people, sessions, join codes and stations. Every function takes the team from what the
// caller proved (a token, or the team name with the owner's password for `team create`), never
// from a body field that names a team id.
import type { HubRole, HubStation, HubTeam, HubUser, InviteRequest, InviteResponse, JoinResponse, LoginRequest, LoginResponse, TeamResponse } from '../../electron/shared/hub/protocol.ts';
import type { Engine, Queryable } from '../db/engine.ts';
import { SYNCED_TABLES } from '../../electron/shared/hub/tables.ts';
import { HubFailure } from './errors.ts';
import { addressKey, assertNotLocked, clearFailures, countFailure, userKey, type LoginKeys } from './login-limit.ts';
import { HUB_CHANNEL, publishRow } from './rows.ts';
import {
  hashSecret,
  joinCodeHash,
  newId,
  newJoinCode,
  newToken,
  secretMatches,
  SESSION_TOKEN_PREFIX,
  STATION_TOKEN_PREFIX,
  tokenHash,
} from './secrets.ts';

/** How long a person's hub sign-in lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** How long a join code stays good unless the invite says otherwise. */
export const JOIN_CODE_TTL_MS = 24 * 60 * 60 * 1000;

export interface UserRow {
  id: string;
  team_id: string;
  name: string;
  role: HubRole;
  shops: string[] | null;
  password_hash: string | null;
  pin_hash: string | null;
  created_at: number;
}

export interface StationRow {
  id: string;
  team_id: string;
  name: string;
  user_id: string | null;
  last_seq: number;
  last_seen: number | null;
  created_at: number;
  revoked_at: number | null;
}

export type Caller =
  | { kind: 'station'; team: HubTeam; station: StationRow; user: UserRow | null }
  | { kind: 'session'; team: HubTeam; user: UserRow };

export const userView = (u: UserRow): HubUser => ({ id: u.id, name: u.name, role: u.role, shops: u.shops ?? null });

export const stationView = (s: StationRow): HubStation => ({
  id: s.id,
  name: s.name,
  userId: s.user_id,
  lastSeq: Number(s.last_seq),
  lastSeen: s.last_seen === null ? null : Number(s.last_seen),
  createdAt: Number(s.created_at),
  revokedAt: s.revoked_at === null ? null : Number(s.revoked_at),
});

/**
 * The users row every station of the team receives (no hashes: those never leave the hub). It
 * carries the shop scope (null = every shop), which no station table stores: a station reads it
 * as it applies the row, to re-pull the shops its person gained and to narrow who is signed in
 * (docs/team-hub.md#identity). A station that does not know the field ignores it.
 */
async function publishUser(tx: Queryable, user: UserRow): Promise<void> {
  await publishRow(tx, user.team_id, 'users', [user.id], 'team', { id: user.id, name: user.name, role: user.role, shops: user.shops ?? null, created_at: Number(user.created_at) });
}

/** `shopfleet hub team create`: the team and its owner, in one transaction. */
export async function createTeam(engine: Engine, input: { team: string; owner: string; password: string }, now = Date.now()): Promise<{ team: HubTeam; owner: HubUser }> {
  if (input.password.length < 8) throw new HubFailure('BAD_REQUEST', 'the owner password needs at least 8 characters');
  const passwordHash = await hashSecret(input.password);
  return engine.transaction(async (tx) => {
    const taken = await tx.query('SELECT 1 FROM teams WHERE name = $1', [input.team]);
    if (taken.rows.length > 0) throw new HubFailure('CONFLICT', `a team called "${input.team}" already exists on this hub`);
    const team: HubTeam = { id: newId('team'), name: input.team };
    await tx.query('INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)', [team.id, team.name, now]);
    const owner: UserRow = {
      id: newId('user'),
      team_id: team.id,
      name: input.owner,
      role: 'owner',
      shops: null,
      password_hash: passwordHash,
      pin_hash: null,
      created_at: now,
    };
    await tx.query(
      `INSERT INTO users (id, team_id, name, role, shops, password_hash, pin_hash, created_at, updated_at) VALUES ($1,$2,$3,$4,NULL,$5,NULL,$6,$6)`,
      [owner.id, team.id, owner.name, owner.role, passwordHash, now],
    );
    await publishUser(tx, owner);
    return { team, owner: userView(owner) };
  });
}

async function userByName(q: Queryable, teamId: string, name: string): Promise<UserRow | null> {
  const r = await q.query<UserRow>('SELECT * FROM users WHERE team_id = $1 AND name = $2', [teamId, name]);
  return r.rows[0] ?? null;
}

async function userById(q: Queryable, teamId: string, id: string): Promise<UserRow | null> {
  const r = await q.query<UserRow>('SELECT * FROM users WHERE team_id = $1 AND id = $2', [teamId, id]);
  return r.rows[0] ?? null;
}

let dummy: Promise<string> | null = null;
const dummyHash = (): Promise<string> => (dummy ??= hashSecret('no such user: a hash to spend the same time on'));

const badCredentials = () => new HubFailure('BAD_CREDENTIALS', 'the team, user, password or PIN is wrong');

/**
 * POST /v1/login. A person alone (team + user + password) gets a session; a station (its caller)
 * checks a person signing in at it by password or PIN, and gets who they are without a session.
 */
export async function login(engine: Engine, body: LoginRequest, caller: Caller | null, now = Date.now(), ip: string | null = null): Promise<LoginResponse> {
  // Too many wrong sign-ins from this address, or for this person, are refused before any check
  // (login-limit.ts): argon2's cost alone would let a patient guesser through.
  const keys: LoginKeys = { user: null, address: ip === null ? null : addressKey(ip) };
  await assertNotLocked(engine, keys, now);
  let team: HubTeam;
  if (caller?.kind === 'station') team = caller.team;
  else {
    // A hub of one team (the usual small team) does not make its owner type the team's name.
    const t =
      body.team === undefined
        ? await engine.query<HubTeam>('SELECT id, name FROM teams ORDER BY created_at LIMIT 2')
        : await engine.query<HubTeam>('SELECT id, name FROM teams WHERE name = $1', [body.team]);
    if (body.team === undefined && t.rows.length > 1) throw new HubFailure('BAD_REQUEST', 'this hub holds several teams: name the team to sign in to');
    const found = t.rows[0];
    if (!found) {
      await countFailure(engine, keys, now);
      throw badCredentials();
    }
    team = found;
  }
  keys.user = userKey(team.id, body.user ?? '(the owner)');
  await assertNotLocked(engine, keys, now);
  let user: UserRow | null;
  if (body.user !== undefined) user = await userByName(engine, team.id, body.user);
  else if (caller?.kind === 'station') throw new HubFailure('BAD_REQUEST', 'name the person signing in at this station');
  else {
    const owners = await engine.query<UserRow>("SELECT * FROM users WHERE team_id = $1 AND role = 'owner' ORDER BY created_at LIMIT 2", [team.id]);
    if (owners.rows.length > 1) throw new HubFailure('BAD_REQUEST', 'this team has several owners: name the user signing in');
    user = owners.rows[0] ?? null;
  }
  // An unknown name costs the same argon2 check as a known one: the answer's time tells no names.
  if (user === null) await secretMatches(await dummyHash(), body.password ?? body.pin ?? '');
  // A PIN only works at a station: it is short, made for a quick switch, not for the hub itself.
  const ok =
    user !== null &&
    (body.password !== undefined ? await secretMatches(user.password_hash, body.password) : caller?.kind === 'station' && body.pin !== undefined && (await secretMatches(user.pin_hash, body.pin)));
  if (!ok || user === null) {
    await countFailure(engine, keys, now);
    throw badCredentials();
  }
  await clearFailures(engine, keys);
  if (caller?.kind === 'station') return { team, user: userView(user) };
  const token = newToken(SESSION_TOKEN_PREFIX);
  const expiresAt = now + SESSION_TTL_MS;
  await engine.query('INSERT INTO sessions (token_hash, team_id, user_id, created_at, expires_at) VALUES ($1,$2,$3,$4,$5)', [tokenHash(token), team.id, user.id, now, expiresAt]);
  return { team, user: userView(user), token, expiresAt };
}

/** Who a bearer token belongs to; refuses unknown, revoked and expired tokens at once. */
export async function authenticate(engine: Queryable, authorization: string | undefined, now = Date.now()): Promise<Caller> {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (token === undefined) throw new HubFailure('UNAUTHORIZED', 'send the station or session token as Authorization: Bearer <token>');
  return callerOfToken(engine, token, now);
}

export async function callerOfToken(engine: Queryable, token: string, now = Date.now()): Promise<Caller> {
  const hash = tokenHash(token);
  if (token.startsWith(STATION_TOKEN_PREFIX)) {
    const r = await engine.query<StationRow & { team_name: string }>(
      'SELECT s.*, t.name AS team_name FROM stations s JOIN teams t ON t.id = s.team_id WHERE s.token_hash = $1',
      [hash],
    );
    const s = r.rows[0];
    if (!s) throw new HubFailure('UNAUTHORIZED', 'this station token is not known to the hub; join again with a new code');
    if (s.revoked_at !== null) throw new HubFailure('TOKEN_REVOKED', 'an owner revoked this station; join again with a new code');
    const user = s.user_id === null ? null : await userById(engine, s.team_id, s.user_id);
    return { kind: 'station', team: { id: s.team_id, name: s.team_name }, station: s, user };
  }
  if (token.startsWith(SESSION_TOKEN_PREFIX)) {
    const r = await engine.query<{ expires_at: number; user_id: string; team_id: string; team_name: string }>(
      'SELECT x.expires_at, x.user_id, x.team_id, t.name AS team_name FROM sessions x JOIN teams t ON t.id = x.team_id WHERE x.token_hash = $1',
      [hash],
    );
    const x = r.rows[0];
    if (!x) throw new HubFailure('UNAUTHORIZED', 'this sign-in is not known to the hub; log in again');
    if (Number(x.expires_at) <= now) throw new HubFailure('SESSION_EXPIRED', 'this sign-in ran out; log in again');
    const user = await userById(engine, x.team_id, x.user_id);
    if (!user) throw new HubFailure('UNAUTHORIZED', 'this sign-in is not known to the hub; log in again');
    return { kind: 'session', team: { id: x.team_id, name: x.team_name }, user };
  }
  throw new HubFailure('UNAUTHORIZED', 'this token is not one the hub issues');
}

function requireOwner(caller: Caller): UserRow {
  if (caller.kind !== 'session' || caller.user.role !== 'owner') throw new HubFailure('FORBIDDEN', "only the team's owner, signed in to the hub, may do this");
  return caller.user;
}

/** POST /v1/invites: the user (made or updated) and a one-time code that joins a station as them. */
export async function invite(engine: Engine, caller: Caller, body: InviteRequest, now = Date.now()): Promise<InviteResponse> {
  const owner = requireOwner(caller);
  const teamId = caller.team.id;
  const passwordHash = body.password === undefined ? undefined : await hashSecret(body.password);
  const pinHash = body.pin === undefined ? undefined : await hashSecret(body.pin);
  const code = newJoinCode();
  const expiresAt = now + (body.ttlMinutes === undefined ? JOIN_CODE_TTL_MS : body.ttlMinutes * 60_000);
  return engine.transaction(async (tx) => {
    let user = await userByName(tx, teamId, body.user);
    const shops = body.shops === undefined ? (user?.shops ?? null) : body.shops;
    if (user === null) {
      user = {
        id: newId('user'),
        team_id: teamId,
        name: body.user,
        role: body.role,
        shops,
        password_hash: passwordHash ?? null,
        pin_hash: pinHash ?? null,
        created_at: now,
      };
      await tx.query(
        'INSERT INTO users (id, team_id, name, role, shops, password_hash, pin_hash, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8)',
        [user.id, teamId, user.name, user.role, JSON.stringify(shops), user.password_hash, user.pin_hash, now],
      );
    } else {
      if (user.id === owner.id && body.role !== 'owner') throw new HubFailure('BAD_REQUEST', 'the owner cannot take away their own owner role');
      user = { ...user, role: body.role, shops, password_hash: passwordHash ?? user.password_hash, pin_hash: pinHash ?? user.pin_hash };
      await tx.query('UPDATE users SET role = $3, shops = $4, password_hash = $5, pin_hash = $6, updated_at = $7 WHERE team_id = $1 AND id = $2', [
        teamId,
        user.id,
        user.role,
        JSON.stringify(shops),
        user.password_hash,
        user.pin_hash,
        now,
      ]);
    }
    await tx.query('INSERT INTO join_codes (code_hash, team_id, user_id, role, created_by, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7)', [
      joinCodeHash(code),
      teamId,
      user.id,
      body.role,
      owner.id,
      now,
      expiresAt,
    ]);
    await publishUser(tx, user);
    return { code, expiresAt, user: userView(user) };
  });
}

/** POST /v1/join: spends a code (once; a used or expired one is refused) and makes the station. */
export async function join(engine: Engine, code: string, stationName: string, now = Date.now(), bringsRows = false): Promise<JoinResponse> {
  return engine.transaction(async (tx) => {
    const r = await tx.query<{ team_id: string; user_id: string; expires_at: number; used_at: number | null; team_name: string }>(
      'SELECT j.team_id, j.user_id, j.expires_at, j.used_at, t.name AS team_name FROM join_codes j JOIN teams t ON t.id = j.team_id WHERE j.code_hash = $1 FOR UPDATE OF j',
      [joinCodeHash(code)],
    );
    const j = r.rows[0];
    if (!j) throw new HubFailure('JOIN_CODE_INVALID', 'this join code is not known to the hub; check it or ask the owner for a new one');
    if (j.used_at !== null) throw new HubFailure('JOIN_CODE_USED', 'this join code already joined a station; ask the owner for a new one');
    if (Number(j.expires_at) <= now) throw new HubFailure('JOIN_CODE_EXPIRED', 'this join code ran out; ask the owner for a new one');
    const user = await userById(tx, j.team_id, j.user_id);
    if (!user) throw new HubFailure('JOIN_CODE_INVALID', 'the person this code was made for is gone; ask the owner for a new one');
    // The first station of a new team brings its rows as `hub.join` ops, which only an owner may
    // push: under anyone else's code every one would be refused and the rows never reach the team.
    // Refused here, before the code is spent, so the owner's code can be used instead.
    if (bringsRows && user.role !== 'owner' && !(await teamHasStationRows(tx, j.team_id))) {
      throw new HubFailure(
        'FORBIDDEN',
        `this team has no orders, shops or stock yet and this station holds some: the first station must join with the owner's code (this code is ${user.name}'s, a ${user.role}, and was not spent)`,
      );
    }
    const token = newToken(STATION_TOKEN_PREFIX);
    const stationId = newId('st');
    await tx.query('INSERT INTO stations (id, team_id, name, user_id, token_hash, last_seq, created_at) VALUES ($1,$2,$3,$4,$5,0,$6)', [
      stationId,
      j.team_id,
      stationName,
      user.id,
      tokenHash(token),
      now,
    ]);
    await tx.query('UPDATE join_codes SET used_at = $2, station_id = $3 WHERE code_hash = $1', [joinCodeHash(code), now, stationId]);
    return { stationId, token, team: { id: j.team_id, name: j.team_name }, user: userView(user) };
  });
}

/** Whether any station has written a row to the team (the hub's own rows, its users, do not count). */
async function teamHasStationRows(tx: Queryable, teamId: string): Promise<boolean> {
  const hubTables = SYNCED_TABLES.filter((t) => t.rule === 'hub').map((t) => t.name);
  const r = await tx.query('SELECT 1 FROM rows WHERE team_id = $1 AND NOT (tbl = ANY($2::text[])) LIMIT 1', [teamId, hubTables]);
  return r.rows.length > 0;
}

/** GET /v1/team: the caller's team only. */
export async function teamView(engine: Queryable, caller: Caller): Promise<TeamResponse> {
  const users = await engine.query<UserRow>('SELECT * FROM users WHERE team_id = $1 ORDER BY created_at, name', [caller.team.id]);
  const stations = await engine.query<StationRow>('SELECT * FROM stations WHERE team_id = $1 ORDER BY created_at, name', [caller.team.id]);
  return {
    team: caller.team,
    users: users.rows.map((u) => ({ ...userView(u), createdAt: Number(u.created_at), hasPin: u.pin_hash !== null })),
    stations: stations.rows.map(stationView),
  };
}

/** POST /v1/stations/:id/revoke: an id of another team is simply not found. */
export async function revokeStation(engine: Engine, caller: Caller, stationId: string, now = Date.now()): Promise<HubStation> {
  requireOwner(caller);
  return engine.transaction(async (tx) => {
    const r = await tx.query<StationRow>(
      'UPDATE stations SET revoked_at = COALESCE(revoked_at, $3) WHERE team_id = $1 AND id = $2 RETURNING *',
      [caller.team.id, stationId, now],
    );
    const s = r.rows[0];
    if (!s) throw new HubFailure('NOT_FOUND', `no station ${stationId} in this team`);
    await tx.query('SELECT pg_notify($1, $2)', [HUB_CHANNEL, JSON.stringify({ team: caller.team.id, revoked: s.id })]);
    return stationView(s);
  });
}
