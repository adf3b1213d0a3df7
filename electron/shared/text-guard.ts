// Characters a person's text must not carry. Control characters (NUL and friends) break exports,
// logs and label printers; the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069)
// and the direction marks reorder what is displayed, so a shop named "‮gnp.exe" shows as something
// else than it is (display spoofing). Names refuse all of them; multi-line text keeps tab and newlines.
import { z } from 'zod';

/** Direction controls: embeddings/overrides, isolates, and the LRM/RLM/ALM marks. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;
/** The same, but tab, line feed and carriage return are ordinary in notes and memos. */
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

const codePoint = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * What is wrong with a text, in words, or null when nothing is. `multiline` allows tab, CR and LF.
 */
export function unsafeTextProblem(text: string, multiline = false): string | null {
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) return `contains ${codePoint(bidi[0])}, a hidden text-direction character that makes text display as something else; remove it`;
  const control = (multiline ? CONTROL_EXCEPT_LINES : CONTROL).exec(text);
  if (control) return `contains ${codePoint(control[0])}, a control character; remove it`;
  return null;
}

export const isSafeText = (text: string, multiline = false): boolean => unsafeTextProblem(text, multiline) === null;

/** Adds the check to a string schema (after its trim/min/max), naming the character it found. */
function guarded<T extends z.ZodType<string>>(schema: T, multiline: boolean): T {
  return schema.superRefine((value, ctx) => {
    const problem = unsafeTextProblem(value, multiline);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }) as unknown as T;
}

/**
 * A name a person gives something (shop, printer, tag, account, template): trimmed, 1..max
 * characters, one line, no control or direction characters. `what` names it in messages.
 */
export function nameSchema(what: string, max: number) {
  return guarded(
    z
      .string({ error: `${what} is required` })
      .trim()
      .min(1, `${what} must not be empty`)
      .max(max, `${what} is at most ${max} characters`),
    false,
  );
}

/** One line of free text (a reason, a code, an address part): no control or direction characters. */
export function lineText<T extends z.ZodType<string>>(schema: T): T {
  return guarded(schema, false);
}

/** Multi-line free text (a memo, a note): tab and newlines allowed, other controls and direction characters not. */
export function multilineText<T extends z.ZodType<string>>(schema: T): T {
  return guarded(schema, true);
}
