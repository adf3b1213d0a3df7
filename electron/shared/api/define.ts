// The shape of one API method's declaration: kind, who may call it, what a query reads, its zod
// input and its output type. The output exists only for the compiler: `out<T>()` is a phantom.
import type { z } from 'zod';
import type { Role } from '../model.ts';

declare const OUTPUT: unique symbol;
/** Carries a method's output type; the value itself is an empty object nobody reads. */
export interface Out<T> {
  readonly [OUTPUT]: T;
}
/** `output: out<PrintJobView>()` declares what a method returns. */
export function out<T>(): Out<T> {
  return {} as Out<T>;
}

interface Common {
  roles: readonly Role[];
  input: z.ZodType;
  output: Out<unknown>;
}
/**
 * A query changes nothing; `reads` names the tables its answer comes from, so the renderer's query
 * hook (src/api/use-query.ts) asks again when db.changed names one of them. [] = nothing in the
 * database (the caller's session, a fixed catalog, the printer itself).
 */
export interface QueryDecl extends Common {
  kind: 'query';
  reads: readonly string[];
}
/** A command changes state (dispatch runs it; the core's runCommand records it). */
export interface CommandDecl extends Common {
  kind: 'command';
}
export type MethodDecl = QueryDecl | CommandDecl;

/** The output type a declaration carries. */
export type OutputOf<D> = D extends { output: Out<infer T> } ? T : never;
