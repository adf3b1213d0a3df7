// mapping.import: 商品对应 in bulk from an .xlsx or CSV (UTF-8 with or without BOM, GBK as Excel
// saves it), read by the shared import reader off the UI's thread. Each row names a listed platform
// SKU (店铺 by name or id; 平台SKU ID, or 平台商品ID alone for a product without SKUs) and the local
// SKU it stands for (商家编码). All or nothing: every row is checked first, one refused row (line,
// field, why) means nothing is written; a dry run reports and writes nothing. The export of the
// mapping table (mapping.export) has these columns, so an export of the unmapped rows with 商家编码
// filled in imports back.
import type { ApiParsedInput, MappingImportBadRow, MappingImportField, MappingImportProblem, MappingImportResult, MappingKey } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { unsafeTextProblem } from '../../shared/text-guard.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { ReadDb } from '../db/access.ts';
import { BadRows } from '../imports/bad-rows.ts';
import type { ColumnSpec } from '../imports/header.ts';
import { MAX_ROWS } from '../imports/limits.ts';
import { readTableOffThread } from '../imports/off-thread.ts';
import { afterMappingChanges, keyText, MAPPING_TABLES, skuCodes, writeMappings, type MappingChange } from './mapping.ts';

export const MAPPING_COLUMNS: ColumnSpec<MappingImportField> = {
  fields: {
    shop: '^(店铺|店铺名称|店铺名|shop(\\s*name)?|store)$',
    productId: '^(平台商品id|商品id|宝贝id|platform\\s*product\\s*id|product\\s*id|item\\s*id|num_iid)$',
    skuId: '^(平台sku\\s*id|sku\\s*id|platform\\s*sku\\s*id)$',
    sku: '^(商家编码|本地商家编码|商家sku编码|sku\\s*code|outer\\s*code|local\\s*sku)$',
  },
  required: ['shop', 'sku'],
  order: ['shop', 'productId', 'skuId', 'sku'],
  header: 'always',
};

class RowProblem extends Error {
  constructor(
    readonly field: MappingImportField | 'row',
    readonly problem: MappingImportProblem,
    message: string,
  ) {
    super(message);
  }
}

function cellText(field: MappingImportField, text: string | undefined): string {
  const t = (text ?? '').trim();
  if (t === '') return '';
  const unsafe = unsafeTextProblem(t);
  if (unsafe) throw new RowProblem(field, 'invalid_text', unsafe);
  if (t.length > 64) throw new RowProblem(field, 'invalid_text', `${field} is ${t.length} characters; at most 64`);
  return t;
}

interface PlannedRow {
  line: number;
  key: MappingKey;
  skuId: string;
}

interface Plan {
  rows: number;
  writes: PlannedRow[];
  mapped: number;
  remapped: number;
  unchanged: number;
  bad: BadRows<MappingImportBadRow, MappingImportProblem>;
}

/**
 * `scope`: a scoped person's shops (scope.ts), null for every shop. A row naming a shop outside it
 * refuses the whole file (shop.out_of_scope), dry run or not: the file names that shop outright.
 */
