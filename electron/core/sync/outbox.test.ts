// The push-back outbox against a scripted adapter (exact sequences of platform answers) and the
// in-process sandbox adapter: retries with backoff until confirmed, rejections, "already shipped"
// with a matching / different / unknown waybill, expired authorisation, crash recovery with the
// same content, per-order and per-shop ordering, the shop concurrency cap, pushes.list/retry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushView } from '../../shared/contract.ts';
import { AppError } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { listPushes } from './pushes-query.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { setFlag } from '../orders/commands.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { shipOrders } from '../orders/ship.ts';
import type { PlatformAdapter, PushOutcome, PushRequest, ShopRecord } from '../platforms/contract.ts';
import { OUTBOX_BACKOFF, Outbox } from './outbox.ts';

/** An adapter whose push answers come from a script; it records every request it was sent. */
class ScriptedAdapter implements PlatformAdapter {
  readonly platform = 'taobao' as const;
  readonly limits = { maxWindowMs: 1, pageSize: 1, lagMs: 0, overlapMs: 0, horizonMs: 1 };
  readonly sent: PushRequest[] = [];
  constructor(private readonly answer: (req: PushRequest, n: number) => Promise<PushOutcome> | PushOutcome) {}
  async pullPage(): Promise<never> {
    throw new Error('not used');
  }
  toOrder(): never {
    throw new Error('not used');
  }
  async push(request: PushRequest): Promise<PushOutcome> {
    this.sent.push(request);
    return this.answer(request, this.sent.length);
  }
  async decryptReceivers(): Promise<never> {
    throw new Error('not used');
  }
  async listProducts(): Promise<never> {
    throw new Error('not used');
  }
  async writeStock(): Promise<never> {
    throw new Error('not used');
  }
}

const transient = () => new AppError('PLATFORM_ERROR', 'taobao: HTTP 502', { code: 'HTTP_502', retryable: true, throttled: false });

interface PushRow {
  id: string;
  op_id: string;
  order_id: string;
  state: string;
  attempts: number;
  next_at: number;
  last_error: string | null;
  last_error_code: string | null;
  last_error_kind: string | null;
  last_error_reason: string | null;
  last_error_details: string | null;
  done_at: number | null;
  payload: string;
}

let f: Fixture;
let clock: number;
const now = () => clock;
beforeEach(() => {
  f = openFixture(4);
  clock = T0 + 2 * 86_400_000;
});
afterEach(() => f.close());

const outboxWith = (adapter: PlatformAdapter | ((shop: ShopRecord) => PlatformAdapter), extra: Partial<ConstructorParameters<typeof Outbox>[0]> = {}) =>
  new Outbox({ db: f.db, events: f.events, now, random: () => 0.5, adapterFor: typeof adapter === 'function' ? adapter : () => adapter, ...extra });
const rows = (orderId?: string) =>
  (orderId
    ? f.db.$client.prepare('SELECT * FROM pushes WHERE order_id = ? ORDER BY created_at, id').all(orderId)
    : f.db.$client.prepare('SELECT * FROM pushes ORDER BY created_at, id').all()) as PushRow[];
const op = (id: string) => f.db.$client.prepare('SELECT push_state, push_attempts, push_error FROM ops WHERE id = ?').get(id) as { push_state: string; push_attempts: number; push_error: string | null };
const ship = (n: number, waybillNo = `ZT${String(n).padStart(10, '0')}`) => {
  shipOrders(f.ctx(), { items: [{ id: f.idOf(n), carrierCode: 'ZTO', waybillNo }] });
  return waybillNo;
};

