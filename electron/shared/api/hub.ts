// The station's link to its team hub (docs/team-hub.md): where it stands, joining with a one-time
// code, a sync round now, leaving. Handlers: electron/core/hub/api.ts. `hub.join` is also the op
// name under which the first station of a new team brings the rows it already holds.
import { z } from 'zod';
import type { LeaseView } from '../hub/leases.ts';
import { ALL_ROLES, OWNER } from '../roles.ts';
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
  /** Which station pulls each shop from its platform (sync leases), as this station knows it; empty without a hub. */
  leases: LeaseView[];
}

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
  /** Forgets the hub (its rows stay on this station; ops not yet pushed stay unsent). */
  'hub.leave': {
    kind: 'command',
    roles: OWNER,
    input: z.object({}).strict(),
    output: out<{ left: boolean }>(),
  },
} satisfies Record<string, MethodDecl>;
