// printers.discover: the printers this machine can reach without configuration. On Windows, the
// printers Windows knows (`Get-Printer` through Windows PowerShell 5.1, present on every Windows
// 10/11), offered as `spooler:NAME`, the virtual ones (Print to PDF, XPS, OneNote, Fax) left out.
// Elsewhere, CUPS queues (`lpstat -e` names them, `lpstat -v` says what device each one is) where
// CUPS is installed, and USB printer device files /dev/usb/lp*. Each comes with the printer
// language its name, driver or device suggests, so adding it starts from the likely choice. No
// network scan.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DiscoveredPrinter, PrinterLanguage } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import type { Db } from '../db/open.ts';
import { listPrinters } from './printers.ts';
import { formatPrinterUri, parsePrinterUri } from './uri.ts';

/** A command's output, or why there is none (its first line of stderr, a timeout, a missing program). */
function run(file: string, args: string[], timeoutMs: number, env: Record<string, string>): Promise<{ out: string } | { why: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8', windowsHide: true, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      if (!err) return resolve({ out: stdout });
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      const said = firstErrorLine(String(stderr ?? ''));
      resolve({ why: e.code === 'ENOENT' ? `${file} not found` : e.killed ? `no answer within ${timeoutMs} ms` : (said ?? e.message) });
    });
  });
}
/**
 * The first line a failing command said on stderr. Windows PowerShell with redirected streams may
 * write its errors as CLIXML ("#< CLIXML" then <Objs>…<S S="Error">text_x000D__x000A_</S>);
 * the words are inside the Error elements.
 */
export function firstErrorLine(stderr: string): string | undefined {
  let text = stderr;
  if (/^\s*#< CLIXML/.test(text)) {
    const decode = (s: string) =>
      s
        .replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&');
    text = [...text.matchAll(/<S S="Error">([\s\S]*?)<\/S>/g)].map((m) => decode(m[1] as string)).join('');
  }
  return text.split('\n').map((l) => l.trim()).find(Boolean);
}

const outOf = (r: { out: string } | { why: string }): string => ('out' in r ? r.out : '');

/** `lpstat -v` lines: "device for QUEUE: URI" (LANG=C so the words are English). */
export function parseLpstatDevices(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^device for ([^:]+):\s*(.*)$/.exec(line.trim());
    if (m) out.set(m[1] as string, (m[2] as string).trim());
  }
  return out;
}

/**
 * The printer language a queue's name, driver or device URI suggests, or null. Receipt printers
 * first, since the label brands also sell 58/80 mm receipt models under the same prefixes (GP-5890X,
 * XP-58, XP-80C, "POS-58" drivers); Epson's XP- are home inkjets, not Xprinter, and only its TM
 * series is a receipt printer. Only a guess that pre-fills the add form: the operator can change it.
 */
export function guessPrinterLang(...texts: (string | null | undefined)[]): PrinterLanguage | null {
  const t = texts.filter(Boolean).join(' ');
  if (/\bEPSON\b/i.test(t)) return /\bTM-?[A-Z]?\d/i.test(t) ? 'escpos' : null;
  if (/\bPOS-?(?:58|76|80)|\b(?:GP|XP)-?(?:58|76|80)\d*[A-Z]*\b|ESC\/?POS|小票/i.test(t)) return 'escpos';
  if (/Zebra|ZDesigner|\bZPL\b/i.test(t)) return 'zpl';
  if (/\bTSC\b|TSPL|\bTTP-|Gprinter|佳博|\bGP-?\d|Xprinter|芯烨|\bXP-?\d|HPRT|汉印|\bDeli\b|得力|快麦|Kuaimai|启锐|QIRUI/i.test(t)) return 'tspl';
  return null;
}

/**
 * The script that lists Windows printers as JSON. Output forced to UTF-8 without a BOM (the console
 * default is the OEM code page, GBK on Chinese Windows, which would garble Chinese queue and driver
 * names on the way to Node). A failure is written as its plain message and exit 1: left to itself,
 * PowerShell 5.1 with redirected streams would serialise the error record as CLIXML.
 */
export const WINDOWS_PRINTERS_SCRIPT = `$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false
try {
  Get-Printer | Select-Object Name,DriverName,PortName,PrinterStatus,Type | ConvertTo-Json -Compress
} catch {
  [Console]::Error.WriteLine($_.Exception.Message)
  exit 1
}`;

/** Windows PowerShell 5.1 running WINDOWS_PRINTERS_SCRIPT, passed as -EncodedCommand (UTF-16LE base64) so nothing needs quoting. */
export function buildWindowsPrintersCommand(powershell = 'powershell.exe'): { file: string; args: string[] } {
  return {
    file: powershell,
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(WINDOWS_PRINTERS_SCRIPT, 'utf16le').toString('base64')],
  };
}

export interface WindowsPrinter {
  name: string;
  driver: string;
  port: string;
}

/**
 * Get-Printer's JSON: an array, or a bare object when there is exactly one printer (ConvertTo-Json
 * unwraps single items), or nothing at all when there are none. Rows without a name are dropped.
 */
