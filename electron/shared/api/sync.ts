// The sync domain of the API: pull status and runs, quarantined payloads, push-backs to the platform.
// Handlers: electron/core/sync/api.ts.
import { z } from 'zod';
import type { CarrierCode } from '../carriers.ts';
import type { Platform } from '../model.ts';
import type { SyncError } from '../sync-errors.ts';
import type { StoredError } from '../stored-error.ts';
import { ALL_ROLES, MANAGERS } from '../roles.ts';
import { enumList, epochMs, id, ids, reason } from './common.ts';
import { type MethodDecl, out } from './define.ts';
import type { ShopSummary } from './shops.ts';

export const PUSH_STATES = ['pending', 'sending', 'confirmed', 'failed', 'conflict', 'superseded'] as const;
export type PushState = (typeof PUSH_STATES)[number];

export interface ShopSyncState {
  shopId: string;
  shopName: string;
  platform: Platform;
  state: ShopSummary['state'];
  lastSuccessAt: number | null;
  lastError: SyncError | null;
  syncing: boolean;
}

export interface SyncRunView {
  id: string;
  shopId: string;
  shopName: string;
  platform: Platform;
  trigger: 'schedule' | 'manual' | 'backfill';
  startedAt: number;
  finishedAt: number | null;
  pulled: number;
  changed: number;
  quarantined: number;
  /** Orders kept although part of their payload could not be read; the first messages say which and why. */
  warnings: number;
  warningSamples: string[];
  error: SyncError | null;
}

export interface QuarantineView {
  id: string;
  shopId: string;
  shopName: string;
  platform: Platform;
  platformOrderId: string | null;
  reason: string;
  receivedAt: number;
  resolvedAt: number | null;
  /** The raw payload as JSON, cut to 4,000 characters for display. */
  payloadPreview: string;
}

export interface PushView {
  id: string;
  orderId: string;
  platformOrderId: string;
  shopId: string;
  shopName: string;
  platform: Platform;
  kind: 'ship' | 'memo';
  /** The frozen content: { carrierCode, waybillNo } or { memo, flag }. */
  payload: { carrierCode: CarrierCode; waybillNo: string } | { memo: string | null; flag: number };
  state: PushState;
  attempts: number;
  nextAt: number;
  /** The English message (for logs and the CLI). */
  lastError: string | null;
  /** The same error with its code, kind and reason, which the screen words. */
  lastErrorWhy: StoredError | null;
  createdAt: number;
  doneAt: number | null;
}

/** One shop's pull in sync.run: what came in, and why it stopped when it failed. */
export interface ShopRunResult {
  shopId: string;
  /** Payloads received (including quarantined ones). */
  pulled: number;
  /** Orders inserted or updated. */
  changed: number;
  quarantined: number;
  /** Orders kept although part of their payload could not be read, with the first reasons. */
  warnings?: { orders: number; samples: string[] };
  /** Set when the pull stopped on an error (also recorded on the shop's cursor). */
  error?: string;
}

export const syncMethods = {
  'sync.status': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['shops', 'sync_cursors', 'pushes', 'sync_runs'],
    input: z.object({}).strict(),
    output: out<ShopSyncState[]>(),
  },
  'sync.now': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z.object({ shopId: id.optional() }).strict(),
    output: out<{ started: string[] }>(),
  },
  /**
   * One sync round, waited for: due push-backs are sent first (so the pulls see them on the
   * platform), then each shop is pulled to now (joining a pull already running). A failed shop is a
   * result with its error, not a failed call. `shopfleet sync` runs this.
   */
  'sync.run': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z.object({ shopIds: z.array(id).min(1).max(1000) }).strict(),
    output: out<{ pushesSent: number; results: ShopRunResult[] }>(),
  },
  'sync.log': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['sync_runs'],
    input: z.object({ shopId: id.optional(), errorsOnly: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: out<SyncRunView[]>(),
  },
  'quarantine.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['quarantine'],
    input: z.object({ shopId: id.optional(), includeResolved: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: out<QuarantineView[]>(),
  },
  /** Map quarantined payloads again with the current adapter (after a fix or a data correction). */
  'quarantine.retry': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ ids: z.array(id).min(1).max(1000) }).strict(),
    output: out<{ resolved: number; failed: { id: string; reason: string }[] }>(),
  },
  'pushes.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['pushes'],
    input: z
      .object({ states: enumList(PUSH_STATES).optional(), shopId: id.optional(), orderId: id.optional(), limit: z.number().int().min(1).max(1000).default(200) })
      .strict(),
    output: out<PushView[]>(),
  },
  /** Send failed or conflicting push-backs again now (the same frozen content). */
  'pushes.retry': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ ids: z.array(id).min(1).max(1000) }).strict(),
    output: out<{ requeued: number }>(),
  },
  /** Move shops' cursors back so their next pull re-reads from sinceMs (`shopfleet sync --since`). */
  'sync.rewind': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ shopIds: z.array(id).min(1).max(1000), sinceMs: epochMs }).strict(),
    output: out<{ rewound: number }>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type SyncMethod = keyof typeof syncMethods;
