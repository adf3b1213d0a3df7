// Douyin 抖店 (doudian) request signing, param_json serialisation and timestamp formatting.
// Spec: docs/platforms/douyin.md#gateway-and-common-parameters (query params, timestamp),
// docs/platforms/douyin.md#signing-sourced-the-sdks-sign_utilgo (signing, vectors).
import { createHash, createHmac } from 'node:crypto';

/**
 * `hmac-sha256` is current; `md5` is the legacy method
 * (docs/platforms/douyin.md#signing-sourced-the-sdks-sign_utilgo step 5, slated for retirement).
 */
export type DoudianSignMethod = 'hmac-sha256' | 'md5';

/** The query params of one doudian call, by their wire names. Only the first four are signed. */
export interface DoudianSignParams {
  app_key: string;
  method: string;
  /** The exact body string that is POSTed (see doudianParamJson). */
  param_json: string;
  /** UNIX seconds (see doudianTimestamp). */
  timestamp: string;
  /** The only protocol version the pattern encodes. */
  v?: '2';
  access_token?: string;
  sign_method?: string;
  sign?: string;
}

/**
 * The doudian `sign`: with P = "app_key"+appKey+"method"+method+"param_json"+paramJson+
 * "timestamp"+timestamp+"v2" (fixed order), hmac-sha256 → lower hex HMAC-SHA256(key=appSecret,
 * appSecret+P+appSecret); md5 → lower hex MD5(appSecret+P+appSecret). access_token is not signed.
 */
export function doudianSign(
  params: Readonly<DoudianSignParams>,
  appSecret: string,
  signMethod: DoudianSignMethod = 'hmac-sha256',
): string {
  const declared = params.sign_method;
  if (declared !== undefined && declared !== '' && declared !== signMethod) {
    throw new Error(`doudianSign: params.sign_method is "${declared}" but signing with "${signMethod}"`);
  }
  const pattern =
    `app_key${params.app_key}method${params.method}param_json${params.param_json}` +
    `timestamp${params.timestamp}v2`;
  const signPattern = appSecret + pattern + appSecret;
  return signMethod === 'md5'
    ? createHash('md5').update(signPattern, 'utf8').digest('hex')
    : createHmac('sha256', appSecret).update(signPattern, 'utf8').digest('hex');
}

/**
 * param_json as the official Go SDK produces it
 * (docs/platforms/douyin.md#signing-sourced-the-sdks-sign_utilgo step 1): compact JSON, object keys sorted
 * recursively in byte order, `<>&` and non-ASCII left raw, U+2028/U+2029 escaped as Go does. undefined/absent
 * → `{}`. Fields the caller leaves undefined are omitted (JSON.stringify), the counterpart of the SDK's
 * `omitempty`; zero values that are present are kept and signed.
 */
export function doudianParamJson(param: unknown): string {
  if (param === undefined || param === null) return '{}';
  const json = JSON.stringify(sortKeysDeep(param, '$'));
  return json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function sortKeysDeep(value: unknown, path: string): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    // Go's encoder refuses NaN/Inf; JSON.stringify would silently send null.
    throw new RangeError(`doudianParamJson: ${path} is not a finite number`);
  }
  if (Array.isArray(value)) return value.map((v, i) => sortKeysDeep(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  for (const key of keys) out[key] = sortKeysDeep((value as Record<string, unknown>)[key], `${path}.${key}`);
  return out;
}

/** doudian `timestamp`: UNIX seconds as the decimal string that is sent and signed. */
export function doudianTimestamp(epochMs: number): string {
  if (!Number.isFinite(epochMs)) throw new RangeError(`doudianTimestamp: not a finite epoch ms: ${epochMs}`);
  return String(Math.floor(epochMs / 1000));
}
