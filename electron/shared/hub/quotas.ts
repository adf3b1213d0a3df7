// The stock-quota part of the hub contract (docs/team-hub.md#stock-quotas): how many units of a hot
// SKU each station may commit — hold for orders or ship — while it cannot reach the hub, so a team
// that must not oversell offline bounds what any one station can sell blind. Set by an owner or
// operator on the hub, published as hub-owned `stock_quotas` rows; validated on both sides with
// these schemas.
import { z } from 'zod';

export const QUOTA_PATHS = {
  set: '/v1/quotas',
  list: '/v1/quotas',
} as const;

export const MAX_QUOTAS_PER_REQUEST = 500;
/** The hub alert raised when a station's pushed sales of a SKU went past its quota. */
export const QUOTA_EXCEEDED = 'QUOTA_EXCEEDED';

const id = z.string().min(1).max(64);

export const quotaEntry = z.object({
  stationId: id,
  skuId: id,
  /** '' (the default): the SKU in every warehouse together. */
  warehouseId: z.string().max(64).default(''),
  /** Units the station may commit offline; null removes the quota (the station is not limited). */
  quantity: z.number().int().min(0).max(1_000_000).nullable(),
});
export type QuotaEntry = z.input<typeof quotaEntry>;

export const quotasSetRequest = z.object({ quotas: z.array(quotaEntry).min(1).max(MAX_QUOTAS_PER_REQUEST) });
export type QuotasSetRequest = z.input<typeof quotasSetRequest>;

export const quotaView = z.object({
  stationId: z.string(),
  stationName: z.string(),
  skuId: z.string(),
  warehouseId: z.string(),
  quantity: z.number().int(),
  setBy: z.string(),
  updatedAt: z.number().int(),
});
export type QuotaView = z.infer<typeof quotaView>;

export const quotasSetResponse = z.object({ set: z.number().int(), removed: z.number().int() });
export type QuotasSetResponse = z.infer<typeof quotasSetResponse>;
export const quotasListResponse = z.object({ quotas: z.array(quotaView) });
export type QuotasListResponse = z.infer<typeof quotasListResponse>;
