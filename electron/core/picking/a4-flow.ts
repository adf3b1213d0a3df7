// Flows rows of text onto A4 pages in the labels' layout model (boxes in mm), breaking pages where the
// next row does not fit, so pick lists and packing slips render through the same PDF backend as labels.
import type { Font } from 'fontkit';
import type { LabelFonts } from '../labels/font.ts';
import { MM_PER_PT, wrapText, type LabelBox, type LabelLayout } from '../labels/layout.ts';
import { printable } from './doc-text.ts';

export const A4 = { widthMm: 210, heightMm: 297 } as const;
const MARGIN = 12;
const LINE_HEIGHT = 1.3;
/** Space kept at the foot of each page for its page number. */
const FOOTER = 8;

export interface Cell {
  x: number;
  w: number;
  text: string;
  sizePt?: number;
  bold?: boolean;
  align?: 'left' | 'center' | 'right';
}

export class A4Flow {
  readonly left = MARGIN;
  readonly width = A4.widthMm - 2 * MARGIN;
  private readonly pages: LabelBox[][] = [];
  private y = 0;
  /** Drawn at the top of every page this flow starts (a table's column header, a 续 line). */
  private pageHeader: ((flow: A4Flow) => void) | null = null;

  constructor(private readonly fonts: LabelFonts) {}

  private face(bold: boolean | undefined): Font {
    return (bold ? this.fonts.bold : this.fonts.regular).font;
  }

  private get page(): LabelBox[] {
    if (this.pages.length === 0) this.newPage();
    return this.pages[this.pages.length - 1] as LabelBox[];
  }

  private get bottom(): number {
    return A4.heightMm - MARGIN - FOOTER;
  }

  /** Starts a page; `header` (if given) is remembered and drawn on this and every later page break. */
  newPage(header?: ((flow: A4Flow) => void) | null): void {
    if (header !== undefined) this.pageHeader = header;
    this.pages.push([]);
    this.y = MARGIN;
    if (this.pageHeader) {
      const h = this.pageHeader;
      this.pageHeader = null; // a header taller than a page must not recurse
      h(this);
      this.pageHeader = h;
    }
  }

  /** The header later page breaks draw (null: none), without starting a page now. */
  repeatHeader(header: ((flow: A4Flow) => void) | null): void {
    this.pageHeader = header;
  }

  /** Lines a cell wraps to, and the height they take. */
  private measure(c: Cell): { lines: number; h: number } {
    const size = c.sizePt ?? 10;
    const lines = c.text.trim() === '' ? 1 : wrapText(this.face(c.bold), c.text, size, c.w).lines.length;
    return { lines, h: lines * size * MM_PER_PT * LINE_HEIGHT };
  }

  /** One row of cells side by side, the row as tall as its tallest cell; moves to a new page first if it does not fit. */
  row(cells: Cell[], gapAfter = 1.2): void {
    const measured = cells.map((raw) => {
      const c = { ...raw, text: printable(raw.text) };
      return { c, ...this.measure(c) };
    });
    const h = Math.max(0, ...measured.map((m) => m.h));
    if (this.pages.length === 0) this.newPage();
    else if (this.y + h > this.bottom) this.newPage();
    const page = this.page;
    for (const { c, lines, h: ch } of measured) {
      if (c.text.trim() === '') continue;
      page.push({
        kind: 'text',
        x: c.x,
        y: this.y,
        w: c.w,
        // A hair over the measured height so the composer fits exactly the lines measured here.
        h: ch + 0.01,
        text: c.text,
        sizePt: c.sizePt ?? 10,
        bold: c.bold,
        align: c.align ?? 'left',
        maxLines: lines,
        lineHeight: LINE_HEIGHT,
      });
    }
    this.y += h + gapAfter;
  }

  /** A full-width line of text. */
  text(text: string, opts: Omit<Cell, 'x' | 'w' | 'text'> = {}, gapAfter?: number): void {
    this.row([{ x: this.left, w: this.width, text, ...opts }], gapAfter);
  }

  /** A horizontal rule across the content width. */
  rule(thickness = 0.3, gapAfter = 1.5): void {
    if (this.pages.length === 0) this.newPage();
    else if (this.y + thickness > this.bottom) this.newPage();
    this.page.push({ kind: 'rule', x: this.left, y: this.y, w: this.width, h: thickness });
    this.y += thickness + gapAfter;
  }

  space(mm: number): void {
    this.y += mm;
  }

  /** The pages as layouts, each with its "第 n / N 页" footer (and an optional caption beside it). */
  layouts(caption = ''): LabelLayout[] {
    if (this.pages.length === 0) this.newPage();
    const n = this.pages.length;
    return this.pages.map((boxes, i) => ({
      widthMm: A4.widthMm,
      heightMm: A4.heightMm,
      boxes: [
        ...boxes,
        { kind: 'text', x: this.left, y: A4.heightMm - MARGIN - 4, w: this.width, h: 4.5, text: `${caption}${caption ? '  ' : ''}第 ${i + 1} / ${n} 页`, sizePt: 8, align: 'right', wrap: false },
      ],
    }));
  }
}
