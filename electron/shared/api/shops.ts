// The shops domain of the API: connecting seller accounts, their settings, credentials and OAuth.
// Handlers: electron/core/shops/api.ts.
import { z } from 'zod';
import type { Platform } from '../model.ts';
import type { SyncError } from '../sync-errors.ts';
import { ALL_ROLES, MANAGERS, OWNER } from '../roles.ts';
import { lineText, nameSchema } from '../text-guard.ts';
import { epochMs, id } from './common.ts';
import { type MethodDecl, out } from './define.ts';

/** Platforms a person can connect with credentials (the sandbox needs none). */
export const CONNECTABLE_PLATFORMS = ['taobao', 'tmall', 'pdd', 'jd', 'douyin', 'kuaishou'] as const;
export type ConnectablePlatform = (typeof CONNECTABLE_PLATFORMS)[number];

const credential = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim().min(1, `${what} must not be empty`).max(4096, `${what} is too long`);

/** Connecting a seller account. The secrets in it never reach the ops row or the audit log. */
export const shopAddSchema = z
  .object({
    platform: z.enum(CONNECTABLE_PLATFORMS, { error: `platform must be one of: ${CONNECTABLE_PLATFORMS.join(', ')}` }),
    name: nameSchema('shop name', 50),
    appKey: credential('app key'),
    appSecret: credential('app secret'),
    accessToken: credential('access token'),
    refreshToken: credential('refresh token').optional(),
    /** Overrides the platform's production gateway (sandbox, proxies). */
    gateway: z
      .string({ error: 'gateway must be an http(s) URL' })
      .trim()
      .regex(/^https?:\/\/\S+$/, 'gateway must be an http(s) URL')
      .max(500, 'gateway is too long')
      .optional(),
  })
  .strict();

const gatewayUrl = lineText(
  z
    .string({ error: 'gateway must be an http(s) URL' })
    .trim()
    .regex(/^https?:\/\/\S+$/, 'gateway must be an http(s) URL')
    .max(500, 'gateway is too long'),
);

/** Editing a shop's connection settings (not its secrets: re-authorise or shops.updateCredentials). */
export const shopUpdateSchema = z
  .object({
    id,
    name: nameSchema('shop name', 50).optional(),
    /** null: back to the platform's production gateway. */
    gateway: gatewayUrl.nullable().optional(),
    /** Where the OAuth authorisation page is (a sandbox's, for tests); null: the platform's own. */
    oauthBase: gatewayUrl.nullable().optional(),
    syncIntervalMinutes: z.number().int().min(1, 'sync at most every minute').max(1440, 'sync at least once a day').optional(),
    backfillDays: z.number().int().min(1).max(90, 'platforms keep at most 90 days').optional(),
  })
  .strict();

/** Tokens pasted by hand (re-authorise without the browser flow), optionally with a new app secret. */
export const shopCredentialsSchema = z
  .object({
    id,
    appKey: credential('app key').optional(),
    appSecret: credential('app secret').optional(),
    accessToken: credential('access token'),
    refreshToken: credential('refresh token').optional(),
    /** When the access token expires (epoch ms), if the platform said. */
    accessTokenExpiresAt: epochMs.optional(),
  })
  .strict();

export interface ShopSummary {
  id: string;
  name: string;
  platform: Platform;
  state: 'active' | 'paused' | 'auth_expired';
  orderCount: number;
}

/** A shop with its last pull, as `shopfleet shops list` prints it (oldest shop first). */
export interface ShopConnection {
  id: string;
  name: string;
  platform: Platform;
  state: ShopSummary['state'];
  lastSuccessAt: number | null;
  /** The last pull's error as one line, "code: message" when it was classified. */
  lastError: string | null;
}

export interface ShopOverview extends ShopSummary {
  appKey: string | null;
  /** The gateway override, or null for the platform's production gateway. */
  gateway: string | null;
  syncIntervalMs: number;
  backfillDays: number;
  /** Orders modified before this platform time are stored: lag = now - cursorMs. */
  cursorMs: number | null;
  lastSuccessAt: number | null;
  lastErrorAt: number | null;
  /** Classified when it happened (code, kind, English message); the renderer words the kind. */
  lastError: SyncError | null;
  /** Payloads pulled since midnight (Asia/Shanghai). */
  pulledToday: number;
  quarantined: number;
  pendingPushes: number;
  failedPushes: number;
  syncing: boolean;
  /** When the access token expires, when known. */
  accessTokenExpiresAt: number | null;
  /** True when the platform's OAuth flow can be started from here (needs the shop's app key). */
  canAuthorize: boolean;
}

export interface AuthorizeStart {
  /** Open this in the system browser. */
  url: string;
  /** The loopback URL the platform redirects to (registered as the app's callback). */
  redirectUri: string;
  state: string;
  /** The loopback listener gives up after this (epoch ms); pasting the code still works until then. */
  expiresAt: number;
}

export const shopsMethods = {
  'shops.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['shops'],
    input: z.object({}).strict(),
    output: out<ShopSummary[]>(),
  },
  /** Every shop with its last pull, in the order they were connected (the CLI's shop list and sync). */
  'shops.connections': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['shops', 'sync_cursors'],
    input: z.object({}).strict(),
    output: out<ShopConnection[]>(),
  },
  'shops.add': {
    kind: 'command',
    roles: OWNER,
    input: shopAddSchema,
    /** The new shop (its secrets are stored encrypted and never returned). */
    output: out<ShopSummary>(),
  },
  'shops.pause': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ id }).strict(),
    output: out<ShopSummary>(),
  },
  'shops.resume': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ id }).strict(),
    output: out<ShopSummary>(),
  },
  /** The Shops page: every shop with its connection, schedule and sync health. */
  'shops.overview': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['shops', 'sync_cursors', 'sync_runs', 'quarantine', 'pushes', 'orders'],
    input: z.object({}).strict(),
    output: out<ShopOverview[]>(),
  },
  'shops.update': {
    kind: 'command',
    roles: MANAGERS,
    input: shopUpdateSchema,
    output: out<ShopSummary>(),
  },
  'shops.updateCredentials': {
    kind: 'command',
    roles: OWNER,
    input: shopCredentialsSchema,
    output: out<ShopSummary>(),
  },
  /**
   * Begin the platform's OAuth authorisation: returns the URL to open in the system browser. The
   * code comes back on a loopback redirect (completing by itself) or is pasted into authorizeComplete.
   */
  'shops.authorizeStart': {
    kind: 'command',
    roles: OWNER,
    input: z.object({ id }).strict(),
    output: out<AuthorizeStart>(),
  },
  /** Finish an authorisation with the pasted code, or the whole redirect URL that carries it. */
  'shops.authorizeComplete': {
    kind: 'command',
    roles: OWNER,
    input: z.object({ id, state: z.string().min(1).max(200), code: z.string().trim().min(1, 'paste the code or the redirect URL').max(4096) }).strict(),
    output: out<ShopSummary>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type ShopsMethod = keyof typeof shopsMethods;
