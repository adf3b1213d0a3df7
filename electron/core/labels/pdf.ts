// PDF backend: draws composed labels as vector pages with pdf-lib, one page per label, each face
// embedded once as a subset of the glyphs the document uses (preview, A4 sheets, the system spooler).
import type { PDFDocument, PDFFont, PDFName, PDFOperator, PDFPage } from 'pdf-lib';
import { loadLabelFonts, pdfFontkit, type LabelFonts, type LabelFontOptions } from './font.ts';
import { composeLabel, dotsPerMm, MM_PER_PT, type DisplayList } from './layout.ts';
import { buildLabel, type LabelData, type LabelView, type TemplateId } from './templates.ts';

type PdfLib = typeof import('pdf-lib');

// pdf-lib (~150 ms to load) only when a PDF is made: the raster path that prints labels never needs it.
let pdfLibModule: Promise<PdfLib> | null = null;
const pdfLib = (): Promise<PdfLib> => (pdfLibModule ??= import('pdf-lib'));

/**
 * One page's content as raw operators: each mark is a bare `re f` or BT/Tm/Tj/ET, the colour set only when it
 * changes. pdf-lib's drawRectangle/drawText wrap every mark in a save/restore with dash, border and opacity
 * settings, which made a 500-label batch several times larger and slower. Each rectangle stays its own path:
 * poppler draws a lone rectangle on the device grid, but a path of many rectangles with each bar a dot wider
 * (seen in oracle.test.ts), and barcode bars must keep their exact dot widths.
 */
function pageOperators(lib: PdfLib, list: DisplayList, pageH: number, fontKey: (weight: 'regular' | 'bold') => { name: PDFName; font: PDFFont }): PDFOperator[] {
  const { beginText, endText, fill, popGraphicsState, pushGraphicsState, rectangle, setFillingGrayscaleColor, setFontAndSize, setTextMatrix, showText } = lib;
  const ops: PDFOperator[] = [pushGraphicsState()];
  let gray = -1;
  const color = (g: number) => {
    if (g !== gray) ops.push(setFillingGrayscaleColor(g));
    gray = g;
  };
  for (const op of list.ops) {
    color(op.color === 'white' ? 1 : 0);
    if (op.op === 'fill') {
      ops.push(rectangle(op.x / MM_PER_PT, pageH - (op.y + op.h) / MM_PER_PT, op.w / MM_PER_PT, op.h / MM_PER_PT), fill());
      continue;
    }
    const { name, font } = fontKey(op.weight);
    ops.push(
      beginText(),
      setFontAndSize(name, op.sizePt),
      setTextMatrix(1, 0, 0, 1, op.x / MM_PER_PT, pageH - op.baseline / MM_PER_PT),
      showText(font.encodeText(op.text)),
      endText(),
    );
  }
  ops.push(popGraphicsState());
  return ops;
}

/** One page per display list; page size is the label size. */
export async function renderPdf(lists: DisplayList[], fonts: LabelFonts): Promise<Uint8Array> {
  const lib = await pdfLib();
  const doc = await lib.PDFDocument.create();
  doc.setProducer('ShopFleet');
  doc.setCreator('ShopFleet labels');
  // pdf-lib declares its own narrower copy of fontkit's Font type; the object is upstream fontkit 2's.
  doc.registerFontkit(pdfFontkit([fonts.regular, fonts.bold]) as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  const needsBold = fonts.bold !== fonts.regular && lists.some((l) => l.ops.some((o) => o.op === 'text' && o.weight === 'bold'));
  // Each face is embedded once for the batch; the subset is the union of the glyphs all pages use.
  const regular = await doc.embedFont(fonts.regular.bytes, { subset: true });
  const bold = needsBold ? await doc.embedFont(fonts.bold.bytes, { subset: true }) : regular;
  for (const list of lists) {
    const pageH = list.heightMm / MM_PER_PT;
    const page: PDFPage = doc.addPage([list.widthMm / MM_PER_PT, pageH]);
    const keys = { regular: page.node.newFontDictionary(regular.name, regular.ref), bold: page.node.newFontDictionary(bold.name, bold.ref) };
    const fontKey = (w: 'regular' | 'bold') => (w === 'bold' ? { name: keys.bold, font: bold } : { name: keys.regular, font: regular });
    page.pushOperators(...pageOperators(lib, list, pageH, fontKey));
  }
  return doc.save();
}

export interface LabelPdfOptions {
  /** Default: settings.template, else 76x130. */
  template?: TemplateId;
  /** The carrier's template settings (labels/settings.ts). */
  settings?: LabelView & { template?: TemplateId };
  /** The printer DPI the PDF should match dot for dot (barcode modules and rules snap to it); default 203. */
  dpi?: number;
  fonts?: LabelFontOptions;
}

/** Labels for a batch (or one) as a single PDF. */
export async function labelsToPdf(data: LabelData[], opts: LabelPdfOptions = {}): Promise<Uint8Array> {
  const fonts = loadLabelFonts(opts.fonts);
  const dpmm = dotsPerMm(opts.dpi ?? 203);
  return renderPdf(
    data.map((d) => composeLabel(buildLabel(d, opts.template ?? opts.settings?.template ?? '76x130', opts.settings), fonts, dpmm)),
    fonts,
  );
}
