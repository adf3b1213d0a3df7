// A gateway or a proxy that echoes the request puts its access token and signature into the error
// text. Nothing of that may be stored (sync runs, the shop's cursor, quarantine, pushes and their op,
// print jobs) or shown to a role through the API, and the database file and its WAL never hold it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { dispatch, type Handlers } from '../api/dispatch.ts';
import { EventBus } from '../api/events.ts';
import { openFixture, T0 } from '../../testkit/api-fixtures.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { shipOrders } from '../orders/ship.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { SandboxAdapter } from '../../sandbox/demo/adapter.ts';
import { ensureDemoTeam } from '../../sandbox/demo/demo-team.ts';
import { HOUR } from '../../sandbox/demo/generator.ts';
import { Outbox } from './outbox.ts';
import { SyncScheduler } from './scheduler.ts';

const TOKEN = '6201f2a9c8e4b7d10f3a5c6e8b9d0a1c2e3f4a5b6';
const SIGN = 'D41D8CD98F00B204E9800998ECF8427E';
const ECHO = `HTTP 502 from proxy: GET /router/rest?method=taobao.trades.sold.get&session=${TOKEN}&sign=${SIGN}&app_key=12345 body {"access_token":"${TOKEN}"}\nAuthorization: Bearer ${TOKEN}`;
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Every byte of the database and its WAL, as latin1 text to search for a token. */
function fileBytes(file: string): string {
  return [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1')).join('');
}

function station(): { db: Db; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-redact-'));
  const file = path.join(dir, 'station.db');
  const db = openDatabase(file);
  cleanups.push(() => {
    if (db.$client.open) db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { db, file };
}

describe('platform error text keeps no secrets', () => {
  it('a failed sync: sync_runs, the cursor, the progress event and the file (WAL included) hold no token or signature', async () => {
    const { db, file } = station();
    ensureDemoTeam(db, NOW, { shops: 1 });
    const shop = db.$client.prepare('SELECT id, name, platform, state, settings FROM shops').get() as ShopRecord;
    const events = new EventBus();
    const messages: string[] = [];
    events.on('sync.progress', (p) => p.message && messages.push(p.message));
    const echoing = (s: ShopRecord): PlatformAdapter => {
      // The sandbox adapter, except that every page answers with the proxy's echo.
      const adapter = Object.create(new SandboxAdapter(s, { now: () => NOW })) as PlatformAdapter;
      adapter.pullPage = async () => {
        throw new AppError('PLATFORM_ERROR', ECHO, { retryable: false });
      };
      return adapter;
    };
    const scheduler = new SyncScheduler({ db, events, now: () => NOW, backfillMs: HOUR, adapterFor: echoing });
    await scheduler.syncShop(shop.id);
    await scheduler.stop();

    const run = db.$client.prepare('SELECT error FROM sync_runs WHERE shop_id = ?').get(shop.id) as { error: string };
    const cursor = db.$client.prepare('SELECT last_error FROM sync_cursors WHERE shop_id = ?').get(shop.id) as { last_error: string };
    for (const text of [run.error, cursor.last_error, ...messages]) {
      expect(text).toContain('HTTP 502 from proxy');
      expect(text).toContain('method=taobao.trades.sold.get');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SIGN);
    }
    expect(messages.length).toBeGreaterThan(0);
    expect(fileBytes(file)).not.toContain(TOKEN);
    expect(fileBytes(file)).not.toContain(SIGN);
  });

  it('a failed push-back: pushes.last_error and the op\'s push_error hold no token', async () => {
    const f = openFixture(1);
    cleanups.push(() => f.close());
    shipOrders(f.ctx(), { items: [{ id: f.idOf(1), carrierCode: 'ZTO', waybillNo: 'ZT0000000001' }] });
    const adapter = {
      platform: 'taobao',
      limits: { maxWindowMs: 1, pageSize: 1, lagMs: 0, overlapMs: 0, horizonMs: 1 },
      pullPage: async () => {
        throw new Error('not used');
      },
      toOrder: () => {
        throw new Error('not used');
      },
      push: async () => {
        throw new AppError('PLATFORM_ERROR', ECHO, { retryable: false });
      },
      decryptReceivers: async () => {
        throw new Error('not used');
      },
    } as unknown as PlatformAdapter;
    const outbox = new Outbox({ db: f.db, events: f.events, now: () => T0 + 2 * 86_400_000, random: () => 0.5, adapterFor: () => adapter });
    await outbox.flush();
    const push = f.db.$client.prepare('SELECT state, last_error, op_id FROM pushes').get() as { state: string; last_error: string; op_id: string };
    const op = f.db.$client.prepare('SELECT push_error FROM ops WHERE id = ?').get(push.op_id) as { push_error: string };
    expect(push.state).toBe('failed');
    for (const text of [push.last_error, op.push_error]) {
      expect(text).toContain('HTTP 502 from proxy');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SIGN);
    }
  });

  it('an error a call answers with (any role) holds no token, coded or not', async () => {
    const actor = { userId: 'u', name: 'packer', role: 'packer' as const };
    const handlers = {
      'sync.status': () => {
        throw new AppError('PLATFORM_ERROR', ECHO);
      },
      'shops.list': () => {
        throw new Error(ECHO);
      },
    } as unknown as Handlers;
    for (const method of ['sync.status', 'shops.list']) {
      const r = await dispatch(handlers, method, {}, actor);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.message).toContain('HTTP 502 from proxy');
        expect(r.error.message).not.toContain(TOKEN);
        expect(r.error.message).not.toContain(SIGN);
      }
    }
  });
});
