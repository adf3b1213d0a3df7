// `shopfleet print picklist` and `shopfleet print slips`: a pick list (拣货单) or packing slips (发货单)
// for chosen orders, or every order in a status tab, written as an A4 PDF or as ESC/POS bytes for a
// 58/80 mm receipt printer (send the .bin to it raw, e.g. `lp -o raw` or `nc HOST 9100`).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RenderedDocument } from '../../../shared/contract.ts';
import { callOrThrow } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { STATION_SELECTION_OPTIONS, selectedIds } from '../filter-args.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { PRIVATE_FILE_MODE } from '../../../core/db/private-files.ts';
import { UsageError } from '../usage.ts';

type Doc = 'picklist' | 'slips';
const METHOD: Record<Doc, string> = { picklist: 'pickList.render', slips: 'packingSlips.render' };

async function printDoc(doc: Doc, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...STATION_SELECTION_OPTIONS,
      out: { type: 'string' },
      format: { type: 'string' },
      width: { type: 'string' },
    },
  });
  const cmd = `print ${doc}`;
  if (!values.out) throw new UsageError(`${cmd} needs --out FILE.pdf or --out FILE.bin`);
  const ext = path.extname(values.out).toLowerCase();
  const format = values.format ?? (ext === '.pdf' ? 'pdf' : ext === '.bin' ? 'escpos' : undefined);
  if (format !== 'pdf' && format !== 'escpos') throw new UsageError('--format must be pdf or escpos (or let --out end in .pdf or .bin)');
  const width = values.width === undefined ? undefined : Number(values.width);
  if (width !== undefined && width !== 58 && width !== 80) throw new UsageError('--width must be 58 or 80 (mm of receipt paper)');
  if (width !== undefined && format !== 'escpos') throw new UsageError('--width applies to --format escpos only');
  const out = path.resolve(values.out);
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    // Named orders in the order named; a filter's oldest paid first, the order a batch is usually packed in.
    const ids = await selectedIds(core, values, { command: cmd, required: true });
    if (ids.length === 0) {
      process.stderr.write('no orders: nothing written\n');
      return 0;
    }
    const file = await callOrThrow<RenderedDocument>(core, METHOD[doc], { ids, format, ...(width ? { width } : {}) });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // Write beside and rename, so a previewer or spooler never reads half a file.
    const tmp = `${out}.part-${process.pid}`;
    // Buyers' names and addresses: readable by this user only.
    fs.writeFileSync(tmp, Buffer.from(file.base64, 'base64'), { mode: PRIVATE_FILE_MODE });
    fs.renameSync(tmp, out);
    process.stderr.write(`${doc === 'picklist' ? 'pick list' : 'packing slips'} for ${ids.length} order(s) (${format}${format === 'escpos' ? ` ${width ?? 80} mm` : ''}) written to ${out}\n`);
    return 0;
  });
}

export const printPickList = (argv: string[]): Promise<number> => printDoc('picklist', argv);
export const printSlips = (argv: string[]): Promise<number> => printDoc('slips', argv);
