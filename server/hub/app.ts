// The hub's HTTP + WebSocket service on Fastify: the endpoints of docs/team-hub.md, each body and
// query checked with the contract's zod schemas (electron/shared/hub/protocol.ts), every answer
// scoped by the team of the caller's token. The process keeps no state but its open sockets:
// pokes reach them through PostgreSQL LISTEN/NOTIFY, so any number of hub processes can serve one
// database.
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { z } from 'zod';
import {
  HUB_PATHS,
  HUB_SCHEMA_VERSIONS,
  type HealthResponse,
  type HubEvent,
  inviteRequest,
  joinRequest,
  loginRequest,
  pullQuery,
  pushRequest,
} from '../../electron/shared/hub/protocol.ts';
import type { Engine } from '../db/engine.ts';
import { HubFailure } from './errors.ts';
import { authenticate, type Caller, callerOfToken, invite, join, login, revokeStation, teamView } from './identity.ts';
import { claimRoutes, watchMerges } from './claims.ts';
import { fenceIngests, leaseRoutes } from './leases.ts';
import { quotaRoutes, watchQuotas } from './quotas.ts';
import { credentialRoutes, resolveCredentialKey } from './shop-credentials.ts';
import { guardTasks } from './tasks.ts';
import { createDefaultRegistry, type MutatorRegistry } from './mutators.ts';
import { startSweeps } from './housekeeping.ts';
import { HUB_CHANNEL } from './rows.ts';
import { groupsOf, pullText, push, stationCaller } from './sync.ts';

export interface HubOptions {
  engine: Engine;
  registry?: MutatorRegistry;
  /** Fastify's request log; off by default (the CLI prints its own one line). */
  logger?: boolean;
  /** The key shops' authorisations are sealed with (shop-credentials.ts); default: SHOPFLEET_HUB_CREDENTIAL_KEY, else none. */
  credentialKey?: Buffer | null;
  /** How often this process sweeps expired sessions and old join codes (housekeeping.ts); null = never. */
  sweepEveryMs?: number | null;
}

interface Client {
  socket: WebSocket;
  teamId: string;
  stationId: string | null;
  /** null = every group of the team. */
  groups: Set<string> | null;
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new HubFailure('BAD_REQUEST', 'the request does not match the hub contract', {
    issues: r.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
  });
}

function send(socket: WebSocket, event: HubEvent): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
}

