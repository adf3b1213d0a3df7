// A virtual printer: a folder. Each job's output becomes one file named by the job's id — a label a
// thermal printer would print is read back out of its TSPL/ZPL/ESC-POS bytes and written as the PNG
// that would come out of the printer; a PDF stays a PDF; anything else (a test page in the printer's
// own text commands) is kept as sent. For trying the station without a printer (the demo team has
// one) and for teams that hand labels to another program.
//
// Exactly once per job: the file is written under a temporary name, flushed, then linked to its
// final name — which fails if that name exists — so a reader never sees half a label, a crash leaves
// at most a hidden `.part` file, and sending the same job again (a retry, an answer to an uncertain
// job) finds its file and writes nothing.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeEscPos, decodeTspl, decodeZpl } from '../../labels/encode.ts';
import { bitmapToPng } from '../../labels/raster.ts';
import type { Bitmap } from '../../labels/bitmap.ts';
import { PrintFailure, failureFromError } from '../failure.ts';
import type { PrinterLang, PrinterStatus } from '../status.ts';
import type { PrinterTransport, SendOptions } from './transport.ts';

/** The kinds of file a folder printer writes, by extension. */
export const FOLDER_FILE_KINDS = ['png', 'pdf', 'tspl', 'zpl', 'escpos'] as const;
export type FolderFileKind = (typeof FOLDER_FILE_KINDS)[number];

/** A job id as the queue makes them (UUIDv7): the only thing that becomes a file name. */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the job's bytes become on disk: the printed image where they carry one, else themselves. */
export function folderOutputOf(bytes: Buffer, lang: PrinterLang): { kind: FolderFileKind; data: Buffer } {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return { kind: 'pdf', data: bytes };
  if (lang === 'pdf') return { kind: 'pdf', data: bytes };
  let bitmap: Bitmap | null = null;
  try {
    bitmap = lang === 'tspl' ? decodeTspl(bytes).bitmap : lang === 'zpl' ? decodeZpl(bytes).bitmap : decodeEscPos(bytes);
  } catch {
    // Not a raster job (the test page draws with the printer's own text commands): keep it as sent.
    bitmap = null;
  }
  if (bitmap && bitmap.width > 0 && bitmap.height > 0) return { kind: 'png', data: bitmapToPng(bitmap) };
  return { kind: lang, data: bytes };
}

/** Link failures that mean "this file system has no hard links" (FAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Write `data` as `dir/name` unless that file exists. Returns whether this call wrote it. The
 * folder is created for the user only (labels carry buyers' addresses).
 */
export async function writeOnce(dir: string, name: string, data: Buffer): Promise<boolean> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await fs.stat(dir);
  if (!st.isDirectory()) throw new PrintFailure('io', `${dir} 不是文件夹`);
  const final = path.join(dir, name);
  if (await exists(final)) return false;
  const tmp = path.join(dir, `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.part`);
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    try {
      await fs.link(tmp, final);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (!NO_HARD_LINKS.has(code)) throw err;
      // No hard links here: rename, which replaces. The print queue sends one job at a time per
      // printer from one process (queue-lock.ts), so nothing else can create the name in between.
      if (await exists(final)) return false;
      await fs.rename(tmp, final);
    }
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
  // The new name must survive a power cut too; directories cannot be fsynced on Windows.
  const dirHandle = await fs.open(dir, 'r').catch(() => null);
  await dirHandle?.sync().catch(() => undefined);
  await dirHandle?.close();
  return true;
}

export class FolderTransport implements PrinterTransport {
  readonly describe: string;

  constructor(
    private readonly dir: string,
    private readonly lang: PrinterLang,
  ) {
    this.describe = `folder ${dir}`;
  }

  /**
   * Ready when the folder is there and writable, or can be made (its nearest existing parent is a
   * writable folder): the printers page shows 就绪, and a job is not sent to a folder that cannot take it.
   */
  async status(): Promise<PrinterStatus> {
    let probe = this.dir;
    for (;;) {
      try {
        const st = await fs.stat(probe);
        if (!st.isDirectory()) throw new PrintFailure('io', `${probe} 不是文件夹`);
        break;
      } catch (err) {
        const parent = path.dirname(probe);
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === probe) throw failureFromError(err);
        probe = parent;
      }
    }
    try {
      await fs.access(probe, fsConstants.W_OK);
    } catch (err) {
      throw failureFromError(err);
    }
    return { ready: true, printing: false, problems: [], raw: '' };
  }

  async send(bytes: Buffer, opts: SendOptions): Promise<void> {
    const jobId = opts.jobId;
    // Without the job's id a retry could not find the file it wrote: refuse rather than risk a second copy.
    if (!jobId || !JOB_ID.test(jobId)) throw new PrintFailure('unsupported', '文件夹打印机需要打印任务编号');
    let out: { kind: FolderFileKind; data: Buffer };
    try {
      out = folderOutputOf(bytes, this.lang);
    } catch (err) {
      throw new PrintFailure('render_failed', (err as Error)?.message ?? String(err));
    }
    const name = `${jobId}.${out.kind}`;
    let timer: NodeJS.Timeout | undefined;
    const work = writeOnce(this.dir, name, out.data);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PrintFailure('timeout', `${opts.timeoutMs} ms`)), opts.timeoutMs);
    });
    try {
      await Promise.race([work, timeout]);
    } catch (err) {
      // The label is in the folder after all (written by an earlier try, or just now): it is printed.
      if (await exists(path.join(this.dir, name)).catch(() => false)) return;
      // A write still running (a slow network folder) may yet land: a person looks before a resend.
      throw failureFromError(err, { maybeDelivered: err instanceof PrintFailure && err.reason === 'timeout' });
    } finally {
      clearTimeout(timer);
      work.catch(() => undefined);
    }
  }
}
