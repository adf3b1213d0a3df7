// `shopfleet skus import|list`, `warehouses add|list`, `stock receive|count|adjust|transfer|correct|
// list|ledger`: the SKU catalogue, warehouses and the stock ledger through the API, as scripts and
// checks use them. Codes name SKUs (商家编码) and warehouses, as people know them.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { MovementResult, MovementView, SkuImportResult, SkuView, StockPushRun, StockRow, WarehouseView } from '../../../shared/contract.ts';
import { sessionFor, USER_OPTION } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, openOrCreateStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { UsageError } from '../usage.ts';
import { shopIdOf } from './mapping.ts';

/** The import method takes the file as base64 of at most 70,000,000 characters (the contract's bound). */
const MAX_IMPORT_BYTES = Math.floor((70_000_000 / 4) * 3);
const PAGE = 5000;

/** `--delta -5` reads as a flag to parseArgs: join a negative number to its flag (`--delta=-5`). */
function joinNegative(argv: string[], flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = argv[i + 1];
    if (flags.includes(a) && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function integer(flag: string, raw: string | undefined, min: number): number {
  if (raw === undefined) throw new UsageError(`--${flag} N is required`);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < min) throw new UsageError(`--${flag} must be a whole number ≥ ${min} (got "${raw}")`);
  return Number(raw);
}

function need(values: Record<string, unknown>, flag: string, what: string): string {
  const v = values[flag];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${flag} ${what} is required`);
  return v;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export async function skusImport(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, file: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, ...USER_OPTION },
  });
  const file = path.resolve(need(values, 'file', 'FILE.xlsx|FILE.csv'));
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  if (size > MAX_IMPORT_BYTES) throw new UsageError(`${file} is ${(size / 1e6).toFixed(1)} MB; a SKU file may be at most ${(MAX_IMPORT_BYTES / 1e6).toFixed(0)} MB`);
  const base64 = fs.readFileSync(file).toString('base64');
  return withCore(openOrCreateStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const r = await session.call<SkuImportResult>('skus.import', { fileName: path.basename(file), base64, dryRun: values['dry-run'] });
    if (values.json) await writeOut(json(r));
    else {
      const verb = r.dryRun ? 'would add' : 'added';
      const what = r.badCount > 0 ? 'nothing imported' : `${verb} ${r.added}, ${r.dryRun ? 'would change' : 'changed'} ${r.updated}, unchanged ${r.unchanged}`;
      await writeOut(`${path.basename(file)}: ${r.rows} rows — ${what}\n`);
      for (const c of r.changes) await writeOut(`line ${c.line}\t${c.action}\t${c.code}${c.fields.length ? `\t${c.fields.join(',')}` : ''}\n`);
    }
    for (const b of r.bad) process.stderr.write(`line ${b.line}\t${b.field}\t${b.problem}\t${b.code ?? ''}\t${b.message}\n`);
    if (r.badCount > r.bad.length) process.stderr.write(`… and ${r.badCount - r.bad.length} more refused rows\n`);
    if (r.badCount > 0) process.stderr.write(`${r.badCount} rows refused: nothing was imported; fix them and import the file again\n`);
    return r.badCount > 0 ? 1 : 0;
  });
}

export async function skusList(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, q: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION } });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const all: SkuView[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await session.call<SkuView[]>('skus.list', { ...(values.q ? { q: values.q } : {}), limit: PAGE, offset });
      all.push(...page);
      if (page.length < PAGE) break;
    }
    if (values.json) await writeOut(json(all));
    else {
      for (const s of all) await writeOut(`${[s.code, s.title, s.spec, s.barcodes.join(','), s.location ?? '', s.safetyStock, s.lowStockThreshold].join('\t')}\n`);
      process.stderr.write(`${all.length} SKUs\n`);
    }
    return 0;
  });
}

export async function warehousesAdd(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: joinNegative(argv, ['--priority']),
    strict: true,
    options: {
      db: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
      address: { type: 'string' },
      regions: { type: 'string' },
      priority: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...USER_OPTION,
    },
  });
  const code = need(values, 'code', 'CODE');
  const name = need(values, 'name', 'NAME');
  const regions = values.regions === undefined ? undefined : values.regions.split(/[,，、]/).map((r) => r.trim()).filter(Boolean);
  const priority = values.priority === undefined ? undefined : integer('priority', values.priority, -1000);
  return withCore(openOrCreateStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const w = await session.call<WarehouseView>('warehouses.add', {
      code,
      name,
      ...(values.address !== undefined ? { address: values.address } : {}),
      ...(regions ? { regions } : {}),
      ...(priority !== undefined ? { priority } : {}),
    });
    await writeOut(values.json ? json(w) : `${w.code}\t${w.name}${w.regions.length ? `\t${w.regions.join(',')}` : ''}\n`);
    return 0;
  });
}

export async function warehousesList(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION } });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const list = await (await sessionFor(core, values.user)).call<WarehouseView[]>('warehouses.list', {});
    if (values.json) await writeOut(json(list));
    else for (const w of list) await writeOut(`${[w.code, w.name, w.regions.join(','), w.priority].join('\t')}\n`);
    return 0;
  });
}

/** One ledger command: prints the movements it wrote (or, for a replayed --request-id, wrote before). */
async function ledgerCommand(dbFile: string | undefined, user: string | undefined, asJson: boolean, method: string, input: Record<string, unknown>): Promise<number> {
  return withCore(openExistingStation(dbFile ?? defaultDbFile()), async (core) => {
    const r = await (await sessionFor(core, user)).call<MovementResult>(method, input);
    if (asJson) await writeOut(json(r));
    else {
      for (const m of r.movements) await writeOut(`${[m.id, m.sku, m.warehouse, m.delta > 0 ? `+${m.delta}` : m.delta, m.reason, `on hand ${m.balance}`].join('\t')}\n`);
      if (r.movements.length === 0) await writeOut('no change\n');
      if (!r.created) process.stderr.write('this request id was recorded before: nothing new was written\n');
    }
    return 0;
  });
}

const LEDGER_OPTIONS = {
  db: { type: 'string' },
  sku: { type: 'string' },
  warehouse: { type: 'string' },
  'request-id': { type: 'string' },
  json: { type: 'boolean', default: false },
  ...USER_OPTION,
} as const;

export async function stockReceive(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { ...LEDGER_OPTIONS, quantity: { type: 'string' }, reference: { type: 'string' } } });
  return ledgerCommand(values.db, values.user, values.json, 'stock.receive', {
    sku: need(values, 'sku', 'CODE'),
    warehouse: need(values, 'warehouse', 'CODE'),
    quantity: integer('quantity', values.quantity, 1),
    ...(values.reference !== undefined ? { reference: values.reference } : {}),
    ...(values['request-id'] !== undefined ? { requestId: values['request-id'] } : {}),
  });
}

export async function stockCount(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { ...LEDGER_OPTIONS, counted: { type: 'string' }, reference: { type: 'string' } } });
  return ledgerCommand(values.db, values.user, values.json, 'stock.count', {
    sku: need(values, 'sku', 'CODE'),
    warehouse: need(values, 'warehouse', 'CODE'),
    counted: integer('counted', values.counted, 0),
    ...(values.reference !== undefined ? { reference: values.reference } : {}),
    ...(values['request-id'] !== undefined ? { requestId: values['request-id'] } : {}),
  });
}

export async function stockAdjust(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: joinNegative(argv, ['--delta']), strict: true, options: { ...LEDGER_OPTIONS, delta: { type: 'string' }, reason: { type: 'string' } } });
  const delta = integer('delta', values.delta, -Number.MAX_SAFE_INTEGER);
  if (delta === 0) throw new UsageError('--delta 0 changes nothing');
  return ledgerCommand(values.db, values.user, values.json, 'stock.adjust', {
    sku: need(values, 'sku', 'CODE'),
    warehouse: need(values, 'warehouse', 'CODE'),
    delta,
    reason: need(values, 'reason', 'TEXT'),
    ...(values['request-id'] !== undefined ? { requestId: values['request-id'] } : {}),
  });
}

export async function stockTransfer(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { ...LEDGER_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, quantity: { type: 'string' }, reference: { type: 'string' } },
  });
  return ledgerCommand(values.db, values.user, values.json, 'stock.transfer', {
    sku: need(values, 'sku', 'CODE'),
    from: need(values, 'from', 'CODE'),
    to: need(values, 'to', 'CODE'),
    quantity: integer('quantity', values.quantity, 1),
    ...(values.reference !== undefined ? { reference: values.reference } : {}),
    ...(values['request-id'] !== undefined ? { requestId: values['request-id'] } : {}),
  });
}

export async function stockCorrect(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, movement: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION } });
  return ledgerCommand(values.db, values.user, values.json, 'stock.correct', { movementId: need(values, 'movement', 'ID'), reason: need(values, 'reason', 'TEXT') });
}

export async function stockList(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, warehouse: { type: 'string' }, sku: { type: 'string' }, low: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, ...USER_OPTION },
  });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const rows: StockRow[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await session.call<StockRow[]>('stock.list', {
        ...(values.warehouse !== undefined ? { warehouse: values.warehouse } : {}),
        ...(values.sku !== undefined ? { sku: values.sku } : {}),
        low: values.low,
        limit: PAGE,
        offset,
      });
      rows.push(...page);
      if (page.length < PAGE) break;
    }
    if (values.json) {
      // The fields scripts read, in a fixed order.
      await writeOut(json(rows.map((r) => ({ sku: r.sku, warehouse: r.warehouse, onHand: r.onHand, reserved: r.reserved, available: r.available, safety: r.safety, skuAvailable: r.skuAvailable, threshold: r.threshold, low: r.low }))));
    } else {
      await writeOut('sku\twarehouse\ton hand\treserved\tavailable\tsafety\tthreshold\tlow\n');
      for (const r of rows) await writeOut(`${[r.sku, r.warehouse, r.onHand, r.reserved, r.available, r.safety, r.threshold, r.low ? 'LOW' : ''].join('\t')}\n`);
    }
    return 0;
  });
}

export async function stockLedger(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, sku: { type: 'string' }, warehouse: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION },
  });
  const sku = need(values, 'sku', 'CODE');
  const limit = values.limit === undefined ? 1000 : integer('limit', values.limit, 1);
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const rows = await (await sessionFor(core, values.user)).call<MovementView[]>('stock.ledger', { sku, limit, ...(values.warehouse !== undefined ? { warehouse: values.warehouse } : {}) });
    if (values.json) await writeOut(json(rows));
    else
      for (const m of rows)
        await writeOut(`${[new Date(m.at).toISOString(), m.warehouse, m.delta > 0 ? `+${m.delta}` : m.delta, m.reason, `on hand ${m.balance}`, m.reference ?? '', m.note ?? '', m.actor, m.id].join('\t')}\n`);
    return 0;
  });
}

/**
 * `stock push`: a round over committed stock for every mapped SKU (of one shop with --shop) and the
 * sends, waited for; --dry-run prints the figures and writes nothing. One row per shop and platform
 * SKU: shop, sku, quantity (what it is, or would be, told). Exit 1 when a push was refused or failed.
 */
export async function stockPush(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, shop: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, ...USER_OPTION },
  });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const shopId = await shopIdOf(session, values.shop);
    const r = await session.call<StockPushRun>('stock.push', { ...(shopId !== undefined ? { shopId } : {}), dryRun: values['dry-run'] });
    const rows = r.figures.map((f) => ({
      shop: f.shopName,
      sku: f.sku,
      quantity: f.quantity,
      shopId: f.shopId,
      platformProductId: f.platformProductId,
      platformSkuId: f.platformSkuId,
      mode: f.mode,
      told: f.told,
      changed: f.changed,
    }));
    if (values.json) await writeOut(json(rows));
    else {
      await writeOut('shop\tsku\tquantity\twas\tplatform sku\n');
      for (const f of rows) await writeOut(`${[f.shop, f.sku, f.quantity, f.told ?? '', `${f.platformProductId}/${f.platformSkuId}`, f.changed ? (r.dryRun ? 'would push' : 'pushed') : ''].join('\t')}\n`);
    }
    for (const s of r.skipped) process.stderr.write(`${s.shopName} (${s.shopId}): skipped — ${s.reason}\n`);
    process.stderr.write(r.dryRun ? `${r.written} figures would be pushed (dry run: nothing written)\n` : `${r.written} figures pushed: ${r.sent?.confirmed ?? 0} confirmed, ${r.sent?.refused ?? 0} refused, ${r.sent?.failed ?? 0} failed, ${r.sent?.retrying ?? 0} to retry\n`);
    return r.sent !== null && r.sent.refused + r.sent.failed > 0 ? 1 : 0;
  });
}
