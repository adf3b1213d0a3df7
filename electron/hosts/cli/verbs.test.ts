// The workbench's verbs on the command line, through the real binary on a real station file: one
// filter vocabulary for every command, the order actions, waybill accounts, the generic `call`
// (same validation and roles as the workbench: a refused call writes nothing), and per-command help.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResult, OrderDetail, WaybillAccountInfo } from '../../shared/contract.ts';
import { platformOrder } from '../../testkit/api-fixtures.ts';
import { createCore, type Core } from '../../core/app.ts';
import { ingestOrders } from '../../core/orders/ingest.ts';
import { actorNamed } from '../../core/session.ts';
import { COMMANDS, helpFor } from './usage.ts';
import { shopfleet } from '../../testkit/run-shopfleet.ts';
import { ok } from '../../testkit/results.ts';
import { testDbOf } from '../../testkit/station-db.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-verbs-'));
const dbFile = path.join(dir, 'station.db');
let ids: string[] = [];
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function withCore<T>(body: (core: Core) => Promise<T> | T): Promise<T> {
  const core = await createCore({ dbFile, sync: false });
  try {
    return await body(core);
  } finally {
    await core.close();
  }
}

/** Everything a refused call could have touched: orders, the audit trail and the ops log. */
const snapshot = () =>
  withCore((core) => {
    const c = testDbOf(core).$client;
    return JSON.stringify({
      orders: c.prepare('SELECT * FROM orders ORDER BY id').all(),
      audit: c.prepare('SELECT count(*) AS n FROM audit_log').get(),
      ops: c.prepare('SELECT count(*) AS n FROM ops').get(),
      tags: c.prepare('SELECT * FROM order_tags ORDER BY order_id, tag_id').all(),
    });
  });

const detail = (id: string) => withCore(async (core) => ok<OrderDetail>(await core.call('orders.get', { id })));

beforeAll(async () => {
  await withCore((core) => {
    testDbOf(core).$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-1', '杭州女装旗舰店', 'taobao', 'active', 0)").run();
    ingestOrders(testDbOf(core), { shopId: 'shop-1', platform: 'taobao', orders: [1, 2, 3, 4, 5, 6].map((n) => ({ order: platformOrder(n), raw: {} })) }, Date.now());
    ids = (testDbOf(core).$client.prepare('SELECT id FROM orders ORDER BY paid_at').all() as { id: string }[]).map((r) => r.id);
    // A packer of this station: a role that may hold orders but not review or release them.
    actorNamed(testDbOf(core), '打包员小李', 'packer');
  });
}, 60_000);

describe('one filter vocabulary', () => {
  it('takes --status awaiting_print in orders list as the print commands always did, and --queue in the print commands', async () => {
    await withCore(async (core) => ok(await core.call('orders.review', { ids: ids.slice(0, 2) })));
    const [byStatus, byQueue, picklist, bothTabs, unknown] = await Promise.all([
      shopfleet(['orders', 'list', '--db', dbFile, '--status', 'awaiting_print', '--json']),
      shopfleet(['orders', 'list', '--db', dbFile, '--queue', 'awaiting_print', '--json']),
      shopfleet(['print', 'picklist', '--db', dbFile, '--queue', 'awaiting_print', '--platform', 'taobao', '--out', path.join(dir, 'pick.pdf')]),
      shopfleet(['orders', 'list', '--db', dbFile, '--status', 'awaiting_print', '--queue', 'held']),
      shopfleet(['orders', 'list', '--db', dbFile, '--status', 'lost']),
    ]);
    expect(byStatus.code, byStatus.stderr).toBe(0);
    const listed = (JSON.parse(byStatus.stdout) as { id: string }[]).map((o) => o.id);
    expect(listed.sort()).toEqual(ids.slice(0, 2).sort());
    expect(byQueue.stdout).toBe(byStatus.stdout);
    expect(picklist.code, picklist.stderr).toBe(0);
    expect(picklist.stderr).toContain('pick list for 2 order(s)');
    expect(bothTabs.code).toBe(2);
    expect(bothTabs.stderr).toContain('one status tab at a time');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--status: unknown "lost"/);
    // The usage under an error is the command's own line, not the whole manual.
    expect(unknown.stderr).toContain('Usage: shopfleet orders list');
    expect(unknown.stderr).not.toContain('sandbox --platform');
  });

  it('takes --orders with platform numbers in orders list and export too, but not with filter flags', async () => {
    const out = path.join(dir, 'two.csv');
    const [list, exported, mixed] = await Promise.all([
      shopfleet(['orders', 'list', '--db', dbFile, '--orders', 'P00000003,P00000004', '--json']),
      shopfleet(['export', '--db', dbFile, '--orders', 'P00000003', '--orders', 'P00000004', '--columns', 'platformOrderId', '--out', out]),
      shopfleet(['orders', 'list', '--db', dbFile, '--orders', 'P00000003', '--queue', 'held']),
    ]);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { platformOrderId: string }[]).map((o) => o.platformOrderId)).toEqual(['P00000003', 'P00000004']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/P00000003[\s\S]*P00000004/);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--orders or filter flags, not both');
  });
});

