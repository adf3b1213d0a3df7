// Per-field messages from a VALIDATION_FAILED answer (details.issues: [{ path, message }]), so a form
// shows each problem under its own field instead of one toast.
import { ApiCallError } from '../../api/api-error.ts';

export type FieldErrors = Record<string, string>;

/** The field messages of a validation failure, or null when the error is of another kind. */
export function fieldErrorsOf(err: unknown): FieldErrors | null {
  if (!(err instanceof ApiCallError) || err.code !== 'VALIDATION_FAILED') return null;
  const issues = (err.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  const out: FieldErrors = {};
  for (const issue of issues) {
    const path = Array.isArray(issue.path) ? issue.path.map(String) : [];
    const field = path[0] ?? '';
    // The first problem of a field is the one to fix first.
    if (typeof issue.message === 'string' && !(field in out)) out[field] = issue.message;
  }
  return out;
}
