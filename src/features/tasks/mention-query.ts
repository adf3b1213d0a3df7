// Where the @ picker stands in a note being typed: the `@` before the caret and what follows it, so
// the picker filters by it and a choice replaces it with `@名字 `. The same rule as the core's parser
// (electron/shared/mentions.ts): an `@` right after a Latin letter or digit is an email's.
import { EMAIL_LOCAL } from '../../../electron/shared/mentions.ts';

export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  /** What is typed after it, up to the caret. */
  text: string;
}

export function mentionQueryAt(value: string, caret: number): MentionQuery | null {
  const before = value.slice(0, caret);
  const at = Math.max(before.lastIndexOf('@'), before.lastIndexOf('＠'));
  if (at < 0) return null;
  if (at > 0 && EMAIL_LOCAL.test(before[at - 1]!)) return null;
  const text = before.slice(at + 1);
  // A name is short; a line break or a long run means the person moved on.
  if (text.length > 20 || /[\n\r]/.test(text)) return null;
  return { start: at, text };
}

/** The note with the query replaced by `@name `, and where the caret goes after it. */
export function applyMention(value: string, q: MentionQuery, caret: number, name: string): { value: string; caret: number } {
  const inserted = `@${name} `;
  return { value: value.slice(0, q.start) + inserted + value.slice(caret), caret: q.start + inserted.length };
}
