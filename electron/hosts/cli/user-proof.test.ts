// The CLI's `--user` on a station joined to a real hub (server/, in-process on PGlite, over loopback
// HTTP): the named person must prove it with their password or PIN on standard input, checked like
// the sign-in (the hub online, the station's argon2 verifier offline, the same lockout), and the one
// signed in at the station stays signed in. Without a hub, --user names a station user as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenPackerTeam, post, runCli, type PackerTeam } from '../../../server/hub/testkit.ts';
import { createCore, type Core } from '../../core/app.ts';
import { tempDbFile } from '../../testkit/api-fixtures.ts';
import { actorFor } from './call.ts';
import { UsageError } from './usage.ts';

let hub: PackerTeam;
let ownerToken: string;

/** POST to the test's hub (answers the JSON; throws on an error status). */
const hubPost = (path: string, body: unknown, token?: string) => post(hub.url, path, body, token);

beforeAll(async () => {
  hub = await listenPackerTeam();
  ownerToken = hub.ownerToken;
}, 60_000);

afterAll(() => hub?.close());

const given = (secret: string) => async () => secret;
const never = async (): Promise<string> => {
  throw new Error('standard input read where no password is asked');
};

describe('--user on the CLI', () => {
  const tmp = tempDbFile();
  let core: Core;
  beforeAll(async () => {
    core = await createCore({ dbFile: tmp.file, demo: false, sync: false });
  });
  afterAll(async () => {
    await core?.close();
    tmp.cleanup();
  });

  it('without a hub names a station user, and reads no password', async () => {
    await expect(actorFor(core, '店主', never)).resolves.toMatchObject({ name: '店主', role: 'owner' });
    await expect(actorFor(core, 'nobody', never)).rejects.toThrow(/no station user "nobody"/);
  });

  it('on a joined station proves the person: a wrong password is a usage error, the right one acts as them with their shops', async () => {
    const code = (await hubPost('/v1/invites', { user: 'boss', role: 'owner' }, ownerToken)).code;
    expect(await core.call('hub.join', { url: hub.url, code, name: '一号打包台' })).toMatchObject({ ok: true });

    // The station's own pre-hub account is nobody the hub knows, and has nothing to prove itself with.
    await expect(actorFor(core, '店主', never)).rejects.toThrow(/--user names a person of the team \(people: boss \(owner\), 小李 \(packer\)\); "店主" is not one/);
    const wrong = await actorFor(core, '小李', given('not his password')).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(UsageError);
    expect((wrong as Error).message).toMatch(/^--user 小李: 小李 is not proven — .*\(session\.bad_credentials\)$/);
    await expect(actorFor(core, '小李', given('packer password'))).resolves.toMatchObject({ name: '小李', role: 'packer', shops: ['shop-1'] });
    // A PIN works too; the person signed in at the station (boss, by the join) stays.
    await expect(actorFor(core, '小李', given('2468'))).resolves.toMatchObject({ name: '小李', role: 'packer' });
    expect(await core.call('session.status', {})).toMatchObject({ ok: true, value: { actor: { name: 'boss' } } });
  });

  it('shares the sign-in lockout: five wrong tries lock the person out, even with the right password', async () => {
    for (let i = 0; i < 5; i++) await expect(actorFor(core, '小李', given('0000'))).rejects.toThrow(/is not proven/);
    await expect(actorFor(core, '小李', given('packer password'))).rejects.toThrow(/\(session\.locked\)$/);
    const people = (await core.call('session.people', {})) as { ok: true; value: { people: { id: string; name: string }[] } };
    const li = people.value.people.find((p) => p.name === '小李')!;
    expect(await core.call('session.signIn', { userId: li.id, password: 'packer password' })).toMatchObject({ ok: false, error: { reason: 'session.locked' } });
  });

  it('through the binary: no password on standard input is exit 2; with it the command acts as the person', async () => {
    await core.close();
    const asNobody = await runCli(['call', 'session.whoami', '--db', tmp.file, '--user', 'boss'], '');
    expect(asNobody.code, asNobody.stderr).toBe(2);
    expect(asNobody.stderr).toContain('give the password or PIN of boss on standard input');
    const wrong = await runCli(['call', 'session.whoami', '--db', tmp.file, '--user', 'boss'], 'guess password\n');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('boss is not proven');
    const right = await runCli(['call', 'session.whoami', '--db', tmp.file, '--user', 'boss'], 'boss password\n');
    expect(right.code, right.stderr).toBe(0);
    expect(JSON.parse(right.stdout)).toMatchObject({ name: 'boss', role: 'owner' });
    core = await createCore({ dbFile: tmp.file, demo: false, sync: false });
  }, 60_000);
});
