// The station itself: who is calling, and the packing station's settings.
// Handlers: electron/core/station/api.ts.
import { z } from 'zod';
import type { Actor } from './common.ts';
import { ALL_ROLES, MANAGERS } from '../roles.ts';
import { type MethodDecl, out } from './define.ts';

/** When the platform is told "shipped": when the label is printed, when the parcel is scan-verified, or only by orders.ship. */
export const SHIP_ON_CHOICES = ['print', 'scan', 'manual'] as const;
export type ShipOn = (typeof SHIP_ON_CHOICES)[number];

/** The packing station's settings (electron/core/station/settings.ts), one JSON value in the meta table. */
export interface StationSettings {
  /** True: no route (orders.ship, ship on print) ships an order before its packages are scan-verified. */
  verificationRequired: boolean;
  shipOn: ShipOn;
  /** Allocate waybill numbers for printable orders in the background while online, so printing works offline. */
  prefetchWaybills: boolean;
  /** 自动审单: clean paid orders (orders/auto-review.ts) go from 待审核 to 待打单 as they arrive. */
  autoReviewClean: boolean;
  /** Read-only: the demo team set this station up, so its defaults are the demo's (shown as 演示). */
  demoStation: boolean;
}

/** A person at this station, with the role as stored (the CLI's --user names one). */
export interface StationUser {
  id: string;
  name: string;
  role: string;
}

export const stationMethods = {
  'session.whoami': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: [],
    input: z.object({}).strict(),
    output: out<Actor>(),
  },
  /** The station's users, oldest first: whom a script may act as (`--user`), and with which role. */
  'station.users': {
    kind: 'query',
    roles: MANAGERS,
    reads: ['users'],
    input: z.object({}).strict(),
    output: out<StationUser[]>(),
  },
  /** The packing station's settings: mandatory verification, and when the platform is told "shipped". */
  'station.settings': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['meta'],
    input: z.object({}).strict(),
    output: out<StationSettings>(),
  },
  'station.updateSettings': {
    kind: 'command',
    roles: MANAGERS,
    input: z
      .object({
        verificationRequired: z.boolean().optional(),
        shipOn: z.enum(SHIP_ON_CHOICES).optional(),
        prefetchWaybills: z.boolean().optional(),
        autoReviewClean: z.boolean().optional(),
      })
      .strict()
      .refine(
        (v) => v.verificationRequired !== undefined || v.shipOn !== undefined || v.prefetchWaybills !== undefined || v.autoReviewClean !== undefined,
        'change at least one setting',
      ),
    output: out<StationSettings>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type StationMethod = keyof typeof stationMethods;
