// Windows spooler printing, two ways by the printer's language (docs/printing/transports.md#windows):
// - RAW (tspl, zpl, escpos) without a native build: Windows PowerShell compiles a small C# helper
//   (Add-Type) that calls winspool.drv — OpenPrinterW, StartDocPrinterW with datatype "RAW",
//   WritePrinter, End/Close (the approach wcpos/electron uses; this is our own code). The printer
//   name and the temp file travel in environment variables, never inside the script, so a queue
//   named `GP-1324D(USB)` or `得力"打印机` cannot change the command.
// - PDF (A4 laser printers, label printers driven by their Windows driver): the driver has to render
//   the page, so RAW would print PDF source as text. pdf-to-printer runs the SumatraPDF it bundles
//   (`-print-to NAME -silent -print-settings noscale FILE`), loaded only when a PDF is printed on
//   Windows so other stations never load it.
// Neither can run on this Linux machine: the RAW command line is unit-tested, and the PDF path is
// tested through the real pdf-to-printer with a stand-in SumatraPDF script.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { PrintOptions } from 'pdf-to-printer';
import { v7 as uuidv7 } from 'uuid';
import { PrintFailure } from '../failure.ts';
import type { PrinterLang } from '../status.ts';
import type { PrinterTransport, SendOptions } from './transport.ts';

/** The script PowerShell runs; it reads SHOPFLEET_PRINTER, SHOPFLEET_PRINT_FILE and SHOPFLEET_PRINT_TITLE. */
export const SPOOLER_SCRIPT = `$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
using System;
using System.IO;
using System.Runtime.InteropServices;
public static class ShopFleetRaw {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public class DOCINFOW { public string pDocName; public string pOutputFile; public string pDatatype; }
  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)]
  static extern bool OpenPrinterW(string name, out IntPtr h, IntPtr defaults);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool ClosePrinter(IntPtr h);
  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)]
  static extern int StartDocPrinterW(IntPtr h, int level, [In] DOCINFOW di);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndDocPrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool StartPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool WritePrinter(IntPtr h, byte[] buf, int count, out int written);
  public static int Send(string printer, string file, string title) {
    byte[] bytes = File.ReadAllBytes(file);
    IntPtr h;
    if (!OpenPrinterW(printer, out h, IntPtr.Zero)) throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error(), "OpenPrinter");
    try {
      DOCINFOW di = new DOCINFOW(); di.pDocName = title; di.pDatatype = "RAW";
      int job = StartDocPrinterW(h, 1, di);
      if (job == 0) throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error(), "StartDocPrinter");
      try {
        if (!StartPagePrinter(h)) throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error(), "StartPagePrinter");
        int written;
        if (!WritePrinter(h, bytes, bytes.Length, out written) || written != bytes.Length) throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error(), "WritePrinter");
        EndPagePrinter(h);
      } finally { EndDocPrinter(h); }
      return job;
    } finally { ClosePrinter(h); }
  }
}
'@
$job = [ShopFleetRaw]::Send($env:SHOPFLEET_PRINTER, $env:SHOPFLEET_PRINT_FILE, $env:SHOPFLEET_PRINT_TITLE)
[Console]::Out.WriteLine("job $job")`;

export interface SpoolerCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * The process to run for one RAW job: Windows PowerShell 5.1 (present on every Windows 10/11; Add-Type
 * compiles C# there without an SDK), the script passed as -EncodedCommand (UTF-16LE base64) so no
 * quoting of any kind is involved, and the variable parts in env.
 */
export function buildSpoolerCommand(printerName: string, dataFile: string, title: string): SpoolerCommand {
  return {
    file: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(SPOOLER_SCRIPT, 'utf16le').toString('base64')],
    env: { SHOPFLEET_PRINTER: printerName, SHOPFLEET_PRINT_FILE: dataFile, SHOPFLEET_PRINT_TITLE: title },
  };
}

/**
 * pdf-to-printer's options for one job. `noscale` because SumatraPDF's default is `shrink`: it
 * shrinks a page to the printer's printable area, so a 76×130 mm waybill on a label printer whose
 * driver reports a hardware margin comes out a few percent small and its barcodes may no longer
 * scan. With noscale the page is drawn at its own size from the paper's top-left corner (SumatraPDF
 * src/Print.cpp: "so that printing forms/labels of varying size remains reliably possible"); its
 * command-line print already picks the paper matching the PDF's first page (A4, or a custom size for
 * a label), so no paperSize is passed. silent: no error dialog on an unattended packing station.
 */
export function pdfPrintOptions(printerName: string, sumatraPdfPath?: string): PrintOptions {
  return { printer: printerName, silent: true, scale: 'noscale', ...(sumatraPdfPath ? { sumatraPdfPath } : {}) };
}

type PdfPrint = (pdf: string, options?: PrintOptions) => Promise<void>;

/**
 * pdf-to-printer, loaded on first use with a plain CommonJS require (it is a CommonJS bundle) from
 * the node_modules above this module, or above dist-electron/core-host.cjs in the app. A require
 * through createRequire is one esbuild leaves alone, and it must: bundled, the package would look
 * for its SumatraPDF.exe beside the bundle instead of beside itself.
 */
function loadPdfPrint(): PdfPrint {
  let mod: { print?: unknown };
  try {
    mod = createRequire(import.meta.url)('pdf-to-printer') as { print?: unknown };
  } catch (err) {
    throw new PrintFailure('spooler_failed', `PDF 打印组件 pdf-to-printer 加载失败（安装包不完整，请重新安装）：${(err as Error).message}`.slice(0, 300));
  }
  if (typeof mod.print !== 'function') throw new PrintFailure('spooler_failed', 'PDF 打印组件 pdf-to-printer 加载失败（安装包不完整，请重新安装）');
  return mod.print as PdfPrint;
}

