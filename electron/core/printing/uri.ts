// Printer addresses: tcp://HOST:9100 | usb:/dev/usb/lp0 | cups:QUEUE | spooler:NAME | component:NAME[?printer=P],
// parsed once so every caller (validation, transports, CLI) agrees on what a printer URI means.
import path from 'node:path';
export type PrinterAddress =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'usb'; path: string }
  | { kind: 'cups'; queue: string }
  | { kind: 'spooler'; name: string }
  | { kind: 'component'; component: PrintComponent; printer?: string }
  /** A virtual printer: each job's output becomes a file in this folder (transports/folder.ts). */
  | { kind: 'folder'; dir: string };

export const PRINT_COMPONENTS = ['cainiao', 'pdd', 'douyin', 'kuaishou', 'jd'] as const;
export type PrintComponent = (typeof PRINT_COMPONENTS)[number];

export class PrinterUriError extends Error {
  override name = 'PrinterUriError';
}

const USAGE = '打印机地址应为 tcp://主机:9100、usb:/dev/usb/lp0、cups:队列名、spooler:打印机名 或 component:cainiao|pdd|douyin|kuaishou|jd';

/** Parses a printer URI, or throws PrinterUriError with a message that says what a valid one looks like. */
export function parsePrinterUri(uri: string): PrinterAddress {
  const text = uri.trim();
  const colon = text.indexOf(':');
  if (colon <= 0 || !/^[a-z][a-z0-9+.-]*$/i.test(text.slice(0, colon))) throw new PrinterUriError(`无法识别的打印机地址 "${uri}"。${USAGE}`);
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  switch (scheme) {
    case 'tcp': {
      // WHATWG URL parses host, IPv6 brackets and port, and rejects junk.
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        throw new PrinterUriError(`网络打印机地址 "${uri}" 无效，应为 tcp://主机:端口，例如 tcp://192.168.1.50:9100`);
      }
      if (!url.hostname || (url.pathname !== '' && url.pathname !== '/') || url.search || url.username) {
        throw new PrinterUriError(`网络打印机地址 "${uri}" 无效，应为 tcp://主机:端口，例如 tcp://192.168.1.50:9100`);
      }
      const port = url.port === '' ? 9100 : Number(url.port);
      return { kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port };
    }
    case 'usb':
      return { kind: 'usb', path: parseDevicePath(rest, uri) };
    case 'cups': {
      // lpadmin printer names: no spaces, slashes, '#' or control characters.
      if (!/^[^\s/#\\\x00-\x1f\x7f]{1,127}$/.test(rest)) throw new PrinterUriError(`CUPS 队列名 "${rest}" 无效（不能为空，不能含空格、/ 或 #）`);
      return { kind: 'cups', queue: rest };
    }
    case 'spooler': {
      // Windows queue names may hold spaces, brackets and Chinese ("GP-1324D(USB)", "得力…").
      if (rest.trim() === '' || /[\x00-\x1f]/.test(rest) || rest.length > 220) throw new PrinterUriError(`Windows 打印机名 "${rest}" 无效`);
      return { kind: 'spooler', name: rest };
    }
    case 'component': {
      // component:NAME[?printer=PRINTER] — the printer is the component's own (Windows) queue name; none = its default.
      const q = rest.indexOf('?');
      const c = (q < 0 ? rest : rest.slice(0, q)).toLowerCase();
      if (!(PRINT_COMPONENTS as readonly string[]).includes(c)) throw new PrinterUriError(`未知的打印组件 "${rest}"（可选：${PRINT_COMPONENTS.join('、')}）`);
      if (q < 0) return { kind: 'component', component: c as PrintComponent };
      const m = /^printer=(.*)$/s.exec(rest.slice(q + 1));
      if (!m) throw new PrinterUriError(`打印组件地址 "${uri}" 无效，应为 component:${c} 或 component:${c}?printer=打印机名`);
      let printer: string;
      try {
        printer = decodeURIComponent(m[1] ?? '');
      } catch {
        printer = m[1] ?? '';
      }
      if (printer.trim() === '' || /[\x00-\x1f]/.test(printer) || printer.length > 220) throw new PrinterUriError(`打印组件里的打印机名 "${printer}" 无效`);
      return { kind: 'component', component: c as PrintComponent, printer };
    }
    case 'folder':
      return { kind: 'folder', dir: parseFolderPath(rest, uri) };
    default:
      throw new PrinterUriError(`不支持的打印机地址类型 "${scheme}:"。${USAGE}`);
  }
}

/** Windows device namespace names of printer ports; reserved names that can never be a file. */
const WINDOWS_PORT = /^\\\\\.\\(COM[1-9]\d{0,2}|LPT[1-9]|USB\d{3})$/i;
/** Kernel memory and I/O-port devices: character devices, but writing label bytes there harms the machine. */
const NEVER_DEVICES = new Set(['/dev/mem', '/dev/kmem', '/dev/port']);

/**
 * The device file of a `usb:` address. Printers and serial ports live in /dev on Linux and macOS
 * (/dev/usb/lp0, /dev/lp0, /dev/ttyUSB0, /dev/ttyACM0, /dev/cu.usbserial-…) and in the \\.\ device
 * namespace on Windows (\\.\COM3, \\.\LPT1, \\.\USB001); a path anywhere else is a file, not a
 * printer, and writing labels to it would overwrite it. Whether the path is a character device is
 * checked when the printer is saved and again on the opened handle before every send (device.ts).
 */
function parseDevicePath(rest: string, uri: string): string {
  const example = '例如 usb:/dev/usb/lp0（Linux）、usb:/dev/cu.usbserial-1410（macOS）、usb:\\\\.\\COM3（Windows）';
  const win = WINDOWS_PORT.exec(rest);
  if (win) return `\\\\.\\${(win[1] ?? '').toUpperCase()}`;
  if (!rest.startsWith('/') && !rest.startsWith('\\') && !/^[A-Za-z]:/.test(rest)) throw new PrinterUriError(`USB 打印机地址 "${uri}" 应写设备文件的完整路径，${example}`);
  if (/[\x00-\x1f\x7f]/.test(rest)) throw new PrinterUriError(`USB 打印机地址 "${uri}" 含控制字符`);
  // normalize: "/dev/../home/x" and "/dev//x" are refused rather than resolved into something else.
  if (!rest.startsWith('/dev/') || rest.length <= 5 || rest.endsWith('/') || path.posix.normalize(rest) !== rest) {
    throw new PrinterUriError(`USB 打印机地址 "${uri}" 不是打印机设备：地址只能是设备文件，不能是普通文件或文件夹，${example}`);
  }
  if (NEVER_DEVICES.has(rest)) throw new PrinterUriError(`USB 打印机地址 "${uri}" 是内核内存设备，不是打印机，${example}`);
  return rest;
}

/**
 * The folder of a `folder:` address: an absolute path (the station cannot know what a relative one
 * is relative to), without control characters, written in its normal form so one folder is one printer.
 */
function parseFolderPath(rest: string, uri: string): string {
  const example = '例如 folder:/home/me/labels 或 folder:C:\\labels';
  if (rest.trim() === '' || /[\x00-\x1f\x7f]/.test(rest) || rest.length > 1000) throw new PrinterUriError(`文件夹打印机地址 "${uri}" 无效，${example}`);
  const windows = /^[A-Za-z]:[\\/]|^\\\\[^\\]/.test(rest);
  if (!windows && !rest.startsWith('/')) throw new PrinterUriError(`文件夹打印机地址 "${uri}" 应写文件夹的完整路径，${example}`);
  const normal = windows ? path.win32.normalize(rest) : path.posix.normalize(rest);
  // A trailing separator is dropped, except from a root ("/", "C:\\"), which would change meaning.
  const root = windows ? path.win32.parse(normal).root : '/';
  return normal.length > root.length ? normal.replace(/[\\/]+$/, '') : normal;
}

/** The canonical text of an address (what is stored), so "TCP://h" and "tcp://h:9100" are one printer. */
export function formatPrinterUri(a: PrinterAddress): string {
  switch (a.kind) {
    case 'tcp':
      return `tcp://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
    case 'usb':
      return `usb:${a.path}`;
    case 'cups':
      return `cups:${a.queue}`;
    case 'spooler':
      return `spooler:${a.name}`;
    case 'component':
      return a.printer ? `component:${a.component}?printer=${encodeURIComponent(a.printer)}` : `component:${a.component}`;
    case 'folder':
      return `folder:${a.dir}`;
  }
}
