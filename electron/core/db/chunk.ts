// Lists of any length in SQL. SQLite binds at most 32,766 variables per statement and a spread of
// 200,000 arguments overflows the JavaScript stack, so a list that came from input never becomes one
// placeholder per value: it travels as one JSON array parameter (json_each), and long work lists
// are cut into chunks so each statement's working set stays small.

/** Ids per statement where a statement handles a slice of a longer list. */
export const ID_CHUNK = 500;

/** Up to this many values keep literal placeholders, which the planner can see and estimate from. */
const INLINE_MAX = 64;

/** The list in slices of at most `size`. */
export function* chunked<T>(items: readonly T[], size: number = ID_CHUNK): Generator<T[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * `column IN (…)` for a list of any length: short lists as placeholders, long ones as a single
 * json_each parameter. Values are strings or numbers (JSON keeps both types, so an integer column
 * still matches its numbers). Duplicates are dropped. An empty list matches nothing.
 */
export function sqlIn(column: string, values: readonly (string | number)[]): { sql: string; params: unknown[] } {
  const unique = [...new Set(values)];
  if (unique.length === 0) return { sql: '0', params: [] };
  if (unique.length <= INLINE_MAX) return { sql: `${column} IN (${unique.map(() => '?').join(', ')})`, params: unique };
  return { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(unique)] };
}
