// Finds inputs of the contract that nothing bounds: a string without a maximum length, a list
// without a maximum size, a number without a range, or a value of any shape. Used by the tests
// so a method added later cannot take an unbounded input unnoticed.
import type { z } from 'zod';

type Node = z.ZodType & { _zod: { def: Record<string, unknown> & { type: string } } };

const hasCheck = (node: Node, check: string): boolean =>
  ((node._zod.def.checks as { _zod: { def: { check: string } } }[] | undefined) ?? []).some((c) => c._zod.def.check === check);

/** Paths (method.field.sub) whose value is not bounded, with what is missing. */
export function unboundedInputs(schema: z.ZodType, path: string, stack: Set<unknown> = new Set()): string[] {
  const node = schema as Node;
  if (stack.has(node)) return [];
  stack.add(node);
  const out: string[] = [];
  const def = node._zod.def;
  const walk = (s: unknown, p: string) => out.push(...unboundedInputs(s as z.ZodType, p, stack));
  switch (def.type) {
    case 'object': {
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) walk(v, `${path}.${k}`);
      const catchall = def.catchall as Node | undefined;
      if (catchall && catchall._zod.def.type !== 'never') walk(catchall, `${path}.*`);
      break;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      walk(def.innerType, path);
      break;
    case 'pipe':
      walk(def.in, path);
      break;
    case 'union':
      (def.options as unknown[]).forEach((o, i) => walk(o, `${path}|${i}`));
      break;
    case 'array':
      if (!hasCheck(node, 'max_length')) out.push(`${path}: a list without a maximum size`);
      walk(def.element, `${path}[]`);
      break;
    case 'record':
      walk(def.keyType, `${path}{key}`);
      walk(def.valueType, `${path}{}`);
      break;
    case 'string':
      if ((node as unknown as z.ZodString).maxLength === null) out.push(`${path}: a text without a maximum length`);
      break;
    case 'number': {
      const n = node as unknown as z.ZodNumber;
      const bounded = (v: number | null) => v !== null && Number.isFinite(v) && Math.abs(v) < Number.MAX_SAFE_INTEGER;
      if (!bounded(n.maxValue) || !bounded(n.minValue)) out.push(`${path}: a number without a range`);
      break;
    }
    case 'enum':
    case 'literal':
    case 'boolean':
    case 'null':
      break;
    default:
      out.push(`${path}: a value of any shape (${def.type})`);
  }
  stack.delete(node);
  return out;
}
