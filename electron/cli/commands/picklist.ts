// `shopfleet print picklist` and `shopfleet print slips`: a pick list (拣货单) or packing slips (发货单)
// for chosen orders, or every order in a status tab, written as an A4 PDF or as ESC/POS bytes for a
// 58/80 mm receipt printer (send the .bin to it raw, e.g. `lp -o raw` or `nc HOST 9100`).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Core } from '../../core/app.ts';
import type { RenderedDocument } from '../../shared/contract.ts';
import { QUEUES } from '../../shared/model.ts';
import { callOrThrow } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { UsageError } from '../usage.ts';

type Doc = 'picklist' | 'slips';
const METHOD: Record<Doc, string> = { picklist: 'pickList.render', slips: 'packingSlips.render' };

/** Order ids or platform order numbers (a number two shops share is refused: pass the id). */
function resolveRefs(core: Core, refs: string[]): string[] {
  const byId = core.db.$client.prepare('SELECT id FROM orders WHERE id = ?').pluck();
  const byNo = core.db.$client.prepare('SELECT id FROM orders WHERE platform_order_id = ? LIMIT 2').pluck();
  const unknown: string[] = [];
  const ids = refs.flatMap((ref) => {
    const id = byId.get(ref) as string | undefined;
    if (id) return [id];
    const hits = byNo.all(ref) as string[];
    if (hits.length === 1) return hits;
    unknown.push(hits.length > 1 ? `${ref} (in more than one shop)` : ref);
    return [];
  });
  if (unknown.length > 0) throw new UsageError(`unknown order(s): ${unknown.join(', ')}`);
  return ids;
}

async function printDoc(doc: Doc, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      db: { type: 'string' },
      orders: { type: 'string' },
      status: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      width: { type: 'string' },
    },
  });
  const cmd = `print ${doc}`;
  if (!values.orders === !values.status) throw new UsageError(`${cmd} needs --orders ID,ID,... or --status QUEUE (e.g. awaiting_print), not both`);
  if (values.status && !(QUEUES as readonly string[]).includes(values.status)) throw new UsageError(`--status must be a queue: ${QUEUES.join(', ')}`);
  if (!values.out) throw new UsageError(`${cmd} needs --out FILE.pdf or --out FILE.bin`);
  const ext = path.extname(values.out).toLowerCase();
  const format = values.format ?? (ext === '.pdf' ? 'pdf' : ext === '.bin' ? 'escpos' : undefined);
  if (format !== 'pdf' && format !== 'escpos') throw new UsageError('--format must be pdf or escpos (or let --out end in .pdf or .bin)');
  const width = values.width === undefined ? undefined : Number(values.width);
  if (width !== undefined && width !== 58 && width !== 80) throw new UsageError('--width must be 58 or 80 (mm of receipt paper)');
  if (width !== undefined && format !== 'escpos') throw new UsageError('--width applies to --format escpos only');
  const out = path.resolve(values.out);
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    let ids: string[];
    if (values.orders) ids = resolveRefs(core, values.orders.split(',').map((s) => s.trim()).filter(Boolean));
    else {
      // Oldest paid first: the order a batch is usually packed in.
      const r = await callOrThrow<{ ids: string[]; truncated: boolean }>(core, 'orders.ids', { filter: { queue: values.status }, sort: { field: 'paidAt', dir: 'asc' } });
      ids = r.ids;
    }
    if (ids.length === 0) {
      process.stderr.write('no orders: nothing written\n');
      return 0;
    }
    const file = await callOrThrow<RenderedDocument>(core, METHOD[doc], { ids, format, ...(width ? { width } : {}) });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // Write beside and rename, so a previewer or spooler never reads half a file.
    const tmp = `${out}.part-${process.pid}`;
    fs.writeFileSync(tmp, Buffer.from(file.base64, 'base64'));
    fs.renameSync(tmp, out);
    process.stderr.write(`${doc === 'picklist' ? 'pick list' : 'packing slips'} for ${ids.length} order(s) (${format}${format === 'escpos' ? ` ${width ?? 80} mm` : ''}) written to ${out}\n`);
    return 0;
  });
}

export const printPickList = (argv: string[]): Promise<number> => printDoc('picklist', argv);
export const printSlips = (argv: string[]): Promise<number> => printDoc('slips', argv);
