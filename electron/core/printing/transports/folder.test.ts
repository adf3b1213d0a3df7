// The folder printer against a real folder: what each kind of job becomes, one file per job however
// often it is sent, nothing half-written under a final name, and never a file it did not create.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeTspl } from '../../labels/encode.ts';
import { labelBytes } from '../../labels/print-bytes.ts';
import { bitmapToPng } from '../../labels/raster.ts';
import { sampleLabelData } from '../../labels/sample-data.ts';
import { PrintFailure } from '../failure.ts';
import { formatPrinterUri, parsePrinterUri, PrinterUriError } from '../uri.ts';
import { FolderTransport, folderOutputOf } from './folder.ts';
import { transportForUri } from './for-printer.ts';
import { rejectedWith } from '../../../testkit/results.ts';

let root: string;
let dir: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-folder-'));
  dir = path.join(root, 'labels');
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(root, { recursive: true, force: true });
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const tsplLabel = (waybillNo = 'ZT7000000001') => labelBytes(sampleLabelData({ waybillNo }), { lang: 'tspl', dpi: 203 });
const send = (t: FolderTransport, bytes: Buffer, jobId: string) => t.send(bytes, { timeoutMs: 10_000, title: `waybill-${jobId}`, jobId });
const listing = () => fs.readdirSync(dir).sort();

const failureOf = (p: Promise<unknown>): Promise<PrintFailure> => rejectedWith(p, PrintFailure);

