// Who is signed in at this station (docs/team-hub.md#identity): on a station joined to a team hub the
// people are the hub's users, and one of them is signed in (password, or a PIN for a quick switch);
// without a hub the station's own owner is, as always. Handlers: electron/core/hub/identity-api.ts.
import { z } from 'zod';
import type { Actor } from './common.ts';
import { ALL_ROLES } from '../roles.ts';
import { type MethodDecl, out } from './define.ts';

/** A person of the team, as the sign-in picker shows them. */
export interface SessionPerson {
  id: string;
  name: string;
  role: string;
  /** They have a PIN for the quick switch (as the hub last said; false when it never said). */
  hasPin: boolean;
  /** They signed in at this station before, so they can sign in here while the hub is out of reach. */
  knownHere: boolean;
}

export interface SessionStatus {
  /** The station is joined to a team hub: its people are the hub's, and someone must sign in. */
  joined: boolean;
  /** Who is signed in; null on a joined station nobody is signed in to. */
  actor: Actor | null;
  teamName: string | null;
  stationName: string | null;
}

export interface SessionPeople {
  people: SessionPerson[];
  /** false: the hub was out of reach; the list is the one last heard, or the users this station holds. */
  online: boolean;
}

export const SIGN_IN_SECRET_MAX = 256;

/** A person of the team and their password or PIN (sign-in, and proving a person). */
const personSecret = z
  .object({
    userId: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(SIGN_IN_SECRET_MAX).optional(),
    pin: z
      .string()
      .max(8)
      .regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits')
      .optional(),
  })
  .strict()
  .refine((v) => (v.password === undefined) !== (v.pin === undefined), 'give a password or a PIN');

export const sessionMethods = {
  'session.status': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['meta'],
    input: z.object({}).strict(),
    output: out<SessionStatus>(),
  },
  /** The team's people for the sign-in picker (asks the hub when it answers, else what it last said). */
  'session.people': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['meta', 'users'],
    input: z.object({}).strict(),
    output: out<SessionPeople>(),
  },
  /**
   * Signs a person in at this station: by password, or by PIN (the quick switch). Checked by the hub
   * when it answers, else against what this station verified before; 5 wrong tries lock that person
   * out here for a minute.
   */
  'session.signIn': {
    kind: 'command',
    roles: ALL_ROLES,
    input: personSecret,
    output: out<SessionStatus>(),
  },
  /**
   * Proves a person by password or PIN without signing them in (the CLI's --user on a joined
   * station): the same checks, tries and lockout as signIn; answers who they are (role, shops).
   */
  'session.verify': {
    kind: 'command',
    roles: ALL_ROLES,
    input: personSecret,
    output: out<Actor>(),
  },
  /** Nobody is signed in here afterwards (a joined station shows its sign-in screen). */
  'session.signOut': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z.object({}).strict(),
    output: out<SessionStatus>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type SessionMethod = keyof typeof sessionMethods;
