// `shopfleet serve`: the web host on 127.0.0.1 for a station database, printing its URL and token.
import { parseArgs } from 'node:util';
import { closeOnSignals, serveStation } from '../../web/web-host.ts';
import { UsageError } from '../usage.ts';

export async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowNegative: true,
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      demo: { type: 'boolean', default: true },
      sync: { type: 'boolean', default: true },
      open: { type: 'boolean', default: false },
    },
  });
  const port = values.port === undefined ? 5178 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a whole number 0–65535');
  const station = await serveStation({ dbFile: values.db, port, demo: values.demo, sync: values.sync, open: values.open });
  closeOnSignals(station.close);
  return 0;
}
