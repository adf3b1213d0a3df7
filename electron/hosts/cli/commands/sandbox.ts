// `shopfleet sandbox`: one platform's loopback gateway, run by hand with generated orders, printing
// the credentials to `shops add` against it (with --oauth, the loopback OAuth sandbox too); stays up
// until Ctrl+C.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { PlatformOrder } from '../../../shared/model.ts';
import { startPlatformServer as startDouyin } from '../../../sandbox/platforms/douyin/server.ts';
import { startPlatformServer as startJd } from '../../../sandbox/platforms/jd/server.ts';
import { asSingleSkuOrder } from '../../../sandbox/platforms/kuaishou/server-order.ts';
import { startPlatformServer as startKuaishou } from '../../../sandbox/platforms/kuaishou/server.ts';
import { startPlatformServer as startPdd } from '../../../sandbox/platforms/pdd/server.ts';
import { DAY, generateOrders, MINUTE } from '../../../sandbox/demo/generator.ts';
import { startPlatformServer as startTaobao } from '../../../sandbox/platforms/taobao/server.ts';
import { startOAuthSandbox } from '../../../sandbox/oauth/sandbox-server.ts';
import { closeOnSignals } from '../../web/web-host.ts';
import { UsageError } from '../usage.ts';

/** Each platform's loopback gateway (the same ones the adapter tests run against). */
const GATEWAYS = { taobao: startTaobao, pdd: startPdd, jd: startJd, douyin: startDouyin, kuaishou: startKuaishou } as const;
type SandboxPlatform = keyof typeof GATEWAYS;
const SANDBOX_PLATFORMS = Object.keys(GATEWAYS) as SandboxPlatform[];

function wholeNumber(raw: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be a whole number ${min}–${max}`);
  return n;
}

export async function sandbox(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      platform: { type: 'string' },
      port: { type: 'string' },
      orders: { type: 'string' },
      seed: { type: 'string' },
      oauth: { type: 'boolean', default: false },
      'oauth-port': { type: 'string' },
    },
  });
  const platform = values.platform;
  if (platform === undefined) throw new UsageError(`sandbox needs --platform ${SANDBOX_PLATFORMS.join('|')}`);
  if (!(SANDBOX_PLATFORMS as readonly string[]).includes(platform)) throw new UsageError(`sandbox --platform must be one of: ${SANDBOX_PLATFORMS.join(', ')}`);
  if (values.port === undefined) throw new UsageError('sandbox needs --port N');
  const port = wholeNumber(values.port, 'port', 0, 0, 65535);
  const count = wholeNumber(values.orders, 'orders', 200, 0, 1_000_000);
  const seed = wholeNumber(values.seed, 'seed', 1, 0, 2 ** 31 - 1);
  const now = Date.now();
  // Changed over the last two days and settled a few minutes ago, inside a first sync's backfill and past every platform's lag.
  const orders: PlatformOrder[] = [
    ...generateOrders({ shops: [{ id: `sandbox-${platform}`, platform: platform as SandboxPlatform, seed }], count, fromMs: now - 2 * DAY, toMs: now - 5 * MINUTE, seed }),
  ].map((g) => (platform === 'kuaishou' ? asSingleSkuOrder(g.order) : g.order));
  // Fresh credentials per run: this gateway is for trying the app, they protect nothing real.
  const creds = { appKey: randomBytes(4).toString('hex'), appSecret: randomBytes(16).toString('hex'), accessToken: randomBytes(16).toString('hex') };
  const opts = { orders, ...creds, port };
  const server = await GATEWAYS[platform as SandboxPlatform](opts);
  // --oauth: the loopback OAuth sandbox too, with this gateway's app (it issues this gateway's access
  // token, so an authorised shop can sync here), so `shops authorize` can run end to end.
  const oauth = values.oauth ? await startOAuthSandbox({ port: wholeNumber(values['oauth-port'], 'oauth-port', 0, 0, 65535), apps: [{ platform: platform as SandboxPlatform, ...creds }] }) : null;
  const oauthLines = oauth
    ? [
        `oauth sandbox: ${oauth.url} (this platform's oauth base: ${oauth.oauthBaseFor(platform as SandboxPlatform)})`,
        `authorise the shop: shopfleet shops authorize --db FILE --shop ID --oauth-base ${oauth.oauthBaseFor(platform as SandboxPlatform)}`,
      ]
    : [];
  process.stdout.write(
    [
      `sandbox ${platform} gateway with ${orders.length} orders${platform === 'pdd' ? ` (${orders.filter((o) => o.status !== 'unpaid').length} listed: PDD's increment API leaves out unpaid orders)` : ''}`,
      `url: ${server.url}`,
      `app key: ${creds.appKey}`,
      `app secret: ${creds.appSecret}`,
      `access token: ${creds.accessToken}`,
      `connect a shop: shopfleet shops add --db FILE --platform ${platform} --name NAME --gateway ${server.url} --app-key ${creds.appKey} --app-secret ${creds.appSecret} --access-token ${creds.accessToken}`,
      ...oauthLines,
      'Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  closeOnSignals(() => Promise.all([server.close(), oauth?.close()]).then(() => undefined));
  return 0;
}
