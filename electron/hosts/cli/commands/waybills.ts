// `shopfleet waybills list|add|range|import`: waybill accounts (面单账号) and their number pools,
// through the API as in the workbench's 面单 page.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ShopSummary, WaybillAccountInfo, WaybillImportResult } from '../../../shared/contract.ts';
import { CARRIER_CODES } from '../../../shared/carriers.ts';
import { sessionFor, USER_OPTION, type Session } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { UsageError } from '../usage.ts';

/** The import method takes the file as base64 of at most 70,000,000 characters (the contract's bound). */
const MAX_IMPORT_BYTES = Math.floor((70_000_000 / 4) * 3);

async function resolveAccount(session: Session, ref: string): Promise<WaybillAccountInfo> {
  const accounts = await session.call<WaybillAccountInfo[]>('waybillAccounts.list', {});
  const hit = accounts.find((a) => a.id === ref) ?? accounts.filter((a) => a.name === ref);
  if (!Array.isArray(hit)) return hit;
  if (hit.length === 1) return hit[0] as WaybillAccountInfo;
  throw new UsageError(hit.length === 0 ? `no waybill account "${ref}" (see: shopfleet waybills list --db FILE)` : `"${ref}" names more than one account: use its id`);
}

async function resolveShop(session: Session, ref: string): Promise<string> {
  const shops = await session.call<ShopSummary[]>('shops.list', {});
  const hit = shops.find((s) => s.id === ref) ?? shops.find((s) => s.name === ref);
  if (!hit) throw new UsageError(`no shop "${ref}" (see: shopfleet shops list --db FILE)`);
  return hit.id;
}

function wholeNumber(flag: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < min) throw new UsageError(`--${flag} must be a whole number ≥ ${min} (got "${raw}")`);
  return Number(raw);
}

export async function waybillsList(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION } });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const accounts = await (await sessionFor(core, values.user)).call<WaybillAccountInfo[]>('waybillAccounts.list', {});
    if (values.json) await writeOut(`${JSON.stringify(accounts, null, 2)}\n`);
    else {
      for (const a of accounts) await writeOut(`${[a.id, a.name, a.carrierCode, a.kind, a.pool ? `${a.pool.free} free, ${a.pool.used} used` : '-'].join('\t')}\n`);
      process.stderr.write(`${accounts.length} waybill accounts\n`);
    }
    return 0;
  });
}

export async function waybillsAdd(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      db: { type: 'string' },
      name: { type: 'string' },
      carrier: { type: 'string' },
      kind: { type: 'string' },
      shop: { type: 'string' },
      'for-shops': { type: 'string', multiple: true },
      'sender-name': { type: 'string' },
      'sender-mobile': { type: 'string' },
      'sender-province': { type: 'string' },
      'sender-city': { type: 'string' },
      'sender-district': { type: 'string' },
      'sender-address': { type: 'string' },
      option: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      ...USER_OPTION,
    },
  });
  if (!values.name) throw new UsageError('waybills add needs --name N');
  if (!values.carrier || !(CARRIER_CODES as readonly string[]).includes(values.carrier)) throw new UsageError(`waybills add needs --carrier, one of: ${CARRIER_CODES.join(', ')}`);
  if (values.kind !== 'pool' && values.kind !== 'platform') throw new UsageError('waybills add needs --kind pool (numbers you load) or --kind platform (the platform issues them)');
  const senderFlags = ['sender-name', 'sender-mobile', 'sender-province', 'sender-city', 'sender-district', 'sender-address'] as const;
  const anySender = senderFlags.some((f) => values[f] !== undefined);
  const missing = senderFlags.filter((f) => f !== 'sender-district' && values[f] === undefined);
  if (anySender && missing.length > 0) throw new UsageError(`a sender needs ${missing.map((f) => `--${f}`).join(', ')} too`);
  const options: Record<string, string> = {};
  for (const o of values.option ?? []) {
    const eq = o.indexOf('=');
    if (eq < 1) throw new UsageError(`--option takes KEY=VALUE (got "${o}")`);
    options[o.slice(0, eq)] = o.slice(eq + 1);
  }
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const forShops = (values['for-shops'] ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    const account = await session.call<WaybillAccountInfo>('waybillAccounts.add', {
      name: values.name,
      carrierCode: values.carrier,
      kind: values.kind,
      shopId: values.shop ? await resolveShop(session, values.shop) : null,
      sender: anySender
        ? {
            name: values['sender-name'],
            mobile: values['sender-mobile'],
            province: values['sender-province'],
            city: values['sender-city'],
            district: values['sender-district'] ?? '',
            address: values['sender-address'],
          }
        : null,
      shopIds: await Promise.all(forShops.map((s) => resolveShop(session, s))),
      options,
    });
    await writeOut(values.json ? `${JSON.stringify(account, null, 2)}\n` : `${account.id}\n`);
    return 0;
  });
}

export async function waybillsRange(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      db: { type: 'string' },
      account: { type: 'string' },
      prefix: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      width: { type: 'string' },
      'skip-existing': { type: 'boolean', default: false },
      ...USER_OPTION,
    },
  });
  if (!values.account) throw new UsageError('waybills range needs --account ID|NAME');
  const start = wholeNumber('start', values.start, 0);
  const end = wholeNumber('end', values.end, 0);
  if (start === undefined || end === undefined) throw new UsageError('waybills range needs --start N and --end N');
  const width = wholeNumber('width', values.width, 1);
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const account = await resolveAccount(session, values.account as string);
    const r = await session.call<{ added: number; skipped: number }>('waybillAccounts.addRange', {
      accountId: account.id,
      prefix: values.prefix ?? '',
      start,
      end,
      ...(width !== undefined ? { width } : {}),
      skipExisting: values['skip-existing'],
    });
    await writeOut(`${account.name}: ${r.added} added, ${r.skipped} already in the pool\n`);
    return 0;
  });
}

export async function waybillsImport(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, account: { type: 'string' }, file: { type: 'string' }, 'skip-bad': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, ...USER_OPTION },
  });
  if (!values.account) throw new UsageError('waybills import needs --account ID|NAME');
  if (!values.file) throw new UsageError('waybills import needs --file FILE.xlsx|FILE.csv|FILE.txt');
  const file = path.resolve(values.file);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  if (size > MAX_IMPORT_BYTES) throw new UsageError(`${file} is ${(size / 1e6).toFixed(1)} MB; a number file may be at most ${(MAX_IMPORT_BYTES / 1e6).toFixed(0)} MB`);
  const base64 = fs.readFileSync(file).toString('base64');
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const account = await resolveAccount(session, values.account as string);
    const r = await session.call<WaybillImportResult>('waybillAccounts.importNumbers', { accountId: account.id, fileName: path.basename(file), base64, skipBad: values['skip-bad'] });
    if (values.json) await writeOut(`${JSON.stringify(r, null, 2)}\n`);
    else await writeOut(`${account.name}: ${r.imported ? `${r.added} added` : 'nothing added'} (${r.rows} rows, ${r.bad.length} bad)\n`);
    for (const b of r.bad) process.stderr.write(`line ${b.line}\t${b.problem}\t${b.value}\t${b.message}\n`);
    if (!r.imported) process.stderr.write('nothing was imported: fix the rows above, or add --skip-bad to import the good ones\n');
    return r.imported ? 0 : 1;
  });
}
