// A team's day through the real `shopfleet` binary, every step a child process as a person at a
// terminal would run it (README "Running a team" lists the same commands in the same order): a hub
// made with one command, an owner's laptop and two packing stations joined to it, a shop synced from
// a platform sandbox by the laptop and received by the others through the hub; one station claims
// and prints, the other cannot print those; the first loses its network and keeps packing what it
// holds while the others go on through a restarted hub; when it is back, every station agrees
// (orders, waybills, stock), nothing was printed twice, and `--user` at a station is only a team
// member who proves it (the station's own pre-hub account is refused before writing anything).
//
// Station A reaches the hub through a loopback relay in this process: closing the relay is pulling
// A's network cable while the hub and the other stations stay up.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HubJoinResult, HubStatus } from '../../shared/contract.ts';
import { repoRoot, shopfleet, shopfleetBin, type CliRun } from '../../testkit/run-shopfleet.ts';
import type { ListedOrder } from './commands/orders-list.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-team-day-'));
const children: ChildProcess[] = [];
// SHOPFLEET_KEEP_TEAM_DAY=1 keeps the stations' databases and the hub's folder for a look after a failure.
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (!process.env.SHOPFLEET_KEEP_TEAM_DAY) fs.rmSync(dir, { recursive: true, force: true });
});

const OWNER_PASSWORD = 'boss-password-2026';
const db = { laptop: path.join(dir, 'laptop.db'), a: path.join(dir, 'pack-a.db'), b: path.join(dir, 'pack-b.db') };
const hubData = path.join(dir, 'hub-data');

