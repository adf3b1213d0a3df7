// `shopfleet label render`: one order's waybill label as a PDF (vector, the preview) or a PNG (the
// printer's 1-bit raster at its DPI), built from the order as stored, with its carrier's saved
// template settings (面单模板). It opens only the database, not the whole core: a cold process gets
// its first label sooner.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { labelSettingsFor } from '../../shared/label-settings.ts';
import { openDatabase } from '../../core/db/open.ts';
import { labelDataForOrder } from '../../core/labels/order-label.ts';
import { labelsToPdf } from '../../core/labels/pdf.ts';
import { bitmapToPng, labelToBitmap } from '../../core/labels/raster.ts';
import { getLabelSettings } from '../../core/labels/settings.ts';
import { isTemplateId, TEMPLATE_IDS } from '../../core/labels/templates.ts';
import { defaultDbFile } from '../data-dir.ts';
import { PRIVATE_FILE_MODE } from '../../core/db/private-files.ts';
import { UsageError } from '../usage.ts';

export async function labelRender(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      db: { type: 'string' },
      order: { type: 'string' },
      out: { type: 'string' },
      /** Default: the template saved for the order's carrier (labels.updateSettings), else 76x130. */
      template: { type: 'string' },
      dpi: { type: 'string', default: '203' },
      package: { type: 'string' },
      reprint: { type: 'boolean', default: false },
    },
  });
  if (!values.order) throw new UsageError('label render needs --order ID (the order id or its platform order number)');
  if (!values.out) throw new UsageError('label render needs --out FILE.pdf or --out FILE.png');
  const ext = path.extname(values.out).toLowerCase();
  if (ext !== '.pdf' && ext !== '.png') throw new UsageError('--out must end in .pdf or .png');
  const templateArg = values.template;
  if (templateArg !== undefined && !isTemplateId(templateArg)) throw new UsageError(`--template must be one of ${TEMPLATE_IDS.join(', ')}`);
  const dpi = Number(values.dpi);
  if (dpi !== 203 && dpi !== 300) throw new UsageError('--dpi must be 203 or 300');
  const packageSeq = values.package === undefined ? undefined : Number(values.package);
  if (packageSeq !== undefined && !(Number.isInteger(packageSeq) && packageSeq >= 1)) throw new UsageError('--package must be a package number ≥ 1');
  const out = path.resolve(values.out);
  const dbFile = path.resolve(values.db ?? defaultDbFile());
  if (!fs.existsSync(dbFile)) throw new UsageError(`No database at ${dbFile} (make one with: shopfleet demo --db ${values.db ?? dbFile} --orders 1000)`);
  const db = openDatabase(dbFile);
  try {
    const data = labelDataForOrder(db, values.order as string, { packageSeq, reprint: values.reprint });
    const settings = labelSettingsFor(getLabelSettings(db), data.carrierCode);
    const template = templateArg ?? settings.template;
    const bytes = ext === '.pdf' ? await labelsToPdf([data], { template, dpi, settings }) : bitmapToPng(labelToBitmap(data, { template, dpi, settings }));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // Write beside and rename, so a previewer never opens half a file.
    const tmp = `${out}.part-${process.pid}`;
    // Buyers' names and addresses: readable by this user only.
    fs.writeFileSync(tmp, bytes, { mode: PRIVATE_FILE_MODE });
    fs.renameSync(tmp, out);
    process.stderr.write(`${data.sample ? 'sample label (no waybill yet, marked 样张/SAMPLE)' : `label ${data.waybillNo}`} ${template} written to ${out}\n`);
    return 0;
  } finally {
    // Closing checkpoints the WAL, as withCore does for the other commands.
    db.$client.close();
  }
}
