// The hub's wire contract (docs/team-hub.md): every request and answer of the hub's HTTP and
// WebSocket endpoints as zod schemas, imported by the hub (server/) to validate what it receives
// and by the station's sync client (electron/core/hub/) to validate what it is answered. A change
// here is a change of the contract: both sides see it at once through the compiler.
import { z } from 'zod';
import { ROLES } from '../model.ts';

/**
 * The op schema versions this contract describes. A station sends its version with each push; a
 * hub that does not know it answers 426 STATION_TOO_OLD and the station keeps its ops.
 */
export const HUB_SCHEMA_VERSIONS = [1] as const;
export const HUB_SCHEMA_VERSION = 1;

export const hubRole = z.enum(ROLES);
/** The roles a person can be given, for command lines and forms. */
export const ROLES_FOR_CLI = ROLES;
export type HubRole = z.infer<typeof hubRole>;

const name = z.string().trim().min(1).max(64);
/** A password: long enough to matter, short enough that hashing it stays cheap. */
const password = z.string().min(8).max(256);
/** A PIN for a quick switch at a shared packing station: 4–8 digits. */
const pin = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');

// ---------- errors ----------

/**
 * Transport-level refusals (the request as a whole). Business refusals of one op are results
 * (pushResult), never one of these.
 */
export const HUB_ERROR_CODES = [
  'BAD_REQUEST', // 400: the body or query does not match this contract; `issues` says where
  'UNAUTHORIZED', // 401: no token, or a token the hub does not know
  'TOKEN_REVOKED', // 401: the station was revoked by an owner; join again with a new code
  'SESSION_EXPIRED', // 401: a person's sign-in ran out; log in again
  'BAD_CREDENTIALS', // 401: wrong team, user, password or PIN (one code for all: no user probing)
  'FORBIDDEN', // 403: the token is valid but its role may not do this
  'NOT_FOUND', // 404: nothing of the caller's team has that id
  'JOIN_CODE_INVALID', // 400: unknown code
  'JOIN_CODE_USED', // 400: the code already joined a station; ask for a new one
  'JOIN_CODE_EXPIRED', // 400: the code ran out; ask for a new one
  'CONFLICT', // 409: a name already taken (a user, a team)
  'OUT_OF_ORDER', // 409: a push skipped ops; resend from lastSeq + 1
  'STATION_TOO_OLD', // 426: the hub does not know the push's schemaVersion; update the station
  'SIGN_IN_LOCKED', // 429: too many wrong sign-ins for this person or from this address; wait retryAfterMs
  'INTERNAL', // 500
] as const;
export type HubErrorCode = (typeof HUB_ERROR_CODES)[number];

