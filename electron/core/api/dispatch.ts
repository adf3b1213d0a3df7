// The single entry point of the API: validate input by its schema, check the caller's role,
// run the handler, and return a Result — exceptions never cross this line.
import { z } from 'zod';
import { methods, type Actor, type ApiOutput, type ApiParsedInput, type MethodName } from '../../shared/contract.ts';
import { redact } from '../../shared/redact.ts';
import { AppError, apiErrorOf, type Result } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { describeDatabaseError } from '../db/health.ts';

export type Handler<M extends MethodName> = (input: ApiParsedInput<M>, actor: Actor) => ApiOutput<M> | Promise<ApiOutput<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export async function dispatch(handlers: Handlers, name: string, input: unknown, actor: Actor): Promise<Result<unknown>> {
  try {
    if (!isMethodName(name)) throw new AppError('UNKNOWN_METHOD', `Unknown method "${name}"`);
    const method = methods[name];
    if (!(method.roles as readonly string[]).includes(actor.role)) {
      throw reasonError('method.not_allowed', { method: name, role: actor.role }, `Role "${actor.role}" may not call ${name}`);
    }
    const parsed = method.input.safeParse(input ?? {});
    if (!parsed.success) {
      // Returned as it is, not through redact() below: it is made of the schema's own messages and
      // field paths, never the input's values, and redacting would blank "accessToken: access token
      // must not be empty" into nonsense.
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
      return { ok: false, error: { code: 'VALIDATION_FAILED', message: `Invalid input for ${name}: ${describeIssues(parsed.error)}`, details: { issues } } };
    }
    const handler = handlers[name] as Handler<MethodName>;
    const value = await handler(parsed.data as never, actor);
    return { ok: true, value };
  } catch (err) {
    // Every role sees these words: a platform's error that echoed the request keeps no token or signature.
    if (err instanceof AppError) return { ok: false, error: { ...apiErrorOf(err), message: redact(err.message) } };
    // A damaged page, a full disk or a file turned read-only after start: say so, not INTERNAL.
    const db = describeDatabaseError(err, null);
    if (db) return { ok: false, error: { code: db.code, message: redact(db.message), details: db.details } };
    console.error(`[api] ${name} failed`, redact(err instanceof Error ? (err.stack ?? err.message) : String(err)));
    return { ok: false, error: { code: 'INTERNAL', message: redact(err instanceof Error ? err.message : String(err)) } };
  }
}
