// `shopfleet hub serve|team create|invite`: run a team hub, create its team and owner, and make a
// join code for a station. The CLI host may start the hub (server/); the core never imports it.
import { parseArgs } from 'node:util';
import { HUB_PATHS, hubError, inviteResponse, loginResponse, ROLES_FOR_CLI } from '../../../shared/hub/protocol.ts';
import { ApiFailure, UsageError } from '../usage.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The first line of standard input: a password is never a flag (flags show in `ps` and the history). */
export async function passwordFromStdin(what: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(`${what}: `);
  const line = (await readStdin()).split(/\r?\n/)[0] ?? '';
  if (line === '') throw new UsageError(`give ${what} on standard input (e.g. printf '%s\\n' "$PASSWORD" | shopfleet …)`);
  return line;
}

function engineFlags(values: { data?: string; 'database-url'?: string }): { dataDir: string | null; databaseUrl: string | null } {
  if (values.data !== undefined && values['database-url'] !== undefined) throw new UsageError('give --data or --database-url, not both');
  // --data wins over $DATABASE_URL; an empty variable counts as unset.
  if (values.data !== undefined) return { dataDir: values.data, databaseUrl: null };
  const databaseUrl = values['database-url'] || process.env.DATABASE_URL || null;
  return databaseUrl !== null ? { dataDir: null, databaseUrl } : { dataDir: './hub-data', databaseUrl: null };
}

export async function hubServe(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { data: { type: 'string' }, 'database-url': { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
  });
  const port = values.port === undefined ? 5180 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a whole number 0–65535');
  const { startHub } = await import('../../../../server/hub/serve.ts');
  const hub = await startHub({ ...engineFlags(values), port, host: values.host ?? '127.0.0.1' });
  process.stdout.write(`${hub.url}\n`);
  process.stderr.write(`[hub] ${hub.engine === 'pglite' ? `PGlite in ${engineFlags(values).dataDir}` : 'PostgreSQL'}; stop with Ctrl+C\n`);
  // Without a key the hub keeps no shop authorisations, so a takeover needs the shop authorised on that station.
  if (!hub.credentialKey) process.stderr.write('[hub] no credential key: shop authorisations are not kept for takeovers (set SHOPFLEET_HUB_CREDENTIAL_KEY to a base64 32-byte key, the same on every hub process)\n');
  const stop = () => {
    hub.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}

export async function hubTeam(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new UsageError(sub === undefined ? 'hub team needs a subcommand: create' : `Unknown command "hub team ${sub}"`, 'hub team create');
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: { data: { type: 'string' }, 'database-url': { type: 'string' }, team: { type: 'string' }, owner: { type: 'string' } },
  });
  if (!values.team) throw new UsageError('hub team create needs --team NAME', 'hub team create');
  if (!values.owner) throw new UsageError('hub team create needs --owner USER', 'hub team create');
  const password = await passwordFromStdin(`the password for ${values.owner}`);
  if (password.length < 8) throw new UsageError('the owner password needs at least 8 characters', 'hub team create');
  const { openEngine } = await import('../../../../server/db/engine.ts');
  const { createTeam } = await import('../../../../server/hub/identity.ts');
  const { HubFailure } = await import('../../../../server/hub/errors.ts');
  const engine = await openEngine(engineFlags(values));
  try {
    const made = await createTeam(engine, { team: values.team, owner: values.owner, password });
    process.stdout.write(`team ${made.team.name} (${made.team.id}) with owner ${made.owner.name}\n`);
    return 0;
  } catch (err) {
    if (err instanceof HubFailure) throw new ApiFailure(err.code, err.message);
    throw err;
  } finally {
    await engine.close();
  }
}

/** One request to the hub (POST unless told; a GET sends no body); a refusal throws with the hub's code and message. */
export async function hubRequest(url: string, body: unknown, token?: string, method: 'GET' | 'POST' | 'PUT' = 'POST'): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new ApiFailure('HUB_UNREACHABLE', `the hub at ${new URL(url).origin} does not answer (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}); is \`shopfleet hub serve\` running?`);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = hubError.safeParse(json);
    throw new ApiFailure(e.success ? e.data.code : `HTTP_${res.status}`, e.success ? e.data.message : `the hub answered ${res.status}`);
  }
  return json;
}

export async function hubInvite(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      hub: { type: 'string' },
      user: { type: 'string' },
      role: { type: 'string' },
      shops: { type: 'string' },
      owner: { type: 'string' },
      team: { type: 'string' },
      ttl: { type: 'string' },
      'set-password': { type: 'boolean', default: false },
      'set-pin': { type: 'boolean', default: false },
    },
  });
  if (!values.hub) throw new UsageError('hub invite needs --hub URL (what `shopfleet hub serve` printed)');
  if (!values.user) throw new UsageError('hub invite needs --user NAME');
  const role = values.role;
  if (!role || !(ROLES_FOR_CLI as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES_FOR_CLI.join(', ')}`);
  const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl <= 0)) throw new UsageError('--ttl is the code’s life in whole minutes');
  const shops = values.shops === undefined ? undefined : values.shops.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const base = values.hub.replace(/\/+$/, '');
  // Standard input: the owner's password, then the person's password (--set-password), then their
  // PIN (--set-pin), a line each: secrets are never flags.
  const lines = values['set-password'] || values['set-pin'] ? (await readStdin()).split(/\r?\n/) : null;
  const password = lines ? (lines[0] ?? '') : await passwordFromStdin("the owner's password");
  if (password === '') throw new UsageError("give the owner's password on the first line of standard input");
  const theirs: { password?: string; pin?: string } = {};
  if (lines) {
    let at = 1;
    if (values['set-password']) theirs.password = lines[at++] ?? '';
    if (values['set-pin']) theirs.pin = lines[at++] ?? '';
    if (theirs.password === '') throw new UsageError(`--set-password: give ${values.user}'s password on the next line of standard input`);
    if (theirs.pin !== undefined && !/^\d{4,8}$/.test(theirs.pin)) throw new UsageError('--set-pin: the PIN on its line of standard input is 4 to 8 digits');
  }
  const session = loginResponse.parse(
    await hubRequest(`${base}${HUB_PATHS.login}`, { ...(values.team ? { team: values.team } : {}), ...(values.owner ? { user: values.owner } : {}), password }),
  );
  const made = inviteResponse.parse(
    await hubRequest(
      `${base}${HUB_PATHS.invites}`,
      { user: values.user, role, ...(shops ? { shops } : {}), ...(ttl ? { ttlMinutes: ttl } : {}), ...theirs },
      session.token,
    ),
  );
  process.stderr.write(`join code for ${made.user.name} (${made.user.role}) of team ${session.team.name}, good until ${new Date(made.expiresAt).toISOString()}:\n`);
  process.stdout.write(`${made.code}\n`);
  return 0;
}
