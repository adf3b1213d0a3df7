// Test files for the import reader, written byte by byte: a minimal .xlsx (workbook, relationships,
// one sheet, optional shared strings) in a zip this module writes itself, so a test can make what
// no spreadsheet program would — a sheet that unpacks to hundreds of MB from a few hundred KB, a
// directory that under-states a size, a lone cell in Excel's last row. Tests only.
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** Deflated bytes and what they inflate to. */
  deflated: Buffer;
  size: number;
  crc: number;
  /** What the directory claims the part unpacks to (default: the truth). */
  claimedSize?: number;
}

export function part(name: string, data: string | Buffer): ZipPart {
  const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { name, deflated: deflateRawSync(raw, { level: 9 }), size: raw.length, crc: crc32(raw) };
}

/** A part whose content is `head`, then `body` `times` times, then `tail`, deflated as a stream (never held whole). */
export async function repeatedPart(name: string, head: string, body: string, times: number, tail: string): Promise<ZipPart> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  let crc = 0;
  let size = 0;
  const write = async (s: string) => {
    const b = Buffer.from(s, 'utf8');
    crc = crc32(b, crc);
    size += b.length;
    if (!deflate.write(b)) await new Promise((r) => deflate.once('drain', r));
  };
  await write(head);
  // Bodies in batches of ~1 MB: fewer writes, same bytes.
  const batch = Math.max(1, Math.floor((1024 * 1024) / Buffer.byteLength(body)));
  const chunk = body.repeat(batch);
  let left = times;
  while (left >= batch) {
    await write(chunk);
    left -= batch;
  }
  if (left > 0) await write(body.repeat(left));
  await write(tail);
  deflate.end();
  await done;
  return { name, deflated: Buffer.concat(out), size, crc: crc >>> 0 };
}

/** A zip of the parts (deflate), local headers then the central directory. */
export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const claimed = p.claimedSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(claimed, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, p.deflated);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.deflated.length, 20);
    central.writeUInt32LE(claimed, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + p.deflated.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const WORKBOOK = part(
  'xl/workbook.xml',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="面单" sheetId="1" r:id="rId1"/></sheets></workbook>',
);
export const WORKBOOK_RELS = part(
  'xl/_rels/workbook.xml.rels',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
);
export const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const SHEET_TAIL = '</sheetData></worksheet>';

/** An inline-string cell. */
export const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;
export const row = (n: number, ...cells: string[]) => `<row r="${n}">${cells.join('')}</row>`;

/** A workbook whose first sheet is the given rows. */
export function workbook(rows: string[], sheet: Partial<ZipPart> = {}): Buffer {
  return zip([WORKBOOK, WORKBOOK_RELS, { ...part('xl/worksheets/sheet1.xml', SHEET_HEAD + rows.join('') + SHEET_TAIL), ...sheet }]);
}
