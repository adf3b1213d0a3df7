// `@名字` in a note: which of the team's people it names (docs/team-hub.md#notes-and-tasks).
// Names are matched against the team's users, longest first, so a name with a space ("Li Ming")
// or a CJK name glued to the words after it ("@小王看一下") is found without any delimiter, and
// "@Li Ming" is not taken for a shorter "Li". An `@` right after a Latin letter, digit or one of
// . _ % + - is the middle of an email address or a handle, never a mention.
import type { ReadDb } from '../db/access.ts';

export interface Person {
  id: string;
  name: string;
}

/** The mark a person types: the ASCII `@` or the full-width `＠` of a Chinese keyboard. */
const AT = new Set(['@', '＠']);
/** Characters an email's local part ends with before its `@`. */
const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/;
/** A Latin name's last letter must not run on into more Latin letters ("@bob" is not "@bobby"). */
const LATIN_WORD = /[A-Za-z0-9_]/;

/** The ids of the people `body` mentions, each once, in the order first mentioned. */
export function parseMentions(body: string, people: readonly Person[]): string[] {
  const names = people
    .map((p) => ({ id: p.id, name: p.name.trim(), folded: p.name.trim().toLowerCase() }))
    .filter((p) => p.name !== '')
    .sort((a, b) => b.name.length - a.name.length);
  if (names.length === 0) return [];
  const found: string[] = [];
  for (let i = 0; i < body.length; i += 1) {
    if (!AT.has(body[i]!)) continue;
    if (i > 0 && EMAIL_LOCAL.test(body[i - 1]!)) continue;
    const rest = body.slice(i + 1);
    const folded = rest.toLowerCase();
    const hit = names.find((p) => {
      if (!folded.startsWith(p.folded)) return false;
      const next = rest[p.name.length];
      return next === undefined || !(LATIN_WORD.test(p.name[p.name.length - 1]!) && LATIN_WORD.test(next));
    });
    if (!hit) continue;
    if (!found.includes(hit.id)) found.push(hit.id);
    i += hit.name.length;
  }
  return found;
}

/** The team's people as this station knows them (on a joined station, the hub's accounts). */
export function teamPeople(db: ReadDb): Person[] {
  return db.$client.prepare<[], Person>('SELECT id, name FROM users').all();
}

/** The user ids a note body mentions, as JSON for order_notes.mentions (null when none). */
export function mentionsColumn(db: ReadDb, body: string): string | null {
  const ids = parseMentions(body, teamPeople(db));
  return ids.length === 0 ? null : JSON.stringify(ids);
}
