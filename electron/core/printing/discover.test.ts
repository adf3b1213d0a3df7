// printers.discover against a stand-in lpstat (a shell script printing what CUPS prints) and a
// temp directory standing in for /dev/usb: CUPS queues with their devices, USB device files, the
// printers already added marked, and nothing at all when CUPS is absent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../api/test-fixtures.ts';
import { discoverPrinters, parseLpstatDevices } from './discover.ts';
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
    const found = await discoverPrinters(fx.db, { lpstat, usbDir: usb });
    expect(found).toEqual([
      { uri: 'cups:GP1324D', name: 'GP1324D', source: 'cups', detail: 'socket://10.0.0.5:9100', printerId: added.id },
      { uri: 'cups:PDF', name: 'PDF', source: 'cups', detail: 'cups-pdf:/', printerId: null },
      { uri: `usb:${usb}/lp0`, name: 'USB lp0', source: 'usb', detail: `${usb}/lp0`, printerId: null },
      { uri: `usb:${usb}/lp1`, name: 'USB lp1', source: 'usb', detail: `${usb}/lp1`, printerId: null },
    ]);
  });

  it('finds nothing, without failing, where there is no CUPS and no USB printer', async () => {
    expect(await discoverPrinters(fx.db, { lpstat: path.join(dir, 'no-such-lpstat'), usbDir: path.join(dir, 'none') })).toEqual([]);
  });
});
