// The hub's PostgreSQL schema (drizzle pg-core). drizzle-kit generates server/db/migrations from
// this file (`npx drizzle-kit generate --config server/drizzle.config.ts`); the same migrations
// run on PGlite and on a real PostgreSQL. Times are epoch milliseconds in bigint columns, like the
// station's. Every table that holds a team's data carries team_id, and every query the hub makes
// filters by the team taken from the caller's token.
import { bigint, boolean, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });

export const teams = pgTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: ms('created_at').notNull(),
  /** Whether the hub keeps shops' authorisations for a takeover (docs/team-hub.md#shop-authorisation-on-takeover); the owner turns it off. */
  shareCredentials: boolean('share_credentials').notNull().default(true),
});

/** People of a team. shops null = every shop; the hashes are argon2id (never the secret itself). */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    name: text('name').notNull(),
    role: text('role').notNull(),
    shops: jsonb('shops').$type<string[] | null>(),
    passwordHash: text('password_hash'),
    pinHash: text('pin_hash'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('users_team_name').on(t.teamId, t.name)],
);

/** A person's sign-in to the hub itself (owners inviting and revoking); the token is stored hashed. */
export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  teamId: text('team_id')
    .notNull()
    .references(() => teams.id),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  createdAt: ms('created_at').notNull(),
  expiresAt: ms('expires_at').notNull(),
});

/** A joined station: its token is stored hashed; last_seq is the last op the hub applied for it. */
export const stations = pgTable(
  'stations',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    name: text('name').notNull(),
    userId: text('user_id').references(() => users.id),
    tokenHash: text('token_hash').notNull().unique(),
    lastSeq: ms('last_seq').notNull().default(0),
    lastSeen: ms('last_seen'),
    createdAt: ms('created_at').notNull(),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('stations_team').on(t.teamId)],
);

/** One-time join codes: each names the user (and role) the station it joins signs in. */
export const joinCodes = pgTable('join_codes', {
  codeHash: text('code_hash').primaryKey(),
  teamId: text('team_id')
    .notNull()
    .references(() => teams.id),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  role: text('role').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: ms('created_at').notNull(),
  expiresAt: ms('expires_at').notNull(),
  usedAt: ms('used_at'),
  stationId: text('station_id'),
});

/** The one global order of changes: every touched row takes the next value. */
export const syncIdSeq = pgSequence('sync_id_seq', { startWith: 1 });

/**
 * The team's rows as the hub holds them: one JSON image per (team, table, key) with each column's
 * hybrid timestamp (hlcs; '$deleted' for the deletion register, '$pv' for the platform version the
 * platform columns came with), the sync group that decides who receives it ('team' or 'shop:<id>'),
 * and the sync id of its last change. key is the key columns' values as a JSON array text.
 */
export const rows = pgTable(
  'rows',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    tbl: text('tbl').notNull(),
    key: text('key').notNull(),
    grp: text('grp').notNull(),
    image: jsonb('image').$type<Record<string, unknown>>().notNull(),
    hlcs: jsonb('hlcs').$type<Record<string, unknown>>().notNull(),
    syncId: ms('sync_id').notNull(),
    deleted: boolean('deleted').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.tbl, t.key] }), index('rows_team_sync').on(t.teamId, t.syncId), index('rows_team_grp_sync').on(t.teamId, t.grp, t.syncId)],
);

/** What the hub answered each op of each station (a refusal is a result, kept for the pull). */
export const opResults = pgTable(
  'op_results',
  {
    stationId: text('station_id')
      .notNull()
      .references(() => stations.id),
    seq: ms('seq').notNull(),
    opId: text('op_id').notNull(),
    name: text('name').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    at: ms('at').notNull(),
    rowsTouched: integer('rows_touched').notNull().default(0),
    /**
     * A refused op's rows this station is not sent by the hub (never had, or outside its groups),
     * as [table, keyText] pairs: the station deletes them (docs/team-hub.md#refused-ops).
     */
    reverts: jsonb('reverts').$type<Array<[string, string]>>(),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.seq] })],
);


