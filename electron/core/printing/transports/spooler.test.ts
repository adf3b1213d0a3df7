// The Windows spooler transport, on a Linux machine where neither PowerShell nor SumatraPDF can run:
// the RAW command line is built and checked here; the PDF path runs the real pdf-to-printer with
// its `sumatraPdfPath` pointed at a stand-in SumatraPDF (a shell script that records its command
// line and the file it was given, fails or hangs on demand), and os.platform() reporting win32 so
// pdf-to-printer's own Windows check lets it through. What the real SumatraPDF and a real Windows
// driver do with the job is not tested here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PrintFailure } from '../failure.ts';
import { transportForUri } from './for-printer.ts';
import { buildSpoolerCommand, pdfPrintFailure, pdfPrintOptions, SPOOLER_SCRIPT, SpoolerTransport } from './spooler.ts';
import { rejectedWith } from '../../../testkit/results.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-spooler-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const failureOf = (p: Promise<unknown>): Promise<PrintFailure> => rejectedWith(p, PrintFailure);

/**
 * Points os.tmpdir() (where the transport writes its job file) at a fresh folder of this test's, so
 * "nothing left behind" is checked on that folder alone, whatever else runs on the machine.
 */
function ownTempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(tmp, `${tag}-`));
  vi.spyOn(os, 'tmpdir').mockReturnValue(dir);
  return dir;
}

let labelPdf: Buffer;
beforeAll(async () => {
  // One 76×130 mm waybill page, the size the label engine makes.
  const doc = await PDFDocument.create();
  doc.addPage([(76 / 25.4) * 72, (130 / 25.4) * 72]).drawText('SF1234567890');
  labelPdf = Buffer.from(await doc.save());
});

