// Calls the API in-process and turns a refused Result into an ApiFailure (exit code 1).
import type { Core } from '../core/app.ts';
import { ApiFailure } from './usage.ts';

export async function callOrThrow<T>(core: Core, name: string, input: unknown): Promise<T> {
  const result = await core.call(name, input);
  if (!result.ok) throw new ApiFailure(result.error.code, `${name}: ${result.error.code} — ${result.error.message}`);
  return result.value as T;
}
