// Resolving a note's `@名字` when it is written (the rule: electron/shared/mentions.ts), against the
// people this station knows (on a joined station, the hub's accounts).
import { parseMentions, type Person } from '../../shared/mentions.ts';
import type { ReadDb } from '../db/access.ts';

export { parseMentions, type Person };

/** The team's people as this station knows them. */
export function teamPeople(db: ReadDb): Person[] {
  return db.$client.prepare<[], Person>('SELECT id, name FROM users').all();
}

/** The user ids a note body mentions, as JSON for order_notes.mentions (null when none). */
export function mentionsColumn(db: ReadDb, body: string): string | null {
  const ids = parseMentions(body, teamPeople(db));
  return ids.length === 0 ? null : JSON.stringify(ids);
}
