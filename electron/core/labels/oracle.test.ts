// The label oracle (docs/labels.md#raster): the raster backend's bitmap (what reaches the printer, decoded back
// out of TSPL/ZPL/ESC/POS bytes) against the PDF backend's page rendered by poppler at the same dot pitch.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareBitmaps, getPixel, parsePbm, type Bitmap } from './bitmap.ts';
import { decodeEscPos, decodeTspl, decodeZpl, encodeEscPos, encodeTspl, encodeZpl } from './encode.ts';
import { loadLabelFonts } from './font.ts';
import { code128Modules, composeLabel, dotsPerMm, type BarcodeBox } from './layout.ts';
import { renderPdf } from './pdf.ts';
import { rasterize } from './raster.ts';
import { sampleLabelData } from './sample-data.ts';
import { buildLabel, TEMPLATE_IDS, templateSize, type TemplateId } from './templates.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labels-oracle-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * poppler at exactly the head's pitch: a "203 dpi" head is 8 dots/mm = 203.2 dpi, a "300 dpi" one 11.81
 * dots/mm. At -r 203 poppler's grid is 0.1% coarser and drifts half a dot by the foot of a 130 mm label.
 */
function popplerBitmap(pdf: Uint8Array, dpmm: number, name: string): Bitmap {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', String(dpmm * 25.4), '-mono', '-singlefile', file, path.join(dir, name)]);
  return parsePbm(fs.readFileSync(path.join(dir, `${name}.pbm`)));
}

/** Black/white run lengths along one row, from the first black pixel to the last. */
function runsAlong(bm: Bitmap, y: number, x0: number, x1: number): number[] {
  const runs: number[] = [];
  let x = x0;
  while (x < x1 && getPixel(bm, x, y) === 0) x++;
  let last = x1 - 1;
  while (last > x && getPixel(bm, last, y) === 0) last--;
  let cur = 1;
  let len = 0;
  for (; x <= last; x++) {
    const p = getPixel(bm, x, y);
    if (p === cur) len++;
    else {
      runs.push(len);
      cur = p;
      len = 1;
    }
  }
  runs.push(len);
  return runs;
}

const fonts = loadLabelFonts();

describe.each(TEMPLATE_IDS.map((t) => [t] as [TemplateId]))('template %s: raster bytes vs pdftoppm of the PDF', (template) => {
  const data = sampleLabelData({ reprint: true, seq: 7, total: 12 });
  const dpmm = dotsPerMm(203);
  const list = composeLabel(buildLabel(data, template), fonts, dpmm);
  const raster = rasterize(list, fonts);

  it('agrees on ≥ 97% of pixels and ≥ 85% of the ink, through every printer language', async () => {
    const poppler = popplerBitmap(await renderPdf([list], fonts), dpmm, `label-${template}`);
    // poppler rounds the page up, so float dust in mm → pt can add one row; compare the common area.
    expect(Math.abs(poppler.width - raster.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(poppler.height - raster.height)).toBeLessThanOrEqual(1);
    const stock = templateSize(template);
    for (const printed of [decodeTspl(encodeTspl(raster, stock)).bitmap, decodeZpl(encodeZpl(raster)).bitmap, decodeEscPos(encodeEscPos(raster))]) {
      const agreement = compareBitmaps(printed, poppler);
      expect(agreement.equal).toBeGreaterThanOrEqual(0.97);
      expect(agreement.inkOverlap).toBeGreaterThanOrEqual(0.85);
      // Not a blank page agreeing with a blank page: a label is 5–25% ink.
      expect(agreement.blackA / agreement.pixels).toBeGreaterThan(0.05);
      expect(agreement.blackB / agreement.pixels).toBeGreaterThan(0.05);
    }
  });

  it('draws every barcode with the same bars in both backends, and they are the Code128 of the waybill', async () => {
    const poppler = popplerBitmap(await renderPdf([list], fonts), dpmm, `bars-${template}`);
    const boxes = buildLabel(data, template).boxes.filter((b): b is BarcodeBox => b.kind === 'barcode');
    expect(boxes.length).toBe(template === '100x180' ? 2 : 1);
    const modules = code128Modules(data.waybillNo);
    for (const box of boxes) {
      const y = Math.round((box.y + box.h / 2) * dpmm);
      const x0 = Math.round(box.x * dpmm);
      const x1 = Math.round((box.x + box.w) * dpmm);
      const fromRaster = runsAlong(raster, y, x0, x1);
      expect(runsAlong(poppler, y, x0, x1)).toEqual(fromRaster);
      // Whole dots per module: every run is the module width times the symbol's width pattern.
      const module = (fromRaster[0] as number) / (modules[0] as number);
      expect(Number.isInteger(module) && module >= 1).toBe(true);
      expect(fromRaster).toEqual(modules.map((m) => m * module));
    }
  });
});

describe('the oracle can tell labels apart', () => {
  it('a label with another receiver and sort code does not pass against this PDF', async () => {
    const dpmm = dotsPerMm(203);
    const list = composeLabel(buildLabel(sampleLabelData(), '76x130'), fonts, dpmm);
    const other = rasterize(
      composeLabel(buildLabel(sampleLabelData({ sortCode: '530 W12-04', receiver: { name: '李四', phone: '139****0001', address: '广东省深圳市南山区科技园南区深南大道10000号腾讯大厦' } }), '76x130'), fonts, dpmm),
      fonts,
    );
    const poppler = popplerBitmap(await renderPdf([list], fonts), dpmm, 'label-other');
    expect(compareBitmaps(other, poppler).inkOverlap).toBeLessThan(0.85);
  });
});

describe('300 dpi', () => {
  it('the raster at 11.81 dots/mm agrees with poppler at the same pitch', async () => {
    const dpmm = dotsPerMm(300);
    const list = composeLabel(buildLabel(sampleLabelData(), '76x130'), fonts, dpmm);
    const raster = rasterize(list, fonts);
    expect(raster.width).toBe(898);
    const poppler = popplerBitmap(await renderPdf([list], fonts), dpmm, 'label-300');
    const agreement = compareBitmaps(decodeTspl(encodeTspl(raster, { widthMm: 76, heightMm: 130 })).bitmap, poppler);
    expect(agreement.equal).toBeGreaterThanOrEqual(0.97);
    expect(agreement.inkOverlap).toBeGreaterThanOrEqual(0.85);
  });
});
