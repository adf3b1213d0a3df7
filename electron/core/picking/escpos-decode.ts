// Reads back the ESC/POS bytes pick lists and packing slips are made of: commands are interpreted
// (alignment, bold, size, cuts), text is GB18030-decoded line by line. The test oracle for escpos.ts,
// and strict on purpose: an unknown command, or Chinese bytes outside Chinese mode, is an error.
import iconv from 'iconv-lite';

export interface DecodedLine {
  text: string;
  align: 'left' | 'center' | 'right';
  bold: boolean;
  /** GS ! width/height multipliers (1 = normal). */
  widthMul: number;
  heightMul: number;
}

export interface DecodedReceipt {
  lines: DecodedLine[];
  /** GS V cuts seen, in order of the lines before them: cutsAfter[i] = number of lines printed before cut i. */
  cutsAfter: number[];
  inits: number;
}

const ALIGN = ['left', 'center', 'right'] as const;

export function decodeEscpos(bytes: Uint8Array): DecodedReceipt {
  const lines: DecodedLine[] = [];
  const cutsAfter: number[] = [];
  let inits = 0;
  let align: DecodedLine['align'] = 'left';
  let bold = false;
  let widthMul = 1;
  let heightMul = 1;
  let chinese = false;
  let text: number[] = [];
  // A line takes the style in force when its first character arrived (as the printer lays it out).
  let style: Omit<DecodedLine, 'text'> | null = null;
  const flush = (force: boolean) => {
    if (text.length === 0 && !force) return;
    const s = style ?? { align, bold, widthMul, heightMul };
    lines.push({ text: iconv.decode(Buffer.from(text), 'gb18030'), ...s });
    text = [];
    style = null;
  };
  const need = (i: number, n: number) => {
    if (i + n > bytes.length) throw new Error(`ESC/POS command at byte ${i} is cut short`);
  };
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b === 0x0a) {
      flush(true);
      i += 1;
      continue;
    }
    if (b === 0x1b) {
      need(i, 2);
      const c = bytes[i + 1] as number;
      switch (c) {
        case 0x40: // ESC @ init: modes back to default (Chinese mode is a printer setting and stays on real printers; we require FS & again)
          flush(false);
          inits += 1;
          align = 'left';
          bold = false;
          widthMul = heightMul = 1;
          chinese = false;
          i += 2;
          continue;
        case 0x61: // ESC a n
          need(i, 3);
          align = ALIGN[(bytes[i + 2] as number) % 48] ?? 'left';
          i += 3;
          continue;
        case 0x45: // ESC E n
          need(i, 3);
          bold = ((bytes[i + 2] as number) & 1) === 1;
          i += 3;
          continue;
        case 0x21: {
          // ESC ! n: bit 4 double height, bit 5 double width
          need(i, 3);
          const n = bytes[i + 2] as number;
          heightMul = n & 0x10 ? 2 : 1;
          widthMul = n & 0x20 ? 2 : 1;
          bold = (n & 0x08) !== 0;
          i += 3;
          continue;
        }
        case 0x64: // ESC d n: print and feed n lines
          need(i, 3);
          flush(false);
          i += 3;
          continue;
        default:
          throw new Error(`unknown ESC command 0x${c.toString(16)} at byte ${i}`);
      }
    }
    if (b === 0x1d) {
      need(i, 2);
      const c = bytes[i + 1] as number;
      if (c === 0x21) {
        // GS ! n: high nibble width-1, low nibble height-1
        need(i, 3);
        const n = bytes[i + 2] as number;
        widthMul = (n >> 4) + 1;
        heightMul = (n & 0x0f) + 1;
        i += 3;
        continue;
      }
      if (c === 0x56) {
        // GS V m (m 0/1/48/49) or GS V m n (m 65/66)
        need(i, 3);
        const m = bytes[i + 2] as number;
        flush(false);
        cutsAfter.push(lines.length);
        i += m === 65 || m === 66 ? 4 : 3;
        continue;
      }
      throw new Error(`unknown GS command 0x${c.toString(16)} at byte ${i}`);
    }
    if (b === 0x1c) {
      need(i, 2);
      const c = bytes[i + 1] as number;
      if (c === 0x26) chinese = true;
      else if (c === 0x2e) chinese = false;
      else throw new Error(`unknown FS command 0x${c.toString(16)} at byte ${i}`);
      i += 2;
      continue;
    }
    if (b < 0x20) throw new Error(`unexpected control byte 0x${b.toString(16)} at byte ${i}`);
    if (b >= 0x80 && !chinese) throw new Error(`double-byte text at byte ${i} outside Chinese mode (no FS & before it)`);
    if (text.length === 0) style = { align, bold, widthMul, heightMul };
    text.push(b);
    i += 1;
  }
  flush(false);
  return { lines, cutsAfter, inits };
}

/** The documents a receipt holds (split at cuts), each as its lines' text. */
export function receiptDocuments(r: DecodedReceipt): string[][] {
  const docs: string[][] = [];
  let from = 0;
  for (const at of r.cutsAfter) {
    docs.push(r.lines.slice(from, at).map((l) => l.text));
    from = at;
  }
  if (from < r.lines.length) docs.push(r.lines.slice(from).map((l) => l.text));
  return docs;
}
