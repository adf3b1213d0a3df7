// The sync-lease part of the hub contract (docs/team-hub.md#sync-leases): which station pulls a
// shop's orders from its platform. One station at a time holds a shop's lease, renews it while it
// keeps syncing, and stamps what it ingests with the lease's fencing number; the hub refuses an
// ingest stamped with a fence older than the shop's current one. Validated on both sides with
// these schemas.
import { z } from 'zod';
import type { TakeoverAuthProblem } from './credentials.ts';

/** Default lease length; the holder renews at half of it, so one missed renewal does not lose it. */
export const DEFAULT_LEASE_TTL_MS = 2 * 60 * 1000;
export const MIN_LEASE_TTL_MS = 1000;
export const MAX_LEASE_TTL_MS = 60 * 60 * 1000;
export const MAX_LEASE_SHOPS = 1000;

/** The refusal of an ingest whose fence is older than the shop's current lease (a result, never a transport error). */
export const LEASE_LOST = 'LEASE_LOST';
/** The argument of a `sync.ingest` op that names the fence the station ingested under. */
export const LEASE_FENCE_ARG = 'leaseFence';

export const LEASE_PATHS = {
  take: '/v1/leases/take',
  release: '/v1/leases/release',
  list: '/v1/leases',
} as const;

const shopIds = z.array(z.string().min(1).max(200)).min(1).max(MAX_LEASE_SHOPS);

/** Takes each free or expired shop, renews the ones this station holds, names the holder of the rest. */
export const leasesTakeRequest = z.object({
  shopIds,
  ttlMs: z.number().int().min(MIN_LEASE_TTL_MS).max(MAX_LEASE_TTL_MS).default(DEFAULT_LEASE_TTL_MS),
});
export type LeasesTakeRequest = z.input<typeof leasesTakeRequest>;

export const leaseHolder = z.object({
  stationId: z.string(),
  stationName: z.string(),
  expiresAt: z.number().int(),
});
export type LeaseHolder = z.infer<typeof leaseHolder>;

export const leaseResult = z.discriminatedUnion('status', [
  /** This station syncs the shop until expiresAt; fence grows only when the holder changes. */
  z.object({ shopId: z.string(), status: z.literal('held'), fence: z.number().int(), expiresAt: z.number().int() }),
  z.object({ shopId: z.string(), status: z.literal('LEASE_HELD_BY_OTHER'), holder: leaseHolder }),
  /** The station's person may not work this shop (their shop scope): it never syncs it. */
  z.object({ shopId: z.string(), status: z.literal('SHOP_OUT_OF_SCOPE') }),
]);
export type LeaseResult = z.infer<typeof leaseResult>;

export const leasesTakeResponse = z.object({ stationId: z.string(), results: z.array(leaseResult) });
export type LeasesTakeResponse = z.infer<typeof leasesTakeResponse>;

export const leasesReleaseRequest = z.object({ shopIds });
export const leasesReleaseResponse = z.object({ released: z.array(z.string()) });
export type LeasesReleaseResponse = z.infer<typeof leasesReleaseResponse>;

/** Every lease of the team: the live holder (null = free or expired) and the current fence. */
export const leasesListResponse = z.object({
  leases: z.array(z.object({ shopId: z.string(), fence: z.number().int(), holder: leaseHolder.nullable() })),
});
export type LeasesListResponse = z.infer<typeof leasesListResponse>;

/** One shop's lease as this station knows it (hub.status, `shopfleet station status`). */
export interface LeaseView {
  shopId: string;
  shopName: string | null;
  /** This station pulls the shop. */
  mine: boolean;
  /** The station that pulls it (this one's name when mine); null: nobody known. */
  stationName: string | null;
  fence: number | null;
  /** The lease's expiry as last heard (a holder renews it while it runs). */
  expiresAt: number | null;
  /** The hub said this station's person may not work the shop. */
  outOfScope: boolean;
  /** Why this station could not take the shop over: no authorisation here and none from the hub (docs/team-hub.md#shop-authorisation-on-takeover). */
  authorisation?: TakeoverAuthProblem;
}
