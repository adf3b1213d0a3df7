// Printer URIs: the four transports (and the print components) parse, junk is refused in words.
import { describe, expect, it } from 'vitest';
import { formatPrinterUri, parsePrinterUri, PrinterUriError } from './uri.ts';

describe('parsePrinterUri', () => {
  it('parses every kind', () => {
    expect(parsePrinterUri('tcp://192.168.1.50:9100')).toEqual({ kind: 'tcp', host: '192.168.1.50', port: 9100 });
    expect(parsePrinterUri('TCP://printer.local')).toEqual({ kind: 'tcp', host: 'printer.local', port: 9100 });
    expect(parsePrinterUri('tcp://[fe80::1]:9101')).toEqual({ kind: 'tcp', host: 'fe80::1', port: 9101 });
    expect(parsePrinterUri('usb:/dev/usb/lp0')).toEqual({ kind: 'usb', path: '/dev/usb/lp0' });
    expect(parsePrinterUri('cups:LABEL_RAW')).toEqual({ kind: 'cups', queue: 'LABEL_RAW' });
    expect(parsePrinterUri('spooler:得力 DL-888(USB)')).toEqual({ kind: 'spooler', name: '得力 DL-888(USB)' });
    expect(parsePrinterUri('component:cainiao')).toEqual({ kind: 'component', component: 'cainiao' });
  });

  it('formats back to one canonical spelling', () => {
    expect(formatPrinterUri(parsePrinterUri('TCP://10.0.0.5'))).toBe('tcp://10.0.0.5:9100');
    expect(formatPrinterUri(parsePrinterUri('tcp://[fe80::1]:9101'))).toBe('tcp://[fe80::1]:9101');
    expect(formatPrinterUri(parsePrinterUri('usb:/dev/usb/lp1'))).toBe('usb:/dev/usb/lp1');
  });

  it.each([
    ['10.0.0.5:9100', '无法识别'],
    ['tcp://10.0.0.5:99999', '无效'],
    ['tcp://10.0.0.5:9100/path', '无效'],
    ['tcp://', '无效'],
    ['usb:lp0', '完整路径'],
    ['cups:my queue', '队列名'],
    ['cups:', '队列名'],
    ['spooler:', '打印机名'],
    ['component:taobao', '未知的打印组件'],
    ['ipp://host/printers/x', '不支持'],
  ])('refuses %s', (uri, words) => {
    expect(() => parsePrinterUri(uri)).toThrow(PrinterUriError);
    expect(() => parsePrinterUri(uri)).toThrow(words);
  });
});
