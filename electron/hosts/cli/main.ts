// The `shopfleet` command line: parses the command words, runs the command, and maps failures to
// exit codes (2 = bad arguments with that command's usage on stderr, 1 = the API refused or the
// station could not be opened — one sentence, never a stack trace).
import { ApiFailure, helpFor, shortUsageFor, USAGE, UsageError } from './usage.ts';
import { AppError } from '../../shared/result.ts';

type Run = (argv: string[]) => Promise<number>;

/** Commands load lazily: `help` and bad arguments answer without opening SQLite. */
const ROUTES: Record<string, () => Promise<Run>> = {
  serve: async () => (await import('./commands/serve.ts')).serve,
  demo: async () => (await import('./commands/demo.ts')).demo,
  'orders list': async () => (await import('./commands/orders-list.ts')).ordersList,
  'orders review': async () => (await import('./commands/orders-actions.ts')).ordersReview,
  'orders hold': async () => (await import('./commands/orders-actions.ts')).ordersHold,
  'orders release': async () => (await import('./commands/orders-actions.ts')).ordersRelease,
  'orders tag': async () => (await import('./commands/orders-actions.ts')).ordersTag,
  'orders flag': async () => (await import('./commands/orders-actions.ts')).ordersFlag,
  'orders memo': async () => (await import('./commands/orders-actions.ts')).ordersFlag,
  'orders ship': async () => (await import('./commands/orders-actions.ts')).ordersShip,
  export: async () => (await import('./commands/export.ts')).exportOrders,
  'shops add': async () => (await import('./commands/shops.ts')).shopsAdd,
  'shops list': async () => (await import('./commands/shops.ts')).shopsList,
  'shops authorize': async () => (await import('./commands/shops.ts')).shopsAuthorize,
  'printers add': async () => (await import('./commands/printers.ts')).printersAdd,
  'printers list': async () => (await import('./commands/printers.ts')).printersList,
  'print jobs': async () => (await import('./commands/printers.ts')).printJobs,
  'print labels': async () => (await import('./commands/printers.ts')).printLabelsCommand,
  'print answer': async () => (await import('./commands/print-jobs.ts')).printAnswer,
  'print retry': async () => (await import('./commands/print-jobs.ts')).printRetry,
  'print cancel': async () => (await import('./commands/print-jobs.ts')).printCancel,
  'print reprint': async () => (await import('./commands/print-jobs.ts')).printReprint,
  'print picklist': async () => (await import('./commands/picklist.ts')).printPickList,
  'print slips': async () => (await import('./commands/picklist.ts')).printSlips,
  'waybills list': async () => (await import('./commands/waybills.ts')).waybillsList,
  'waybills add': async () => (await import('./commands/waybills.ts')).waybillsAdd,
  'waybills range': async () => (await import('./commands/waybills.ts')).waybillsRange,
  'waybills import': async () => (await import('./commands/waybills.ts')).waybillsImport,
  'skus import': async () => (await import('./commands/stock.ts')).skusImport,
  'skus list': async () => (await import('./commands/stock.ts')).skusList,
  'warehouses add': async () => (await import('./commands/stock.ts')).warehousesAdd,
  'warehouses list': async () => (await import('./commands/stock.ts')).warehousesList,
  'stock receive': async () => (await import('./commands/stock.ts')).stockReceive,
  'stock count': async () => (await import('./commands/stock.ts')).stockCount,
  'stock adjust': async () => (await import('./commands/stock.ts')).stockAdjust,
  'stock transfer': async () => (await import('./commands/stock.ts')).stockTransfer,
  'stock correct': async () => (await import('./commands/stock.ts')).stockCorrect,
  'stock list': async () => (await import('./commands/stock.ts')).stockList,
  'stock ledger': async () => (await import('./commands/stock.ts')).stockLedger,
  'stock push': async () => (await import('./commands/stock.ts')).stockPush,
  'mapping pull': async () => (await import('./commands/mapping.ts')).mappingPull,
  'mapping list': async () => (await import('./commands/mapping.ts')).mappingList,
  'mapping import': async () => (await import('./commands/mapping.ts')).mappingImport,
  'bundles set': async () => (await import('./commands/mapping.ts')).bundlesSet,
  'bundles list': async () => (await import('./commands/mapping.ts')).bundlesList,
  'bundles remove': async () => (await import('./commands/mapping.ts')).bundlesRemove,
  sync: async () => (await import('./commands/sync.ts')).sync,
  sandbox: async () => (await import('./commands/sandbox.ts')).sandbox,
  'label render': async () => (await import('./commands/label.ts')).labelRender,
  call: async () => (await import('./commands/call.ts')).call,
  'hub serve': async () => (await import('./commands/hub.ts')).hubServe,
  'hub team': async () => (await import('./commands/hub.ts')).hubTeam,
  'hub invite': async () => (await import('./commands/hub.ts')).hubInvite,
  'hub credentials': async () => (await import('./commands/hub-credentials.ts')).hubCredentials,
  'station join': async () => (await import('./commands/station.ts')).stationJoin,
  'station sync': async () => (await import('./commands/station.ts')).stationSync,
  'station status': async () => (await import('./commands/station.ts')).stationStatus,
  'station quotas': async () => (await import('./commands/quotas.ts')).stationQuotas,
};

const GROUPS = new Set(Object.keys(ROUTES).filter((k) => k.includes(' ')).map((k) => k.split(' ')[0] as string));

