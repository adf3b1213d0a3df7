// Shop authorisations kept for a takeover, through the HTTP contract on PGlite and (when the cluster
// is there) a real PostgreSQL: who may upload (the lease holder, an owner's or operator's station in
// scope) and fetch (only the live holder under its fence, in scope), versions that grow per upload,
// another team's station reading nothing, the owner turning sharing off, a hub without a key
// refusing with how to set one, every upload and fetch audited, and neither the key nor a secret in
// the database (sealed) or in a pull.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_KEY_ENV } from '../../electron/shared/hub/credentials.ts';
import type { Engine } from '../db/engine.ts';
import { createHubApp } from './app.ts';
import { createTeam } from './identity.ts';
import { CREDENTIAL_KEY_FILE, resolveCredentialKey, unseal } from './shop-credentials.ts';
import { call, freshDatabase, joinStation, PG_URL, spawnCli, type TestStation, TEST_ENGINES } from './testkit.ts';

const SECRETS = { appSecret: 'APPSECRET-77aa', accessToken: 'ACCESS-TOKEN-1f2e3d', refreshToken: 'REFRESH-TOKEN-9c8b' };

async function inject(app: FastifyInstance, method: 'GET' | 'PUT', url: string, token: string, body?: unknown) {
  const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: res.statusCode, text: res.body, body: res.body === '' ? null : JSON.parse(res.body) };
}
const upload = (app: FastifyInstance, s: TestStation, shopId: string, secrets: object = SECRETS) => inject(app, 'PUT', `/v1/shops/${shopId}/credentials`, s.token, { secrets });
const fetchAs = (app: FastifyInstance, s: TestStation, shopId: string, fence: number, have = 0) => inject(app, 'GET', `/v1/shops/${shopId}/credentials?fence=${fence}&have=${have}`, s.token);
const take = async (app: FastifyInstance, s: TestStation, shopId: string, ttlMs?: number) => {
  const r = await call(app, 'POST', '/v1/leases/take', { token: s.token, body: { shopIds: [shopId], ...(ttlMs ? { ttlMs } : {}) } });
  return r.body.results[0];
};