describe('Windows spooler RAW (PowerShell; built and checked here, runs only on Windows)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('passes the printer name and file in env, never inside the script', () => {
    const name = '得力 DL-888"; Remove-Item C:\\ -Recurse #(USB)';
    const cmd = buildSpoolerCommand(name, 'C:\\Temp\\job.prn', 'waybill-1');
    expect(cmd.file).toBe('powershell.exe');
    expect(cmd.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    const script = Buffer.from(cmd.args[5]!, 'base64').toString('utf16le');
    expect(script).toBe(SPOOLER_SCRIPT);
    expect(script).not.toContain(name);
    expect(script).toContain('pDatatype = "RAW"');
    expect(script).toContain('$env:SHOPFLEET_PRINTER');
    expect(cmd.env).toEqual({ SHOPFLEET_PRINTER: name, SHOPFLEET_PRINT_FILE: 'C:\\Temp\\job.prn', SHOPFLEET_PRINT_TITLE: 'waybill-1' });
  });

  it('refuses off Windows with a reason in words, RAW and PDF alike', async () => {
    for (const lang of ['tspl', 'pdf'] as const) {
      const f = await failureOf(new SpoolerTransport('GP-1324D', { lang, platform: 'linux' }).send(Buffer.from('PRINT 1\r\n'), { timeoutMs: 1000 }));
      expect(f.reason).toBe('unsupported');
    }
    expect(transportForUri('spooler:GP-1324D', 'tspl').describe).toBe('spooler GP-1324D');
    expect(transportForUri('spooler:HP LaserJet', 'pdf').describe).toBe('spooler HP LaserJet (PDF)');
  });

  it('a RAW language on Windows goes to PowerShell, never to SumatraPDF (no powershell.exe here: it fails, and cleans up)', async () => {
    const sumatra = standInSumatra('never-called', 'touch "$RECORD.called"');
    const dir = ownTempDir('raw');
    const f = await failureOf(new SpoolerTransport('GP-1324D', { lang: 'tspl', platform: 'win32', sumatraPdfPath: sumatra.file }).send(Buffer.from('PRINT 1\r\n'), { timeoutMs: 2000 }));
    expect(f.reason).toBe('spooler_failed');
    expect(f.message).toMatch(/powershell\.exe/);
    expect(fs.existsSync(`${sumatra.record}.called`)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

interface StandIn {
  file: string;
  /** Where the stand-in writes its arguments, one a line; `<record>.pdf` gets a copy of the file it printed. */
  record: string;
}

/** A stand-in SumatraPDF: records its arguments and a copy of the PDF it was given, then runs `then`. */
function standInSumatra(tag: string, then = 'exit 0'): StandIn {
  const file = path.join(tmp, `SumatraPDF-${tag}.sh`);
  const record = path.join(tmp, `${tag}.args`);
  fs.writeFileSync(
    file,
    ['#!/bin/sh', `RECORD='${record}'`, 'for a in "$@"; do printf "%s\\n" "$a"; done > "$RECORD"', 'for a in "$@"; do last="$a"; done', 'cp "$last" "$RECORD.pdf"', then, ''].join('\n'),
    { mode: 0o755 },
  );
  return { file, record };
}

describe('Windows spooler PDF (real pdf-to-printer, stand-in SumatraPDF script; the real SumatraPDF runs only on Windows)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  // pdf-to-printer asks os.platform() itself and refuses anything but win32.
  const onWindows = () => vi.spyOn(os, 'platform').mockReturnValue('win32');

  it('prints to the named printer silently at the label’s own size, with the exact PDF, and removes the temp file', async () => {
    onWindows();
    const sumatra = standInSumatra('ok');
    const printer = '得力 DL-888(USB) "二楼"';
    const dir = ownTempDir('ok');
    await new SpoolerTransport(printer, { lang: 'pdf', platform: 'win32', sumatraPdfPath: sumatra.file }).send(labelPdf, { timeoutMs: 5000, title: 'waybill-019a 面单' });
    const args = fs.readFileSync(sumatra.record, 'utf8').split('\n').slice(0, -1);
    expect(args.slice(0, -1)).toEqual(['-print-to', printer, '-silent', '-print-settings', 'noscale']);
    const printed = args.at(-1)!;
    expect(path.dirname(printed)).toBe(dir);
    expect(path.basename(printed)).toMatch(/^shopfleet-waybill-019a_-[0-9a-f-]{36}\.pdf$/);
    expect(fs.readFileSync(`${sumatra.record}.pdf`).equals(labelPdf)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('SumatraPDF failing is spooler_failed naming the printer and exit code; the temp file is removed', async () => {
    onWindows();
    const sumatra = standInSumatra('fails', 'echo "driver refused" >&2; exit 3');
    const dir = ownTempDir('fails');
    const f = await failureOf(new SpoolerTransport('HP LaserJet M1136', { lang: 'pdf', platform: 'win32', sumatraPdfPath: sumatra.file }).send(labelPdf, { timeoutMs: 5000 }));
    expect(f.reason).toBe('spooler_failed');
    expect(f.message).toContain('系统打印队列拒绝了任务');
    expect(f.message).toContain('退出码 3');
    expect(f.message).toContain('HP LaserJet M1136');
    expect(f.message).toContain('driver refused');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('SumatraPDF that never finishes is a timeout; the temp file is still removed', async () => {
    onWindows();
    const sumatra = standInSumatra('hangs', 'sleep 2');
    const dir = ownTempDir('hangs');
    // 'timeout' (not a finished print) proves the wait was cut: the stand-in would exit 0 after 2 s.
    const f = await failureOf(new SpoolerTransport('GP-1324D', { lang: 'pdf', platform: 'win32', sumatraPdfPath: sumatra.file }).send(labelPdf, { timeoutMs: 300 }));
    expect(f.reason).toBe('timeout');
    expect(f.message).toContain('超时');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('after a timeout, a temp file Windows will not delete yet (SumatraPDF still has it open) goes once SumatraPDF exits', async () => {
    onWindows();
    const sumatra = standInSumatra('hangs-locked', 'sleep 1');
    const dir = ownTempDir('hangs-locked');
    const realRm = fs.promises.rm;
    // The first removal fails the way Windows fails on an open file.
    vi.spyOn(fs.promises, 'rm').mockImplementationOnce(async () => {
      throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
    }).mockImplementation(realRm);
    const f = await failureOf(new SpoolerTransport('GP-1324D', { lang: 'pdf', platform: 'win32', sumatraPdfPath: sumatra.file }).send(labelPdf, { timeoutMs: 200 }));
    expect(f.reason).toBe('timeout');
    expect(fs.readdirSync(dir)).toHaveLength(1);
    await vi.waitFor(() => expect(fs.readdirSync(dir)).toEqual([]), { timeout: 4000, interval: 50 });
  });

  it('a missing SumatraPDF (not unpacked from the asar) says so in words', async () => {
    onWindows();
    const missing = path.join(tmp, 'no-such', 'SumatraPDF-3.4.6-32.exe');
    const dir = ownTempDir('missing');
    const f = await failureOf(new SpoolerTransport('GP-1324D', { lang: 'pdf', platform: 'win32', sumatraPdfPath: missing }).send(labelPdf, { timeoutMs: 5000 }));
    expect(f.reason).toBe('spooler_failed');
    expect(f.message).toContain('找不到 PDF 打印程序 SumatraPDF');
    expect(f.message).toContain(missing);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('asks for noscale and silence, and uses the bundled SumatraPDF unless told otherwise', () => {
    expect(pdfPrintOptions('GP-1324D')).toEqual({ printer: 'GP-1324D', silent: true, scale: 'noscale' });
    expect(pdfPrintOptions('GP-1324D', 'C:\\x\\SumatraPDF.exe')).toMatchObject({ sumatraPdfPath: 'C:\\x\\SumatraPDF.exe' });
    expect(pdfPrintFailure('Operating System not supported', 'x').reason).toBe('spooler_failed');
    expect(pdfPrintFailure(new PrintFailure('timeout'), 'x').reason).toBe('timeout');
  });

  it('pdf-to-printer ships the SumatraPDF it runs (what electron-builder must unpack from the asar)', async () => {
    const dist = path.join(process.cwd(), 'node_modules', 'pdf-to-printer', 'dist');
    expect(fs.readdirSync(dist).filter((f) => f.endsWith('.exe'))).toEqual([expect.stringMatching(/^SumatraPDF-[\d.]+-32\.exe$/)]);
  });
});