export const hubError = z.object({
  code: z.enum(HUB_ERROR_CODES),
  message: z.string(),
  /** OUT_OF_ORDER: the last op the hub applied for this station. */
  lastSeq: z.number().int().nonnegative().optional(),
  /** BAD_REQUEST: where the body or query failed the schema. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** STATION_TOO_OLD: the versions this hub accepts. */
  accepts: z.array(z.number().int()).optional(),
  /** SIGN_IN_LOCKED: how long until a sign-in is checked again (also the Retry-After header, in seconds). */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type HubError = z.infer<typeof hubError>;

// ---------- identity ----------

export const hubUser = z.object({
  id: z.string(),
  name: z.string(),
  role: hubRole,
  /** null = every shop of the team; else the shop ids this user may see and change. */
  shops: z.array(z.string()).nullable(),
});
export type HubUser = z.infer<typeof hubUser>;

export const hubTeam = z.object({ id: z.string(), name: z.string() });
export type HubTeam = z.infer<typeof hubTeam>;

/**
 * POST /v1/login. Without a token: a person signs in to the hub by team name, user name and
 * password and receives a session token (owners use it to invite and revoke). With a station token
 * (Authorization: Bearer): the team is the station's, and a password or a PIN checks a person
 * signing in at that station (no session is made; the answer says who they are). Without a token,
 * `team` may be left out on a hub that holds one team, and `user` means the team's owner.
 */
export const loginRequest = z
  .object({
    team: name.optional(),
    user: name.optional(),
    password: z.string().min(1).max(256).optional(),
    pin: pin.optional(),
  })
  .refine((b) => b.password !== undefined || b.pin !== undefined, { message: 'a password or a PIN is needed' });
export type LoginRequest = z.infer<typeof loginRequest>;

export const loginResponse = z.object({
  team: hubTeam,
  user: hubUser,
  /** A session token for a person signing in to the hub itself; absent for a station's check. */
  token: z.string().optional(),
  expiresAt: z.number().int().optional(),
});
export type LoginResponse = z.infer<typeof loginResponse>;

/**
 * POST /v1/invites (an owner's session token): makes or updates the user with that role and shop
 * scope, and answers a one-time join code that signs a new station in as that user.
 */
export const inviteRequest = z.object({
  user: name,
  role: hubRole,
  shops: z.array(z.string().min(1)).nullable().optional(),
  /** Sets the user's password (a new user without one can only work through stations). */
  password: password.optional(),
  pin: pin.optional(),
  /** How long the code stays good; default 24 h, at most 7 days. */
  ttlMinutes: z
    .number()
    .int()
    .positive()
    .max(7 * 24 * 60)
    .optional(),
});
export type InviteRequest = z.infer<typeof inviteRequest>;

export const inviteResponse = z.object({ code: z.string(), expiresAt: z.number().int(), user: hubUser });
export type InviteResponse = z.infer<typeof inviteResponse>;

/** POST /v1/join (no token): a one-time code becomes a station and its token. */
export const joinRequest = z.object({
  code: z.string().trim().min(1).max(64),
  name,
  /**
   * The station holds rows of the synced tables: joining a team that has none yet, it brings them as
   * owner-only `hub.join` ops, so the hub refuses such a join with a code that is not the owner's
   * before spending it (docs/team-hub.md#join-bootstrap-leave). Absent: an older station, not checked.
   */
  bringsRows: z.boolean().optional(),
});
export type JoinRequest = z.infer<typeof joinRequest>;

export const joinResponse = z.object({
  stationId: z.string(),
  /** The station token: shown once, stored hashed on the hub; send it as Authorization: Bearer. */
  token: z.string(),
  team: hubTeam,
  /** The person the code signs in (the station's first user). */
  user: hubUser,
});
export type JoinResponse = z.infer<typeof joinResponse>;

// ---------- push ----------

/** A row's key as it travels: the key columns' values in the table's key order. */
export const rowKey = z.array(z.union([z.string(), z.number()])).min(1);

/** One row an op's transaction changed: the current values of the changed columns, or a deletion. */
export const opEffect = z.object({
  table: z.string().min(1),
  key: rowKey,
  columns: z.record(z.string(), z.unknown()),
  deleted: z.literal(true).optional(),
});
export type OpEffect = z.infer<typeof opEffect>;

export const pushOp = z.object({
  /** Strictly increasing per station, from 1, without gaps. */
  seq: z.number().int().positive(),
  id: z.string().min(1).max(128),
  /** The command name (a method of electron/shared/api, or 'sync.ingest'); versioned when its meaning changes. */
  name: z.string().min(1).max(128),
  /** The op's hybrid logical clock (HybridClock.encode): string order is clock order. */
  hlc: z.string().min(1).max(128),
  /** Who ran it: a user's name, or 'sync' for ingest. */
  actor: z.string().min(1).max(64),
  args: z.unknown(),
  effects: z.array(opEffect).max(10_000),
});
export type PushOp = z.infer<typeof pushOp>;

export const pushRequest = z.object({
  stationId: z.string().min(1),
  schemaVersion: z.number().int(),
  ops: z.array(pushOp).max(500),
});
export type PushRequest = z.infer<typeof pushRequest>;

/** The hub's answer to one op: applied, or refused with a stable reason (a result, not an error). */
export const opResult = z.object({
  seq: z.number().int().positive(),
  opId: z.string(),
  name: z.string(),
  status: z.enum(['applied', 'refused']),
  reason: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  /**
   * A refused op's rows the hub will not send this station (it never had them, or they are outside
   * the station's groups): the station deletes them, unless a later op of its own still writes them.
   * The refused op's other rows come back on the next pull under a new sync id.
   */
  reverts: z.array(z.object({ table: z.string(), key: rowKey })).optional(),
});
export type OpResult = z.infer<typeof opResult>;

export const pushResponse = z.object({
  lastSeq: z.number().int().nonnegative(),
  /** Results of the ops this push applied or refused (skipped ones, already done, are not repeated). */
  results: z.array(opResult),
});
export type PushResponse = z.infer<typeof pushResponse>;

// ---------- pull ----------

/** GET /v1/pull query. cursor 0 = bootstrap (every row's latest image). */
export const pullQuery = z.object({
  cursor: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().positive().max(5000).default(1000),
  /** Results of this station's ops with seq > resultsAfter come back (the station's last marked op). */
  resultsAfter: z.coerce.number().int().nonnegative().default(0),
});
export type PullQuery = z.infer<typeof pullQuery>;

export const pulledRow = z.object({
  syncId: z.number().int().positive(),
  table: z.string(),
  key: rowKey,
  /** The row's whole image (travelling columns), or null when it was deleted. */
  image: z.record(z.string(), z.unknown()).nullable(),
  /**
   * The greatest hybrid timestamp among the row's column writes (and its deletion), which the
   * station observes into its clock; absent for rows only the hub writes, and from older hubs.
   */
  hlc: z.string().min(1).max(128).optional(),
});
export type PulledRow = z.infer<typeof pulledRow>;

export const pullResponse = z.object({
  /** The sync id to ask from next time (the last row's, or the asked cursor when nothing changed). */
  cursor: z.number().int().nonnegative(),
  /** More rows wait beyond this page: pull again at once with the new cursor. */
  more: z.boolean(),
  lastSeq: z.number().int().nonnegative(),
  /** Results of the station's ops with seq > resultsAfter, in seq order (at most 1000). */
  results: z.array(opResult),
  rows: z.array(pulledRow),
});
export type PullResponse = z.infer<typeof pullResponse>;

// ---------- events (WebSocket) ----------

/**
 * GET /v1/events, upgraded to a WebSocket; the token as Authorization: Bearer or ?token=. The hub
 * says hello once, then pokes whenever rows of the caller's sync groups changed (on any hub
 * process: pokes fan out through PostgreSQL LISTEN/NOTIFY). A poke carries no rows: pull.
 */
export const hubEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), teamId: z.string(), stationId: z.string().nullable() }),
  z.object({ type: z.literal('poke'), syncId: z.number().int().nonnegative() }),
  /** The station was revoked while connected: the socket closes after this. */
  z.object({ type: z.literal('revoked') }),
]);
export type HubEvent = z.infer<typeof hubEvent>;

