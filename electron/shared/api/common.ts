// What every domain's inputs are made of: ids, batches of ids, times and reasons — and who calls.
import { z } from 'zod';
import type { Role } from '../model.ts';
import { lineText } from '../text-guard.ts';

// Every input is bounded here: strings by length, lists by size, numbers by range. Lists of ids
// reach SQL through electron/core/db/chunk.ts, so their cap is about work, not SQL's variable limit.
export const id = z.string().min(1).max(64);
/** A batch of orders: as many as a station holds (select all in the workbench), never unbounded. */
export const MAX_BATCH_IDS = 200_000;
export const ids = z.array(id).min(1, 'select at least one order').max(MAX_BATCH_IDS, `at most ${MAX_BATCH_IDS.toLocaleString('en-US')} orders at once`);
/** Up to 2100-01-01: anything later is a typo or an attack, not a date. */
export const MAX_EPOCH_MS = 4_102_444_800_000;
export const epochMs = z.number().int().nonnegative().max(MAX_EPOCH_MS, 'a time before the year 2100');
export const reason = lineText(z.string().trim().min(1, 'a reason is required').max(200, 'a reason is at most 200 characters'));
/** An optional one-line note or reason (may be empty). */
export const optionalLine = (max: number) => lineText(z.string().trim().max(max, `at most ${max} characters`)).optional();
/** The most shops a filter may name: far more than any shop group runs. */
export const MAX_FILTER_SHOPS = 2000;
/** A list of values of one enumeration: each at most a few times over. */
export const enumList = <T extends readonly [string, ...string[]]>(values: T) => z.array(z.enum(values)).max(64, 'at most 64 values');

/** Who is calling: the signed-in person and their role. */
export interface Actor {
  userId: string;
  name: string;
  role: Role;
  /**
   * The shops this person may see and change (a hub user's scope, docs/team-hub.md#identity);
   * absent or null = every shop, as for a station without a hub.
   */
  shops?: readonly string[] | null;
}
