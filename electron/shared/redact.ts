// Secrets out of text that is kept or shown. Platform errors come back with whatever the gateway or
// a proxy in front of it echoed — the request's access_token and sign, an Authorization header, a
// JSON body with app_secret — and the sync log, cursors, pushes and print jobs are read by every
// role and written to the WAL. Everything stored as an error or warning passes through redact() first.

/** What a removed value becomes. */
export const REDACTED = '[redacted]';

/**
 * Names whose values are secrets, in any case and with or without '_'/'-' between the words
 * (accessToken = access_token = access-token; X-Access-Token). sign/signature are included: a valid
 * signature replays the request it signed. Only these names are matched, so a harmless pair next to
 * a secret ("a: 'access_token': 'x'") cannot swallow it.
 */
const NAME = String.raw`(?:x[-_]?)?(?:(?:access|refresh|id|auth)[-_]?token|token|session(?:[-_]?(?:key|id))?|sid|sign|signature|(?:app|client)[-_]?secret|secret(?:[-_]?key)?|passw(?:or)?d|api[-_]?key|(?:proxy[-_]?)?authorization|(?:set[-_]?)?cookie)`;
/** Not preceded by a name character: "sign" in "design" or "sign_method" is not a secret's name. */
const START = String.raw`(?<![A-Za-z0-9_-])`;
const END = String.raw`(?![A-Za-z0-9_-])`;

const WHOLE_NAME = new RegExp(String.raw`^${NAME}$`, 'i');
export const isSecretName = (name: string): boolean => WHOLE_NAME.test(name);

/** "name": "value" / 'name': 'value' / name: value in JSON and JS-ish dumps (value a string, number or bare word). */
const JSON_PAIR = new RegExp(String.raw`${START}(["']?)(${NAME})${END}\1(\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;&}\]"']+)`, 'gi');
/** A header line: "Authorization: Bearer abc", "Cookie: a=b; c=d" — the value runs to the end of the line. */
const HEADER_LINE = new RegExp(String.raw`(^|[\r\n])([ \t]*)(${NAME})${END}([ \t]*:[ \t]*)([^\r\n]*)`, 'gi');
/** name=value in a query string or form body (value up to &, whitespace or a quote). */
const QUERY_PAIR = new RegExp(String.raw`${START}(${NAME})${END}(=)([^&\s"'<>]*)`, 'gi');
/** URL-encoded pairs inside an encoded query or JSON (access_token%3Dabc, %22sign%22%3A%22abc%22). */
const ENCODED_PAIR = new RegExp(String.raw`(?<=^|[^A-Za-z0-9_-]|%[0-9A-Fa-f]{2})(%22)?(${NAME})${END}(%22)?(%3D|%3A)(%22[^%]*(?:%(?!22)[0-9A-Fa-f]{2}[^%]*)*%22|[^&\s%]+)`, 'gi');
/** A password in a URL (ipp://user:secret@host, https://user:token@proxy). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@]+):([^\s/@]+)@/gi;
/** A bearer or basic credential wherever it stands. */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** The text with every secret value replaced by REDACTED; the names stay, so the message still reads. */
export function redact(text: string): string;
export function redact(text: string | null): string | null;
export function redact(text: string | null): string | null {
  if (text === null || text === '') return text;
  // Bearer/Basic first, so a header written inline ("{Authorization: Bearer abc}") loses the credential too.
  let out = text.replace(SCHEME_CREDENTIAL, (_all, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(URL_USERINFO, (_all, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
  out = out.replace(HEADER_LINE, (_all, start: string, indent: string, name: string, sep: string) => `${start}${indent}${name}${sep}${REDACTED}`);
  out = out.replace(JSON_PAIR, (all, quote: string, name: string, sep: string, value: string) => {
    if (value.startsWith(REDACTED.slice(0, -1))) return all;
    const q = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
    return `${quote}${name}${quote}${sep}${q}${REDACTED}${q}`;
  });
  out = out.replace(QUERY_PAIR, (_all, name: string, eq: string) => `${name}${eq}${REDACTED}`);
  out = out.replace(ENCODED_PAIR, (_all, q1: string | undefined, name: string, q2: string | undefined, sep: string) => `${q1 ?? ''}${name}${q2 ?? ''}${sep}${REDACTED}`);
  return out;
}