describe('Outbox against a scripted platform', () => {
  it('retries a transient failure with growing jittered backoff until the platform confirms, the same content each time', async () => {
    const waybill = ship(1);
    const adapter = new ScriptedAdapter((_r, n) => {
      if (n <= 3) throw transient();
      return { kind: 'confirmed' };
    });
    const outbox = outboxWith(adapter);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await outbox.flush()).toEqual({ sent: 1 });
      const [r] = rows();
      // Stored classified, as a sync round's error is: the message, its code and the backoff's kind in their own columns.
      expect(r).toMatchObject({ state: 'pending', attempts: i + 1, last_error: 'taobao: HTTP 502', last_error_code: 'PLATFORM_ERROR', last_error_kind: 'retryable', done_at: null });
      delays.push(r!.next_at - clock);
      // Not due yet: nothing is sent.
      expect(await outbox.flush()).toEqual({ sent: 0 });
      clock = r!.next_at;
    }
    // random() = 0.5: half of min(cap, base·2^k).
    expect(delays).toEqual([0, 1, 2].map((k) => Math.floor(0.5 * Math.min(OUTBOX_BACKOFF.capMs, OUTBOX_BACKOFF.baseMs * 2 ** k))));
    expect(await outbox.flush()).toEqual({ sent: 1 });
    const [r] = rows();
    expect(r).toMatchObject({ state: 'confirmed', attempts: 4, last_error: null, done_at: clock });
    expect(op(r!.op_id)).toMatchObject({ push_state: 'confirmed', push_attempts: 4 });
    expect(adapter.sent).toHaveLength(4);
    for (const req of adapter.sent) expect(req).toEqual({ kind: 'ship', platformOrderId: 'P00000001', carrierCode: 'ZTO', waybillNo: waybill });
  });

  it('never waits more than 30 minutes between tries, however many failures', async () => {
    ship(1);
    f.db.$client.prepare('UPDATE pushes SET attempts = 40').run();
    const outbox = outboxWith(new ScriptedAdapter(() => Promise.reject(transient())), { random: () => 0.999999 });
    await outbox.flush();
    expect(rows()[0]!.next_at - clock).toBeLessThanOrEqual(30 * 60_000);
    expect(rows()[0]!.next_at - clock).toBeGreaterThan(29 * 60_000);
  });

  it('a rejection fails the push with the platform\'s reason; a non-transient error fails it too', async () => {
    ship(1);
    ship(2);
    const outbox = outboxWith(
      new ScriptedAdapter((req) => {
        if (req.platformOrderId === 'P00000001') return { kind: 'rejected', reason: '订单已退款，不能发货' };
        throw new AppError('PLATFORM_ERROR', 'taobao: isv.invalid-parameter', { retryable: false });
      }),
    );
    expect(await outbox.flush()).toEqual({ sent: 2 });
    const [a, b] = rows();
    // The platform's own words travel as the reason's details; the message is English around them.
    expect(a).toMatchObject({
      state: 'failed',
      last_error: 'The platform refused the push: 订单已退款，不能发货',
      last_error_code: 'PLATFORM_ERROR',
      last_error_kind: null,
      last_error_reason: 'push.rejected',
      done_at: clock,
    });
    expect(JSON.parse(a!.last_error_details!)).toEqual({ platformWords: '订单已退款，不能发货' });
    expect(b).toMatchObject({ state: 'failed', last_error: 'taobao: isv.invalid-parameter', last_error_code: 'PLATFORM_ERROR', last_error_kind: 'fatal', last_error_reason: null });
    expect(op(a!.op_id)).toMatchObject({ push_state: 'failed', push_error: 'The platform refused the push: 订单已退款，不能发货' });
    // pushes.list hands the screen the same classification to word (src/features/shops/push-words.ts).
    const listed = listPushes(f.db, { states: ['failed'], limit: 10 });
    expect(listed.find((p) => p.id === a!.id)?.lastErrorWhy).toEqual({
      code: 'PLATFORM_ERROR',
      kind: null,
      reason: 'push.rejected',
      details: { platformWords: '订单已退款，不能发货' },
      message: 'The platform refused the push: 订单已退款，不能发货',
    });
    expect(listed.find((p) => p.id === b!.id)?.lastErrorWhy).toMatchObject({ code: 'PLATFORM_ERROR', kind: 'fatal', reason: null });
    // Settled rows are never sent again by themselves.
    clock += 86_400_000;
    expect(await outbox.flush()).toEqual({ sent: 0 });
  });

  it('"already shipped" confirms with our waybill and is a conflict with another or an unknown one', async () => {
    const w1 = ship(1);
    ship(2, 'ZT9999999999');
    ship(3, 'ZT8888888888');
    const outbox = outboxWith(
      new ScriptedAdapter((req) => {
        if (req.platformOrderId === 'P00000001') return { kind: 'already_shipped', waybillNo: ` ${w1.toLowerCase()} ` };
        if (req.platformOrderId === 'P00000002') return { kind: 'already_shipped', waybillNo: 'YT1111111111' };
        return { kind: 'already_shipped', waybillNo: null };
      }),
    );
    await outbox.flush();
    const [a, b, c] = rows();
    expect(a).toMatchObject({ state: 'confirmed', last_error: null });
    expect(b).toMatchObject({ state: 'conflict', last_error_code: 'CONFLICT', last_error_reason: 'push.waybill_mismatch', last_error: expect.stringContaining('YT1111111111') });
    expect(JSON.parse(b!.last_error_details!)).toEqual({ theirs: 'YT1111111111', ours: 'ZT9999999999' });
    expect(c).toMatchObject({ state: 'conflict', last_error_reason: 'push.waybill_mismatch' });
    expect(JSON.parse(c!.last_error_details!)).toEqual({ theirs: '?', ours: 'ZT8888888888' });
    // One op per ship command: each op carries its own outcome.
    expect(op(b!.op_id).push_state).toBe('conflict');
    expect(op(a!.op_id).push_state).toBe('confirmed');
  });

  it('an expired authorisation leaves the push pending, marks the shop auth_expired and stops its lane', async () => {
    ship(1);
    ship(2);
    let expired = true;
    const adapter = new ScriptedAdapter(() => {
      if (expired) throw new AppError('SHOP_AUTH_EXPIRED', 'taobao: invalid session (27)');
      return { kind: 'confirmed' };
    });
    const outbox = outboxWith(adapter);
    const changed: string[][] = [];
    f.events.on('db.changed', (e) => changed.push(e.tables));
    expect(await outbox.flush()).toEqual({ sent: 1 });
    expect(rows().map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 0],
    ]);
    expect(rows()[0]).toMatchObject({ last_error_code: 'SHOP_AUTH_EXPIRED', last_error_kind: 'auth' });
    expect(f.db.$client.prepare('SELECT state FROM shops WHERE id = ?').pluck().get(f.shopId)).toBe('auth_expired');
    expect(changed).toContainEqual(['pushes', 'ops', 'shops']);
    // While the shop waits for re-authorisation nothing is sent.
    clock += 3600_000;
    expect(await outbox.flush()).toEqual({ sent: 0 });
    // Re-authorised: both go, the same content as before.
    f.db.$client.prepare("UPDATE shops SET state = 'active' WHERE id = ?").run(f.shopId);
    expired = false;
    expect(await outbox.flush()).toEqual({ sent: 2 });
    expect(rows().map((r) => r.state)).toEqual(['confirmed', 'confirmed']);
    expect(adapter.sent[0]).toEqual(adapter.sent[1]);
  });

  it('a paused shop keeps its pushes pending', async () => {
    ship(1);
    f.db.$client.prepare("UPDATE shops SET state = 'paused' WHERE id = ?").run(f.shopId);
    const adapter = new ScriptedAdapter(() => ({ kind: 'confirmed' }));
    expect(await outboxWith(adapter).flush()).toEqual({ sent: 0 });
    expect(rows()[0]!.state).toBe('pending');
  });

  it('after a crash mid-call the row goes back to pending and the same payload is sent again; "already shipped" with our waybill confirms it', async () => {
    const waybill = ship(1);
    // Station 1 claims the row and is killed while the platform call is in flight (it never returns).
    const hung = new ScriptedAdapter(() => new Promise<PushOutcome>(() => {}));
    void outboxWith(hung).flush();
    await new Promise((r) => setTimeout(r, 20));
    expect(rows()[0]).toMatchObject({ state: 'sending', attempts: 1 });
    const frozen = rows()[0]!.payload;
    // Station restarts: a new outbox over the same database. The platform did ship it the first time.
    const platform = new ScriptedAdapter((req) => (req.kind === 'ship' ? { kind: 'already_shipped', waybillNo: req.waybillNo } : { kind: 'confirmed' }));
    const restarted = outboxWith(platform);
    expect(await restarted.flush()).toEqual({ sent: 1 });
    expect(hung.sent).toEqual(platform.sent);
    expect(platform.sent[0]).toEqual({ kind: 'ship', platformOrderId: 'P00000001', carrierCode: 'ZTO', waybillNo: waybill });
    expect(rows()[0]).toMatchObject({ state: 'confirmed', attempts: 2, payload: frozen });
    expect(op(rows()[0]!.op_id).push_state).toBe('confirmed');
  });

  it('start() recovers rows left in sending and sends them; stop() waits for the flush', async () => {
    ship(1);
    f.db.$client.prepare("UPDATE pushes SET state = 'sending', attempts = 1").run();
    const adapter = new ScriptedAdapter(() => ({ kind: 'confirmed' }));
    const outbox = outboxWith(adapter, { intervalMs: 10 });
    outbox.start();
    expect(rows()[0]!.state).toBe('pending');
    for (let i = 0; i < 50 && rows()[0]!.state !== 'confirmed'; i++) await new Promise((r) => setTimeout(r, 10));
    await outbox.stop();
    expect(rows()[0]).toMatchObject({ state: 'confirmed', attempts: 2 });
    expect(adapter.sent).toHaveLength(1);
  });

  it('per order, a ship queued after a memo waits until the memo settles, even while the memo backs off', async () => {
    const a = f.idOf(1);
    setFlag(f.ctx(), { ids: [a], memo: '发顺丰' });
    ship(1);
    let memoFails = true;
    const adapter = new ScriptedAdapter((req) => {
      if (req.kind === 'memo' && memoFails) throw transient();
      return { kind: 'confirmed' };
    });
    const outbox = outboxWith(adapter);
    expect(await outbox.flush()).toEqual({ sent: 1 });
    expect(adapter.sent.map((r) => r.kind)).toEqual(['memo']);
    expect(rows(a).map((r) => [r.state])).toEqual([['pending'], ['pending']]);
    // The memo is in backoff; the ship is due but must not overtake it.
    expect(await outbox.flush()).toEqual({ sent: 0 });
    clock = rows(a)[0]!.next_at;
    memoFails = false;
    await outbox.flush();
    expect(adapter.sent.map((r) => r.kind)).toEqual(['memo', 'memo', 'ship']);
    expect(adapter.sent[1]).toEqual({ kind: 'memo', platformOrderId: 'P00000001', memo: '发顺丰', flag: 0 });
    expect(rows(a).map((r) => r.state)).toEqual(['confirmed', 'confirmed']);
  });

  it('runs one call at a time per shop and at most maxConcurrent shops at once', async () => {
    const shops = ['s2', 's3', 's4', 's5', 's6'];
    for (const id of shops) {
      f.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES (?, ?, 'taobao', 'active', ?)").run(id, `店${id}`, T0);
      ingestOrders(f.db, { shopId: id, platform: 'taobao', orders: [1, 2, 3].map((n) => ({ order: platformOrder(n), raw: {} })) }, T0);
      const ids = f.db.$client.prepare('SELECT id FROM orders WHERE shop_id = ?').pluck().all(id) as string[];
      shipOrders(f.ctx(), { items: ids.map((oid, i) => ({ id: oid, carrierCode: 'YTO' as const, waybillNo: `YT${id}00000${i}` })) });
    }
    let inFlight = 0;
    let peak = 0;
    const perShop = new Map<string, number>();
    let perShopPeak = 0;
    const adapterFor = (shop: ShopRecord) =>
      new ScriptedAdapter(async () => {
        inFlight++;
        perShop.set(shop.id, (perShop.get(shop.id) ?? 0) + 1);
        peak = Math.max(peak, inFlight);
        perShopPeak = Math.max(perShopPeak, perShop.get(shop.id)!);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        perShop.set(shop.id, perShop.get(shop.id)! - 1);
        return { kind: 'confirmed' };
      });
    const outbox = outboxWith(adapterFor, { maxConcurrent: 2 });
    const changed: string[][] = [];
    f.events.on('db.changed', (e) => changed.push(e.tables));
    expect(await outbox.flush()).toEqual({ sent: 15 });
    // 15 settles in well under a second are announced in a couple of db.changed events, not 15.
    expect(changed.length).toBeGreaterThanOrEqual(1);
    expect(changed.length).toBeLessThan(8);
    expect(changed.at(-1)).toEqual(['pushes', 'ops']);
    expect(peak).toBe(2);
    expect(perShopPeak).toBe(1);
    expect(rows().every((r) => r.state === 'confirmed')).toBe(true);
  });

  it('an adapter that cannot be built sends nothing and says why on the rows', async () => {
    ship(1);
    const outbox = outboxWith(() => {
      throw reasonError('shop.settings_missing', { shopId: f.shopId, key: 'appKey' }, 'taobao shop settings lack "appKey"');
    });
    expect(await outbox.flush()).toEqual({ sent: 0 });
    expect(rows()[0]).toMatchObject({
      state: 'pending',
      attempts: 0,
      last_error: 'taobao shop settings lack "appKey"',
      last_error_code: 'INVALID_STATE',
      last_error_reason: 'shop.settings_missing',
    });
    expect(JSON.parse(rows()[0]!.last_error_details!)).toEqual({ shopId: f.shopId, key: 'appKey' });
    expect(rows()[0]!.next_at).toBe(clock + OUTBOX_BACKOFF.capMs);
  });
});

