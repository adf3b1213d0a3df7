// `shopfleet print labels` on a station joined to a team hub (a real in-process hub on PGlite over
// loopback): it claims the orders first, prints the ones it holds, and refuses — exit 1, the
// holder's station and person on stderr — the order another station claimed. Nothing is sent to
// the printer for that order and it gets no waybill here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../../../server/db/engine.ts';
import { createHubApp, listenHub } from '../../../../server/hub/app.ts';
import { createTeam } from '../../../../server/hub/identity.ts';
import type { PrinterView, WaybillAccountInfo } from '../../../shared/contract.ts';
import { createCore } from '../../../core/app.ts';
import { claimOrders } from '../../../core/hub/claims.ts';
import { joinHub, syncOnce } from '../../../core/hub/client.ts';
import { ingestOrders } from '../../../core/orders/ingest.ts';
import { createRawKeyCipher } from '../../../core/shops/secrets.ts';
import { startCaptureServer } from '../../../sandbox/printing/capture-server.ts';
import { openFixture, platformOrder } from '../../../testkit/api-fixtures.ts';
import { ok } from '../../../testkit/results.ts';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';
import { testDbOf } from '../../../testkit/station-db.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-print-claims-'));
const dbFile = path.join(dir, 'station.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shopfleet print labels on a joined station', () => {
  it('refuses, with the holder named, the order another station claimed', { timeout: 180_000 }, async () => {
    const engine = await openPglite(null);
    const hub = await listenHub(await createHubApp({ engine }), { port: 0 });
    const server = await startCaptureServer({ lang: 'tspl' });
    const other = openFixture(0);
    try {
      await createTeam(engine, { team: '杭州店群', owner: '店主', password: 'correct horse' });
      const post = async (p: string, body: unknown, token?: string) => {
        const res = await fetch(`${hub.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
        return (await res.json()) as any;
      };
      const owner = (await post('/v1/login', { team: '杭州店群', user: '店主', password: 'correct horse' })).token as string;
      const code = async (user: string, role: string) => (await post('/v1/invites', { user, role }, owner)).code as string;

      // The CLI's station: two reviewed orders, a printer and a pool, joined to the hub.
      let ids: string[];
      const core = await createCore({ dbFile, sync: false });
      try {
        testDbOf(core).$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-1', '杭州女装旗舰店', 'taobao', 'active', 0)").run();
        ingestOrders(testDbOf(core), { shopId: 'shop-1', platform: 'taobao', orders: [1, 2].map((n) => ({ order: platformOrder(n), raw: {} })) }, Date.now());
        ids = (testDbOf(core).$client.prepare('SELECT id FROM orders ORDER BY paid_at').all() as { id: string }[]).map((r) => r.id);
        ok(await core.call('orders.review', { ids }));
        ok<PrinterView>(await core.call('printers.add', { name: '打包台', uri: server.uri, lang: 'tspl' }));
        const accountId = ok<WaybillAccountInfo>(await core.call('waybillAccounts.add', { name: '韵达自有', carrierCode: 'YUNDA', kind: 'pool', shopIds: ['shop-1'] })).id;
        ok(await core.call('waybillAccounts.addRange', { accountId, prefix: 'YD', start: 1, end: 9, width: 10 }));
        ok(await core.call('hub.join', { url: hub.url, code: await code('店主', 'owner'), name: '二号打包台' }));
      } finally {
        await core.close();
      }

      // Another station of the team gets the orders from the hub and claims the first one.
      const cipher = createRawKeyCipher(Buffer.alloc(32, 9), 'local-key');
      await joinHub(other.db, { cipher }, { url: hub.url, code: await code('xiaoli', 'packer'), name: '一号打包台' });
      await syncOnce(other.db, { cipher });
      const taken = await claimOrders(other.db, { cipher }, [ids[0]!]);
      expect([...taken!.allowed]).toEqual([ids[0]]);

      const run = await shopfleet(['print', 'labels', '--db', dbFile, '--orders', ids.join(','), '--printer', '打包台']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`${ids[0]}\\t\\S+\\tclaim_held\\t.*一号打包台（xiaoli）`));
      // The second order is this station's now, and printed; the first got no waybill here.
      expect(server.jobs).toHaveLength(1);
      expect(run.stdout).toContain(ids[1]);
      expect(run.stdout).not.toContain(ids[0]);
      const after = await createCore({ dbFile, sync: false });
      try {
        const numbered = testDbOf(after).$client.prepare('SELECT order_id FROM packages WHERE waybill_no IS NOT NULL').pluck().all();
        expect(numbered).toEqual([ids[1]]);
      } finally {
        await after.close();
      }
    } finally {
      other.close();
      await server.close();
      await hub.close();
      await engine.close();
    }
  });
});
