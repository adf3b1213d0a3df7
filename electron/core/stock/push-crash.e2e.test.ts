// kill -9 between send and confirm: a child process sends a station's stock pushes to loopback
// Kuaishou (deltas, no idempotency key) and PDD (absolute figures) shops and is SIGKILLed after the
// platform took the write but before its row was settled. The row is left 'sending'; a sender started
// afterwards (once the dead one's lease ran out) leaves each platform showing exactly the target — the
// delta applied once, the absolute figure simply set again.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../api/events.ts';
import { writeTx } from '../db/access.ts';
import { startPlatformServer as startKs } from '../../sandbox/platforms/kuaishou/server.ts';
import { startPlatformServer as startPdd } from '../../sandbox/platforms/pdd/server.ts';
import { sandboxCatalogue } from '../../sandbox/platforms/server-products.ts';
import { watchChild } from '../../testkit/child-run.ts';
import { SENT_MARKER } from '../../testkit/crash/stock-push-protocol.ts';
import { addShop, addSku, mapSku, openPushStation, pushRows, type PushStation } from '../../testkit/stock-push-fixtures.ts';
import { runPushRound } from './push-round.ts';
import { DEFAULT_LEASE_MS, StockSender } from './push-sender.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('../../testkit/crash/stock-push-crash-child.ts', import.meta.url));
const APPS = {
  kuaishou: { appKey: 'ks660000000000000001', appSecret: 'ks-sign-s3cret', accessToken: 'tok-123' },
  pdd: { appKey: 'pdd-app-1', appSecret: 'pdd-s3cret', accessToken: 'tok-123' },
} as const;

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Runs the child until it reports a sent write, then SIGKILLs it. */
async function killAfterSend(st: PushStation): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, '--db', st.file], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let sent: string[] = [];
  const run = await watchChild(child, {
    deadlineMs: 60_000,
    onStderrLine(line, killIn) {
      if (line.startsWith(SENT_MARKER)) {
        sent = line.slice(SENT_MARKER.length).trim().split(',');
        killIn(0);
      }
    },
  });
  expect(run.timedOut, run.stderr).toBe(false);
  expect(run.signal, run.stderr).toBe('SIGKILL');
  return sent;
}

describe('stock push: kill -9 between send and confirm', () => {
  it('Kuaishou: the delta is applied once; the restarted sender confirms from a fresh read', { timeout: 120_000 }, async () => {
    const products = sandboxCatalogue(1, Date.now());
    const srv = await startKs({ orders: [], products, ...APPS.kuaishou });
    closers.push(() => srv.close());
    const st = openPushStation();
    closers.push(() => st.close());
    const sku = products[0]!.skus[0]!;
    sku.stock = 10;
    sku.reserved = 0;
    addShop(st.db, 'ks-1', 'kuaishou', { gateway: srv.url, ...APPS.kuaishou });
    addSku(st.db, 'A', 16);
    mapSku(st.db, 'ks-1', products[0]!.productId, sku.skuId, 'A', 10);
    writeTx(st.db, (tx) => runPushRound(tx, { now: Date.now(), full: true }));

    const sent = await killAfterSend(st);
    const [row] = pushRows(st.db);
    expect(sent).toEqual([row!.id]);
    // The platform took +6; the row never heard back.
    expect(sku.stock).toBe(16);
    expect(row).toMatchObject({ state: 'sending', platformBefore: 10, sentDelta: 6, attempts: 1 });

    // Restarted: the dead sender's lease has run out. A second push of +6 would leave 22.
    const sender = new StockSender({ db: st.db, events: new EventBus(), now: () => Date.now() + DEFAULT_LEASE_MS + 1 });
    expect(await sender.flush()).toMatchObject({ confirmed: 1, failed: 0 });
    expect(sku.stock).toBe(16);
    expect(pushRows(st.db)[0]).toMatchObject({ state: 'confirmed', attempts: 2, platformBefore: 16, sentDelta: 0, platformAfter: 16 });
    // Retried again (a person's push now): nothing left to send.
    writeTx(st.db, (tx) => runPushRound(tx, { now: Date.now(), full: true }));
    expect(pushRows(st.db)).toHaveLength(1);
  });

  it('PDD: the absolute figure is set again after the restart and the platform shows the target', { timeout: 120_000 }, async () => {
    const products = sandboxCatalogue(1, Date.now());
    const srv = await startPdd({ orders: [], products, ...APPS.pdd });
    closers.push(() => srv.close());
    const st = openPushStation();
    closers.push(() => st.close());
    const sku = products[0]!.skus[0]!;
    sku.stock = 3;
    addShop(st.db, 'pdd-1', 'pdd', { gateway: srv.url, ...APPS.pdd });
    addSku(st.db, 'A', 21);
    mapSku(st.db, 'pdd-1', products[0]!.productId, sku.skuId, 'A', 3);
    writeTx(st.db, (tx) => runPushRound(tx, { now: Date.now(), full: true }));

    await killAfterSend(st);
    expect(sku.stock).toBe(21);
    expect(pushRows(st.db)[0]).toMatchObject({ state: 'sending' });
    // Sold 2 on the platform meanwhile: the resend sets the station's figure again.
    sku.stock = 19;
    const sender = new StockSender({ db: st.db, events: new EventBus(), now: () => Date.now() + DEFAULT_LEASE_MS + 1 });
    expect(await sender.flush()).toMatchObject({ confirmed: 1 });
    expect(sku.stock).toBe(21);
    expect(srv.calls.filter((c) => c.type === 'pdd.goods.quantity.update')).toHaveLength(2);
  });
});
