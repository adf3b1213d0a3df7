// The hub's mutators, one per op name. An op carries its effects (the rows its transaction changed
// on the station); a mutator decides whether the actor may have done it and merges the effects.
// The default mutator of a command checks the actor's role against that method's `roles`
// (electron/shared/api: an op name is a method name) and their shop scope, then merges by each
// table's rule. Ops that need an authority (claims, sync leases, stock quotas) register their own
// mutator under their name. When an op's meaning changes it gets a new name (`orders.ship.v2`) and
// the old name stays as an alias whose adapter turns the old op into the current one.
import { methods } from '../../electron/shared/api/index.ts';
import type { PushOp } from '../../electron/shared/hub/protocol.ts';
import { STATION_OP_METHODS } from '../../electron/shared/hub/station-ops.ts';
import type { Role } from '../../electron/shared/model.ts';
import type { Queryable } from '../db/engine.ts';
import type { StationRow, UserRow } from './identity.ts';
import { OpRefusal } from './errors.ts';
import { mergeEffects, type MergeOutcome } from './merge.ts';
import type { Flushed, RowSet } from './rows.ts';

export { OpRefusal };


export interface MutatorContext {
  /**
   * The push's transaction, seen from this op: its first statement opens the op's savepoint, so a
   * refusal undoes what the op wrote. An op that sends no SQL needs no savepoint.
   */
  tx: Queryable;
  /**
   * The rows the push reads and writes (merged in memory, written when the push's ops are done).
   * SQL that must read rows this push changed calls `rows.flushAll()` first.
   */
  rows: RowSet;
  teamId: string;
  station: StationRow;
  /** The person the op names (`sync` ops act as the station's signed-in user). */
  actor: UserRow;
  op: PushOp;
  now: number;
}

export interface MutatorOutcome extends MergeOutcome {
  /** What the hub decided beyond the merge (a claim's holder, say), returned in the op's result. */
  details?: Record<string, unknown>;
}

export type Mutator = (ctx: MutatorContext) => Promise<MutatorOutcome>;

/** After a push's applied ops are written: what they created, to watch across ops (the stock ledger). */
export interface PushWatchContext {
  tx: Queryable;
  teamId: string;
  created: Flushed['created'];
  now: number;
}

/** A push watcher's writes, so the push pokes their groups. */
export type PushWatcher = (ctx: PushWatchContext) => Promise<{ maxSyncId: number; groups: Set<string> }>;

interface Alias {
  current: string;
  adapt: (op: PushOp) => PushOp;
}

export class MutatorRegistry {
  private readonly mutators = new Map<string, Mutator>();
  private readonly aliases = new Map<string, Alias>();
  private readonly watchers: PushWatcher[] = [];

  /** Runs after every push's applied ops are written, in the push's transaction (never refuses). */
  watchPushes(watcher: PushWatcher): this {
    this.watchers.push(watcher);
    return this;
  }

  pushWatchers(): readonly PushWatcher[] {
    return this.watchers;
  }

  register(name: string, mutator: Mutator): this {
    this.mutators.set(name, mutator);
    return this;
  }

  /** Keeps an old station's op name working: its ops are adapted and run by the current mutator. */
  alias(oldName: string, current: string, adapt: (op: PushOp) => PushOp = (op) => op): this {
    this.aliases.set(oldName, { current, adapt });
    return this;
  }

  /** The mutator that runs an op of this name and the op as that mutator expects it; null = unknown. */
  resolve(op: PushOp): { mutator: Mutator; op: PushOp } | null {
    const own = this.mutators.get(op.name);
    if (own) return { mutator: own, op };
    const alias = this.aliases.get(op.name);
    const target = alias ? this.mutators.get(alias.current) : undefined;
    if (!alias || !target) return null;
    return { mutator: target, op: alias.adapt(op) };
  }

  names(): string[] {
    return [...this.mutators.keys(), ...this.aliases.keys()].sort();
  }

  /**
   * Wraps every mutator in place (what watches every op's merge: claims, quotas). An old name's
   * alias resolves to its current mutator, so it runs the wrapped one; nothing is wrapped twice.
   */
  wrapAll(wrap: (inner: Mutator, name: string) => Mutator): this {
    for (const [name, inner] of [...this.mutators]) this.mutators.set(name, wrap(inner, name));
    return this;
  }
}

/** The default mutator: role for the op name, then the effects merged within the actor's shops. */
export function roleCheckedMerge(roles: readonly Role[]): Mutator {
  return async (ctx) => {
    if (!roles.includes(ctx.actor.role)) throw new OpRefusal('ROLE_FORBIDDEN', { role: ctx.actor.role, allowed: [...roles] });
    return mergeEffects(ctx.rows, { teamId: ctx.teamId, shops: ctx.actor.shops ?? null }, ctx.op);
  };
}

/**
 * Op names of earlier station versions, each with the name that replaced it. Empty while no op has
 * changed its meaning; a rename adds its old name here (with an adapter when the arguments changed).
 */
export const OP_ALIASES: ReadonlyArray<{ old: string; current: string; adapt?: (op: PushOp) => PushOp }> = [];

/** Every command of the API under its own name, ingest, and the aliases of older names. */
export function createDefaultRegistry(): MutatorRegistry {
  const registry = new MutatorRegistry();
  for (const [name, decl] of Object.entries(methods)) {
    if (decl.kind === 'command') registry.register(name, roleCheckedMerge(decl.roles));
  }
  // Steps of a command a station writes as ops of their own (printing: packages, waybills, jobs, marks).
  for (const [name, method] of Object.entries(STATION_OP_METHODS)) registry.register(name, roleCheckedMerge(methods[method].roles));
  // A station's own pull of its shops (actor 'sync'): whoever is signed in there, within their shops.
  registry.register('sync.ingest', roleCheckedMerge(['owner', 'operator', 'service', 'packer', 'finance']));
  for (const a of OP_ALIASES) registry.alias(a.old, a.current, a.adapt);
  return registry;
}
