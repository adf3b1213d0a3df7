// orders.revealReceiver: decrypt through the platform, audit with the reason, never store or log
// the plaintext, refuse receivers stored in clear, and cap reveals per person per day.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, RevealedReceiver } from '../../shared/contract.ts';
import { AppError } from '../../shared/result.ts';
import type { CoreContext } from '../api/command.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { ingestOrders } from './ingest.ts';
import type { DecryptedReceiver, DecryptRequest, PlatformAdapter } from '../platforms/contract.ts';
import { REVEAL_DAILY_CAP, revealReceiver, shanghaiDayStart } from './reveal.ts';

const SECRET: DecryptedReceiver = { name: '王小明', phone: '13912345678', address: '西湖区文三路 478 号华星时代广场 A 座 1203' };

function decryptingAdapter(answer: (reqs: DecryptRequest[]) => Map<string, DecryptedReceiver>) {
  const calls: DecryptRequest[][] = [];
  const adapter: PlatformAdapter = {
    platform: 'taobao',
    limits: { maxWindowMs: 1, pageSize: 1, lagMs: 0, overlapMs: 0, horizonMs: 1 },
    pullPage: () => Promise.reject(new Error('not used')),
    toOrder: () => {
      throw new Error('not used');
    },
    push: () => Promise.reject(new Error('not used')),
    listProducts: () => Promise.reject(new Error('not used')),
    writeStock: () => Promise.reject(new Error('not used')),
    decryptReceivers: async (reqs) => {
      calls.push(reqs);
      return answer(reqs);
    },
  };
  return { adapter, calls };
}

let f: Fixture;
let clock: number;
let cipheredId: string;
beforeEach(() => {
  f = openFixture(1);
  clock = Date.UTC(2025, 0, 5, 3, 0, 0); // 11:00 in Shanghai
  const base = platformOrder(50);
  [cipheredId] = f.addOrders([{ ...base, receiver: { ...base.receiver, phone: '139****5678', cipher: 'oaid-1a2b3c' } }]) as [string];
});
afterEach(() => f.close());

const ctxAt = (actor: Actor): CoreContext => ({ ...f.ctx(actor), now: () => clock });
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};
const dumpOf = (table: string) => JSON.stringify(f.db.$client.prepare(`SELECT * FROM ${table}`).all());

