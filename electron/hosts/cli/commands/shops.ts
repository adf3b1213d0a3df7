// `shopfleet shops add|list|authorize`: connect a seller account (secrets encrypted at rest), list
// shops with their sync state — never their secrets — and run a shop's OAuth authorisation.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Core } from '../../../core/app.ts';
import { CONNECTABLE_PLATFORMS, type ApiInput, type AuthorizeStart, type ConnectablePlatform, type ShopConnection, type ShopSummary } from '../../../shared/contract.ts';
import { AppError } from '../../../shared/result.ts';
import { callOrThrow } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, openOrCreateStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { ApiFailure, UsageError } from '../usage.ts';

const isConnectablePlatform = (p: string): p is ConnectablePlatform => (CONNECTABLE_PLATFORMS as readonly string[]).includes(p);

function required(values: Record<string, string | boolean | undefined>, flag: string): string {
  const v = values[flag];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`shops add needs --${flag}`);
  return v;
}

/** The secrets of `shops add`, each from its flag, else standard input (--secrets-stdin), else the environment. */
const SECRETS = [
  { flag: 'app-secret', key: 'appSecret', env: 'SHOPFLEET_APP_SECRET', required: true },
  { flag: 'access-token', key: 'accessToken', env: 'SHOPFLEET_ACCESS_TOKEN', required: true },
  { flag: 'refresh-token', key: 'refreshToken', env: 'SHOPFLEET_REFRESH_TOKEN', required: false },
] as const;
type SecretKey = (typeof SECRETS)[number]['key'];

/** Lines "app-secret=…" (blank lines and # comments skipped), or one JSON object {"appSecret": …}. */
export function parseSecretsText(text: string): Partial<Record<SecretKey, string>> {
  const out: Partial<Record<SecretKey, string>> = {};
  const byName = (name: string) => SECRETS.find((s) => s.flag === name || s.key === name);
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      throw new UsageError('--secrets-stdin: the JSON on standard input does not parse');
    }
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      const s = byName(k);
      if (!s) throw new UsageError(`--secrets-stdin: unknown key "${k}" (keys: ${SECRETS.map((x) => x.key).join(', ')})`);
      if (typeof v !== 'string') throw new UsageError(`--secrets-stdin: ${k} must be a string`);
      out[s.key] = v;
    }
    return out;
  }
  for (const [i, raw] of trimmed.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const s = eq > 0 ? byName(line.slice(0, eq).trim()) : undefined;
    // The line itself is never echoed: it may be a secret typed in the wrong place.
    if (!s) throw new UsageError(`--secrets-stdin: line ${i + 1} is not "app-secret=…", "access-token=…" or "refresh-token=…"`);
    out[s.key] = line.slice(eq + 1).trim();
  }
  return out;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export async function shopsAdd(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      db: { type: 'string' },
      platform: { type: 'string' },
      name: { type: 'string' },
      'app-key': { type: 'string' },
      'app-secret': { type: 'string' },
      'access-token': { type: 'string' },
      'refresh-token': { type: 'string' },
      'secrets-stdin': { type: 'boolean', default: false },
      gateway: { type: 'string' },
    },
  });
  const platform = required(values, 'platform');
  if (!isConnectablePlatform(platform)) throw new UsageError(`unknown platform "${platform}" (one of: ${CONNECTABLE_PLATFORMS.join(', ')})`);
  const name = required(values, 'name');
  const appKey = required(values, 'app-key');
  if (values.gateway !== undefined && !/^https?:\/\/\S+$/.test(values.gateway)) throw new UsageError('--gateway must be an http(s) URL');
  const fromStdin = values['secrets-stdin'] ? parseSecretsText(await readAll(process.stdin)) : {};
  const secrets: Partial<Record<SecretKey, string>> = {};
  for (const s of SECRETS) {
    const flag = values[s.flag];
    const env = process.env[s.env];
    if (typeof flag === 'string' && flag.trim() !== '') {
      secrets[s.key] = flag;
      process.stderr.write(`note: --${s.flag} on the command line shows in \`ps\` and the shell history; next time pass it on standard input (--secrets-stdin) or in $${s.env}\n`);
    } else if (fromStdin[s.key] !== undefined && fromStdin[s.key]?.trim() !== '') secrets[s.key] = fromStdin[s.key];
    else if (env !== undefined && env.trim() !== '') {
      secrets[s.key] = env;
      process.stderr.write(`${s.flag}: from $${s.env}\n`);
    } else if (s.required) {
      throw new UsageError(`shops add needs the ${s.flag.replace('-', ' ')}: --${s.flag}, a "${s.flag}=…" line with --secrets-stdin, or $${s.env}`);
    }
  }
  // Adding the first shop may create the station database (unlike listing, which never creates one).
  const input: ApiInput<'shops.add'> = {
    platform,
    name,
    appKey,
    appSecret: secrets.appSecret as string,
    accessToken: secrets.accessToken as string,
    ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}),
    ...(values.gateway ? { gateway: values.gateway } : {}),
  };
  return withCore(openOrCreateStation(values.db ?? defaultDbFile()), async (core) => {
    // Through the API, so the connection is validated, role-checked and audited like any command.
    const shop = await callOrThrow<ShopSummary>(core, 'shops.add', input);
    await writeOut(`${shop.id}\n`);
    return 0;
  });
}

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

