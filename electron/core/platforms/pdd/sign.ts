// Pinduoduo open-platform request signing and timestamp formatting.
// Spec: docs/platforms/pdd.md#gateway-and-common-parameters (timestamp),
// docs/platforms/pdd.md#signing-sourced (signing, vectors).
import { createHash } from 'node:crypto';

/** A PDD param value: objects and arrays are sent (and signed) as their JSON string. */
export type PddParamValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly unknown[]
  | { readonly [key: string]: unknown };

/**
 * The exact string values to send: object/array values JSON.stringify-ed once, numbers/booleans
 * String()-ed, null/undefined dropped (pdd-rs skips null). Sign and send this same map so the
 * signed bytes are the posted bytes (docs/platforms/pdd.md#signing-sourced step 1).
 */
export function pddSerializeParams(params: Readonly<Record<string, PddParamValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/**
 * The PDD `sign`: UPPER hex MD5(client_secret + S + client_secret), S = k1v1k2v2… over all public
 * and business params except `sign`, keys in byte order (pdd-rs compares bytes).
 */
export function pddSign(params: Readonly<Record<string, PddParamValue>>, clientSecret: string): string {
  const serialized = pddSerializeParams(params);
  const keys = Object.keys(serialized)
    .filter((k) => k !== 'sign')
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  const s = keys.map((k) => k + serialized[k]).join('');
  return createHash('md5').update(clientSecret + s + clientSecret, 'utf8').digest('hex').toUpperCase();
}

/** PDD `timestamp`: UNIX seconds (as the decimal string that is sent and signed). */
export function pddTimestamp(epochMs: number): string {
  if (!Number.isFinite(epochMs)) throw new RangeError(`pddTimestamp: not a finite epoch ms: ${epochMs}`);
  return String(Math.floor(epochMs / 1000));
}