describe('order actions through the API', () => {
  it('reviews, holds, releases, tags and flags, reporting what changed and what was skipped', async () => {
    const review = await shopfleet(['orders', 'review', '--db', dbFile, '--orders', 'P00000003']);
    expect(review.code, review.stderr).toBe(0);
    expect(review.stdout).toContain('1 changed, 0 skipped');
    expect((await detail(ids[2] as string)).queue).toBe('awaiting_print');

    const hold = await shopfleet(['orders', 'hold', '--db', dbFile, '--orders', 'P00000003', '--reason', '缺货等补货']);
    expect(hold.code, hold.stderr).toBe(0);
    expect((await detail(ids[2] as string)).holdReason).toBe('缺货等补货');
    // Held already: skipped with the reason, exit 1.
    const again = await shopfleet(['orders', 'hold', '--db', dbFile, '--orders', 'P00000003', '--reason', '再挂一次', '--json']);
    expect(again.code).toBe(1);
    expect((JSON.parse(again.stdout) as BatchResult).skipped).toEqual([expect.objectContaining({ id: ids[2] })]);
    expect(again.stderr).toContain(`${ids[2]}\tP00000003\t`);

    const release = await shopfleet(['orders', 'release', '--db', dbFile, '--queue', 'held']);
    expect(release.code, release.stderr).toBe(0);
    expect((await detail(ids[2] as string)).holdReason).toBeNull();

    await withCore(async (core) => ok(await core.call('tags.create', { name: '加急', color: '#f5222d' })));
    const tag = await shopfleet(['orders', 'tag', '--db', dbFile, '--orders', 'P00000003', '--add', '加急']);
    expect(tag.code, tag.stderr).toBe(0);
    const flag = await shopfleet(['orders', 'memo', '--db', dbFile, '--tag', '加急', '--flag', '2', '--memo', '先发顺丰']);
    expect(flag.code, flag.stderr).toBe(0);
    const d = await detail(ids[2] as string);
    expect(d.tags.map((t) => t.name)).toEqual(['加急']);
    expect([d.sellerFlag, d.sellerMemo]).toEqual([2, '先发顺丰']);

    const unknownTag = await shopfleet(['orders', 'tag', '--db', dbFile, '--orders', 'P00000003', '--add', '不存在']);
    expect(unknownTag.code).toBe(2);
    expect(unknownTag.stderr).toContain('unknown tag "不存在" (tags: 加急)');
  });

  it('refuses to act on every order by default', async () => {
    const before = await snapshot();
    const r = await shopfleet(['orders', 'review', '--db', dbFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('orders review needs the orders');
    expect(await snapshot()).toBe(before);
  });

  it('acts as another station user with --user, whose role the core checks: a packer may not review', async () => {
    const before = await snapshot();
    const r = await shopfleet(['orders', 'review', '--db', dbFile, '--orders', 'P00000005', '--user', '打包员小李']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FORBIDDEN');
    expect(await snapshot()).toBe(before);
    const held = await shopfleet(['orders', 'hold', '--db', dbFile, '--orders', 'P00000005', '--reason', '地址要核对', '--user', '打包员小李']);
    expect(held.code, held.stderr).toBe(0);
    const d = await detail(ids[4] as string);
    expect(d.timeline[0]).toMatchObject({ actor: '打包员小李', command: 'orders.hold' });
    const nobody = await shopfleet(['orders', 'release', '--db', dbFile, '--orders', 'P00000005', '--user', '不存在的人']);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('no station user "不存在的人"');
  });

  it('ships one order with a carrier and waybill number', async () => {
    const r = await shopfleet(['orders', 'ship', '--db', dbFile, '--order', 'P00000006', '--carrier', 'YUNDA', '--waybill', 'YD1234567890']);
    expect(r.code, r.stderr).toBe(0);
    const d = await detail(ids[5] as string);
    expect(d.stage).toBe('shipped');
    expect(JSON.stringify(d.waybills)).toContain('YD1234567890');
    const bad = await shopfleet(['orders', 'ship', '--db', dbFile, '--order', 'P00000006', '--carrier', 'UPS', '--waybill', 'X1234567']);
    expect(bad.code).toBe(2);
  });
});

describe('waybill accounts', () => {
  it('adds a pool, loads a range and a file, and lists the free numbers', async () => {
    const add = await shopfleet(['waybills', 'add', '--db', dbFile, '--name', '韵达自有', '--carrier', 'YUNDA', '--kind', 'pool', '--for-shops', '杭州女装旗舰店']);
    expect(add.code, add.stderr).toBe(0);
    const accountId = add.stdout.trim();
    const range = await shopfleet(['waybills', 'range', '--db', dbFile, '--account', '韵达自有', '--prefix', 'YD', '--start', '1', '--end', '5', '--width', '10']);
    expect(range.code, range.stderr).toBe(0);
    expect(range.stdout).toContain('5 added');
    const csv = path.join(dir, 'numbers.csv');
    fs.writeFileSync(csv, 'YD9000000001\nYD9000000002\nYD0000000001\n');
    const refused = await shopfleet(['waybills', 'import', '--db', dbFile, '--account', accountId, '--file', csv]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already_in_pool');
    const imported = await shopfleet(['waybills', 'import', '--db', dbFile, '--account', accountId, '--file', csv, '--skip-bad']);
    expect(imported.code, imported.stderr).toBe(0);
    const list = await shopfleet(['waybills', 'list', '--db', dbFile, '--json']);
    const pool = (JSON.parse(list.stdout) as WaybillAccountInfo[]).find((a) => a.id === accountId);
    expect(pool?.pool).toEqual({ free: 7, used: 0 });
  });
});

describe('shopfleet call', () => {
  it('prints a method\'s result as JSON, with input from --input or stdin', async () => {
    const counts = await shopfleet(['call', 'orders.counts', '--db', dbFile, '--input', '{"filter":{}}']);
    expect(counts.code, counts.stderr).toBe(0);
    const direct = await withCore(async (core) => ok(await core.call('orders.counts', { filter: {} })));
    expect(JSON.parse(counts.stdout)).toEqual(direct);
    const viaStdin = await shopfleet(['call', 'orders.get', '--db', dbFile, '--input', '-'], {}, JSON.stringify({ id: ids[0] }));
    expect(viaStdin.code, viaStdin.stderr).toBe(0);
    expect((JSON.parse(viaStdin.stdout) as OrderDetail).platformOrderId).toBe('P00000001');
  });

  it('refuses a method the role may not call with exit 1 and the error\'s code, writing nothing', async () => {
    const before = await snapshot();
    const r = await shopfleet(['call', 'orders.release', '--db', dbFile, '--user', '打包员小李', '--input', JSON.stringify({ ids: [ids[4]] })]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('orders.release: FORBIDDEN — Role "packer" may not call orders.release');
    expect(r.stdout).toBe('');
    expect(await snapshot()).toBe(before);
    // The owner may.
    const owner = await shopfleet(['call', 'orders.release', '--db', dbFile, '--input', JSON.stringify({ ids: [ids[4]] })]);
    expect(owner.code, owner.stderr).toBe(0);
    expect((JSON.parse(owner.stdout) as BatchResult).changed).toBe(1);
  });

  it('refuses bad input by the method\'s schema, unknown methods, and JSON that does not parse', async () => {
    const before = await snapshot();
    const [invalid, unknown, garbled] = await Promise.all([
      shopfleet(['call', 'orders.hold', '--db', dbFile, '--input', JSON.stringify({ ids: [ids[0]], reason: '' })]),
      shopfleet(['call', 'orders.frobnicate', '--db', dbFile]),
      shopfleet(['call', 'orders.get', '--db', dbFile, '--input', '{id:']),
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('VALIDATION_FAILED');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('UNKNOWN_METHOD');
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain('--input is not valid JSON');
    expect(await snapshot()).toBe(before);
  });
});

describe('help', () => {
  it('gives each command its own help, through "help X" and "X --help"', async () => {
    const [viaHelp, viaFlag, group, none] = await Promise.all([
      shopfleet(['help', 'orders', 'list']),
      shopfleet(['orders', 'list', '--help']),
      shopfleet(['help', 'orders']),
      shopfleet(['help', 'nothing']),
    ]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toMatch(/^Usage: shopfleet orders list --db FILE/);
    expect(viaHelp.stdout).toContain('--queue Q');
    expect(viaHelp.stdout).not.toContain('sandbox --platform');
    expect(viaFlag.stdout).toBe(viaHelp.stdout);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/^Usage: shopfleet orders <list\|review\|hold\|release\|tag\|flag\|ship>/);
    expect(group.stdout).not.toContain('print labels');
    expect(none.code).toBe(2);
  });

  it('has a help of its own for every command, naming it', () => {
    for (const name of Object.keys(COMMANDS)) {
      const help = helpFor(name);
      expect(help, name).toMatch(new RegExp(`^Usage: shopfleet ${name}`));
      for (const other of Object.keys(COMMANDS)) if (other !== name && !other.startsWith(name)) expect(help, `${name} shows ${other}`).not.toContain(`shopfleet ${other} `);
    }
  });
});