export async function shopsList(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const shops = await callOrThrow<ShopConnection[]>(core, 'shops.connections', {});
    if (values.json) {
      await writeOut(`${JSON.stringify(shops, null, 2)}\n`);
    } else {
      for (const s of shops) await writeOut(`${[s.id, s.name, s.platform, s.state, when(s.lastSuccessAt), s.lastError ?? ''].join('\t')}\n`);
      process.stderr.write(`${shops.length} shops\n`);
    }
    return 0;
  });
}

/** Opens a URL in the system browser (the platform's own opener; nothing to install). */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd as string, args as string[], { detached: true, stdio: 'ignore' });
  child.on('error', (err) => process.stderr.write(`could not open a browser (${err.message}); open the URL above by hand\n`));
  child.unref();
}

/** A shop by id or exact name (an id wins), as the API lists them. */
async function resolveShopId(core: Core, idOrName: string): Promise<string> {
  const shops = await callOrThrow<ShopSummary[]>(core, 'shops.list', {});
  const hit = shops.find((s) => s.id === idOrName) ?? shops.find((s) => s.name === idOrName);
  if (!hit) throw new UsageError(`no shop "${idOrName}" (see: shopfleet shops list --db FILE)`);
  return hit.id;
}

/**
 * `shopfleet shops authorize --db FILE --shop ID [--open] [--oauth-base URL]`: starts the platform's
 * OAuth authorisation, prints the URL (opens it with --open), and waits until the browser lands on
 * the loopback redirect — or a code / the redirect URL is pasted on stdin. Exit 0 when authorised.
 */
export async function shopsAuthorize(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, shop: { type: 'string' }, open: { type: 'boolean', default: false }, 'oauth-base': { type: 'string' } },
  });
  if (!values.shop) throw new UsageError('shops authorize needs --shop ID');
  const oauthBase = values['oauth-base'];
  if (oauthBase !== undefined && !/^https?:\/\/\S+$/.test(oauthBase)) throw new UsageError('--oauth-base must be an http(s) URL');
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const id = await resolveShopId(core, values.shop as string);
    if (oauthBase !== undefined) await callOrThrow(core, 'shops.update', { id, oauthBase });
    const start = await callOrThrow<AuthorizeStart>(core, 'shops.authorizeStart', { id });
    const authorizer = core.station.existingAuthorizer();
    if (!authorizer) throw new Error('the authorisation did not start');
    process.stderr.write(
      [
        'Open this URL in a browser and approve the app:',
        '',
        `  ${start.url}`,
        '',
        `Waiting for the redirect to ${start.redirectUri} (until ${new Date(start.expiresAt).toISOString()}).`,
        'If the browser cannot reach this machine, paste the code or the whole redirect URL here and press Enter.',
        '',
      ].join('\n'),
    );
    await writeOut(`${start.url}\n`);
    if (values.open) openInBrowser(start.url);

    const lines = createInterface({ input: process.stdin, terminal: false });
    let timer: NodeJS.Timeout | undefined;
    try {
      const pasted = new Promise<ShopSummary>((resolve, reject) => {
        lines.on('line', (line) => {
          const code = line.trim();
          if (code === '') return;
          void core.call('shops.authorizeComplete', { id, state: start.state, code }).then((r) => {
            if (r.ok) resolve(r.value as ShopSummary);
            else reject(new ApiFailure(r.error.code, `shops.authorizeComplete: ${r.error.code} — ${r.error.message}`));
          });
        });
      });
      // A ref'd timer keeps the process waiting for the browser even when stdin is closed.
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ApiFailure('INVALID_STATE', 'the authorisation timed out; run the command again')), Math.max(0, start.expiresAt - Date.now()) + 1000);
      });
      const viaLoopback = authorizer.waitFor(start.state).catch((err: unknown) => {
        throw err instanceof AppError ? new ApiFailure(err.code, `authorisation failed: ${err.code} — ${err.message}`) : err;
      });
      const shop = await Promise.race([viaLoopback, pasted, timedOut]);
      await writeOut(`authorised: ${shop.id}\t${shop.name}\t${shop.state}\n`);
      return 0;
    } finally {
      if (timer) clearTimeout(timer);
      lines.close();
      process.stdin.destroy();
      await authorizer.close();
    }
  });
}
