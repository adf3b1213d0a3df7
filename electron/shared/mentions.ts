// `@名字` in a note: where it names one of the team's people (docs/team-hub.md#notes-and-tasks).
// The core resolves a note's mentions with it when the note is written; the renderer marks the same
// spans in the note. Names are matched against the team's users, longest first, so a name with a
// space ("Li Ming") or a CJK name glued to the words after it ("@小王看一下") is found without any
// delimiter, and "@Li Ming" is not taken for a shorter "Li". An `@` right after a Latin letter,
// digit or one of . _ % + - is the middle of an email address or a handle, never a mention.

export interface Person {
  id: string;
  name: string;
}

/** One mention: the person and where `@name` stands in the text (end exclusive). */
export interface MentionSpan {
  id: string;
  start: number;
  end: number;
}

/** The mark a person types: the ASCII `@` or the full-width `＠` of a Chinese keyboard. */
const AT = new Set(['@', '＠']);
/** Characters an email's local part ends with before its `@`. */
export const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/;
/** A Latin name's last letter must not run on into more Latin letters ("@bob" is not "@bobby"). */
const LATIN_WORD = /[A-Za-z0-9_]/;

/** Every `@name` in `body` that names one of `people`, in order. */
export function findMentions(body: string, people: readonly Person[]): MentionSpan[] {
  const names = people
    .map((p) => ({ id: p.id, name: p.name.trim(), folded: p.name.trim().toLowerCase() }))
    .filter((p) => p.name !== '')
    .sort((a, b) => b.name.length - a.name.length);
  const spans: MentionSpan[] = [];
  if (names.length === 0) return spans;
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
    spans.push({ id: hit.id, start: i, end: i + 1 + hit.name.length });
    i += hit.name.length;
  }
  return spans;
}

/** The ids of the people `body` mentions, each once, in the order first mentioned. */
export function parseMentions(body: string, people: readonly Person[]): string[] {
  return [...new Set(findMentions(body, people).map((s) => s.id))];
}
