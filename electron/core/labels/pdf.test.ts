// PDF backend: a batch is one document, one page per label at the label's size, each face embedded once
// as a subset that poppler renders.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { blackCount, parsePbm } from './bitmap.ts';
import { MM_PER_PT } from './layout.ts';
import { labelsToPdf } from './pdf.ts';
import { sampleLabelData } from './sample-data.ts';

describe('labelsToPdf', () => {
  it('puts 30 labels on 30 pages of 100×150 mm with the faces embedded once, small, and every page renders', async () => {
    const labels = Array.from({ length: 30 }, (_, i) =>
      sampleLabelData({ seq: i + 1, total: 30, waybillNo: `YT${String(900000000000 + i * 7919)}`, receiver: { name: `客户${i}`, phone: '138****0000', address: `江苏省南京市鼓楼区中山北路${i + 1}号${i % 3 === 0 ? '南京大学鼓楼校区' : '凤凰广场'}` } }),
    );
    const bytes = await labelsToPdf(labels, { template: '100x150' });
    expect(bytes.length).toBeLessThan(400_000);
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(30);
    const { width, height } = doc.getPage(0).getSize();
    expect(width * MM_PER_PT).toBeCloseTo(100, 3);
    expect(height * MM_PER_PT).toBeCloseTo(150, 3);
    const descriptors = doc.context
      .enumerateIndirectObjects()
      .filter(([, obj]) => obj instanceof PDFDict && obj.get(PDFName.of('Type')) === PDFName.of('FontDescriptor'));
    // Regular and bold, once each for the whole batch.
    expect(descriptors).toHaveLength(2);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labels-pdf-'));
    try {
      fs.writeFileSync(path.join(dir, 'batch.pdf'), bytes);
      const run = spawnSync('pdftoppm', ['-r', '50', '-mono', '-f', '29', '-l', '30', path.join(dir, 'batch.pdf'), path.join(dir, 'p')], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      // poppler says "Embedded font file may be invalid" for the broken CFF subsets of fontkit 1
      // (docs/labels.md#cjk-fonts-in-pdfs).
      expect(run.stderr).not.toMatch(/invalid|error/i);
      const pages = fs.readdirSync(dir).filter((f) => f.endsWith('.pbm')).sort();
      expect(pages).toHaveLength(2);
      for (const p of pages) {
        const bm = parsePbm(fs.readFileSync(path.join(dir, p)));
        // A rendered label carries ink; a broken font subset renders the text as nothing.
        expect(blackCount(bm) / (bm.width * bm.height)).toBeGreaterThan(0.05);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
