// Picks the transport for a printer row from its URI and language.
import { componentTransport } from '../components/transport.ts';
import type { PrinterLang } from '../status.ts';
import { PrintFailure } from '../failure.ts';
import { parsePrinterUri, PrinterUriError, type PrinterAddress } from '../uri.ts';
import { CupsTransport } from './cups.ts';
import { DeviceFileTransport } from './device.ts';
import { FolderTransport } from './folder.ts';
import { SpoolerTransport } from './spooler.ts';
import { TcpTransport } from './tcp.ts';
import type { PrinterTransport } from './transport.ts';

/**
 * Throws PrintFailure when the stored address cannot be used: a row saved before the address rules
 * were tightened (a `usb:` path outside /dev) fails its jobs with the reason, and nothing is written.
 */
export function transportForUri(uri: string, lang: PrinterLang): PrinterTransport {
  let a: PrinterAddress;
  try {
    a = parsePrinterUri(uri);
  } catch (err) {
    if (err instanceof PrinterUriError) throw new PrintFailure(/^usb:/i.test(uri.trim()) ? 'not_a_device' : 'unsupported', err.message);
    throw err;
  }
  switch (a.kind) {
    case 'tcp':
      return new TcpTransport({ host: a.host, port: a.port, lang });
    case 'usb':
      return new DeviceFileTransport(a.path);
    case 'cups':
      return new CupsTransport({ queue: a.queue, raw: lang !== 'pdf' });
    case 'spooler':
      return new SpoolerTransport(a.name, { lang });
    case 'component':
      // The platform print components over their local WebSocket protocols (components/).
      return componentTransport(a.component, a.printer);
    case 'folder':
      return new FolderTransport(a.dir, lang);
  }
}