function plan(db: ReadDb, records: { line: number; cells: string[] }[], scope: readonly string[] | null): Plan {
  const c = db.$client;
  const shops = c.prepare<[], { id: string; name: string }>('SELECT id, name FROM shops').all();
  const outside = new Set<string>();
  const inScope = (id: string): string => {
    if (scope !== null && !scope.includes(id)) outside.add(id);
    return id;
  };
  const shopOf = (text: string): string => {
    const byId = shops.find((s) => s.id === text);
    if (byId) return inScope(byId.id);
    const named = shops.filter((s) => s.name === text);
    if (named.length === 1) return inScope(named[0]!.id);
    if (named.length > 1) throw new RowProblem('shop', 'ambiguous', `${named.length} shops are named ${text}; give the shop's id instead`);
    throw new RowProblem('shop', 'unknown_shop', `no shop named ${text}`);
  };
  const bySkuId = c.prepare<[string, string], { product: string; skuId: string | null }>(
    'SELECT platform_product_id AS product, sku_id AS skuId FROM sku_mappings WHERE shop_id = ? AND platform_sku_id = ? LIMIT 2',
  );
  const byKey = c.prepare<[string, string, string], { skuId: string | null }>(
    'SELECT sku_id AS skuId FROM sku_mappings WHERE shop_id = ? AND platform_product_id = ? AND platform_sku_id = ?',
  );
  const skuOf = c.prepare<[string], { id: string }>('SELECT id FROM skus WHERE outer_sku_code = ?');
  const bad = new BadRows<MappingImportBadRow, MappingImportProblem>();
  const p: Plan = { rows: records.length, writes: [], mapped: 0, remapped: 0, unchanged: 0, bad };
  const seen = new Map<string, number>();
  const cell = (cells: string[], f: MappingImportField) => cells[MAPPING_COLUMNS.order.indexOf(f)];
  for (const { line, cells } of records) {
    try {
      const shopText = cellText('shop', cell(cells, 'shop'));
      if (shopText === '') throw new RowProblem('shop', 'missing', 'the 店铺 (shop) is empty');
      const shopId = shopOf(shopText);
      const productText = cellText('productId', cell(cells, 'productId'));
      const skuIdText = cellText('skuId', cell(cells, 'skuId'));
      const code = cellText('sku', cell(cells, 'sku'));
      if (code === '') throw new RowProblem('sku', 'missing', 'the 商家编码 (local SKU code) is empty');
      let key: MappingKey;
      let current: string | null;
      if (skuIdText !== '') {
        let found: { product: string; skuId: string | null }[];
        if (productText !== '') {
          const row = byKey.get(shopId, productText, skuIdText);
          found = row ? [{ product: productText, skuId: row.skuId }] : [];
        } else found = bySkuId.all(shopId, skuIdText);
        if (found.length === 0) throw new RowProblem('skuId', 'not_listed', `${shopText} lists no platform SKU ${skuIdText}; pull its listing first`);
        if (found.length > 1) throw new RowProblem('productId', 'ambiguous', `platform SKU ${skuIdText} is under several products in ${shopText}; give 平台商品ID too`);
        key = { shopId, platformProductId: found[0]!.product, platformSkuId: skuIdText };
        current = found[0]!.skuId;
      } else {
        if (productText === '') throw new RowProblem('skuId', 'missing', 'give 平台SKU ID, or 平台商品ID for a product without SKUs');
        const row = byKey.get(shopId, productText, '');
        if (!row) throw new RowProblem('productId', 'not_listed', `${shopText} lists no product ${productText} without SKUs; give its 平台SKU ID, or pull the listing first`);
        key = { shopId, platformProductId: productText, platformSkuId: '' };
        current = row.skuId;
      }
      const earlier = seen.get(keyText(key));
      if (earlier !== undefined) throw new RowProblem('row', 'duplicate_in_file', `this platform SKU is also on line ${earlier}`);
      seen.set(keyText(key), line);
      const sku = skuOf.get(code);
      if (!sku) throw new RowProblem('sku', 'unknown_sku', `no SKU with 商家编码 ${code} in the catalogue`);
      if (current === sku.id) {
        p.unchanged += 1;
        continue;
      }
      if (current === null) p.mapped += 1;
      else p.remapped += 1;
      p.writes.push({ line, key, skuId: sku.id });
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      bad.add({ line, field: err.field, problem: err.problem, message: err.message }, err.problem);
    }
  }
  if (outside.size > 0) {
    const ids = [...outside];
    throw reasonError('shop.out_of_scope', { shopIds: ids.slice(0, 20), count: ids.length }, `the file names ${ids.length} shops outside the person's`);
  }
  return p;
}

export async function importMappings(ctx: CoreContext, input: ApiParsedInput<'mapping.import'>): Promise<MappingImportResult> {
  const { table } = await readTableOffThread(Buffer.from(input.base64, 'base64'), input.fileName, { columns: MAPPING_COLUMNS, maxRows: MAX_ROWS });
  const records = table.rows.filter((r) => r.cells.some((x) => x.trim() !== ''));
  if (records.length === 0) throw reasonError('import.no_rows', { fileName: input.fileName }, `${input.fileName} has no rows under its header`);
  // Planned and written with no await between: nothing else on this connection runs in between.
  const p = plan(ctx.db, records, ctx.actor.shops ?? null);
  const report = p.bad.report();
  const result: MappingImportResult = {
    rows: p.rows,
    mapped: p.mapped,
    remapped: p.remapped,
    unchanged: p.unchanged,
    bad: report.listed,
    badCount: report.total,
    committed: false,
    dryRun: input.dryRun,
    rechecked: 0,
  };
  if (report.total > 0 || input.dryRun || p.writes.length === 0) return result;
  const rechecked = runCommand(ctx, 'mapping.import', { fileName: input.fileName, rows: p.rows, mapped: p.mapped, remapped: p.remapped }, { tables: MAPPING_TABLES }, (scope) => {
    // Rows grouped by their SKU so each group is one write call (writeMappings takes one SKU).
    const bySku = new Map<string, MappingKey[]>();
    for (const w of p.writes) {
      let list = bySku.get(w.skuId);
      if (!list) bySku.set(w.skuId, (list = []));
      list.push(w.key);
    }
    const changes: MappingChange[] = [];
    for (const [skuId, keys] of bySku) changes.push(...writeMappings(scope, keys, skuId, 'import', ctx.actor.name));
    const codeOf = skuCodes(scope.tx);
    for (const ch of changes) scope.audit({ entity: 'sku_mapping', entityId: keyText(ch), field: 'sku', before: codeOf(ch.before), after: codeOf(ch.after), reason: input.fileName });
    return afterMappingChanges(scope.tx, changes, scope.at, { actor: ctx.actor.name, opId: scope.opId });
  });
  return { ...result, committed: true, rechecked };
}
