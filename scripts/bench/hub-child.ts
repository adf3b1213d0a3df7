// One hub process for the hub benchmark (scripts/bench/hub.ts): the engine (PGlite on --data, or
// PostgreSQL by --database-url), the team made when --create, and the service on a free loopback
// port. Prints "READY <url>" once listening; SIGTERM closes it. A process of its own so the load
// generator never shares the hub's event loop. Answers 'cpu' on its IPC channel with its
// process.cpuUsage() (PGlite's WebAssembly runs on this thread, so that is the database's too).
import { parseArgs } from 'node:util';
import { openEngine } from '../../server/db/engine.ts';
import { createHubApp, listenHub } from '../../server/hub/app.ts';
import { createTeam } from '../../server/hub/identity.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    'database-url': { type: 'string' },
    create: { type: 'boolean', default: false },
    team: { type: 'string', default: 'bench' },
    owner: { type: 'string', default: 'boss' },
    password: { type: 'string', default: 'bench password' },
  },
});

const engine = await openEngine({ dataDir: values.data ?? null, databaseUrl: values['database-url'] ?? null });
if (values.create) await createTeam(engine, { team: values.team, owner: values.owner, password: values.password });
const app = await createHubApp({ engine });
app.addHook('onClose', async () => engine.close());
const hub = await listenHub(app, { port: 0 });
process.stdout.write(`READY ${hub.url}\n`);
const stop = () => {
  void hub.close().finally(() => process.exit(0));
};
process.on('message', (m) => {
  if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