describe('the hub credential key', () => {
  it('comes from the env variable (a malformed one stops the hub), else a 0600 key file made once in the data folder, else none', () => {
    const good = randomBytes(32);
    expect(resolveCredentialKey({ dataDir: null, env: { [CREDENTIAL_KEY_ENV]: good.toString('base64') } })!.equals(good)).toBe(true);
    expect(() => resolveCredentialKey({ dataDir: null, env: { [CREDENTIAL_KEY_ENV]: 'c2hvcnQ=' } })).toThrow(/base64 of 32 bytes.*decodes to 5/);
    expect(resolveCredentialKey({ dataDir: null, env: {} })).toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-credkey-'));
    try {
      const first = resolveCredentialKey({ dataDir: dir, env: {} })!;
      expect(first).toHaveLength(32);
      expect(fs.statSync(path.join(dir, CREDENTIAL_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(resolveCredentialKey({ dataDir: dir, env: {} })!.equals(first)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `shopfleet hub serve` until it prints its URL: what it said on stderr by then. */
function serveSays(args: string[]): Promise<string> {
  const child = spawnCli(['hub', 'serve', ...args, '--port', '0']);
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let listening = false;
    child.stdout.on('data', (d) => {
      if (!listening && /^http:\/\//m.test(String(d))) {
        listening = true;
        // The stderr lines come right after the URL; give them a moment, then stop the hub.
        setTimeout(() => child.kill('SIGTERM'), 300);
      }
    });
    child.once('exit', (code) => (listening ? resolve(err) : reject(new Error(`hub serve exited ${code}: ${err}`))));
  });
}

describe('hub serve and its credential key', () => {
  it('a PGlite hub makes its key file in --data; a hub over PostgreSQL without the variable says it keeps no authorisations', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-serve-key-'));
    try {
      const said = await serveSays(['--data', path.join(dir, 'hub')]);
      expect(said).not.toContain('no credential key');
      expect(fs.statSync(path.join(dir, 'hub', CREDENTIAL_KEY_FILE)).size).toBe(32);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (PG_URL === null) return;
    const db = await freshDatabase();
    try {
      expect(await serveSays(['--database-url', db.url])).toContain(`no credential key: shop authorisations are not kept for takeovers (set ${CREDENTIAL_KEY_ENV}`);
    } finally {
      await db.drop();
    }
  }, 60_000);
});

describe.each(TEST_ENGINES)('shop authorisations on $name', (te) => {
  const key = randomBytes(32);
  let engine: Engine;
  let app: FastifyInstance;
  let drop: () => Promise<void>;
  let owner: string;
  let holder: TestStation;
  let operator: TestStation;
  let packer: TestStation;
  let scoped: TestStation;
  let otherTeam: TestStation;

  beforeAll(async () => {
    const db = await te.open();
    engine = db.engine;
    drop = db.drop;
    app = await createHubApp({ engine, credentialKey: key });
    await createTeam(engine, { team: '杭州店群', owner: 'boss', password: 'correct horse' });
    await createTeam(engine, { team: '宁波店群', owner: 'other-boss', password: 'battery staple' });
    owner = (await call(app, 'POST', '/v1/login', { body: { team: '杭州店群', user: 'boss', password: 'correct horse' } })).body.token;
    const owner2 = (await call(app, 'POST', '/v1/login', { body: { team: '宁波店群', user: 'other-boss', password: 'battery staple' } })).body.token;
    holder = await joinStation(app, owner, 'xiaoli', 'packer', '一号打包台');
    operator = await joinStation(app, owner, 'xiaowang', 'operator', '运营笔记本');
    packer = await joinStation(app, owner, 'xiaozhao', 'packer', '二号打包台');
    const inv = await call(app, 'POST', '/v1/invites', { token: owner, body: { user: 'xiaoqian', role: 'operator', shops: ['shop-2'] } });
    const joined = (await call(app, 'POST', '/v1/join', { body: { code: inv.body.code, name: '三号台' } })).body;
    scoped = { id: joined.stationId, token: joined.token, seq: 0 };
    otherTeam = await joinStation(app, owner2, 'other-boss', 'owner', '宁波一号台');
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await engine.close();
    await drop();
  });

  it('the lease holder uploads (the version grows per upload); a packer not holding the lease and a person out of scope are refused', async () => {
    const lease = await take(app, holder, 'shop-1');
    expect(lease.status).toBe('held');
    const first = await upload(app, holder, 'shop-1');
    expect(first).toMatchObject({ status: 200, body: { status: 'stored', version: 1 } });
    const second = await upload(app, holder, 'shop-1', { ...SECRETS, accessToken: 'ACCESS-TOKEN-2' });
    expect(second.body).toEqual({ status: 'stored', version: 2 });

    const notHolder = await upload(app, packer, 'shop-1');
    expect(notHolder.status).toBe(403);
    expect(notHolder.body.code).toBe('FORBIDDEN');
    expect(notHolder.text).not.toContain(SECRETS.appSecret);
    const outOfScope = await upload(app, scoped, 'shop-1');
    expect(outOfScope.status).toBe(403);
    // An operator (in scope) may authorise a shop it does not sync.
    expect((await upload(app, operator, 'shop-1', { ...SECRETS, accessToken: 'ACCESS-TOKEN-3' })).body).toEqual({ status: 'stored', version: 3 });
  });

  it('only the live holder fetches, under its current fence; it gets the newest version, or "unchanged" when it has it', async () => {
    const lease = await take(app, holder, 'shop-1');
    const got = await fetchAs(app, holder, 'shop-1', lease.fence);
    expect(got).toMatchObject({ status: 200, body: { status: 'ok', version: 3, secrets: { ...SECRETS, accessToken: 'ACCESS-TOKEN-3' } } });
    expect((await fetchAs(app, holder, 'shop-1', lease.fence, 3)).body).toEqual({ status: 'unchanged', version: 3 });
    // A stale fence (the holder changed since) is refused, and so are stations that do not hold the lease.
    const stale = await fetchAs(app, holder, 'shop-1', lease.fence - 1);
    expect(stale.status).toBe(403);
    for (const s of [operator, packer]) {
      const r = await fetchAs(app, s, 'shop-1', lease.fence);
      expect(r.status).toBe(403);
      expect(r.text).not.toContain('ACCESS-TOKEN');
    }
    expect((await fetchAs(app, scoped, 'shop-1', lease.fence)).status).toBe(403);
  });

  it('a lease that runs out: the old holder is refused, the station that takes over fetches', async () => {
    const before = await take(app, holder, 'shop-9', 1000);
    await upload(app, holder, 'shop-9');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fetchAs(app, holder, 'shop-9', before.fence)).status).toBe(403);
    const after = await take(app, packer, 'shop-9');
    expect(after.fence).toBeGreaterThan(before.fence);
    expect((await fetchAs(app, packer, 'shop-9', after.fence)).body).toMatchObject({ status: 'ok', version: 1, secrets: SECRETS });
  });

  it("a station of another team reads nothing of this team's shop, even holding a lease on the same shop id", async () => {
    const lease = await take(app, otherTeam, 'shop-1');
    expect(lease.status).toBe('held');
    const r = await fetchAs(app, otherTeam, 'shop-1', lease.fence);
    expect(r.body).toEqual({ status: 'none' });
    expect(r.text).not.toContain('ACCESS-TOKEN');
  });

  it('neither the key nor a secret is in the database; a sealed value does not open for another shop or team; nothing in a pull', async () => {
    const tables = (await engine.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename);
    let dump = '';
    for (const t of tables) dump += (await engine.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${t}" x`)).rows.map((r) => r.j).join('\n');
    expect(tables).toContain('shop_credentials');
    for (const needle of [key.toString('base64'), key.toString('hex'), SECRETS.appSecret, SECRETS.refreshToken, 'ACCESS-TOKEN']) expect(dump).not.toContain(needle);
    const row = (await engine.query<{ team_id: string; sealed: string; version: number }>("SELECT team_id, sealed, version FROM shop_credentials WHERE shop_id = 'shop-1'")).rows[0]!;
    expect(unseal(key, row.team_id, 'shop-1', Number(row.version), row.sealed)).toMatchObject({ accessToken: 'ACCESS-TOKEN-3' });
    expect(unseal(key, row.team_id, 'shop-9', Number(row.version), row.sealed)).toBeNull();
    expect(unseal(key, 'team_other', 'shop-1', Number(row.version), row.sealed)).toBeNull();
    expect(unseal(randomBytes(32), row.team_id, 'shop-1', Number(row.version), row.sealed)).toBeNull();
    const pulled = await call(app, 'GET', '/v1/pull?cursor=0&limit=1000', { token: holder.token });
    expect(pulled.status).toBe(200);
    expect(JSON.stringify(pulled.body)).not.toMatch(/ACCESS-TOKEN|APPSECRET|REFRESH-TOKEN|shop_credentials/);
  });

  it('every upload, fetch and refusal is audited (who, which shop, when), readable by the owner only', async () => {
    const audit = await inject(app, 'GET', '/v1/credentials/audit', owner);
    expect(audit.status).toBe(200);
    const entries = audit.body.entries as { shopId: string; action: string; stationId: string | null; userName: string | null; version: number | null; reason: string | null }[];
    expect(entries).toContainEqual(expect.objectContaining({ shopId: 'shop-1', action: 'upload', stationId: holder.id, userName: 'xiaoli', version: 1 }));
    expect(entries).toContainEqual(expect.objectContaining({ shopId: 'shop-1', action: 'fetch', stationId: holder.id, version: 3 }));
    expect(entries).toContainEqual(expect.objectContaining({ shopId: 'shop-1', action: 'refused', stationId: packer.id, reason: 'not_holder' }));
    expect(entries).toContainEqual(expect.objectContaining({ shopId: 'shop-1', action: 'refused', stationId: scoped.id, reason: 'out_of_scope' }));
    // The other team's audit is its own.
    expect(entries.some((e) => e.stationId === otherTeam.id)).toBe(false);
    expect(audit.text).not.toMatch(/ACCESS-TOKEN|APPSECRET/);
    expect((await inject(app, 'GET', '/v1/credentials/audit', operator.token)).status).toBe(403);
  });

  it('the owner turns sharing off: the hub forgets every authorisation it kept and keeps none until it is on again', async () => {
    expect((await inject(app, 'PUT', '/v1/credentials/sharing', operator.token, { enabled: false })).status).toBe(403);
    expect((await inject(app, 'PUT', '/v1/credentials/sharing', owner, { enabled: false })).body).toEqual({ enabled: false, keyConfigured: true });
    expect((await engine.query("SELECT 1 FROM shop_credentials s JOIN teams t ON t.id = s.team_id WHERE t.name = '杭州店群'")).rows).toHaveLength(0);
    const lease = await take(app, holder, 'shop-1');
    expect((await upload(app, holder, 'shop-1')).body).toMatchObject({ status: 'sharing_off' });
    expect((await fetchAs(app, holder, 'shop-1', lease.fence)).body).toMatchObject({ status: 'sharing_off' });
    expect((await inject(app, 'GET', '/v1/credentials/sharing', holder.token)).body).toEqual({ enabled: false, keyConfigured: true });
    await inject(app, 'PUT', '/v1/credentials/sharing', owner, { enabled: true });
    expect((await upload(app, holder, 'shop-1')).body).toEqual({ status: 'stored', version: 1 });
  });

  it('a hub without a credential key keeps nothing and says how to set one', async () => {
    const bare = await createHubApp({ engine, credentialKey: null });
    try {
      const r = await inject(bare, 'PUT', '/v1/shops/shop-1/credentials', holder.token, { secrets: SECRETS });
      expect(r.body).toMatchObject({ status: 'hub_has_no_key', message: expect.stringContaining(CREDENTIAL_KEY_ENV) });
    } finally {
      await bare.close();
    }
  });
});
