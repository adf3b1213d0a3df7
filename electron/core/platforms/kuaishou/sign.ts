// Kuaishou 快手电商 (kwaixiaodian) request signing, param serialisation and timestamp formatting.
// Spec: docs/platforms/kuaishou.md#gateway-and-common-parameters (params, timestamp),
// docs/platforms/kuaishou.md#signing-sourced (signing, vectors).
import { createHash, createHmac } from 'node:crypto';

export type KuaishouSignMethod = 'MD5' | 'HMAC_SHA256';

/**
 * The public params that are signed, already in ksort (byte) order. Business params are not
 * signed individually; they travel inside `param` (docs/platforms/kuaishou.md#signing-sourced).
 */
const SIGNED_KEYS = ['access_token', 'appkey', 'method', 'param', 'signMethod', 'timestamp', 'version'] as const;

/**
 * The Kuaishou `sign`: S = "k=v&k=v…" over the non-null signed public params in key order, values
 * raw (not URL-encoded), then "&signSecret=<signSecret>". MD5 → lower hex MD5(S); HMAC_SHA256 →
 * Base64 HMAC-SHA256(key=signSecret, S). `sign` and any other key are ignored.
 */
export function kuaishouSign(
  params: Readonly<Record<string, string | number | null | undefined>>,
  signSecret: string,
  signMethod: KuaishouSignMethod,
): string {
  const declared = params['signMethod'];
  if (declared !== undefined && declared !== null && declared !== signMethod) {
    throw new Error(`kuaishouSign: params.signMethod is "${String(declared)}" but signing with "${signMethod}"`);
  }
  const parts: string[] = [];
  for (const key of SIGNED_KEYS) {
    const value = params[key];
    if (value === null || value === undefined) continue;
    parts.push(`${key}=${String(value)}`);
  }
  const s = `${parts.join('&')}&signSecret=${signSecret}`;
  return signMethod === 'MD5'
    ? createHash('md5').update(s, 'utf8').digest('hex')
    : createHmac('sha256', signSecret).update(s, 'utf8').digest('base64');
}

/**
 * The `param` string: compact JSON with top-level keys sorted (crywolfx SDK), non-ASCII and `/`
 * unescaped (PHP SDK's JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES). Sign and send this one string.
 */
export function kuaishouParamJson(businessParams: Readonly<Record<string, unknown>>): string {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(businessParams).sort()) {
    const value = businessParams[key];
    if (typeof value === 'number' && !Number.isFinite(value)) {
      // JSON.stringify would silently send null for NaN/Infinity.
      throw new RangeError(`kuaishouParamJson: ${key} is not a finite number`);
    }
    sorted[key] = value;
  }
  return JSON.stringify(sorted);
}

/** Kuaishou `timestamp`: UNIX milliseconds as the decimal string that is sent and signed. */
export function kuaishouTimestamp(epochMs: number): string {
  if (!Number.isFinite(epochMs)) throw new RangeError(`kuaishouTimestamp: not a finite epoch ms: ${epochMs}`);
  return String(Math.floor(epochMs));
}
