// The zip container of an .xlsx, read through its central directory only. The same directory says
// what the entries unpack to (checked before anything is inflated) and where each one starts, so
// what is checked is what is read: local headers are not trusted (a streaming reader walking them
// can be fed entries the directory does not list). Inflating counts the bytes it produces and stops
// at the limit, so a directory that under-states a size gains nothing.
import { createInflateRaw } from 'node:zlib';
import { REASONS, reasonError, type ReasonDetails } from '../../shared/reasons.ts';
import { AppError } from '../../shared/result.ts';
import { mb } from './limits.ts';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_EOCD_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function broken(why: string): AppError {
  return reasonError('import.damaged', { why }, `The .xlsx file is damaged and cannot be read (${why}); save it as .xlsx again in Excel`);
}

/** The entries the central directory lists; throws import.damaged when it is not a readable zip. */
export function readZipDirectory(buf: Buffer): ZipEntry[] {
  // The end record sits in the last 22 + 65535 (comment) bytes.
  const floor = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= floor; i -= 1) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken('no zip directory');
  let count = buf.readUInt16LE(eocd + 10);
  let size = buf.readUInt32LE(eocd + 12);
  let offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== ZIP64_EOCD_LOCATOR) throw broken('zip64 locator missing');
    const z = Number(buf.readBigUInt64LE(loc + 8));
    if (z < 0 || z + 56 > buf.length || buf.readUInt32LE(z) !== ZIP64_EOCD) throw broken('zip64 directory missing');
    count = Number(buf.readBigUInt64LE(z + 32));
    size = Number(buf.readBigUInt64LE(z + 40));
    offset = Number(buf.readBigUInt64LE(z + 48));
  }
  if (offset + size > buf.length) throw broken('directory outside the file');
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let n = 0; n < count; n += 1) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw broken('directory entry');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localHeaderOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    // Zip64 sizes live in the extra field, in this order, for the fields that are 0xffffffff.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff) (uncompressedSize = Number(buf.readBigUInt64LE(q))), (q += 8);
        if (compressedSize === 0xffffffff) (compressedSize = Number(buf.readBigUInt64LE(q))), (q += 8);
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(buf.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
    p = extraEnd + commentLen;
  }
  return entries;
}

/** The compressed bytes of an entry, found through its local header's own name and extra lengths. */
function entryData(buf: Buffer, entry: ZipEntry): Buffer {
  const h = entry.localHeaderOffset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== LOCAL) throw broken(`${entry.name}: local header`);
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  if (start + entry.compressedSize > buf.length) throw broken(`${entry.name}: data outside the file`);
  return buf.subarray(start, start + entry.compressedSize);
}

/** Thrown while inflating when an entry produces more than it may. */
export class EntryTooLarge extends AppError {
  constructor(entry: ZipEntry, limit: number) {
    const details: ReasonDetails['import.part_inflates_too_large'] = { part: entry.name, max: mb(limit) };
    super(
      REASONS['import.part_inflates_too_large'],
      `${entry.name} unpacks to more than ${mb(limit)}: not a normal import file (a zip bomb?); save only the columns you need, or split it into several files`,
      details,
      'import.part_inflates_too_large',
    );
  }
}

/**
 * The entry's bytes as they inflate, in chunks; stops (and throws EntryTooLarge) once more than
 * `limit` bytes came out, whatever the directory said. The consumer may stop early (return()).
 */
export async function* entryChunks(buf: Buffer, entry: ZipEntry, limit: number): AsyncGenerator<Buffer> {
  if (entry.flags & 0x1) throw reasonError('import.encrypted', {}, 'The .xlsx is password-protected; remove the password, save it and import again');
  const data = entryData(buf, entry);
  if (entry.method === 0) {
    if (data.length > limit) throw new EntryTooLarge(entry, limit);
    yield data;
    return;
  }
  if (entry.method !== 8) throw broken(`${entry.name}: compression method ${entry.method}`);
  const inflater = createInflateRaw();
  inflater.end(data);
  let out = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (out > limit) throw new EntryTooLarge(entry, limit);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw broken(`${entry.name}: ${(err as Error).message}`);
  } finally {
    inflater.destroy();
  }
}
