// The API: every method the renderer, CLI and tests may call, declared once in its domain's file
// (name, kind, roles, the tables a query reads, zod input, output type) and merged here into the one
// `methods` map dispatch checks against. One implementation (electron/core/api/handlers.ts, which
// merges each core domain's handlers) serves it over IPC, HTTP+WebSocket and in-process.
import type { z } from 'zod';
import type { OutputOf } from './define.ts';
import { documentsMethods } from './documents.ts';
import { labelsMethods } from './labels.ts';
import { mappingMethods } from './mapping.ts';
import { ordersMethods } from './orders.ts';
import { packingMethods } from './packing.ts';
import { printingMethods } from './printing.ts';
import { shopsMethods } from './shops.ts';
import { stockMethods } from './stock.ts';
import { stockAlertsMethods } from './stock-alerts.ts';
import { stockPushMethods } from './stock-push.ts';
import { stockQueueMethods } from './stock-queue.ts';
import { hubMethods } from './hub.ts';
import { sessionMethods } from './session.ts';
import { stationMethods } from './station.ts';
import { syncMethods } from './sync.ts';
import { tasksMethods } from './tasks.ts';
import { trackingMethods } from './tracking.ts';
import { waybillsMethods } from './waybills.ts';

export * from './common.ts';
export * from './define.ts';
export * from './documents.ts';
export * from './labels.ts';
export * from './mapping.ts';
export * from './orders.ts';
export * from './packing.ts';
export * from './printing.ts';
export * from './shops.ts';
export * from './stock.ts';
export * from './stock-alerts.ts';
export * from './stock-push.ts';
export * from './stock-queue.ts';
export * from './hub.ts';
export * from './session.ts';
export * from './station.ts';
export * from './sync.ts';
export * from './tasks.ts';
export * from './tracking.ts';
export * from './waybills.ts';

export const methods = {
  ...stationMethods,
  ...sessionMethods,
  ...hubMethods,
  ...shopsMethods,
  ...ordersMethods,
  ...syncMethods,
  ...printingMethods,
  ...waybillsMethods,
  ...documentsMethods,
  ...labelsMethods,
  ...packingMethods,
  ...trackingMethods,
  ...stockMethods,
  ...mappingMethods,
  ...stockAlertsMethods,
  ...stockPushMethods,
  ...stockQueueMethods,
  ...tasksMethods,
};

export type MethodName = keyof typeof methods;
export type ApiInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
export type ApiParsedInput<M extends MethodName> = z.output<(typeof methods)[M]['input']>;
export type ApiOutput<M extends MethodName> = OutputOf<(typeof methods)[M]>;
export type ApiOutputs = { [M in MethodName]: ApiOutput<M> };
/** Methods that change nothing, each with the tables it reads. */
export type QueryName = { [M in MethodName]: (typeof methods)[M]['kind'] extends 'query' ? M : never }[MethodName];

/** The tables a method reads ([] for a command, or a query of nothing stored). */
export function readsOf(name: MethodName): readonly string[] {
  const m = methods[name];
  return m.kind === 'query' ? m.reads : [];
}

/** Events the core pushes to every connected renderer. */
export interface ApiEvents {
  /** The tables a commit touched, so open queries that read them refresh; ANY_TABLE ('*') when anything may have changed unseen (the renderer's event stream (re)connected). */
  'db.changed': { tables: string[] };
  'sync.progress': { shopId: string; phase: 'start' | 'page' | 'done' | 'error'; pulled: number; message?: string };
  /** A batch print's progress (print.labels): waybills allocated, then labels queued, of the batch's total. */
  'print.progress': { batchId: string; phase: 'allocate' | 'queue'; done: number; total: number };
}
export type EventName = keyof ApiEvents;
export const EVENT_NAMES = ['db.changed', 'sync.progress', 'print.progress'] as const satisfies readonly EventName[];

/** In db.changed: every table — what a renderer hears when its event stream (re)connects, because commits made meanwhile were not pushed to it. */
export const ANY_TABLE = '*';

/** The surface every transport exposes to the renderer (window.shopfleet in Electron). */
export interface ShopfleetBridge {
  call<M extends MethodName>(name: M, input: ApiInput<M>): Promise<import('../result.ts').Result<ApiOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}
