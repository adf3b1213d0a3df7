// The process the kill -9 crash test (crash.e2e.test.ts) murders: opens a station database, connects
// one shop through the 'shops.add' API if it is not there yet, syncs it once to completion through
// the real scheduler and adapter, prints one JSON line with the result and exits (0 ok, 1 sync error,
// 2 bad arguments). Run: node --import tsx electron/core/sync/crash-child.ts --db FILE --platform P
// --name NAME --gateway URL --app-key K --app-secret S --access-token T
import { parseArgs } from 'node:util';
import { createCore } from '../../core/app.ts';
import type { ApiInput, ShopSummary } from '../../shared/contract.ts';
import { isConnectablePlatform } from '../../core/shops/connect.ts';
import { PAGE_MARKER, SYNC_STARTED_MARKER, type CrashChildResult } from './crash-protocol.ts';
import { testDbOf } from '../station-db.ts';

const FLAGS = ['db', 'platform', 'name', 'gateway', 'app-key', 'app-secret', 'access-token'] as const;
type Flag = (typeof FLAGS)[number];

function readArgs(argv: string[]): Record<Flag, string> {
  const { values } = parseArgs({ args: argv, strict: true, options: Object.fromEntries(FLAGS.map((f) => [f, { type: 'string' as const }])) });
  const out = {} as Record<Flag, string>;
  for (const flag of FLAGS) {
    const v = values[flag];
    if (typeof v !== 'string' || v === '') throw new Error(`crash-child needs --${flag}`);
    out[flag] = v;
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  let args: Record<Flag, string>;
  try {
    args = readArgs(argv);
    if (!isConnectablePlatform(args.platform)) throw new Error(`unknown platform "${args.platform}"`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  // No scheduler timers, and the engine in this thread: the process syncs one shop, once, and a
  // SIGKILL stops the whole pull mid-flight (a worker thread would die with it just the same).
  const core = await createCore({ dbFile: args.db, sync: false, syncIn: 'inline' });
  try {
    // "Only if missing", by (platform, name): a previous run may have died before or after its add committed.
    const list = await core.call('shops.list', {});
    if (!list.ok) throw new Error(`shops.list: ${list.error.code}: ${list.error.message}`);
    let shop = (list.value as ShopSummary[]).find((s) => s.platform === args.platform && s.name === args.name);
    const added = shop === undefined;
    if (!shop) {
      const input: ApiInput<'shops.add'> = {
        platform: args.platform as ApiInput<'shops.add'>['platform'],
        name: args.name,
        appKey: args['app-key'],
        appSecret: args['app-secret'],
        accessToken: args['access-token'],
        gateway: args.gateway,
      };
      const r = await core.call('shops.add', input);
      if (!r.ok) throw new Error(`shops.add: ${r.error.code}: ${r.error.message}`);
      shop = r.value as ShopSummary;
    }
    const shopId = shop.id;
    // Progress on stderr, so the crash test can aim its kills at any point of the pull however fast
    // this machine runs today — with the committed cursor, so it can tell a window's inner pages
    // (cursor unchanged: the window is half stored) from its last.
    const cursorOf = testDbOf(core).$client.prepare<[string], { cursor_ms: number | null }>('SELECT cursor_ms FROM sync_cursors WHERE shop_id = ?');
    let pages = 0;
    core.on('sync.progress', (e) => {
      if (e.shopId !== shopId || e.phase !== 'page') return;
      pages += 1;
      process.stderr.write(`${PAGE_MARKER} ${pages} ${e.pulled} ${cursorOf.get(shopId)?.cursor_ms ?? 'none'}\n`);
    });
    process.stderr.write(`${SYNC_STARTED_MARKER} ${shop.id}\n`);
    const r = await core.scheduler.syncShop(shop.id);
    const result: CrashChildResult = { shopId: shop.id, added, pulled: r.pulled, changed: r.changed, quarantined: r.quarantined, ...(r.error !== undefined ? { error: r.error } : {}) };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return r.error === undefined ? 0 : 1;
  } finally {
    await core.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`crash-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