/**
 * Who works an order right now: one station (and the person at it) per order, until expires_at,
 * the station releases it, or the hub merges the order's ship/close. Taken with one conditional
 * UPDATE (free, mine, or expired), so two stations asking at once get one holder. version counts
 * takeovers, so a station can tell its old claim from a new one.
 */
export const claims = pgTable(
  'claims',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    orderId: text('order_id').notNull(),
    stationId: text('station_id'),
    userId: text('user_id'),
    /** Set when a team lead took the claim for another station (a pick wave handed out). */
    byUserId: text('by_user_id'),
    expiresAt: ms('expires_at').notNull().default(0),
    version: integer('version').notNull().default(0),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.orderId] }), index('claims_team_station').on(t.teamId, t.stationId)],
);

/**
 * What the hub saw that no single station could: a second waybill for one package, a SKU's stock
 * oversold by stations that sold offline. One open row per (team, kind, subject); resolved_at
 * closes it.
 */
export const hubAlerts = pgTable(
  'hub_alerts',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    raisedAt: ms('raised_at').notNull(),
    resolvedAt: ms('resolved_at'),
  },
  (t) => [uniqueIndex('hub_alerts_open').on(t.teamId, t.kind, t.subject), index('hub_alerts_team').on(t.teamId, t.raisedAt)],
);

/**
 * Which station pulls a shop's orders from its platform (docs/team-hub.md#sync-leases): one holder
 * per shop until expires_at (renewed by taking again) or its release. Taken with one conditional
 * upsert (free, mine, or expired). fence grows every time the holder changes; an ingest stamped
 * with an older fence is refused, so a holder that lost the shop cannot overwrite the new one.
 */
export const syncLeases = pgTable(
  'sync_leases',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    shopId: text('shop_id').notNull(),
    stationId: text('station_id'),
    expiresAt: ms('expires_at').notNull().default(0),
    fence: bigint('fence', { mode: 'number' }).notNull().default(0),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.shopId] })],
);

/**
 * The hub's stock ledger per SKU and warehouse: Σ delta of every stock movement row the hub holds,
 * kept as the rows are created (a movement is an append row: created once, never changed), so the
 * oversold check reads one row instead of summing the ledger. actors: the names that moved it.
 */
export const stockLedger = pgTable(
  'stock_ledger',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    skuId: text('sku_id').notNull(),
    warehouseId: text('warehouse_id').notNull(),
    onHand: bigint('on_hand', { mode: 'number' }).notNull().default(0),
    actors: jsonb('actors').$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.skuId, t.warehouseId] })],
);

/**
 * A shop's authorisation (app secret, access and refresh tokens) kept for the station that takes
 * the shop over (docs/team-hub.md#shop-authorisation-on-takeover): sealed with AES-256-GCM under
 * the hub's credential key, which is never in the database. version grows with every upload, so a
 * station holding an older copy (a refresh token rotated since) knows to fetch.
 */
export const shopCredentials = pgTable(
  'shop_credentials',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    shopId: text('shop_id').notNull(),
    sealed: text('sealed').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    stationId: text('station_id'),
    userName: text('user_name'),
    uploadedAt: ms('uploaded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.shopId] })],
);

/** Who uploaded or fetched (or was refused) which shop's authorisation, and when; never the secrets. */
export const credentialAudit = pgTable(
  'credential_audit',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    shopId: text('shop_id').notNull(),
    action: text('action').notNull(),
    stationId: text('station_id'),
    userName: text('user_name'),
    version: bigint('version', { mode: 'number' }),
    reason: text('reason'),
    at: ms('at').notNull(),
  },
  (t) => [index('credential_audit_team').on(t.teamId, t.at)],
);

/**
 * Wrong sign-ins per user and per address (server/hub/login-limit.ts), kept in the database so
 * every hub process over it counts the same tries. `key`: `user:<team>:<name>` or `ip:<address>`.
 */
export const loginAttempts = pgTable('login_attempts', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  firstAt: ms('first_at').notNull(),
  lockedUntil: ms('locked_until'),
});
