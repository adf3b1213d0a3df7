// JD 宙斯/JOS routerjson request signing, 360buy_param_json serialisation and timestamp formatting.
// Spec: docs/platforms/jd.md#gateway-and-common-parameters (params, timestamp),
// docs/platforms/jd.md#signing-sourced-the-official-sdks-sign (signing, vectors).
import { createHash } from 'node:crypto';
import { formatGmt8 } from '../gmt8.ts';

/**
 * Only MD5 is implemented: the SDK's hmacmd5/hmacsha256 prefix/suffix handling is [UNVERIFIED]
 * in docs/platforms/jd.md#signing-sourced-the-official-sdks-sign step 3, and a guessed variant would fail at
 * the gateway with no way to test it here.
 */
export type JdSignMethod = 'md5';

/**
 * The params that enter the JD signature (the official SDK's TreeMap,
 * docs/platforms/jd.md#signing-sourced-the-official-sdks-sign step 1).
 */
const SIGNED_KEYS: ReadonlySet<string> = new Set([
  '360buy_param_json',
  'access_token',
  'app_key',
  'method',
  'timestamp',
  'v',
  'sign_method',
  'jos_result_fuzz',
  'reserveParams',
]);

/**
 * The JD `sign`: UPPER hex MD5(secret + S + secret), S = k1v1k2v2… over the signed system params
 * (360buy_param_json, access_token, app_key, method, timestamp, v, and sign_method /
 * jos_result_fuzz / reserveParams when present) with non-empty values, keys sorted. Any other key
 * in `params` (sign, format, …) is sent but not signed.
 */
export function jdSign(
  params: Readonly<Record<string, string | null | undefined>>,
  appSecret: string,
  signMethod: JdSignMethod = 'md5',
): string {
  const declared = params['sign_method'];
  if (declared !== undefined && declared !== null && declared !== '' && declared !== signMethod) {
    throw new Error(`jdSign: sign_method "${declared}" is not supported; only md5 is implemented`);
  }
  const entries: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params)) {
    if (!SIGNED_KEYS.has(key) || value === null || value === undefined || value === '') continue;
    entries.push([key, value]);
  }
  // Java TreeMap<String,…> natural order = UTF-16 code-unit order, same as JS string comparison.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const s = entries.map(([k, v]) => k + v).join('');
  return createHash('md5').update(appSecret + s + appSecret, 'utf8').digest('hex').toUpperCase();
}

/**
 * `360buy_param_json` as the official SDK builds it (Jackson over a TreeMap,
 * docs/platforms/jd.md#signing-sourced-the-official-sdks-sign step 4): compact JSON, top-level keys sorted,
 * null values kept as `null`; undefined entries are omitted. Nested values are serialised as given. Sign and
 * send this one string.
 */
export function jdParamJson(businessParams: Readonly<Record<string, unknown>>): string {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(businessParams).sort()) {
    const value = businessParams[key];
    if (value === undefined) continue;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      // JSON.stringify would silently send null for NaN/Infinity.
      throw new RangeError(`jdParamJson: ${key} is not a finite number`);
    }
    sorted[key] = value;
  }
  return JSON.stringify(sorted);
}

/** JD `timestamp`: `yyyy-MM-dd HH:mm:ss` (SDK SimpleDateFormat) as Beijing time, fixed UTC+8. */
export function jdTimestamp(epochMs: number): string {
  return formatGmt8(epochMs);
}