async function must(args: string[], input?: string): Promise<CliRun> {
  const r = await shopfleet(args, {}, input);
  expect(r.code, `shopfleet ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}
const json = async <T,>(args: string[]): Promise<T> => JSON.parse((await must([...args, '--json'])).stdout) as T;

/** A command that stays up (hub serve, sandbox): resolves with its output once a line matches `ready`. */
function startLong(args: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray; out: () => string }> {
  const child = spawn(process.execPath, [shopfleetBin, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve({ child, match: m, out: () => out });
    });
    child.on('exit', (code) => reject(new Error(`shopfleet ${args.join(' ')} exited ${code} before it was ready\n${out}\n${err}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Station A's network: a relay to the hub's port that can be unplugged and plugged back on the same port. */
async function cable(hubPort: number): Promise<{ url: string; unplug: () => Promise<void>; plug: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const plug = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((inbound) => {
        const outbound = net.connect(hubPort, '127.0.0.1');
        for (const s of [inbound, outbound]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => (inbound.destroy(), outbound.destroy()));
        }
        inbound.pipe(outbound).pipe(inbound);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const unplug = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server === null) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await plug();
  return { url: `http://127.0.0.1:${port}`, unplug, plug, close: unplug };
}

describe('a team day on one hub', () => {
  it('two packing stations and a laptop work a day, one offline, and agree at the end', { timeout: 600_000 }, async () => {
    const t0 = Date.now();
    const lap = (what: string) => console.info(`[team-day] ${((Date.now() - t0) / 1000).toFixed(1)} s ${what}`);

    // The hub, made with one command, and a Taobao sandbox with a day of orders.
    const [sandbox] = await Promise.all([
      startLong(['sandbox', '--platform', 'taobao', '--port', '0', '--orders', '24', '--seed', '7'], /url: (\S+)\napp key: (\S+)\napp secret: (\S+)\naccess token: (\S+)\n/),
      must(['hub', 'team', 'create', '--data', hubData, '--team', '杭州店群', '--owner', 'boss'], `${OWNER_PASSWORD}\n`),
    ]);
    let hub = await startLong(['hub', 'serve', '--data', hubData, '--port', '0'], /^(http:\/\/127\.0\.0\.1:(\d+))\n/);
    const hubUrl = hub.match[1]!;
    const hubPort = Number(hub.match[2]);
    const aCable = await cable(hubPort);
    const [gateway, appKey, appSecret, accessToken] = sandbox.match.slice(1) as [string, string, string, string];
    lap('hub and sandbox up');

    const invite = async (user: string, role: string) => (await must(['hub', 'invite', '--hub', hubUrl, '--user', user, '--role', role], `${OWNER_PASSWORD}\n`)).stdout.trim().split('\n').at(-1)!;
    const skus = path.join(dir, 'skus.csv');
    fs.writeFileSync(skus, '商家编码,商品名称\nTEA-01,西湖龙井 250g\n');
    const [codes, , aAccount, bAccount] = await Promise.all([
      Promise.all([invite('boss', 'owner'), invite('xiaoli', 'packer'), invite('xiaowang', 'packer')]),
      // The owner's laptop connects the shop, pulls its orders, reviews them, sets up stock.
      (async () => {
        const shopId = (await must(['shops', 'add', '--db', db.laptop, '--platform', 'taobao', '--name', '龙井茶旗舰店', '--app-key', appKey, '--secrets-stdin', '--gateway', gateway], `app-secret=${appSecret}\naccess-token=${accessToken}\n`)).stdout.trim();
        await must(['sync', '--db', db.laptop]);
        await must(['warehouses', 'add', '--db', db.laptop, '--code', 'HZ', '--name', '杭州仓']);
        await must(['skus', 'import', '--db', db.laptop, '--file', skus]);
        await must(['orders', 'review', '--db', db.laptop, '--queue', 'pending_review']);
        return shopId;
      })(),
      // Each packing station: its printer and its own roll of waybill numbers (numbers never travel).
      ...(
        [
          [db.a, '一号打印机', '一号台韵达', 'YA'],
          [db.b, '二号打印机', '二号台韵达', 'YB'],
        ] as const
      ).map(async ([file, printer, account, prefix]) => {
        await must(['printers', 'add', '--db', file, '--name', printer, '--uri', 'usb:/dev/null', '--lang', 'tspl']);
        const accountId = (await must(['waybills', 'add', '--db', file, '--name', account, '--carrier', 'YUNDA', '--kind', 'pool'])).stdout.trim();
        await must(['waybills', 'range', '--db', file, '--account', accountId, '--prefix', prefix, '--start', '1', '--end', '50', '--width', '8']);
        return accountId;
      }),
    ]);
    const [bossCode, liCode, wangCode] = codes;
    lap('invited; laptop synced its shop; printers and waybills set up');

    // The laptop joins first and brings what it holds; the packing stations are filled from the hub.
    const laptopJoin = await json<HubJoinResult>(['station', 'join', '--db', db.laptop, '--hub', hubUrl, '--code', bossCode!, '--name', '老板的笔记本']);
    expect(laptopJoin.broughtRows).toBeGreaterThan(0);
    const [aJoin, bJoin] = await Promise.all([
      json<HubJoinResult>(['station', 'join', '--db', db.a, '--hub', aCable.url, '--code', liCode!, '--name', '一号打包台']),
      json<HubJoinResult>(['station', 'join', '--db', db.b, '--hub', hubUrl, '--code', wangCode!, '--name', '二号打包台']),
    ]);
    expect([aJoin.broughtRows, bJoin.broughtRows]).toEqual([0, 0]);
    lap('three stations joined');

    const toPrint = (await json<ListedOrder[]>(['orders', 'list', '--db', db.a, '--queue', 'awaiting_print', '--all'])).map((o) => o.id);
    expect(toPrint.length).toBeGreaterThanOrEqual(6);
    const [a1, a2, a3, b1, b2, spare] = toPrint as [string, string, string, string, string, string];

    // A claims and prints a batch; B cannot print one of them, and is told who holds it.
    await must(['print', 'labels', '--db', db.a, '--orders', [a1, a2, a3].join(','), '--printer', '一号打印机', '--account', aAccount!]);
    const held = await shopfleet(['print', 'labels', '--db', db.b, '--orders', a1, '--printer', '二号打印机', '--account', bAccount!]);
    expect(held.code, held.stderr).toBe(1);
    expect(held.stderr).toMatch(new RegExp(`${a1}\\t\\S+\\tclaim_held\\t.*一号打包台（xiaoli）`));
    lap('A printed its batch; B refused one of them');
    // The owner acts at A once while the hub answers (his password on standard input): A keeps a
    // hash of what the hub accepted, so he can prove himself there offline later.
    const bossAtA = JSON.parse((await must(['call', 'session.whoami', '--db', db.a, '--user', 'boss'], `${OWNER_PASSWORD}\n`)).stdout) as { name: string; role: string };
    expect(bossAtA).toMatchObject({ name: 'boss', role: 'owner' });

    // A's cable is pulled; the hub restarts (same data, same port) while A is away.
    await aCable.unplug();
    await stop(hub.child);
    hub = await startLong(['hub', 'serve', '--data', hubData, '--port', String(hubPort)], /^(http:\/\/127\.0\.0\.1:(\d+))\n/);

    // The laptop edits a memo, B prints its own batch, takes in stock and writes a note.
    const laptopMemo = '客户要求周五前到';
    const aMemo = '已和客户确认：周四发顺丰';
    await Promise.all([
      (async () => {
        await must(['orders', 'memo', '--db', db.laptop, '--orders', a2, '--memo', laptopMemo]);
        await must(['station', 'sync', '--db', db.laptop]);
      })(),
      (async () => {
        await must(['print', 'labels', '--db', db.b, '--orders', [b1, b2].join(','), '--printer', '二号打印机', '--account', bAccount!]);
        await must(['stock', 'receive', '--db', db.b, '--sku', 'TEA-01', '--warehouse', 'HZ', '--quantity', '20', '--reference', '到货单 0412']);
        await must(['call', 'orders.addNote', '--db', db.b, '--input', JSON.stringify({ id: b1, body: '礼盒装，@boss 看一下' })]);
        await must(['station', 'sync', '--db', db.b]);
      })(),
      // Offline, A ships what it holds, is refused an order it never claimed, takes stock out.
      (async () => {
        const offline = await shopfleet(['print', 'labels', '--db', db.a, '--orders', [a1, spare].join(','), '--printer', '一号打印机', '--account', aAccount!]);
        expect(offline.code, offline.stderr).toBe(1);
        expect(offline.stderr).toMatch(new RegExp(`${spare}\\t\\S+\\tclaim_offline`));
        expect(offline.stderr).not.toContain(a1);
        await must(['orders', 'ship', '--db', db.a, '--printed', '--orders', [a1, a2, a3].join(',')]);
        await must(['stock', 'receive', '--db', db.a, '--sku', 'TEA-01', '--warehouse', 'HZ', '--quantity', '5', '--reference', '退货入库']);
        // Someone at A tries the station's own pre-hub account: not a person of the team, so refused
        // before anything is written (--user on a joined station proves a team member).
        const asLocal = await shopfleet(['call', 'orders.addNote', '--db', db.a, '--user', '店主', '--input', JSON.stringify({ id: a3, body: '用本机账号写的备注' })], {}, '');
        expect(asLocal.code, asLocal.stderr).toBe(2);
        expect(asLocal.stderr).toContain('"店主" is not one');
      })(),
    ]);
    // Later still, A's memo of the order the laptop edited: the later edit is the one everyone keeps.
    // As boss, who proves it with the password on standard input (no password: exit 2).
    const unproven = await shopfleet(['orders', 'memo', '--db', db.a, '--orders', a2, '--memo', aMemo, '--user', 'boss'], {}, '');
    expect(unproven.code, unproven.stderr).toBe(2);
    await must(['orders', 'memo', '--db', db.a, '--orders', a2, '--memo', aMemo, '--user', 'boss'], `${OWNER_PASSWORD}\n`);
    const aOffline = await shopfleet(['station', 'sync', '--db', db.a]);
    expect(aOffline.code).toBe(1);
    lap('offline work done');

    // A is back: it syncs, then the others.
    await aCable.plug();
    await must(['station', 'sync', '--db', db.a]);
    await Promise.all([must(['station', 'sync', '--db', db.b]), must(['station', 'sync', '--db', db.laptop])]);
    await must(['station', 'sync', '--db', db.a]);
    lap('all synced');

    const stations = [db.laptop, db.a, db.b];
    const views = await Promise.all(
      stations.map(async (file) => {
        const [orders, stock, status] = await Promise.all([
          json<ListedOrder[]>(['orders', 'list', '--db', file, '--all']),
          json<{ sku: string; warehouse: string; onHand: number }[]>(['stock', 'list', '--db', file]),
          json<HubStatus>(['station', 'status', '--db', file]),
        ]);
        return {
          orders: Object.fromEntries(orders.map((o) => [o.id, { status: o.status, stage: o.stage, memo: o.sellerMemo, waybills: o.waybills.map((w) => w.waybillNo) }])),
          onHand: stock.filter((s) => s.sku === 'TEA-01').map((s) => [s.warehouse, s.onHand]),
          status,
        };
      }),
    );
    lap('read every station');
    const [laptopView, aView, bView] = views as [(typeof views)[number], (typeof views)[number], (typeof views)[number]];
    // Nothing waits and the hub refused nothing: the pre-hub account never wrote an op.
    for (const v of views) expect(v.status.opsWaiting, JSON.stringify(v.status)).toBe(0);
    expect(aView.status.refused, JSON.stringify(aView.status)).toEqual([]);
    expect(laptopView.status.refused).toEqual([]);
    expect(bView.status.refused, JSON.stringify(bView.status)).toEqual([]);
    expect(aView.orders).toEqual(laptopView.orders);
    expect(bView.orders).toEqual(laptopView.orders);
    expect(laptopView.orders[a2]?.memo).toBe(aMemo);
    for (const id of [a1, a2, a3]) expect(laptopView.orders[id]?.stage).toBe('shipped');
    // One waybill per printed order, each from the roll of the station that printed it.
    expect([a1, a2, a3, b1, b2].map((id) => laptopView.orders[id]?.waybills)).toEqual([
      [expect.stringMatching(/^YA/)],
      [expect.stringMatching(/^YA/)],
      [expect.stringMatching(/^YA/)],
      [expect.stringMatching(/^YB/)],
      [expect.stringMatching(/^YB/)],
    ]);
    expect(Object.values(laptopView.orders).filter((o) => o.waybills.length > 0)).toHaveLength(5);
    // Nothing printed twice: each order's label went to one printer, once.
    const jobs = await Promise.all([db.a, db.b].map((file) => json<{ orderId: string | null; docType: string; reprintOf: string | null }[]>(['print', 'jobs', '--db', file])));
    const printed = jobs.flat().filter((j) => j.docType === 'waybill').map((j) => j.orderId);
    expect(jobs.flat().filter((j) => j.reprintOf !== null)).toEqual([]);
    expect(printed.sort()).toEqual([a1, a2, a3, b1, b2].sort());
    // Stock: on hand is the same everywhere, every receipt counted once.
    for (const v of views) expect(v.onHand).toEqual([['HZ', 25]]);

    await Promise.all([stop(hub.child), stop(sandbox.child), aCable.close()]);
    lap('done');
  });
});
