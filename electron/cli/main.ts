// The `shopfleet` command line: parses the command word, runs it, and maps failures to exit codes
// (2 = bad arguments with usage on stderr, 1 = the API refused or failed).
import { ApiFailure, FILTER_USAGE, USAGE, UsageError } from './usage.ts';
import { EXPORT_COLUMNS } from '../shared/contract.ts';
import { AppError } from '../shared/result.ts';

const HELP: Record<string, string> = {
  export: `Usage: shopfleet export --db FILE [filters] [--columns a,b,c] --out FILE.xlsx|FILE.csv\n\n${FILTER_USAGE}\n\ncolumns (default all): ${EXPORT_COLUMNS.join(',')}\n`,
};

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write((rest[0] && HELP[rest[0]]) || USAGE);
      return 0;
    // Commands load lazily: `help` and bad arguments answer without opening SQLite.
    case 'serve':
      return (await import('./commands/serve.ts')).serve(rest);
    case 'demo':
      return (await import('./commands/demo.ts')).demo(rest);
    case 'orders': {
      const [sub, ...args] = rest;
      if (sub === 'list') return (await import('./commands/orders-list.ts')).ordersList(args);
      throw new UsageError(sub ? `Unknown command "orders ${sub}"` : 'orders needs a subcommand: list');
    }
    case 'export':
      return (await import('./commands/export.ts')).exportOrders(rest);
    case 'shops': {
      const [sub, ...args] = rest;
      if (sub === 'add') return (await import('./commands/shops.ts')).shopsAdd(args);
      if (sub === 'list') return (await import('./commands/shops.ts')).shopsList(args);
      if (sub === 'authorize') return (await import('./commands/shops.ts')).shopsAuthorize(args);
      throw new UsageError(sub ? `Unknown command "shops ${sub}"` : 'shops needs a subcommand: add, list, authorize');
    }
    case 'printers': {
      const [sub, ...args] = rest;
      if (sub === 'add') return (await import('./commands/printers.ts')).printersAdd(args);
      if (sub === 'list') return (await import('./commands/printers.ts')).printersList(args);
      throw new UsageError(sub ? `Unknown command "printers ${sub}"` : 'printers needs a subcommand: add, list');
    }
    case 'print': {
      const [sub, ...args] = rest;
      if (sub === 'jobs') return (await import('./commands/printers.ts')).printJobs(args);
      if (sub === 'labels') return (await import('./commands/printers.ts')).printLabelsCommand(args);
      if (sub === 'picklist') return (await import('./commands/picklist.ts')).printPickList(args);
      if (sub === 'slips') return (await import('./commands/picklist.ts')).printSlips(args);
      throw new UsageError(sub ? `Unknown command "print ${sub}"` : 'print needs a subcommand: jobs, labels, picklist, slips');
    }
    case 'sync':
      return (await import('./commands/sync.ts')).sync(rest);
    case 'sandbox':
      return (await import('./commands/sandbox.ts')).sandbox(rest);
    case 'label': {
      const [sub, ...args] = rest;
      if (sub === 'render') return (await import('./commands/label.ts')).labelRender(args);
      throw new UsageError(sub ? `Unknown command "label ${sub}"` : 'label needs a subcommand: render');
    }
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

/** Node's parseArgs throws TypeErrors with these codes for unknown or malformed flags. */
function isArgError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

export async function main(argv: string[]): Promise<number> {
  // `shopfleet orders list | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    return await run(argv);
  } catch (err) {
    if (err instanceof UsageError || isArgError(err)) {
      process.stderr.write(`shopfleet: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ApiFailure) {
      process.stderr.write(`shopfleet: ${err.message}\n`);
      return 1;
    }
    // Opening the database can refuse with a typed error (newer schema, wrong native build).
    if (err instanceof AppError) {
      process.stderr.write(`shopfleet: ${err.code} — ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`shopfleet: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
