// The printer's test page, in its own language: a border the size of the label stock (so a wrong
// size or gap setting shows at once), the printer's name, language and DPI. ASCII text only —
// the printer's resident fonts are the point of the test, and they may have no Chinese.
import type { Printer } from './printers.ts';

const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

export function testPageBytes(printer: Printer, at = new Date()): Buffer {
  const s = printer.settings;
  const widthMm = s.widthMm ?? 76;
  const heightMm = s.heightMm ?? 130;
  // 203-dpi heads are 8 dots/mm exactly (docs/labels.md#dots-and-dpi: 76 mm = 608 dots); 300 dpi is 11.81.
  const dotsPerMm = printer.dpi === 203 ? 8 : printer.dpi / 25.4;
  const w = Math.round(widthMm * dotsPerMm);
  const h = Math.round(heightMm * dotsPerMm);
  const x0 = s.offsetXDots ?? 0;
  const y0 = s.offsetYDots ?? 0;
  const lines = ['SHOPFLEET TEST PAGE', `printer: ${ascii(printer.name)}`, `${printer.lang.toUpperCase()} ${printer.dpi} dpi ${widthMm}x${heightMm} mm`, at.toISOString()];
  switch (printer.lang) {
    case 'tspl': {
      const text = lines.map((l, i) => `TEXT ${x0 + 24},${y0 + 24 + i * 40},"3",0,1,1,"${l.replace(/"/g, "'")}"`);
      return Buffer.from(
        [`SIZE ${widthMm} mm,${heightMm} mm`, `GAP ${s.gapMm ?? 2} mm,0 mm`, 'DIRECTION 1,0', 'REFERENCE 0,0', 'CLS', `BOX ${x0 + 4},${y0 + 4},${x0 + w - 4},${y0 + h - 4},4`, ...text, 'PRINT 1,1', ''].join('\r\n'),
        'ascii',
      );
    }
    case 'zpl': {
      const text = lines.map((l, i) => `^FO${x0 + 24},${y0 + 24 + i * 40}^A0N,28,28^FD${l.replace(/[\^~]/g, '-')}^FS`);
      return Buffer.from(['^XA', `^PW${w}`, `^LL${h}`, '^LH0,0', `^FO${x0 + 4},${y0 + 4}^GB${w - 8},${h - 8},4^FS`, ...text, '^PQ1', '^XZ', ''].join('\n'), 'ascii');
    }
    case 'escpos':
      // ESC @ init, the lines, feed, GS V 66 0 cut (docs/printing/languages.md#escpos).
      return Buffer.concat([Buffer.from([0x1b, 0x40]), Buffer.from(`${'-'.repeat(32)}\n${lines.join('\n')}\n${'-'.repeat(32)}\n\n\n`, 'ascii'), Buffer.from([0x1d, 0x56, 66, 0])]);
    case 'pdf':
      return minimalPdf(widthMm, heightMm, lines);
  }
}

/** A one-page PDF (Helvetica, a border) built by hand: a test page needs no font embedding. */
function minimalPdf(widthMm: number, heightMm: number, lines: string[]): Buffer {
  const pt = (mm: number) => Math.round((mm * 72) / 25.4);
  const W = pt(widthMm);
  const H = pt(heightMm);
  const esc = (t: string) => t.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = [`4 w 6 6 ${W - 12} ${H - 12} re S`, 'BT /F1 10 Tf', ...lines.map((l, i) => `1 0 0 1 16 ${H - 30 - i * 16} Tm (${esc(l)}) Tj`), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${W} ${H}] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>`,
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