// ---------- team ----------

export const hubStation = z.object({
  id: z.string(),
  name: z.string(),
  /** The user its join code signed in. */
  userId: z.string().nullable(),
  lastSeq: z.number().int().nonnegative(),
  lastSeen: z.number().int().nullable(),
  createdAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
});
export type HubStation = z.infer<typeof hubStation>;

/** GET /v1/team (a station's or a person's token): the team's people and stations. */
export const teamResponse = z.object({
  team: hubTeam,
  users: z.array(hubUser.extend({ createdAt: z.number().int(), hasPin: z.boolean() })),
  stations: z.array(hubStation),
});
export type TeamResponse = z.infer<typeof teamResponse>;

/** POST /v1/stations/:id/revoke (an owner's session token). */
export const revokeResponse = z.object({ station: hubStation });
export type RevokeResponse = z.infer<typeof revokeResponse>;

export const healthResponse = z.object({
  ok: z.literal(true),
  engine: z.enum(['pglite', 'postgres']),
  schemaVersions: z.array(z.number().int()),
});
export type HealthResponse = z.infer<typeof healthResponse>;

/** The hub's paths, named once for both sides. */
export const HUB_PATHS = {
  health: '/healthz',
  login: '/v1/login',
  invites: '/v1/invites',
  join: '/v1/join',
  push: '/v1/push',
  pull: '/v1/pull',
  events: '/v1/events',
  team: '/v1/team',
  revoke: (stationId: string) => `/v1/stations/${encodeURIComponent(stationId)}/revoke`,
} as const;