export async function createHubApp(opts: HubOptions): Promise<FastifyInstance> {
  const { engine } = opts;
  // Every merge is watched for ended claims, second waybills and oversold stock (claims.ts); an
  // ingest stamped with a lost lease's fence is refused before it merges (leases.ts).
  // A station's pushed sales of a SKU are checked against its stock quota (quotas.ts).
  const registry = watchQuotas(watchMerges(fenceIngests(guardTasks(opts.registry ?? createDefaultRegistry()))));
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 32 * 1024 * 1024 });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const clients = new Set<Client>();
  const onNotify = (payload: string): void => {
    let msg: { team?: string; syncId?: number; groups?: string[]; revoked?: string };
    try {
      msg = JSON.parse(payload);
    } catch {
      return;
    }
    for (const c of clients) {
      if (c.teamId !== msg.team) continue;
      if (msg.revoked !== undefined) {
        if (c.stationId === msg.revoked) {
          send(c.socket, { type: 'revoked' });
          c.socket.close(4001, 'revoked');
        }
        continue;
      }
      if (c.groups !== null && !(msg.groups ?? []).some((g) => c.groups!.has(g))) continue;
      send(c.socket, { type: 'poke', syncId: msg.syncId ?? 0 });
    }
  };
  const unlisten = await engine.listen(HUB_CHANNEL, onNotify);
  const stopSweeps = opts.sweepEveryMs === null ? async () => {} : startSweeps(engine, opts.sweepEveryMs);
  app.addHook('onClose', async () => {
    await stopSweeps();
    for (const c of clients) c.socket.close(1001, 'hub stopping');
    await unlisten();
  });

  app.setErrorHandler((err: unknown, _req, reply) => {
    if (err instanceof HubFailure) {
      if (err.extra.retryAfterMs !== undefined) void reply.header('retry-after', String(Math.ceil(err.extra.retryAfterMs / 1000)));
      return reply.status(err.status).send(err.body());
    }
    const e = err as { statusCode?: number; message?: string; code?: string };
    // Fastify's own refusals (a body that is not JSON, one too large) are the caller's mistake.
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(400).send({ code: 'BAD_REQUEST', message: e.message ?? 'bad request' });
    }
    app.log.error(err);
    console.error(`[hub] ${e.message ?? String(err)}`);
    return reply.status(500).send({ code: 'INTERNAL', message: 'the hub failed on this request; it is logged on the hub' });
  });

  const caller = (req: FastifyRequest): Promise<Caller> => authenticate(engine, req.headers.authorization);
  /** The caller if a token is sent (login works with and without one). */
  const optionalCaller = (req: FastifyRequest): Promise<Caller | null> => (req.headers.authorization ? caller(req) : Promise.resolve(null));

  app.get(HUB_PATHS.health, async (): Promise<HealthResponse> => {
    await engine.query('SELECT 1');
    return { ok: true, engine: engine.kind, schemaVersions: [...HUB_SCHEMA_VERSIONS] };
  });
  app.post(HUB_PATHS.login, async (req) => login(engine, parse(loginRequest, req.body), await optionalCaller(req), Date.now(), req.ip ?? null));
  app.post(HUB_PATHS.invites, async (req) => invite(engine, await caller(req), parse(inviteRequest, req.body)));
  app.post(HUB_PATHS.join, async (req) => {
    const body = parse(joinRequest, req.body);
    return join(engine, body.code, body.name, Date.now(), body.bringsRows === true);
  });
  // Push and pull, the hot paths, know the station tokens this process has seen (sync.ts).
  app.post(HUB_PATHS.push, async (req) => push(engine, registry, await stationCaller(engine, req.headers.authorization), parse(pushRequest, req.body)));
  app.get(HUB_PATHS.pull, async (req, reply) => {
    const text = await pullText(engine, await stationCaller(engine, req.headers.authorization), parse(pullQuery, req.query));
    return reply.type('application/json; charset=utf-8').send(text);
  });
  app.get(HUB_PATHS.team, async (req) => teamView(engine, await caller(req)));
  claimRoutes(app, engine, caller, parse);
  leaseRoutes(app, engine, caller, parse);
  quotaRoutes(app, engine, caller, parse);
  credentialRoutes(app, engine, opts.credentialKey !== undefined ? opts.credentialKey : resolveCredentialKey({ dataDir: null }), caller, parse);
  app.post('/v1/stations/:id/revoke', async (req) => ({
    station: await revokeStation(engine, await caller(req), (req.params as { id: string }).id),
  }));

  // The token travels in the Authorization header, or as ?token= where a WebSocket client cannot
  // set headers (a browser). Checked before the upgrade: a refused token never gets a socket.
  const eventCallers = new WeakMap<FastifyRequest, Caller>();
  app.get(
    HUB_PATHS.events,
    {
      websocket: true,
      preValidation: async (req: FastifyRequest, reply: FastifyReply) => {
        try {
          const token = (req.query as { token?: string }).token;
          const c = token ? await callerOfToken(engine, token) : await caller(req);
          eventCallers.set(req, c);
        } catch (err) {
          if (err instanceof HubFailure) return reply.status(err.status).send(err.body());
          throw err;
        }
      },
    },
    (socket, req) => {
      const c = eventCallers.get(req)!;
      const groups = groupsOf(c.user);
      const client: Client = {
        socket,
        teamId: c.team.id,
        stationId: c.kind === 'station' ? c.station.id : null,
        groups: groups === null ? null : new Set(groups),
      };
      clients.add(client);
      socket.on('close', () => clients.delete(client));
      socket.on('error', () => clients.delete(client));
      send(socket, { type: 'hello', teamId: c.team.id, stationId: client.stationId });
    },
  );
  return app;
}

export interface RunningHub {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 = a free one) and answers the URL stations use. */
export async function listenHub(app: FastifyInstance, opts: { port?: number; host?: string } = {}): Promise<RunningHub> {
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : opts.port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return { app, url: `http://${shownHost}:${port}`, close: () => app.close() };
}
