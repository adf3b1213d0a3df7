// printers.discover against a stand-in lpstat (a shell script printing what CUPS prints) and a
// temp directory standing in for /dev/usb: CUPS queues with their devices, USB device files, the
// printers already added marked, and nothing at all when CUPS is absent. The Windows listing: its
// PowerShell command and the parsing of Get-Printer's JSON checked here, and discovery run against a
// stand-in `powershell` script printing that JSON (real PowerShell and Get-Printer only run on Windows).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { buildWindowsPrintersCommand, discoverPrinters, firstErrorLine, guessPrinterLang, isVirtualWindowsPrinter, parseLpstatDevices, parseWindowsPrinters, WINDOWS_PRINTERS_SCRIPT } from './discover.ts';
import { addPrinter } from './printers.ts';

let fx: Fixture;
let dir: string;
beforeEach(() => {
  fx = openFixture(0);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-discover-'));
});
afterEach(() => {
  fx.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('discoverPrinters', () => {
  it('parses lpstat -v', () => {
    expect([...parseLpstatDevices('device for GP1324D: usb://Gprinter/GP-1324D?serial=1\ndevice for pdf: cups-pdf:/\nnoise\n')]).toEqual([
      ['GP1324D', 'usb://Gprinter/GP-1324D?serial=1'],
      ['pdf', 'cups-pdf:/'],
    ]);
  });

  it('lists CUPS queues and USB device files, marking the ones already added', async () => {
    const lpstat = path.join(dir, 'lpstat');
    fs.writeFileSync(lpstat, '#!/bin/sh\nif [ "$1" = "-e" ]; then printf "GP1324D\\nPDF\\n"; else printf "device for GP1324D: socket://10.0.0.5:9100\\ndevice for PDF: cups-pdf:/\\n"; fi\n', { mode: 0o755 });
    const usb = path.join(dir, 'usb');
    fs.mkdirSync(usb);
    for (const f of ['lp0', 'lp1', 'hiddev0']) fs.writeFileSync(path.join(usb, f), '');
    const added = addPrinter(fx.ctx(), { name: '佳博', uri: 'cups:GP1324D', lang: 'tspl' });
    const found = await discoverPrinters(fx.db, { platform: 'linux', lpstat, usbDir: usb });
    expect(found).toEqual([
      { uri: 'cups:GP1324D', name: 'GP1324D', source: 'cups', detail: 'socket://10.0.0.5:9100', lang: 'tspl', printerId: added.id },
      { uri: 'cups:PDF', name: 'PDF', source: 'cups', detail: 'cups-pdf:/', lang: 'pdf', printerId: null },
      { uri: `usb:${usb}/lp0`, name: 'USB lp0', source: 'usb', detail: `${usb}/lp0`, lang: null, printerId: null },
      { uri: `usb:${usb}/lp1`, name: 'USB lp1', source: 'usb', detail: `${usb}/lp1`, lang: null, printerId: null },
    ]);
  });

  it('finds nothing, without failing, where there is no CUPS and no USB printer', async () => {
    expect(await discoverPrinters(fx.db, { platform: 'linux', lpstat: path.join(dir, 'no-such-lpstat'), usbDir: path.join(dir, 'none') })).toEqual([]);
  });

  it('guesses the language from a name, driver or device', () => {
    expect(guessPrinterLang('GP-1324D(USB)', 'Gprinter GP-1324D')).toBe('tspl');
    expect(guessPrinterLang('二楼面单机', 'Xprinter XP-365B')).toBe('tspl');
    expect(guessPrinterLang('TSC TTP-244 Pro')).toBe('tspl');
    expect(guessPrinterLang('得力DL-888B')).toBe('tspl');
    expect(guessPrinterLang('ZDesigner ZD420-203dpi ZPL')).toBe('zpl');
    expect(guessPrinterLang('打包台', 'Zebra GK888t')).toBe('zpl');
    expect(guessPrinterLang('POS-58')).toBe('escpos');
    expect(guessPrinterLang('XP-80C')).toBe('escpos');
    expect(guessPrinterLang('Gprinter GP-5890X Series')).toBe('escpos');
    expect(guessPrinterLang('EPSON TM-T82III Receipt')).toBe('escpos');
    // Epson's XP- are inkjets, not Xprinter.
    expect(guessPrinterLang('EPSON XP-4100 Series')).toBeNull();
    expect(guessPrinterLang('HP LaserJet Pro M404dn', 'HP Universal Printing PCL 6')).toBeNull();
    expect(guessPrinterLang('GP1324D', 'usb://Gprinter/GP-1324D?serial=1')).toBe('tspl');
  });
});

// What `Get-Printer | Select-Object Name,DriverName,PortName,PrinterStatus,Type | ConvertTo-Json -Compress`
// prints on a Chinese Windows 11 packing station (PrinterStatus and Type are numbers in the JSON).
const WINDOWS_JSON = JSON.stringify([
  { Name: 'OneNote (Desktop)', DriverName: 'Send to Microsoft OneNote 16 Driver', PortName: 'nul:', PrinterStatus: 0, Type: 0 },
  { Name: 'Microsoft XPS Document Writer', DriverName: 'Microsoft XPS Document Writer v4', PortName: 'PORTPROMPT:', PrinterStatus: 0, Type: 0 },
  { Name: 'Microsoft Print to PDF', DriverName: 'Microsoft Print To PDF', PortName: 'PORTPROMPT:', PrinterStatus: 0, Type: 0 },
  { Name: 'Fax', DriverName: 'Microsoft Shared Fax Driver', PortName: 'SHRFAX:', PrinterStatus: 0, Type: 0 },
  { Name: 'GP-1324D(USB)', DriverName: 'Gprinter GP-1324D', PortName: 'USB001', PrinterStatus: 0, Type: 0 },
  { Name: '快递面单 二楼', DriverName: 'Xprinter XP-365B', PortName: 'USB002', PrinterStatus: 0, Type: 0 },
  { Name: 'ZDesigner ZD888-203dpi ZPL', DriverName: 'ZDesigner ZD888-203dpi ZPL', PortName: 'USB003', PrinterStatus: 0, Type: 0 },
  { Name: 'HP LaserJet Pro M404dn', DriverName: 'HP Universal Printing PCL 6', PortName: '192.168.1.23', PrinterStatus: 0, Type: 0 },
  // A printer shared from another PC (Type 1, a connection): its name is the UNC path.
  { Name: '\\\\财务室-PC\\佳能 LBP2900', DriverName: 'Canon LBP2900', PortName: 'USB001', PrinterStatus: 0, Type: 1 },
]);

describe('discoverPrinters on Windows', () => {
  it('lists printers with PowerShell 5.1, non-interactive, output in UTF-8', () => {
    const cmd = buildWindowsPrintersCommand();
    expect(cmd.file).toBe('powershell.exe');
    expect(cmd.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    const script = Buffer.from(cmd.args[5]!, 'base64').toString('utf16le');
    expect(script).toBe(WINDOWS_PRINTERS_SCRIPT);
    expect(script).toContain('[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false');
    expect(script.indexOf('OutputEncoding')).toBeLessThan(script.indexOf('Get-Printer'));
    expect(script).toContain('Get-Printer | Select-Object Name,DriverName,PortName,PrinterStatus,Type | ConvertTo-Json');
  });

  it('a failure comes back as its message, not as CLIXML', () => {
    // The script catches the error itself and writes only its message to stderr.
    expect(WINDOWS_PRINTERS_SCRIPT).toMatch(/try \{\s*Get-Printer[\s\S]*\} catch \{\s*\[Console\]::Error\.WriteLine\(\$_\.Exception\.Message\)\s*exit 1\s*\}/);
    // And should PowerShell still serialise an error (a failure before the try), its words are found.
    const clixml =
      '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">Get-Printer : 打印后台处理程序服务没有运行。_x000D__x000A_</S><S S="Error">所在位置 行:1 字符: 1_x000D__x000A_</S></Objs>';
    expect(firstErrorLine(clixml)).toBe('Get-Printer : 打印后台处理程序服务没有运行。');
    expect(firstErrorLine('#< CLIXML\n<Objs><S S="Error">A &amp; B &lt;x&gt;_x000A_</S></Objs>')).toBe('A & B <x>');
    expect(firstErrorLine('\n  plain words \nsecond')).toBe('plain words');
    expect(firstErrorLine('')).toBeUndefined();
  });

  it('parses an array, a single printer (ConvertTo-Json gives a bare object), none, a BOM and junk', () => {
    expect(parseWindowsPrinters(WINDOWS_JSON)).toHaveLength(9);
    expect(parseWindowsPrinters(JSON.stringify({ Name: '得力DL-888B(USB)', DriverName: 'Deli DL-888B', PortName: 'USB001', PrinterStatus: 0, Type: 0 }))).toEqual([
      { name: '得力DL-888B(USB)', driver: 'Deli DL-888B', port: 'USB001' },
    ]);
    expect(parseWindowsPrinters('\uFEFF[{"Name":"打印机","DriverName":null,"PortName":"LPT1:"}]\r\n')).toEqual([{ name: '打印机', driver: '', port: 'LPT1:' }]);
    expect(parseWindowsPrinters('')).toEqual([]);
    expect(parseWindowsPrinters('\r\n')).toEqual([]);
    expect(parseWindowsPrinters('Get-Printer : 打印后台处理程序服务没有运行。')).toEqual([]);
    expect(parseWindowsPrinters('[{"DriverName":"x"},null,3]')).toEqual([]);
  });

  it('knows the virtual printers', () => {
    const virtual = parseWindowsPrinters(WINDOWS_JSON).filter(isVirtualWindowsPrinter).map((p) => p.name);
    expect(virtual).toEqual(['OneNote (Desktop)', 'Microsoft XPS Document Writer', 'Microsoft Print to PDF', 'Fax']);
  });

  it('offers each real printer as spooler:NAME with its guessed language (PDF when unknown), marking the ones already added', async () => {
    const powershell = path.join(dir, 'powershell');
    fs.writeFileSync(path.join(dir, 'printers.json'), WINDOWS_JSON);
    // The stand-in records its arguments and prints what Get-Printer would.
    fs.writeFileSync(powershell, `#!/bin/sh\nprintf "%s\\n" "$@" > '${dir}/args'\ncat '${dir}/printers.json'\n`, { mode: 0o755 });
    const added = addPrinter(fx.ctx(), { name: '面单机', uri: 'spooler:GP-1324D(USB)', lang: 'tspl' });
    const found = await discoverPrinters(fx.db, { platform: 'win32', powershell });
    expect(fs.readFileSync(path.join(dir, 'args'), 'utf8').split('\n').slice(0, -1)).toEqual(buildWindowsPrintersCommand().args);
    // In the order of Chinese collation (pinyin; the UNC backslashes do not count).
    expect(found).toEqual([
      { uri: 'spooler:\\\\财务室-PC\\佳能 LBP2900', name: '\\\\财务室-PC\\佳能 LBP2900', source: 'spooler', detail: 'Canon LBP2900 · USB001', lang: 'pdf', printerId: null },
      { uri: 'spooler:快递面单 二楼', name: '快递面单 二楼', source: 'spooler', detail: 'Xprinter XP-365B · USB002', lang: 'tspl', printerId: null },
      { uri: 'spooler:GP-1324D(USB)', name: 'GP-1324D(USB)', source: 'spooler', detail: 'Gprinter GP-1324D · USB001', lang: 'tspl', printerId: added.id },
      { uri: 'spooler:HP LaserJet Pro M404dn', name: 'HP LaserJet Pro M404dn', source: 'spooler', detail: 'HP Universal Printing PCL 6 · 192.168.1.23', lang: 'pdf', printerId: null },
      { uri: 'spooler:ZDesigner ZD888-203dpi ZPL', name: 'ZDesigner ZD888-203dpi ZPL', source: 'spooler', detail: 'ZDesigner ZD888-203dpi ZPL · USB003', lang: 'zpl', printerId: null },
    ]);
  });

  it('says why when Get-Printer fails or PowerShell is missing, in words; never runs lpstat there', async () => {
    const failing = path.join(dir, 'powershell-fails');
    fs.writeFileSync(failing, '#!/bin/sh\necho "Get-Printer : 打印后台处理程序服务没有运行。" >&2\nexit 1\n', { mode: 0o755 });
    const lpstat = path.join(dir, 'lpstat');
    fs.writeFileSync(lpstat, `#!/bin/sh\ntouch '${dir}/lpstat-ran'\n`, { mode: 0o755 });
    await expect(discoverPrinters(fx.db, { platform: 'win32', powershell: failing, lpstat })).rejects.toMatchObject({
      code: 'INVALID_STATE',
      reason: 'printer.discovery_failed',
      details: { why: 'Get-Printer : 打印后台处理程序服务没有运行。' },
      message: expect.stringMatching(/^Could not read the Windows printer list \(Get-Printer: Get-Printer : 打印后台处理程序服务没有运行。\).*Print Spooler/),
    });
    await expect(discoverPrinters(fx.db, { platform: 'win32', powershell: path.join(dir, 'no-such-powershell'), lpstat })).rejects.toMatchObject({
      message: expect.stringContaining('no-such-powershell not found'),
    });
    expect(fs.existsSync(path.join(dir, 'lpstat-ran'))).toBe(false);
  });
});
