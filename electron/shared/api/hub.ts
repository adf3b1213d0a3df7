// The station's link to its team hub (docs/team-hub.md): where it stands, joining with a one-time
// code, a sync round now, leaving. Handlers: electron/core/hub/api.ts. `hub.join` is also the op
// name under which the first station of a new team brings the rows it already holds.
import { z } from 'zod';
import { hubRole, type HubStation, type HubUser } from '../hub/protocol.ts';
import type { LeaseView } from '../hub/leases.ts';
import { ALL_ROLES, MANAGERS, OWNER } from '../roles.ts';
import { type MethodDecl, out } from './define.ts';

/** An op the hub refused: what it was, why (a stable reason with its details) and when it was written. */
export interface HubRefusedOp {
  id: string;
  seq: number;
  name: string;
  actor: string;
  at: number;
  reason: string | null;
  details: Record<string, unknown> | null;
}

/** An order's claim as the station knows it: held here, or by another station of the team. */
export interface HubClaimView {
  orderId: string;
  mine: boolean;
  stationName: string | null;
  userName: string | null;
  expiresAt: number;
}

export interface HubStatus {
  /** False: no hub configured; nothing below is meaningful and nothing runs. */
  joined: boolean;
  url: string | null;
  stationId: string | null;
  stationName: string | null;
  team: { id: string; name: string } | null;
  user: { id: string; name: string; role: string; shops: string[] | null } | null;
  /** The last round reached the hub (false before the first round, and after a failed one). */
  connected: boolean;
  lastPushAt: number | null;
  lastPullAt: number | null;
  lastError: { at: number; message: string; code: string | null } | null;
  /** The hub said this station is too old to push: update it; its ops are kept. */
  tooOld: boolean;
  /** Ops written here the hub has not answered yet. */
  opsWaiting: number;
  /** How many the hub refused, and the newest of them (at most 50). */
  opsRefused: number;
  refused: HubRefusedOp[];
  /** The hub's sync id this station has applied up to. */
  cursor: number;
  /** Orders this station holds a live claim on (its own take answers and the hub's pulled claims). */
  claimsHeld: number;
  /** Which station pulls each shop from its platform (sync leases), as this station knows it; empty without a hub. */
  leases: LeaseView[];
}

/** The team's people and stations as the hub answered (GET /v1/team), or the last answer when offline. */
export interface HubTeamView {
  team: { id: string; name: string };
  users: (HubUser & { createdAt: number; hasPin: boolean })[];
  stations: HubStation[];
  /** This station's id on the hub (its row is marked in the list). */
  thisStationId: string;
  /** When the hub gave this answer. */
  fetchedAt: number;
  /** false: the hub was not reached just now; this is the last answer it gave. */
  online: boolean;
  /** Why the hub was not asked or refused (English, for logs), with its code when it gave one. */
  error: { message: string; code: string | null } | null;
}

/** A hub alert as this station last pulled it (docs/team-hub.md#hub-alerts-and-shared-stock). */
export interface HubAlertView {
  id: string;
  kind: string;
  subject: string;
  details: Record<string, unknown>;
  raisedAt: number;
  resolvedAt: number | null;
  /** OVERSOLD: the SKU's outer code and the warehouse's name as this station knows them (null: not known here). */
  sku: string | null;
  warehouse: string | null;
}

/** A 离线配额 this station pulled (docs/team-hub.md#stock-quotas), with the names this station knows. */
export interface HubQuotaView {
  stationId: string;
  /** null: a station this one has not heard of yet (the team page was never opened). */
  stationName: string | null;
  /** This station's own quota. */
  mine: boolean;
  skuId: string;
  /** The SKU's code here (null: a SKU this station does not have). */
  sku: string | null;
  /** '' = the SKU in every warehouse together. */
  warehouseId: string;
  warehouse: string | null;
  quantity: number;
  setBy: string;
  updatedAt: number;
}

const quotaSetEntry = z
  .object({
    /** The station's id or its name in the team. */
    station: z.string().trim().min(1).max(64),
    /** The SKU's code (商家编码). */
    sku: z.string().trim().min(1).max(64),
    /** A warehouse's code; left out: the SKU in every warehouse together. */
    warehouse: z.string().trim().max(64).optional(),
    /** null removes the quota. */
    quantity: z.number().int('a quota is a whole number of units').min(0, 'a quota is 0 or more units').max(1_000_000).nullable(),
  })
  .strict();

