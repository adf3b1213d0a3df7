// Picks the transport for a printer row from its URI and language.
import { componentTransport } from '../components/transport.ts';
import type { PrinterLang } from '../status.ts';
import { parsePrinterUri } from '../uri.ts';
import { CupsTransport } from './cups.ts';
import { DeviceFileTransport } from './device.ts';
import { FolderTransport } from './folder.ts';
import { SpoolerTransport } from './spooler.ts';
import { TcpTransport } from './tcp.ts';
import type { PrinterTransport } from './transport.ts';

export function transportForUri(uri: string, lang: PrinterLang): PrinterTransport {
  const a = parsePrinterUri(uri);
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
