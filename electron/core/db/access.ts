// Two types over the one connection type (Db), so the compiler knows which functions may write.
//
// A ReadDb is any open connection: every function that only reads takes one. A WriteTx is the
// same connection while a write transaction is open on it, branded so that only writeTx below
// makes one. Its callers are few and named in docs/architecture.md#typed-data-access: runCommand
// (api/command.ts) hands one to each command body in its scope, order ingest (orders/ingest.ts)
// opens one per batch, and the background services that settle their own rows outside a command
// (the print sender, the push outbox, the sync scheduler's runs, token refreshes, tracking polls,
// start-up upkeep) open their own short ones. A function that writes takes a WriteTx, so handing
// it a plain connection does not compile (access.test.ts shows it). The brand is types only: at
// run time a WriteTx is the Db it was made from.
import type { Db } from './open.ts';

declare const writeTxBrand: unique symbol;

/** An open connection, for reading. Every Db is one. */
export type ReadDb = Db;

/** The connection inside an open write transaction: what every function that writes asks for. */
export type WriteTx = Db & { readonly [writeTxBrand]: true };

/**
 * Runs fn in its own write transaction (BEGIN IMMEDIATE; a savepoint when one is already open on
 * the connection) and returns what it returns; a throw rolls everything back. For writers that
 * are not commands: a command's body gets its WriteTx from runCommand's scope instead, so its rows
 * commit together with its audit entries and its ops row.
 */
export function writeTx<T>(db: ReadDb, fn: (tx: WriteTx) => T): T {
  return db.$client.transaction(() => fn(db as WriteTx)).immediate();
}
