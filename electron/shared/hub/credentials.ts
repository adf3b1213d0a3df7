// The shop-authorisation part of the hub contract (docs/team-hub.md#shop-authorisation-on-takeover):
// a shop is authorised once, on one station, and the station that takes the shop's sync lease over
// fetches that authorisation from the hub. The hub keeps it sealed under its own credential key; a
// station uploads after every authorisation and token refresh (refresh tokens that rotate on use
// must follow every refresh: see the same section), and fetches only while it holds the
// shop's lease. Validated on both sides with these schemas.
import { z } from 'zod';

export const CREDENTIAL_PATHS = {
  /** PUT (upload) and GET (fetch) one shop's authorisation. */
  shop: (shopId: string) => `/v1/shops/${encodeURIComponent(shopId)}/credentials`,
  shopRoute: '/v1/shops/:shopId/credentials',
  /** GET and PUT whether the team's hub keeps shops' authorisations at all (owner). */
  sharing: '/v1/credentials/sharing',
  /** GET who uploaded or fetched which shop's authorisation (owner). */
  audit: '/v1/credentials/audit',
} as const;

/** The env variable a hub over PostgreSQL reads its credential key from (base64 of 32 bytes). */
export const CREDENTIAL_KEY_ENV = 'SHOPFLEET_HUB_CREDENTIAL_KEY';

export const shopCredentialSecrets = z.object({
  appSecret: z.string().min(1).max(4096),
  accessToken: z.string().min(1).max(8192),
  refreshToken: z.string().min(1).max(8192).optional(),
});
export type ShopCredentialSecrets = z.infer<typeof shopCredentialSecrets>;

export const credentialsUploadRequest = z.object({ secrets: shopCredentialSecrets });

/** Why the hub keeps no copy: the owner turned sharing off, or the hub has no key to seal with. */
export const CREDENTIALS_NOT_KEPT = ['sharing_off', 'hub_has_no_key'] as const;

export const credentialsUploadResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('stored'), version: z.number().int().positive() }),
  z.object({ status: z.enum(CREDENTIALS_NOT_KEPT), message: z.string() }),
]);
export type CredentialsUploadResponse = z.infer<typeof credentialsUploadResponse>;

/** `have`: the version the station holds (0 = none); `fence`: the lease it holds the shop under. */
export const credentialsFetchQuery = z.object({
  fence: z.coerce.number().int().nonnegative(),
  have: z.coerce.number().int().nonnegative().default(0),
});

export const credentialsFetchResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), version: z.number().int().positive(), secrets: shopCredentialSecrets }),
  /** The station's copy is the newest the hub has. */
  z.object({ status: z.literal('unchanged'), version: z.number().int().positive() }),
  /** Nobody uploaded this shop's authorisation. */
  z.object({ status: z.literal('none') }),
  z.object({ status: z.enum(CREDENTIALS_NOT_KEPT), message: z.string() }),
]);
export type CredentialsFetchResponse = z.infer<typeof credentialsFetchResponse>;

export const credentialSharingRequest = z.object({ enabled: z.boolean() });
export const credentialSharingResponse = z.object({ enabled: z.boolean(), keyConfigured: z.boolean() });
export type CredentialSharingResponse = z.infer<typeof credentialSharingResponse>;

export const credentialAuditResponse = z.object({
  entries: z.array(
    z.object({
      shopId: z.string(),
      action: z.enum(['upload', 'fetch', 'refused']),
      stationId: z.string().nullable(),
      userName: z.string().nullable(),
      version: z.number().int().nullable(),
      reason: z.string().nullable(),
      at: z.number().int(),
    }),
  ),
});
export type CredentialAuditResponse = z.infer<typeof credentialAuditResponse>;

/** Why a station that took a shop's lease could not get its authorisation (hub.status, the round's answer). */
export const TAKEOVER_AUTH_PROBLEMS = ['sharing_off', 'none', 'refused', 'unreachable', 'hub_has_no_key'] as const;
export type TakeoverAuthProblem = (typeof TAKEOVER_AUTH_PROBLEMS)[number];