export function parseWindowsPrinters(json: string): WindowsPrinter[] {
  const text = json.replace(/^\uFEFF/, '').trim();
  if (text === '') return [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  const rows = Array.isArray(data) ? data : [data];
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const out: WindowsPrinter[] = [];
  for (const row of rows) {
    if (!row || typeof row !== 'object') continue;
    const r = row as Record<string, unknown>;
    const name = str(r.Name);
    if (name) out.push({ name, driver: str(r.DriverName), port: str(r.PortName) });
  }
  return out;
}

/**
 * Printers that are not printers: Microsoft Print to PDF, XPS Document Writer, OneNote, Fax
 * (docs/printing/transports.md#windows), known by name, driver or their special ports.
 */
export function isVirtualWindowsPrinter(p: WindowsPrinter): boolean {
  return /print to pdf|\bXPS\b|OneNote|\bFax\b/i.test(`${p.name} ${p.driver}`) || /^(PORTPROMPT:|SHRFAX:|XPSPort:)/i.test(p.port);
}

/** A Windows printer as a discovery row: spooler:NAME, a driver-rendered PDF printer unless its name or driver says label/receipt. */
export function windowsPrinterFound(p: WindowsPrinter, known: Map<string, string>): DiscoveredPrinter | null {
  let uri: string;
  try {
    uri = formatPrinterUri(parsePrinterUri(`spooler:${p.name}`));
  } catch {
    return null; // a name the address rules refuse (control characters, too long) cannot be added anyway
  }
  return {
    uri,
    name: p.name,
    source: 'spooler',
    detail: [p.driver, p.port].filter(Boolean).join(' · '),
    // An unknown Windows printer gets PDF: its driver renders it, where RAW label commands would print as garbage.
    lang: guessPrinterLang(p.name, p.driver) ?? 'pdf',
    printerId: known.get(uri) ?? null,
  };
}

export interface DiscoverOptions {
  platform?: NodeJS.Platform;
  lpstat?: string;
  usbDir?: string;
  /** Windows PowerShell to run (tests use a stand-in script). */
  powershell?: string;
  timeoutMs?: number;
}

export async function discoverPrinters(db: Db, opts: DiscoverOptions = {}): Promise<DiscoveredPrinter[]> {
  const known = new Map(listPrinters(db).map((p) => [p.uri, p.id]));
  if ((opts.platform ?? process.platform) === 'win32') {
    const cmd = buildWindowsPrintersCommand(opts.powershell);
    // PowerShell plus the PrintManagement module take a few seconds to start on a slow station.
    const r = await run(cmd.file, cmd.args, opts.timeoutMs ?? 15_000, {});
    // Every Windows station has a spooler: an empty answer here hides a problem, so it is said.
    if ('why' in r) {
      throw reasonError(
        'printer.discovery_failed',
        { why: r.why },
        `Could not read the Windows printer list (Get-Printer: ${r.why}). Check that the Print Spooler service runs, or add spooler:<printer name> by hand`,
      );
    }
    return parseWindowsPrinters(r.out)
      .filter((p) => !isVirtualWindowsPrinter(p))
      .map((p) => windowsPrinterFound(p, known))
      .filter((p): p is DiscoveredPrinter => p !== null)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }
  const lpstat = opts.lpstat ?? process.env.SHOPFLEET_LPSTAT ?? 'lpstat';
  const timeoutMs = opts.timeoutMs ?? 3000;
  const cEnv = { LANG: 'C', LC_ALL: 'C' };
  const [queues, devices] = await Promise.all([run(lpstat, ['-e'], timeoutMs, cEnv), run(lpstat, ['-v'], timeoutMs, cEnv)]);
  // No CUPS (lpstat missing) or no scheduler running: nothing to list there, not an error — USB may still have printers.
  const deviceOf = parseLpstatDevices(outOf(devices));
  const names = new Set(outOf(queues).split('\n').map((l) => l.trim()).filter(Boolean));
  for (const n of deviceOf.keys()) names.add(n);
  const found: DiscoveredPrinter[] = [...names].sort().map((name) => {
    const device = deviceOf.get(name) ?? '';
    // A cups-pdf queue writes PDF files: the PDF path is the only one that makes sense for it.
    const lang = /^cups-pdf:/.test(device) ? 'pdf' : guessPrinterLang(name, device);
    return { uri: `cups:${name}`, name, source: 'cups', detail: device, lang, printerId: known.get(`cups:${name}`) ?? null };
  });
  const usbDir = opts.usbDir ?? '/dev/usb';
  const entries = await fs.readdir(usbDir).catch(() => [] as string[]);
  for (const e of entries.filter((n) => /^lp\d+$/.test(n)).sort()) {
    const file = path.join(usbDir, e);
    found.push({ uri: `usb:${file}`, name: `USB ${e}`, source: 'usb', detail: file, lang: null, printerId: known.get(`usb:${file}`) ?? null });
  }
  return found;
}
