// `shopfleet label render`: one order's waybill label as a PDF (vector, the preview) or a PNG (the
// printer's 1-bit raster at its DPI), built from the order as stored, with its carrier's saved
// template settings (面单模板) — through the API's labels.previewPdf / labels.preview, as the
// workbench's preview gets it.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LabelPdf, LabelPreview } from '../../../shared/contract.ts';
import { PRIVATE_FILE_MODE } from '../../../core/db/private-files.ts';
import { LABEL_TEMPLATE_IDS } from '../../../shared/label-settings.ts';
import { callOrThrow } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, withCore } from '../open-station.ts';
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
  if (templateArg !== undefined && !(LABEL_TEMPLATE_IDS as readonly string[]).includes(templateArg)) throw new UsageError(`--template must be one of ${LABEL_TEMPLATE_IDS.join(', ')}`);
  const dpi = Number(values.dpi);
  if (dpi !== 203 && dpi !== 300) throw new UsageError('--dpi must be 203 or 300');
  const packageSeq = values.package === undefined ? undefined : Number(values.package);
  if (packageSeq !== undefined && !(Number.isInteger(packageSeq) && packageSeq >= 1)) throw new UsageError('--package must be a package number ≥ 1');
  const out = path.resolve(values.out);
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const input = {
      orderId: values.order,
      ...(templateArg !== undefined ? { template: templateArg } : {}),
      dpi,
      ...(packageSeq !== undefined ? { packageSeq } : {}),
      ...(values.reprint ? { reprint: true } : {}),
    };
    let label: { bytes: Buffer; template: string; sample: boolean; waybillNo: string | null };
    if (ext === '.pdf') {
      const r = await callOrThrow<LabelPdf>(core, 'labels.previewPdf', input);
      label = { bytes: Buffer.from(r.base64, 'base64'), template: r.template, sample: r.sample, waybillNo: r.waybillNo };
    } else {
      const r = await callOrThrow<LabelPreview>(core, 'labels.preview', input);
      label = { bytes: Buffer.from(r.pngBase64, 'base64'), template: r.template, sample: r.sample, waybillNo: r.waybillNo };
    }
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // Write beside and rename, so a previewer never opens half a file.
    const tmp = `${out}.part-${process.pid}`;
    // Buyers' names and addresses: readable by this user only.
    fs.writeFileSync(tmp, label.bytes, { mode: PRIVATE_FILE_MODE });
    fs.renameSync(tmp, out);
    process.stderr.write(`${label.sample ? 'sample label (no waybill yet, marked 样张/SAMPLE)' : `label ${label.waybillNo}`} ${label.template} written to ${out}\n`);
    return 0;
  });
}
