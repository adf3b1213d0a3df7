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

  it('accepts the printer and serial device paths of Linux, macOS and Windows', () => {
    for (const p of ['/dev/usb/lp0', '/dev/lp1', '/dev/ttyUSB0', '/dev/ttyACM0', '/dev/serial/by-id/usb-Gprinter_GP-1324D-if00', '/dev/cu.usbserial-1410']) {
      expect(parsePrinterUri(`usb:${p}`)).toEqual({ kind: 'usb', path: p });
    }
    expect(parsePrinterUri('usb:\\\\.\\com3')).toEqual({ kind: 'usb', path: '\\\\.\\COM3' });
    expect(formatPrinterUri(parsePrinterUri('usb:\\\\.\\lpt1'))).toBe('usb:\\\\.\\LPT1');
    expect(formatPrinterUri(parsePrinterUri('usb:\\\\.\\USB001'))).toBe('usb:\\\\.\\USB001');
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
    // A usb: address is a device file: /dev on Linux and macOS, the \\.\ port names on Windows.
    ['usb:/home/shop/.config/shopfleet/station.db', '不是打印机设备'],
    ['usb:/tmp/labels.bin', '不是打印机设备'],
    ['usb:/dev/../home/shop/station.db', '不是打印机设备'],
    ['usb:/dev//usb/lp0', '不是打印机设备'],
    ['usb:/dev/', '不是打印机设备'],
    ['usb:/dev/usb/', '不是打印机设备'],
    ['usb:/dev/mem', '内核内存'],
    ['usb:C:\\Users\\shop\\station.db', '不是打印机设备'],
    ['usb:\\\\server\\share\\station.db', '不是打印机设备'],
    ['usb:\\\\.\\C:\\Users\\shop\\station.db', '不是打印机设备'],
    ['usb:\\\\.\\COM0', '不是打印机设备'],
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
