// Taobao/Tmall TOP request signing and timestamp formatting (plus the Cainiao LINK data_digest, the other Alibaba-family signature).
// Spec: docs/platforms/taobao.md "Requests" (timestamp, signing); the vectors are in sign.test.ts.
import { createHash, createHmac } from 'node:crypto';
import { formatGmt8 } from '../gmt8.ts';

export type TopSignMethod = 'md5' | 'hmac' | 'hmac-sha256';

/**
 * A TOP request param value. Byte params (Buffer/Uint8Array) are file uploads: sent as multipart
 * parts and never signed (docs/platforms/taobao.md#requests step 1). Numbers and booleans are signed as their
 * String() form, which is what gets form-encoded. Object-valued API params must be JSON-serialised by the
 * caller into the exact string that is sent.
 */
export type TopParamValue = string | number | boolean | null | undefined | Uint8Array;

/**
 * The TOP `sign` for one request: uppercase hex of MD5(secret+S+secret), HMAC-MD5(secret, S) or
 * HMAC-SHA256(secret, S), where S = k1v1k2v2… over the non-empty text params (system + API, query
 * and form alike) except `sign`, keys in code-unit order (Java `Arrays.sort` on String).
 * `body` is the raw JSON request body of Qimen/batch APIs, appended to S (docs/platforms/taobao.md#requests step 4).
 */
export function topSign(
  params: Readonly<Record<string, TopParamValue>>,
  secret: string,
  signMethod: TopSignMethod,
  body?: string,
): string {
  const declared = params['sign_method'];
  // A signature computed with one method but declared as another is always rejected by the gateway.
  if (declared !== undefined && declared !== null && declared !== '' && declared !== signMethod) {
    throw new Error(`topSign: params.sign_method is "${String(declared)}" but signing with "${signMethod}"`);
  }
  let s = topSignBase(params);
  if (body !== undefined) s += body;
  switch (signMethod) {
    case 'md5':
      return createHash('md5').update(secret + s + secret, 'utf8').digest('hex').toUpperCase();
    case 'hmac':
      return createHmac('md5', secret).update(s, 'utf8').digest('hex').toUpperCase();
    case 'hmac-sha256':
      return createHmac('sha256', secret).update(s, 'utf8').digest('hex').toUpperCase();
  }
}

/**
 * S of docs/platforms/taobao.md#requests steps 1–3 (without the Qimen body). Exported for diagnostics of
 * "invalid signature".
 */
export function topSignBase(params: Readonly<Record<string, TopParamValue>>): string {
  const entries: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params)) {
    if (key === '' || key === 'sign') continue;
    if (value === null || value === undefined || value instanceof Uint8Array) continue;
    const text = String(value);
    if (text === '') continue; // StringUtils.areNotEmpty(key, value)
    entries.push([key, text]);
  }
  // Default string comparison = UTF-16 code-unit order, the same as Java's String.compareTo.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([k, v]) => k + v).join('');
}

/**
 * TOP `timestamp`: `yyyy-MM-dd HH:mm:ss` in fixed GMT+8 (Java TimeZone "GMT+8"; China has no DST),
 * independent of the machine's time zone. The gateway rejects clocks more than 10 min off.
 */
export function topTimestamp(epochMs: number): string {
  return formatGmt8(epochMs);
}

/**
 * Cainiao LINK `data_digest` (docs/platforms/common.md#cainiao-link-tms_waybill_get): Base64 of the raw MD5
 * digest of UTF-8(content + appSecret), where content is the exact `logistics_interface` string that is
 * posted.
 */
export function cainiaoLinkDigest(logisticsInterface: string, appSecret: string): string {
  return createHash('md5').update(logisticsInterface + appSecret, 'utf8').digest('base64');
}
