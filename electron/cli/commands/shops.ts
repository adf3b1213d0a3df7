// `shopfleet shops add|list`: connect a seller account (secrets encrypted at rest) and list shops
// with their sync state — never their secrets.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../../core/app.ts';
import type { ApiInput, ShopSummary } from '../../shared/contract.ts';
import { CONNECTABLE_PLATFORMS, isConnectablePlatform, listShopConnections } from '../../core/shops/connect.ts';
import { callOrThrow } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { UsageError } from '../usage.ts';

function required(values: Record<string, string | boolean | undefined>, flag: string): string {
  const v = values[flag];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`shops add needs --${flag}`);
  return v;
}

export async function shopsAdd(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      db: { type: 'string' },
      platform: { type: 'string' },
      name: { type: 'string' },
      'app-key': { type: 'string' },
      'app-secret': { type: 'string' },
      'access-token': { type: 'string' },
      'refresh-token': { type: 'string' },
      gateway: { type: 'string' },
    },
  });
  const platform = required(values, 'platform');
  if (!isConnectablePlatform(platform)) throw new UsageError(`unknown platform "${platform}" (one of: ${CONNECTABLE_PLATFORMS.join(', ')})`);
  const name = required(values, 'name');
  const appKey = required(values, 'app-key');
  const appSecret = required(values, 'app-secret');
  const accessToken = required(values, 'access-token');
  if (values.gateway !== undefined && !/^https?:\/\/\S+$/.test(values.gateway)) throw new UsageError('--gateway must be an http(s) URL');
  // Adding the first shop may create the station database (unlike listing, which never creates one).
  const file = path.resolve(values.db ?? defaultDbFile());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const input: ApiInput<'shops.add'> = {
    platform,
    name,
    appKey,
    appSecret,
    accessToken,
    ...(values['refresh-token'] ? { refreshToken: values['refresh-token'] } : {}),
    ...(values.gateway ? { gateway: values.gateway } : {}),
  };
  return withCore(createCore({ dbFile: file, demo: false, sync: false }), async (core) => {
    // Through the API, so the connection is validated, role-checked and audited like any command.
    const shop = await callOrThrow<ShopSummary>(core, 'shops.add', input);
    await writeOut(`${shop.id}\n`);
    return 0;
  });
}

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

export async function shopsList(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const shops = listShopConnections(core.db);
    if (values.json) {
      await writeOut(`${JSON.stringify(shops, null, 2)}\n`);
    } else {
      for (const s of shops) await writeOut(`${[s.id, s.name, s.platform, s.state, when(s.lastSuccessAt), s.lastError ?? ''].join('\t')}\n`);
      process.stderr.write(`${shops.length} shops\n`);
    }
    return 0;
  });
}
