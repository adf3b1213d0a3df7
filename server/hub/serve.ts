// One hub process: the engine (PGlite on a data folder, or PostgreSQL by URL), migrated, and the
// HTTP + WebSocket service listening. `shopfleet hub serve` and the tests start hubs through this.
import { openEngine } from '../db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from './app.ts';
import { resolveCredentialKey } from './shop-credentials.ts';

export interface HubServeOptions {
  dataDir?: string | null;
  databaseUrl?: string | null;
  port?: number;
  host?: string;
}

export async function startHub(opts: HubServeOptions): Promise<RunningHub & { engine: 'pglite' | 'postgres'; credentialKey: boolean }> {
  const engine = await openEngine({ dataDir: opts.dataDir ?? null, databaseUrl: opts.databaseUrl ?? null });
  try {
    // A PGlite hub keeps its credential key in its data folder; over PostgreSQL it comes from the environment.
    const credentialKey = resolveCredentialKey({ dataDir: opts.databaseUrl ? null : (opts.dataDir ?? null) });
    const app = await createHubApp({ engine, credentialKey });
    app.addHook('onClose', async () => engine.close());
    const running = await listenHub(app, { port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
    return { ...running, engine: engine.kind, credentialKey: credentialKey !== null };
  } catch (err) {
    await engine.close();
    throw err;
  }
}