/** What pdf-to-printer's failure means for the operator: its executable missing, or SumatraPDF's exit code. */
export function pdfPrintFailure(err: unknown, printerName: string): PrintFailure {
  if (err instanceof PrintFailure) return err;
  // pdf-to-printer throws a bare string off Windows; we never call it there, but keep its words.
  if (typeof err === 'string') return new PrintFailure('spooler_failed', err);
  const e = err as NodeJS.ErrnoException & { code?: unknown; stderr?: unknown; path?: unknown };
  if (e?.code === 'ENOENT') return new PrintFailure('spooler_failed', `找不到 PDF 打印程序 SumatraPDF（${String(e.path ?? '')}），安装包不完整，请重新安装`);
  if (e?.code === 'EACCES') return new PrintFailure('spooler_failed', `PDF 打印程序 SumatraPDF 无法运行（没有执行权限或被安全软件拦截）`);
  const stderr = typeof e?.stderr === 'string' ? e.stderr.trim().slice(0, 200) : '';
  if (typeof e?.code === 'number') {
    return new PrintFailure('spooler_failed', `SumatraPDF 打印失败（退出码 ${e.code}）：请确认 Windows 中有名为「${printerName}」的打印机且驱动已安装${stderr ? `；${stderr}` : ''}`);
  }
  return new PrintFailure('spooler_failed', String(e?.message ?? err).trim().slice(0, 300));
}

export interface SpoolerTransportOptions {
  /** The printer row's language: pdf is rendered by the Windows driver through SumatraPDF, the others go RAW. */
  lang?: PrinterLang;
  platform?: NodeJS.Platform;
  /** Run this SumatraPDF instead of the one pdf-to-printer bundles (tests run a stand-in script). */
  sumatraPdfPath?: string;
}

export class SpoolerTransport implements PrinterTransport {
  readonly describe: string;
  private readonly lang: PrinterLang | undefined;
  private readonly platform: NodeJS.Platform;
  private readonly sumatraPdfPath: string | undefined;

  constructor(
    private readonly name: string,
    opts: SpoolerTransportOptions = {},
  ) {
    this.lang = opts.lang;
    this.platform = opts.platform ?? process.platform;
    this.sumatraPdfPath = opts.sumatraPdfPath;
    this.describe = opts.lang === 'pdf' ? `spooler ${name} (PDF)` : `spooler ${name}`;
  }

  async send(bytes: Buffer, opts: SendOptions): Promise<void> {
    if (this.platform !== 'win32') throw new PrintFailure('unsupported', 'spooler: 只能在 Windows 上使用');
    if (this.lang === 'pdf') return this.sendPdf(bytes, opts);
    const file = path.join(os.tmpdir(), `shopfleet-${uuidv7()}.prn`);
    await fs.promises.writeFile(file, bytes);
    const cmd = buildSpoolerCommand(this.name, file, opts.title ?? 'ShopFleet');
    try {
      await new Promise<void>((resolve, reject) => {
        execFile(cmd.file, cmd.args, { env: { ...process.env, ...cmd.env }, timeout: opts.timeoutMs, killSignal: 'SIGKILL', windowsHide: true }, (err, _stdout, stderr) => {
          if (!err) return resolve();
          const words = String(stderr || err.message).trim();
          // Killed mid-run, or failing at WritePrinter/EndDocPrinter: the spooler may already hold the job.
          if ((err as { killed?: boolean }).killed) reject(new PrintFailure('timeout', `${opts.timeoutMs} ms`, { maybeDelivered: true }));
          else reject(new PrintFailure('spooler_failed', words.slice(0, 300), { maybeDelivered: /WritePrinter|EndPagePrinter|EndDocPrinter/.test(words) }));
        });
      });
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  }

  private async sendPdf(bytes: Buffer, opts: SendOptions): Promise<void> {
    // SumatraPDF names the spooler document after the file, so the job title is in the name.
    const title = (opts.title ?? 'ShopFleet').replace(/[^\w.-]+/g, '_').slice(0, 60);
    const file = path.join(os.tmpdir(), `shopfleet-${title}-${uuidv7()}.pdf`);
    await fs.promises.writeFile(file, bytes);
    let printing: Promise<void> | undefined;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      const print = loadPdfPrint();
      printing = print(file, pdfPrintOptions(this.name, this.sumatraPdfPath));
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          // SumatraPDF may be printing it still: a person checks before it goes again.
          reject(new PrintFailure('timeout', `SumatraPDF ${opts.timeoutMs} ms 内没有完成打印`, { maybeDelivered: true }));
        }, opts.timeoutMs);
      });
      await Promise.race([printing.catch((err: unknown) => Promise.reject(pdfPrintFailure(err, this.name))), deadline]);
    } finally {
      clearTimeout(timer);
      if (timedOut && printing) {
        // pdf-to-printer gives no handle to stop SumatraPDF, which may still be reading the file
        // (Windows refuses to delete an open file): try now, and again once it exits.
        const late = printing;
        void late.catch(() => undefined).finally(() => fs.promises.rm(file, { force: true }).catch(() => undefined));
        await fs.promises.rm(file, { force: true }).catch(() => undefined);
      } else {
        await fs.promises.rm(file, { force: true });
      }
    }
  }
}
