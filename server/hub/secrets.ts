// Tokens, join codes and password hashes. Station tokens, session tokens and join codes are long
// random strings, so the hub stores only their SHA-256 (found by hash on every request, no slow
// hash needed); passwords and PINs are what people choose, so they are hashed with argon2id.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export const STATION_TOKEN_PREFIX = 'sfs_';
export const SESSION_TOKEN_PREFIX = 'sfu_';

export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A join code a person can read out or type: 4 groups of 4 from an alphabet without 0/O/1/I. */
export function newJoinCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let s = '';
    for (let i = 0; i < 4; i++) s += alphabet[randomInt(alphabet.length)];
    groups.push(s);
  }
  return groups.join('-');
}

/** Codes are compared case- and dash-insensitively: what a person types, not how it was printed. */
export function joinCodeHash(code: string): string {
  return tokenHash(code.toUpperCase().replace(/[^A-Z0-9]/g, ''));
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

export function hashSecret(secret: string): Promise<string> {
  return hash(secret);
}

/** A stored hash checked against what was typed; a malformed hash is a mismatch, never a crash. */
export async function secretMatches(stored: string | null, typed: string): Promise<boolean> {
  if (stored === null) return false;
  try {
    return await verify(stored, typed);
  } catch {
    return false;
  }
}
