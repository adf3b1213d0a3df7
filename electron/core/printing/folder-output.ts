// What a folder printer has printed: its newest files (transports/folder.ts names each by its print
// job's id, and ids sort by time), each with its job's document and order, and the picture itself
// for the on-screen preview — the PNG a thermal printer would have printed, or the PDF.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PrinterOutputView } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import type { Db } from '../db/open.ts';
import { getPrinter } from './printers.ts';
import { FOLDER_FILE_KINDS, type FolderFileKind } from './transports/folder.ts';
import { parsePrinterUri } from './uri.ts';

const OUTPUT_FILE = new RegExp(`^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.(${FOLDER_FILE_KINDS.join('|')})$`);
/** Files bigger than this are listed without their content (a label is tens of KB). */
const MAX_PREVIEW_BYTES = 4 * 1024 * 1024;

/** The folder a printer writes into, or null for a printer that is not a folder printer. */
export function folderOfPrinter(uri: string): string | null {
  try {
    const a = parsePrinterUri(uri);
    return a.kind === 'folder' ? a.dir : null;
  } catch {
    return null;
  }
}

interface JobInfo {
  id: string;
  docType: string;
  orderId: string | null;
  platformOrderId: string | null;
  payload: string;
}

/** The newest `limit` files the printer wrote, newest first; an empty list before its first job. */
export async function printerOutput(db: Db, printerId: string, limit = 6): Promise<PrinterOutputView> {
  const printer = getPrinter(db, printerId);
  if (!printer) throw reasonError('printer.not_found', { printerId }, `No printer ${printerId}`);
  const dir = folderOfPrinter(printer.uri);
  if (dir === null) throw reasonError('printer.not_folder', { name: printer.name }, `Printer "${printer.name}" is not a folder printer: it has no output to preview`);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { printerId, dir, files: [] };
    const error = (err as Error).message;
    throw reasonError('printer.folder_unreadable', { dir, error }, `Could not read the folder ${dir}: ${error}`);
  }
  // Hidden `.part` files are writes not yet committed (or cut off by a crash): never shown.
  const newest = names
    .map((n) => OUTPUT_FILE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => (a[1]! < b[1]! ? 1 : a[1]! > b[1]! ? -1 : 0))
    .slice(0, limit);
  const jobs = new Map(
    db.$client
      .prepare<[string], JobInfo>(
        `SELECT j.id, j.doc_type AS docType, j.order_id AS orderId, o.platform_order_id AS platformOrderId, j.payload
           FROM print_jobs j LEFT JOIN orders o ON o.id = j.order_id WHERE j.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(newest.map((m) => m[1])))
      .map((j) => [j.id, j]),
  );
  const files: PrinterOutputView['files'] = [];
  for (const m of newest) {
    const fileName = m[0];
    const jobId = m[1]!;
    const kind = m[2] as FolderFileKind;
    let stat;
    try {
      stat = await fs.stat(path.join(dir, fileName));
    } catch {
      continue; // removed while we looked
    }
    const previewable = (kind === 'png' || kind === 'pdf') && stat.size <= MAX_PREVIEW_BYTES;
    const job = jobs.get(jobId);
    let waybillNo: string | null = null;
    if (job) {
      try {
        const p = JSON.parse(job.payload) as { waybillNo?: unknown };
        waybillNo = typeof p.waybillNo === 'string' ? p.waybillNo : null;
      } catch {
        waybillNo = null;
      }
    }
    files.push({
      jobId,
      fileName,
      kind,
      bytes: stat.size,
      writtenAt: Math.round(stat.mtimeMs),
      docType: job?.docType ?? null,
      orderId: job?.orderId ?? null,
      platformOrderId: job?.platformOrderId ?? null,
      waybillNo,
      base64: previewable ? (await fs.readFile(path.join(dir, fileName))).toString('base64') : null,
    });
  }
  return { printerId, dir, files };
}
