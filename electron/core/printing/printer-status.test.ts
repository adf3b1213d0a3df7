// The printers page's status line: ready, a problem in words, one-way links, unreachable printers.
import { afterEach, describe, expect, it } from 'vitest';
import { refusedPort, startCaptureServer, type CaptureServer } from '../../sandbox/printing/capture-server.ts';
import { printerStatusOf } from './printer-status.ts';
import type { Printer } from './printers.ts';

const printer = (uri: string, lang: Printer['lang'] = 'tspl', settings: Printer['settings'] = {}): Printer => ({ id: 'p', name: 'P', uri, lang, dpi: 203, documents: [], settings, paused: false, createdAt: 0 });
let server: CaptureServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('printerStatusOf', () => {
  it('asks a network printer in its language', async () => {
    server = await startCaptureServer({ lang: 'escpos' });
    expect(await printerStatusOf(printer(server.uri, 'escpos'))).toMatchObject({ kind: 'status', words: '就绪', status: { ready: true } });
    server.mode = 'paper_out';
    expect(await printerStatusOf(printer(server.uri, 'escpos'))).toMatchObject({ kind: 'status', words: '缺纸', status: { ready: false } });
    expect(server.jobs).toHaveLength(0);
  });

  it('one-way links and disabled queries say they cannot tell', async () => {
    expect((await printerStatusOf(printer('usb:/dev/usb/lp0'))).kind).toBe('one_way');
    expect((await printerStatusOf(printer('cups:Q'))).kind).toBe('one_way');
    expect((await printerStatusOf(printer('tcp://127.0.0.1:9', 'pdf'))).kind).toBe('one_way');
    expect((await printerStatusOf(printer('tcp://127.0.0.1:9', 'tspl', { statusQuery: false }))).kind).toBe('one_way');
  });

  it('unreachable printers: refused and timeout in words', async () => {
    expect(await printerStatusOf(printer(`tcp://127.0.0.1:${await refusedPort()}`))).toMatchObject({ kind: 'unreachable', reason: 'refused' });
    server = await startCaptureServer({ mode: 'hang' });
    const r = await printerStatusOf(printer(server.uri), { timeoutMs: 200 });
    expect(r).toMatchObject({ kind: 'unreachable', reason: 'timeout' });
    expect(r.words).toContain('超时');
  });
});