describe('pushes.list and pushes.retry', () => {
  it('lists with order and shop, filters by state, shop and order; retry requeues failed and conflict only, audited', async () => {
    ship(1);
    ship(2);
    ship(3);
    const outbox = outboxWith(
      new ScriptedAdapter((req) => {
        if (req.platformOrderId === 'P00000001') return { kind: 'rejected', reason: '运单号无效' };
        if (req.platformOrderId === 'P00000002') return { kind: 'already_shipped', waybillNo: 'OTHER123456' };
        return { kind: 'confirmed' };
      }),
    );
    await outbox.flush();
    const list = await f.call('pushes.list', { states: ['failed', 'conflict'] }, f.as('service'));
    expect(list.ok).toBe(true);
    const views = (list as { ok: true; value: PushView[] }).value;
    expect(views.map((v) => [v.platformOrderId, v.state, v.shopName, v.platform, v.kind])).toEqual([
      ['P00000002', 'conflict', '杭州女装旗舰店', 'taobao', 'ship'],
      ['P00000001', 'failed', '杭州女装旗舰店', 'taobao', 'ship'],
    ]);
    expect(views[1]!.payload).toEqual({ carrierCode: 'ZTO', waybillNo: 'ZT0000000001' });
    const byOrder = await f.call('pushes.list', { orderId: f.idOf(3) });
    expect((byOrder as { ok: true; value: PushView[] }).value.map((v) => v.state)).toEqual(['confirmed']);
    const otherShop = await f.call('pushes.list', { shopId: 'nope' });
    expect((otherShop as { ok: true; value: PushView[] }).value).toEqual([]);

    // Packers may not retry; operators may.
    const ids = rows().map((r) => r.id);
    expect((await f.call('pushes.retry', { ids }, f.as('packer'))).ok).toBe(false);
    const retried = await f.call('pushes.retry', { ids }, f.as('operator', '运营小李'));
    expect(retried).toEqual({ ok: true, value: { requeued: 2 } });
    expect(rows().map((r) => r.state)).toEqual(['pending', 'pending', 'confirmed']);
    expect(op(rows()[0]!.op_id).push_state).toBe('pending');
    const audit = f.db.$client.prepare("SELECT entity_id, field, before, after, actor FROM audit_log WHERE command = 'pushes.retry' ORDER BY id").all();
    expect(audit).toEqual([
      { entity_id: f.idOf(1), field: 'push', before: 'failed', after: 'pending', actor: '运营小李' },
      { entity_id: f.idOf(2), field: 'push', before: 'conflict', after: 'pending', actor: '运营小李' },
    ]);
    const retryOp = f.db.$client.prepare("SELECT args, push_state FROM ops WHERE name = 'pushes.retry'").get() as { args: string; push_state: null };
    expect(JSON.parse(retryOp.args)).toEqual({ ids: [rows()[0]!.id, rows()[1]!.id] });
    expect(retryOp.push_state).toBeNull();

    // Sent again with the same frozen content; the platform has been corrected meanwhile.
    const again = new ScriptedAdapter((req) => (req.kind === 'ship' && req.platformOrderId === 'P00000002' ? { kind: 'already_shipped', waybillNo: req.waybillNo } : { kind: 'confirmed' }));
    expect(await outboxWith(again).flush()).toEqual({ sent: 2 });
    expect(again.sent.map((r) => (r.kind === 'ship' ? r.waybillNo : ''))).toEqual(['ZT0000000001', 'ZT0000000002']);
    expect(rows().map((r) => r.state)).toEqual(['confirmed', 'confirmed', 'confirmed']);
  });
});

describe('Outbox against the in-process sandbox platform', () => {
  it('sends ship and memo pushes through the registry\'s sandbox adapter and records them confirmed', async () => {
    f.db.$client
      .prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('sb', '沙盒店', 'sandbox', 'active', ?, '{\"seed\":7}')")
      .run(T0);
    ingestOrders(f.db, { shopId: 'sb', platform: 'sandbox', orders: [{ order: platformOrder(1), raw: {} }] }, T0);
    const id = f.db.$client.prepare("SELECT id FROM orders WHERE shop_id = 'sb'").pluck().get() as string;
    setFlag(f.ctx(), { ids: [id], memo: '沙盒备注', flag: 1 });
    shipOrders(f.ctx(), { items: [{ id, carrierCode: 'JTSD', waybillNo: 'JT0001234567' }] });
    // No adapterFor: the platform registry builds the sandbox adapter.
    const outbox = new Outbox({ db: f.db, events: f.events, now });
    expect(await outbox.flush()).toEqual({ sent: 2 });
    expect(rows(id).map((r) => r.state)).toEqual(['confirmed', 'confirmed']);
  });
});
