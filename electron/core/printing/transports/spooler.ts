// Windows spooler RAW printing without a native build: Windows PowerShell compiles a small C#
// helper (Add-Type) that calls winspool.drv — OpenPrinterW, StartDocPrinterW with datatype "RAW",
// WritePrinter, End/Close (printing.md §3.2, the approach wcpos/electron uses; this is our own code).
// The printer name and the temp file travel in environment variables, never inside the script, so
// a queue named `GP-1324D(USB)` or `得力"打印机` cannot change the command. Cannot run on this Linux
// machine: the command line is unit-tested, the send is tried only on win32.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { PrintFailure } from '../failure.ts';
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

export class SpoolerTransport implements PrinterTransport {
  readonly describe: string;

  constructor(
    private readonly name: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.describe = `spooler ${name}`;
  }

  async send(bytes: Buffer, opts: SendOptions): Promise<void> {
    if (this.platform !== 'win32') throw new PrintFailure('unsupported', 'spooler: 只能在 Windows 上使用');
    const file = path.join(os.tmpdir(), `shopfleet-${uuidv7()}.prn`);
    await fs.promises.writeFile(file, bytes);
    const cmd = buildSpoolerCommand(this.name, file, opts.title ?? 'ShopFleet');
    try {
      await new Promise<void>((resolve, reject) => {
        execFile(cmd.file, cmd.args, { env: { ...process.env, ...cmd.env }, timeout: opts.timeoutMs, killSignal: 'SIGKILL', windowsHide: true }, (err, _stdout, stderr) => {
          if (!err) return resolve();
          if ((err as { killed?: boolean }).killed) reject(new PrintFailure('timeout', `${opts.timeoutMs} ms`));
          else reject(new PrintFailure('spooler_failed', String(stderr || err.message).trim().slice(0, 300)));
        });
      });
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  }
}
