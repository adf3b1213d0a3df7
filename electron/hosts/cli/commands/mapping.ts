// `shopfleet mapping pull|list|import`, `bundles set|list|remove`: 商品对应 and 组合装 through the
// API, as scripts and checks use them. Shops are named by id or exact name, SKUs by 商家编码.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BundleView, MappingImportResult, MappingList, MappingPullShop, MappingView, ShopConnection } from '../../../shared/contract.ts';
import { sessionFor, USER_OPTION } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { ApiFailure, UsageError } from '../usage.ts';

const PAGE = 5000;
/** The import method takes the file as base64 of at most 70,000,000 characters (the contract's bound). */
const MAX_IMPORT_BYTES = Math.floor((70_000_000 / 4) * 3);
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

type Session = Awaited<ReturnType<typeof sessionFor>>;

export async function shopIdOf(session: Session, shop: string | undefined): Promise<string | undefined> {
  if (shop === undefined) return undefined;
  const all = await session.call<ShopConnection[]>('shops.connections', {});
  const found = all.filter((s) => s.id === shop || s.name === shop);
  if (found.length === 0) throw new ApiFailure('NOT_FOUND', `no shop with id or name "${shop}"`);
  if (found.length > 1) throw new UsageError(`${found.length} shops are named "${shop}"; give its id`);
  return found[0]!.id;
}

export async function mappingPull(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, shop: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION } });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const shopId = await shopIdOf(session, values.shop);
    const r = await session.call<{ shops: MappingPullShop[] }>('mapping.pull', shopId !== undefined ? { shopId } : {});
    if (values.json) await writeOut(json(r.shops));
    else {
      for (const s of r.shops) {
        if (s.error !== null) {
          process.stderr.write(`${s.shopName} (${s.shopId}): FAILED — ${s.error}\n`);
          continue;
        }
        await writeOut(`${s.shopName}\t${s.platform}\tlisted ${s.listed}\tnew ${s.added}\tauto-matched ${s.autoMatched}\tquarantined ${s.quarantinedCount}\tno longer listed ${s.delisted}\torders re-checked ${s.rechecked}\n`);
        for (const q of s.quarantined) process.stderr.write(`  quarantined product ${q.platformProductId ?? '?'}: ${q.reason}\n`);
      }
    }
    return r.shops.some((s) => s.error !== null) ? 1 : 0;
  });
}

export async function mappingList(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, shop: { type: 'string' }, unmapped: { type: 'boolean', default: false }, q: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION },
  });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const shopId = await shopIdOf(session, values.shop);
    const rows: MappingView[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await session.call<MappingList>('mapping.list', {
        ...(shopId !== undefined ? { shopId } : {}),
        ...(values.unmapped ? { unmapped: true } : {}),
        ...(values.q !== undefined ? { q: values.q } : {}),
        limit: PAGE,
        offset,
      });
      rows.push(...page.rows);
      if (page.rows.length < PAGE) break;
    }
    if (values.json) {
      // The fields scripts read, in a fixed order.
      await writeOut(
        json(
          rows.map((r) => ({
            shop: r.shopName,
            shopId: r.shopId,
            platform: r.platform,
            platformProductId: r.platformProductId,
            platformSkuId: r.platformSkuId,
            outerCode: r.outerCode,
            title: r.title,
            spec: r.spec,
            sku: r.sku,
            matchedBy: r.matchedBy,
            delisted: r.delisted,
          })),
        ),
      );
    } else {
      await writeOut('shop\tplatform product\tplatform SKU\touter code\ttitle\tsku\tmatched by\n');
      for (const r of rows) await writeOut(`${[r.shopName, r.platformProductId, r.platformSkuId || '-', r.outerCode ?? '', r.title, r.sku ?? 'UNMAPPED', r.matchedBy ?? '', r.delisted ? 'no longer listed' : ''].join('\t')}\n`);
    }
    return 0;
  });
}

export async function mappingImport(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, file: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, ...USER_OPTION },
  });
  if (values.file === undefined || values.file.trim() === '') throw new UsageError('--file FILE.xlsx|FILE.csv is required');
  const file = path.resolve(values.file);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  if (size > MAX_IMPORT_BYTES) throw new UsageError(`${file} is ${(size / 1e6).toFixed(1)} MB; a mapping file may be at most ${(MAX_IMPORT_BYTES / 1e6).toFixed(0)} MB`);
  const base64 = fs.readFileSync(file).toString('base64');
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const r = await session.call<MappingImportResult>('mapping.import', { fileName: path.basename(file), base64, dryRun: values['dry-run'] });
    if (values.json) await writeOut(json(r));
    else if (r.badCount === 0) {
      const verb = r.dryRun ? 'would map' : 'mapped';
      await writeOut(`${path.basename(file)}: ${r.rows} rows — ${verb} ${r.mapped}, ${r.dryRun ? 'would change' : 'changed'} ${r.remapped}, unchanged ${r.unchanged}; orders re-checked ${r.rechecked}\n`);
    }
    for (const b of r.bad) process.stderr.write(`line ${b.line}\t${b.field}\t${b.problem}\t${b.message}\n`);
    if (r.badCount > r.bad.length) process.stderr.write(`… and ${r.badCount - r.bad.length} more refused rows\n`);
    if (r.badCount > 0) process.stderr.write(`${r.badCount} rows refused: nothing was imported; fix them and import the file again\n`);
    return r.badCount > 0 ? 1 : 0;
  });
}

/** `--component SOCK-01:2` (repeatable, or comma-separated): a component's code and units per bundle. */
function components(raw: string[]): { sku: string; quantity: number }[] {
  const out: { sku: string; quantity: number }[] = [];
  for (const part of raw.flatMap((r) => r.split(','))) {
    const m = /^(.+?)(?:[:×x*](\d+))?$/.exec(part.trim());
    if (!m || m[1]!.trim() === '') throw new UsageError(`--component "${part}": expected CODE or CODE:QUANTITY`);
    out.push({ sku: m[1]!.trim(), quantity: m[2] === undefined ? 1 : Number(m[2]) });
  }
  if (out.length === 0) throw new UsageError('--component CODE[:QUANTITY] is required (repeat it for each component)');
  return out;
}

const bundleLine = (b: BundleView) => `${b.sku}\t${b.title}\t${b.components.map((c) => `${c.sku}×${c.quantity}`).join(' + ')}\n`;

export async function bundlesSet(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, sku: { type: 'string' }, component: { type: 'string', multiple: true }, json: { type: 'boolean', default: false }, ...USER_OPTION },
  });
  if (values.sku === undefined) throw new UsageError('--sku CODE (the bundle) is required');
  const comps = components(values.component ?? []);
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const b = await session.call<BundleView>('bundles.set', { sku: values.sku, components: comps });
    await writeOut(values.json ? json(b) : bundleLine(b));
    return 0;
  });
}

export async function bundlesList(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION } });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const list = await session.call<BundleView[]>('bundles.list', {});
    if (values.json) await writeOut(json(list));
    else for (const b of list) await writeOut(bundleLine(b));
    return 0;
  });
}

export async function bundlesRemove(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, sku: { type: 'string' }, ...USER_OPTION } });
  if (values.sku === undefined) throw new UsageError('--sku CODE (the bundle) is required');
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    await session.call('bundles.remove', { sku: values.sku });
    await writeOut(`${values.sku} is a plain SKU again\n`);
    return 0;
  });
}
