// `shopfleet station quotas set|list` on a station joined to a real hub (in-process, PGlite, over
// loopback). The CLI's station joined as a packer: the packer may not set quotas at all; an operator
// named with --user proves themselves with their password on stdin, the hub refuses the packer
// station's own token, and the same password signs the operator in to the hub. list shows what the
// station pulled; --remove takes the quota away.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../../../server/db/engine.ts';
import { createHubApp, listenHub } from '../../../../server/hub/app.ts';
import { createTeam } from '../../../../server/hub/identity.ts';
import { post } from '../../../../server/hub/testkit.ts';
import { createCore } from '../../../core/app.ts';
import { joinHub, syncOnce } from '../../../core/hub/client.ts';
import { createRawKeyCipher } from '../../../core/shops/secrets.ts';
import { openFixture } from '../../../testkit/api-fixtures.ts';
import { ok } from '../../../testkit/results.ts';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-quotas-'));
const dbFile = path.join(dir, 'station.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shopfleet station quotas', () => {
  it('an operator sets, lists and removes a quota from a packer’s station', { timeout: 180_000 }, async () => {
    const engine = await openPglite(null);
    const hub = await listenHub(await createHubApp({ engine }), { port: 0 });
    const lead = openFixture(0);
    try {
      await createTeam(engine, { team: '杭州店群', owner: '店主', password: 'correct horse' });
      const owner = (await post(hub.url, '/v1/login', { team: '杭州店群', user: '店主', password: 'correct horse' })).token as string;
      const code = async (user: string, role: string, password?: string) => (await post(hub.url, '/v1/invites', { user, role, ...(password ? { password } : {}) }, owner)).code as string;
      const cipher = createRawKeyCipher(Buffer.alloc(32, 9), 'local-key');
      // The team's first station brings the SKUs; the CLI's station gets them from the hub.
      await joinHub(lead.db, { cipher }, { url: hub.url, code: await code('店主', 'owner'), name: '主管台' });
      await syncOnce(lead.db, { cipher });
      await code('lead', 'operator', 'lead password');
      const core = await createCore({ dbFile, sync: false });
      try {
        ok(await core.call('hub.join', { url: hub.url, code: await code('xiaowang', 'packer'), name: '二号打包台' }));
      } finally {
        await core.close();
      }
      const args = ['station', 'quotas', 'set', '--db', dbFile, '--sku', 'NZ-2301-BK-M', '--station', '主管台', '--quantity', '4'];

      // The station's signed-in packer may not set quotas: refused here, nothing asked of the hub.
      const packer = await shopfleet(args);
      expect(packer.code, packer.stderr).toBe(1);
      expect(packer.stderr).toMatch(/FORBIDDEN/);
      const bad = await shopfleet([...args.slice(0, -1), '2.5']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/whole number/);

      const set = await shopfleet([...args, '--user', 'lead'], {}, 'lead password\n');
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toBe('set 1\n');
      const hubSide = await fetch(`${hub.url}/v1/quotas`, { headers: { authorization: `Bearer ${owner}` } }).then((r) => r.json());
      expect(hubSide.quotas.map((q: { stationName: string; quantity: number; setBy: string }) => [q.stationName, q.quantity, q.setBy])).toEqual([['主管台', 4, 'lead']]);

      const listed = await shopfleet(['station', 'quotas', 'list', '--db', dbFile]);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(/^NZ-2301-BK-M\t主管台\t\(all warehouses\)\t4\tlead /);
      const json = JSON.parse((await shopfleet(['station', 'quotas', 'list', '--db', dbFile, '--sku', 'NZ-2301-BK-M', '--json'])).stdout);
      expect(json).toHaveLength(1);
      expect(json[0]).toMatchObject({ stationName: '主管台', sku: 'NZ-2301-BK-M', warehouseId: '', quantity: 4, mine: false });

      const removed = await shopfleet(['station', 'quotas', 'set', '--db', dbFile, '--sku', 'NZ-2301-BK-M', '--station', '主管台', '--remove', '--user', 'lead'], {}, 'lead password\n');
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toBe('removed 1\n');
      expect((await shopfleet(['station', 'quotas', 'list', '--db', dbFile])).stdout).toMatch(/^no 离线配额 pulled/);
    } finally {
      lead.close();
      await hub.close();
      await engine.close();
    }
  });
});