const setQuotasInput = z
  .object({
    quotas: z.array(quotaSetEntry).min(1).max(500),
    /**
     * Only when the person this station joined as may not set quotas: who signs in to the hub
     * (default: the signed-in user) and their hub password.
     */
    user: z.string().trim().min(1).max(64).optional(),
    password: z.string().min(1).max(256).optional(),
  })
  .strict();
export type HubSetQuotasInput = z.infer<typeof setQuotasInput>;

/** Names a person on the hub and their password: the owner confirming an act of the owner. */
const ownerConfirm = {
  owner: z.string().trim().min(1).max(64),
  password: z.string().min(1, 'type the owner password to confirm').max(256),
};

export interface HubSyncResult {
  pushed: number;
  pulled: number;
  refused: number;
  /** Pulled rows left as they are here because this station's own writes to them are not acknowledged yet. */
  kept: number;
  conflicts: number;
  cursor: number;
}

export interface HubJoinResult {
  status: HubStatus;
  /** Rows this station brought into a new team (0 when the team already had rows). */
  broughtRows: number;
}

const url = z
  .string()
  .trim()
  .max(2048, 'a hub address is at most 2048 characters')
  .url('the hub address is a URL such as http://192.168.1.10:7300')
  .refine((u) => /^https?:\/\//i.test(u), 'the hub address starts with http:// or https://');

export const hubMethods = {
  'hub.status': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['ops'],
    input: z.object({}).strict(),
    output: out<HubStatus>(),
  },
  /** Joins this station to a hub with a one-time code (`shopfleet hub invite` makes one), then syncs once. */
  'hub.join': {
    kind: 'command',
    roles: OWNER,
    input: z.object({ url, code: z.string().trim().min(1).max(64), name: z.string().trim().min(1).max(64) }).strict(),
    output: out<HubJoinResult>(),
  },
  /** One push and pull now. */
  'hub.syncNow': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z.object({}).strict(),
    output: out<HubSyncResult>(),
  },
  /**
   * Who holds these orders, as this station last heard from the hub (claims taken when printing;
   * docs/team-hub.md#claims). Orders nobody is known to hold are left out; empty without a hub.
   */
  'hub.claims': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['ops', 'packages'],
    input: z.object({ ids: z.array(z.string().min(1).max(64)).max(20_000) }).strict(),
    output: out<HubClaimView[]>(),
  },
  /**
   * The team's people and stations (GET /v1/team with this station's token). Offline, or when the
   * hub refuses, the last answer it gave, marked `online: false`; null without a hub.
   */
  'hub.team': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['users'],
    input: z.object({}).strict(),
    output: out<HubTeamView | null>(),
  },
  /** Revokes a station of the team: signs the owner in to the hub with their password, then revokes. */
  'hub.revokeStation': {
    kind: 'command',
    roles: OWNER,
    input: z.object({ stationId: z.string().trim().min(1).max(64), ...ownerConfirm }).strict(),
    output: out<{ station: HubStation }>(),
  },
  /** A one-time join code for a person (made or updated with this role and shops), as the owner. */
  'hub.invite': {
    kind: 'command',
    roles: OWNER,
    input: z
      .object({
        user: z.string().trim().min(1).max(64),
        role: hubRole,
        shops: z.array(z.string().min(1).max(64)).max(500).nullable(),
        ...ownerConfirm,
      })
      .strict(),
    output: out<{ code: string; expiresAt: number; user: HubUser }>(),
  },
  /** The hub's alerts this station has pulled (DUPLICATE_WAYBILL, OVERSOLD), open ones first, newest first. */
  'hub.alerts': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['hub_alerts'],
    input: z.object({ open: z.boolean().optional() }).strict(),
    output: out<HubAlertView[]>(),
  },
  /** The 离线配额 this station pulled (all stations'), optionally of one SKU (its code); empty without a hub. */
  'hub.quotas': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['stock_quotas'],
    input: z.object({ sku: z.string().trim().min(1).max(64).optional() }).strict(),
    output: out<HubQuotaView[]>(),
  },
  /**
   * Sets or removes 离线配额 on the hub (an owner or operator; the station's token, or the person's
   * hub password when the station joined as someone else), then pulls them.
   */
  'hub.setQuotas': {
    kind: 'command',
    roles: MANAGERS,
    input: setQuotasInput,
    output: out<{ set: number; removed: number }>(),
  },
  /** Forgets the hub (its rows stay on this station; ops not yet pushed stay unsent). */
  'hub.leave': {
    kind: 'command',
    roles: OWNER,
    input: z.object({}).strict(),
    output: out<{ left: boolean }>(),
  },
} satisfies Record<string, MethodDecl>;
