// The claims part of the hub contract (docs/team-hub.md#claims): who works an order right now. A
// station asks the hub before it allocates a waybill or prints; the hub answers per order whether
// this station holds it or who does. Hub alerts (a second waybill for one package, a SKU oversold by
// stations that sold offline) are read here too. Validated on both sides with these schemas.
import { z } from 'zod';

/** Default claim length: a pick wave's printing and packing, renewed by claiming again. */
export const DEFAULT_CLAIM_TTL_MS = 30 * 60 * 1000;
export const MAX_CLAIM_TTL_MS = 24 * 60 * 60 * 1000;
export const MAX_CLAIM_ORDERS = 5000;

export const CLAIM_PATHS = {
  take: '/v1/claims/take',
  release: '/v1/claims/release',
  read: '/v1/claims/read',
  alerts: '/v1/alerts',
} as const;

const orderIds = z.array(z.string().min(1).max(200)).min(1).max(MAX_CLAIM_ORDERS);

export const claimsTakeRequest = z.object({
  orderIds,
  ttlMs: z.number().int().min(1000).max(MAX_CLAIM_TTL_MS).default(DEFAULT_CLAIM_TTL_MS),
  /**
   * A team lead (owner or operator, signed in at this station) hands a pick wave to another
   * station: the claims are taken for that station id instead of the caller's.
   */
  forStationId: z.string().min(1).optional(),
});
export type ClaimsTakeRequest = z.input<typeof claimsTakeRequest>;

export const claimHolder = z.object({
  stationId: z.string(),
  stationName: z.string(),
  userName: z.string().nullable(),
  expiresAt: z.number().int(),
});
export type ClaimHolder = z.infer<typeof claimHolder>;

export const claimResult = z.discriminatedUnion('status', [
  z.object({ orderId: z.string(), status: z.literal('held'), expiresAt: z.number().int(), version: z.number().int() }),
  z.object({ orderId: z.string(), status: z.literal('CLAIM_HELD_BY_OTHER'), holder: claimHolder }),
]);
export type ClaimResult = z.infer<typeof claimResult>;

export const claimsTakeResponse = z.object({ stationId: z.string(), results: z.array(claimResult) });
export type ClaimsTakeResponse = z.infer<typeof claimsTakeResponse>;

export const claimsReleaseRequest = z.object({ orderIds });
export type ClaimsReleaseRequest = z.infer<typeof claimsReleaseRequest>;
export const claimsReleaseResponse = z.object({ released: z.array(z.string()) });
export type ClaimsReleaseResponse = z.infer<typeof claimsReleaseResponse>;

export const claimsReadRequest = z.object({ orderIds });
export const claimsReadResponse = z.object({ claims: z.array(z.object({ orderId: z.string(), holder: claimHolder })) });
export type ClaimsReadResponse = z.infer<typeof claimsReadResponse>;

export const HUB_ALERT_KINDS = ['DUPLICATE_WAYBILL', 'OVERSOLD', 'QUOTA_EXCEEDED'] as const;
export const hubAlert = z.object({
  id: z.string(),
  kind: z.enum(HUB_ALERT_KINDS),
  subject: z.string(),
  details: z.record(z.string(), z.unknown()),
  raisedAt: z.number().int(),
  resolvedAt: z.number().int().nullable(),
});
export type HubAlert = z.infer<typeof hubAlert>;
export const hubAlertsResponse = z.object({ alerts: z.array(hubAlert) });
export type HubAlertsResponse = z.infer<typeof hubAlertsResponse>;