/** The command words at the front of argv ("orders list", "export"), and the rest. */
function splitCommand(argv: string[]): { words: string; rest: string[] } {
  const [first, second, ...more] = argv;
  if (first === undefined) return { words: '', rest: [] };
  if (GROUPS.has(first) && second !== undefined && !second.startsWith('-')) return { words: `${first} ${second}`, rest: more };
  return { words: first, rest: argv.slice(1) };
}

const wantsHelp = (args: string[]): boolean => args.includes('--help') || args.includes('-h');

async function run(argv: string[], current: { words: string }): Promise<number> {
  const { words, rest } = splitCommand(argv);
  if (words === '' || words === 'help' || words === '--help' || words === '-h') {
    const topic = rest.filter((a) => !a.startsWith('-')).join(' ');
    if (topic === '') {
      process.stdout.write(USAGE);
      return 0;
    }
    const help = helpFor(topic);
    if (!help) throw new UsageError(`No command "${topic}"`);
    process.stdout.write(help);
    return 0;
  }
  current.words = words;
  const route = ROUTES[words];
  if (!route) {
    const [group, sub] = words.split(' ');
    if (group && GROUPS.has(group)) {
      current.words = group;
      if (wantsHelp(argv.slice(1)) && sub === undefined) {
        process.stdout.write(helpFor(group) as string);
        return 0;
      }
      throw new UsageError(sub ? `Unknown command "${words}"` : `${group} needs a subcommand`);
    }
    current.words = '';
    throw new UsageError(`Unknown command "${words}"`);
  }
  if (wantsHelp(rest)) {
    process.stdout.write(helpFor(words) ?? USAGE);
    return 0;
  }
  return (await route())(rest);
}

/** Node's parseArgs throws TypeErrors with these codes for unknown or malformed flags. */
function isArgError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** What a system error means for the person at the terminal, in one sentence. */
export function describeSystemError(err: NodeJS.ErrnoException): string {
  const where = err.path ? ` (${err.path})` : '';
  switch (err.code) {
    case 'ENOSPC':
      return `the disk is full${where}: free some space and run the command again`;
    case 'EDQUOT':
      return `the disk quota is used up${where}: free some space and run the command again`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied${where}: run as the user who owns the station's files, or fix their permissions`;
    case 'EROFS':
      return `the file system is read-only${where}: put the station's database on a writable disk`;
    case 'ENOENT':
      return `no such file or folder${where}`;
    case 'EISDIR':
      return `a folder was given where a file is needed${where}`;
    case 'EADDRINUSE':
      return `the port is already in use: choose another with --port, or stop the program using it`;
    case 'EADDRNOTAVAIL':
      return 'the loopback address 127.0.0.1 is not available on this machine';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files: close other programs or raise the limit (ulimit -n)';
    default:
      return err.message;
  }
}

/** SQLite's own errors (a damaged or locked file) carry codes like SQLITE_CORRUPT. */
function describeSqliteError(err: Error & { code?: unknown }): string | null {
  if (typeof err.code !== 'string' || !err.code.startsWith('SQLITE_')) return null;
  if (err.code === 'SQLITE_CORRUPT' || err.code === 'SQLITE_NOTADB') return 'the station database is damaged or not a ShopFleet database: restore a backup (the .bak files beside it)';
  if (err.code === 'SQLITE_FULL') return 'the disk is full: free some space and run the command again';
  if (err.code === 'SQLITE_READONLY') return 'the station database is read-only: check its file and folder permissions';
  if (err.code.startsWith('SQLITE_BUSY') || err.code.startsWith('SQLITE_LOCKED')) return 'the station database is busy in another program: try again in a moment';
  if (err.code.startsWith('SQLITE_CANTOPEN')) return 'the station database cannot be opened: check that its folder exists and is writable';
  if (err.code.startsWith('SQLITE_IOERR')) return `the disk failed while reading or writing the station database (${err.code}): check the disk`;
  return `${err.code}: ${err.message}`;
}

export async function main(argv: string[]): Promise<number> {
  // `shopfleet orders list | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const current = { words: '' };
  try {
    return await run(argv, current);
  } catch (err) {
    if (err instanceof UsageError || isArgError(err)) {
      const topic = (err instanceof UsageError ? err.command : undefined) ?? current.words;
      const usage = (topic ? shortUsageFor(topic) : null) ?? USAGE;
      process.stderr.write(`shopfleet: ${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    if (err instanceof ApiFailure) {
      process.stderr.write(`shopfleet: ${err.message}\n`);
      return 1;
    }
    // Opening the database can refuse with a typed error (newer schema, damaged, read-only, wrong native build).
    if (err instanceof AppError) {
      process.stderr.write(`shopfleet: ${err.code} — ${err.message}\n`);
      return 1;
    }
    // Anything else is still one sentence: a stack trace tells the person at the terminal nothing they
    // can act on. SHOPFLEET_DEBUG=1 shows it for whoever files the bug.
    const e = err instanceof Error ? (err as NodeJS.ErrnoException) : null;
    const sentence = e ? (describeSqliteError(e) ?? (typeof e.code === 'string' && e.code.startsWith('E') ? describeSystemError(e) : e.message)) : String(err);
    process.stderr.write(`shopfleet: ${sentence}\n`);
    if (process.env.SHOPFLEET_DEBUG && e?.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