describe('folder printer', () => {
  it('prints a TSPL label as the PNG the printer would have printed, named by the job, readable by the user only', async () => {
    const t = new FolderTransport(dir, 'tspl');
    const jobId = uuidv7();
    const bytes = tsplLabel();
    await send(t, bytes, jobId);
    expect(listing()).toEqual([`${jobId}.png`]);
    const png = fs.readFileSync(path.join(dir, `${jobId}.png`));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // Exactly the bitmap inside the bytes sent: 76 mm × 130 mm at 8 dots/mm.
    expect(png.equals(bitmapToPng(decodeTspl(bytes).bitmap))).toBe(true);
    expect(png.readUInt32BE(16)).toBe(608);
    expect(png.readUInt32BE(20)).toBe(1040);
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.join(dir, `${jobId}.png`)).mode & 0o777).toBe(0o600);
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    }
  });

  it('writes a job once however often it is sent: a retry finds its file and leaves it as it was', async () => {
    const t = new FolderTransport(dir, 'tspl');
    const jobId = uuidv7();
    await send(t, tsplLabel('ZT7000000001'), jobId);
    const file = path.join(dir, `${jobId}.png`);
    const first = fs.readFileSync(file);
    const before = fs.statSync(file);
    // Even a resend whose bytes differ (re-rendered) is the same job: no second copy, no overwrite.
    await send(t, tsplLabel('ZT7000000002'), jobId);
    await send(t, tsplLabel('ZT7000000001'), jobId);
    expect(listing()).toEqual([`${jobId}.png`]);
    expect(fs.readFileSync(file).equals(first)).toBe(true);
    expect(fs.statSync(file).ino).toBe(before.ino);
    // A different job is a different file.
    const other = uuidv7();
    await send(t, tsplLabel('ZT7000000002'), other);
    expect(listing()).toEqual([`${jobId}.png`, `${other}.png`].sort());
  });

  it('never shows half a label: a write cut off before it is committed leaves no file under the job name, and the retry writes it whole', async () => {
    const t = new FolderTransport(dir, 'tspl');
    const jobId = uuidv7();
    const bytes = tsplLabel();
    // The commit step (link to the final name) fails as a crash or a full disk would make it.
    const link = vi.spyOn(fsp, 'link').mockRejectedValueOnce(Object.assign(new Error('input/output error'), { code: 'EIO' }));
    const failure = await failureOf(send(t, bytes, jobId));
    expect(link).toHaveBeenCalledTimes(1);
    expect(failure.reason).toBe('io');
    // Nothing reached the final name, so nothing may have been printed: an ordinary failure, retried safely.
    expect(failure.maybeDelivered).toBe(false);
    expect(listing()).toEqual([]);
    // A process killed between writing and committing leaves only a hidden part file.
    fs.writeFileSync(path.join(dir, `.${jobId}.png.999-deadbeef.part`), bytes.subarray(0, 100));
    await send(t, bytes, jobId);
    const finals = listing().filter((n) => !n.startsWith('.'));
    expect(finals).toEqual([`${jobId}.png`]);
    expect(fs.readFileSync(path.join(dir, finals[0]!)).equals(bitmapToPng(decodeTspl(bytes).bitmap))).toBe(true);
  });

  it('falls back to rename where the file system has no hard links, still never replacing a file', async () => {
    const t = new FolderTransport(dir, 'tspl');
    const jobId = uuidv7();
    vi.spyOn(fsp, 'link').mockRejectedValue(Object.assign(new Error('operation not permitted'), { code: 'EPERM' }));
    await send(t, tsplLabel('ZT7000000001'), jobId);
    const first = fs.readFileSync(path.join(dir, `${jobId}.png`));
    await send(t, tsplLabel('ZT7000000002'), jobId);
    expect(listing()).toEqual([`${jobId}.png`]);
    expect(fs.readFileSync(path.join(dir, `${jobId}.png`)).equals(first)).toBe(true);
  });

  it('keeps a PDF job as its PDF, and a job in printer text commands (the test page) as sent', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const pdfJob = uuidv7();
    await send(new FolderTransport(dir, 'pdf'), pdf, pdfJob);
    const page = Buffer.from('SIZE 76 mm,130 mm\r\nCLS\r\nTEXT 24,24,"3",0,1,1,"SHOPFLEET TEST PAGE"\r\nPRINT 1,1\r\n');
    const pageJob = uuidv7();
    await send(new FolderTransport(dir, 'tspl'), page, pageJob);
    expect(listing()).toEqual([`${pdfJob}.pdf`, `${pageJob}.tspl`].sort());
    expect(fs.readFileSync(path.join(dir, `${pdfJob}.pdf`)).equals(pdf)).toBe(true);
    expect(fs.readFileSync(path.join(dir, `${pageJob}.tspl`)).equals(page)).toBe(true);
    expect(folderOutputOf(page, 'zpl').kind).toBe('zpl');
  });

  it('refuses a path that is a file, leaving the file as it was, and a job without its id', async () => {
    const precious = path.join(root, 'station.db');
    fs.writeFileSync(precious, 'SQLite format 3\0 precious');
    const failure = await failureOf(send(new FolderTransport(precious, 'tspl'), tsplLabel(), uuidv7()));
    expect(failure.reason).toBe('io');
    expect(failure.maybeDelivered).toBe(false);
    expect(fs.readFileSync(precious, 'utf8')).toBe('SQLite format 3\0 precious');
    const t = new FolderTransport(dir, 'tspl');
    expect((await failureOf(t.send(tsplLabel(), { timeoutMs: 1000, title: 'waybill-x' }))).reason).toBe('unsupported');
    expect((await failureOf(t.send(tsplLabel(), { timeoutMs: 1000, jobId: '../../station' }))).reason).toBe('unsupported');
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('folder printer status', () => {
  it('is ready for a folder it can write or make, and says why not for a file', async () => {
    expect(await new FolderTransport(dir, 'tspl').status()).toMatchObject({ ready: true, printing: false, problems: [] });
    expect(fs.existsSync(dir)).toBe(false); // asking does not create it
    const file = path.join(root, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    expect((await failureOf(new FolderTransport(file, 'tspl').status())).reason).toBe('io');
    expect((await failureOf(new FolderTransport(path.join(file, 'labels'), 'tspl').status())).reason).toBe('io');
  });
});

describe('folder: printer addresses', () => {
  it('takes an absolute folder in its normal form and builds the folder transport for it', () => {
    expect(formatPrinterUri(parsePrinterUri('folder:/home/me/labels/'))).toBe('folder:/home/me/labels');
    expect(formatPrinterUri(parsePrinterUri('FOLDER:/home/me/./x/../labels'))).toBe('folder:/home/me/labels');
    expect(formatPrinterUri(parsePrinterUri('folder:C:\\labels\\'))).toBe('folder:C:\\labels');
    expect(formatPrinterUri(parsePrinterUri('folder:C:\\'))).toBe('folder:C:\\');
    expect(parsePrinterUri('folder:/')).toEqual({ kind: 'folder', dir: '/' });
    expect(transportForUri(`folder:${dir}`, 'tspl')).toBeInstanceOf(FolderTransport);
  });

  it('refuses relative, empty and control-character paths with a message that shows a valid one', () => {
    for (const bad of ['folder:', 'folder:labels', 'folder:./labels', 'folder:/tmp/a\nb', 'folder:C:labels']) {
      expect(() => parsePrinterUri(bad), bad).toThrow(PrinterUriError);
    }
    expect(() => parsePrinterUri('folder:labels')).toThrow(/folder:\/home\/me\/labels/);
  });
});