describe('revealReceiver', () => {
  it('decrypts through the adapter, audits who and why, and keeps the plaintext out of every table', async () => {
    const { adapter, calls } = decryptingAdapter((reqs) => new Map(reqs.map((r) => [r.platformOrderId, SECRET])));
    const service = f.as('service', '客服小王');
    const out: RevealedReceiver = await revealReceiver(ctxAt(service), { adapterFor: () => adapter }, { id: cipheredId, reason: '买家电话打不通，核对号码' });
    expect(out).toEqual(SECRET);
    expect(calls).toEqual([[{ platformOrderId: 'P00000050', cipher: 'oaid-1a2b3c' }]]);
    const audit = f.db.$client.prepare("SELECT entity_id, field, before, after, reason, actor FROM audit_log WHERE command = 'orders.revealReceiver'").all();
    expect(audit).toEqual([{ entity_id: cipheredId, field: 'receiver', before: null, after: 'revealed', reason: '买家电话打不通，核对号码', actor: '客服小王' }]);
    const op = f.db.$client.prepare("SELECT args, push_state FROM ops WHERE name = 'orders.revealReceiver'").get() as { args: string; push_state: null };
    expect(JSON.parse(op.args)).toEqual({ id: cipheredId, reason: '买家电话打不通，核对号码' });
    for (const table of ['audit_log', 'ops', 'orders', 'order_payloads', 'pushes']) {
      const dump = dumpOf(table);
      expect(dump).not.toContain(SECRET.phone);
      expect(dump).not.toContain(SECRET.name);
      expect(dump).not.toContain('华星时代广场');
    }
  });

  it('refuses a receiver stored in clear without calling the platform', async () => {
    const { adapter, calls } = decryptingAdapter(() => new Map());
    const err = await revealReceiver(ctxAt(f.owner), { adapterFor: () => adapter }, { id: f.idOf(1), reason: '核对' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('INVALID_STATE');
    expect((err as AppError).message).toMatch(/stored in clear/);
    expect(calls).toHaveLength(0);
    expect(await codeOf(revealReceiver(ctxAt(f.owner), { adapterFor: () => adapter }, { id: 'nope', reason: '核对' }))).toBe('NOT_FOUND');
  });

  it('a receiver the platform would not decrypt is an error and leaves no audit', async () => {
    const { adapter } = decryptingAdapter(() => new Map());
    expect(await codeOf(revealReceiver(ctxAt(f.owner), { adapterFor: () => adapter }, { id: cipheredId, reason: '核对' }))).toBe('PLATFORM_ERROR');
    expect(f.db.$client.prepare("SELECT count(*) FROM audit_log WHERE command = 'orders.revealReceiver'").pluck().get()).toBe(0);
  });

  it(`caps customer service at ${REVEAL_DAILY_CAP.service} reveals a Shanghai day, per person, with a clear FORBIDDEN`, async () => {
    const { adapter, calls } = decryptingAdapter((reqs) => new Map(reqs.map((r) => [r.platformOrderId, SECRET])));
    const deps = { adapterFor: () => adapter };
    const wang = f.as('service', '客服小王');
    const li = f.as('service', '客服小李');
    // Yesterday's reveals (before Shanghai midnight) do not count today.
    clock = shanghaiDayStart(Date.UTC(2025, 0, 5, 3, 0, 0)) - 1000;
    await revealReceiver(ctxAt(wang), deps, { id: cipheredId, reason: '昨天' });
    clock = Date.UTC(2025, 0, 5, 3, 0, 0);
    for (let i = 0; i < REVEAL_DAILY_CAP.service!; i++) await revealReceiver(ctxAt(wang), deps, { id: cipheredId, reason: `第${i + 1}次` });
    const callsBefore = calls.length;
    const err = await revealReceiver(ctxAt(wang), deps, { id: cipheredId, reason: '再看一次' }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('FORBIDDEN');
    expect((err as AppError).message).toMatch(/Daily limit reached.*200/);
    // Refused before the platform was asked.
    expect(calls.length).toBe(callsBefore);
    // Another person, and an owner, are not affected.
    await revealReceiver(ctxAt(li), deps, { id: cipheredId, reason: '核对' });
    await revealReceiver(ctxAt(f.owner), deps, { id: cipheredId, reason: '核对' });
    // The next Shanghai day starts fresh.
    clock = shanghaiDayStart(clock) + 86_400_000;
    expect(await revealReceiver(ctxAt(wang), deps, { id: cipheredId, reason: '新的一天' })).toEqual(SECRET);
  });

  it('the API handler reveals through the registry adapter (sandbox shop), asks for a reason, and refuses packers', async () => {
    f.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('sb', '沙盒店', 'sandbox', 'active', ?, '{\"seed\":9}')").run(T0);
    const base = platformOrder(60);
    ingestOrders(f.db, { shopId: 'sb', platform: 'sandbox', orders: [{ order: { ...base, receiver: { ...base.receiver, cipher: 'sandbox-oaid-9' } }, raw: {} }] }, T0);
    const id = f.db.$client.prepare("SELECT id FROM orders WHERE shop_id = 'sb'").pluck().get() as string;
    const res = await f.call('orders.revealReceiver', { id, reason: '打印面单前核对' });
    expect(res.ok).toBe(true);
    const value = (res as { ok: true; value: RevealedReceiver }).value;
    expect(value.phone).toMatch(/^1\d{10}$/);
    expect(value.name.length).toBeGreaterThan(1);
    // The sandbox's person behind a cipher is stable.
    expect((await f.call('orders.revealReceiver', { id, reason: '再核对' })) as unknown).toEqual(res);
    expect((await f.call('orders.revealReceiver', { id, reason: '' })).ok).toBe(false);
    const packer = await f.call('orders.revealReceiver', { id, reason: '看看' }, f.as('packer'));
    expect(packer.ok || packer.error.code).toBe('FORBIDDEN');
  });
});
