// Tracking on a real migrated SQLite file: recordTrace is idempotent and keeps the package summary
// right; the CSV import takes good files whole, reports bad lines and writes nothing (or only the
// good rows when asked); the exception rules fire at 24 h / 48 h on an injected clock; the scorecard's
// counts, median, p90 and exception rate match a hand-computed fixture; the API serves all four.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackingExceptions } from '../../shared/contract.ts';
import { countRows, openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { cell, row, workbook } from '../../testkit/xlsx-fixture.ts';
import { decodeCsv, importTraceCsv, parseShanghaiTime } from './csv-import.ts';
import { listTrackingExceptions } from './exceptions.ts';
import { listTraces } from './list.ts';
import { recordTrace } from './record.ts';
import { HOUR_MS } from './rules.ts';
import { carrierScorecard, quantile } from './scorecard.ts';
import { statusFromText } from './status-words.ts';

const H = HOUR_MS;
let fx: Fixture;
beforeEach(() => {
  fx = openFixture(0);
});
afterEach(() => fx.close());

let seq = 0;
/** An order with one shipped package (the way allocation + shipping leave it). */
function shippedPackage(opts: { carrier?: string; waybill?: string; shippedAt?: number | null; province?: string } = {}): { orderId: string; packageId: string } {
  const n = ++seq;
  const base = platformOrder(n);
  const [orderId] = fx.addOrders([platformOrder(n, { receiver: { ...base.receiver, province: opts.province ?? '浙江省' } })]);
  const packageId = `pkg-${n}`;
  fx.db.$client
    .prepare(`INSERT INTO packages (id, order_id, seq, carrier_code, waybill_no, state, shipped_at, created_at) VALUES (?, ?, 1, ?, ?, 'shipped', ?, ?)`)
    .run(packageId, orderId!, opts.carrier ?? 'YTO', opts.waybill ?? `YT${String(n).padStart(10, '0')}`, opts.shippedAt === undefined ? T0 : opts.shippedAt, T0);
  return { orderId: orderId!, packageId };
}

const summary = (packageId: string) =>
  fx.db.$client.prepare('SELECT tracking_state AS s, last_trace_at AS last, signed_at AS signed FROM packages WHERE id = ?').get(packageId) as {
    s: string;
    last: number | null;
    signed: number | null;
  };

const csv = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('status words', () => {
  it('maps the carrier words to tracking states, stronger words first', () => {
    expect(statusFromText('已揽收')).toBe('collected');
    expect(statusFromText('运输中')).toBe('in_transit');
    expect(statusFromText('派送中')).toBe('delivering');
    expect(statusFromText('已签收')).toBe('signed');
    expect(statusFromText('退回')).toBe('returned');
    expect(statusFromText('异常')).toBe('exception');
    expect(statusFromText('退回签收')).toBe('returned');
    expect(statusFromText('派送异常')).toBe('exception');
    expect(statusFromText('天气好')).toBeNull();
  });
});

describe('recordTrace', () => {
  it('adds each (time, description) once and keeps state, last trace and signing time', () => {
    const { packageId } = shippedPackage();
    const ctx = { db: fx.db, now: () => T0 + 50 * H, events: fx.events };
    const events = [
      { at: T0 + 2 * H, status: 'collected' as const, description: '已揽收' },
      { at: T0 + 10 * H, status: 'in_transit' as const, description: '到达杭州转运中心', location: '杭州' },
    ];
    const changed: string[][] = [];
    fx.events.on('db.changed', (e) => changed.push(e.tables));
    expect(recordTrace(ctx, packageId, events)).toEqual({ added: 2, trackingState: 'in_transit' });
    expect(recordTrace(ctx, packageId, events)).toEqual({ added: 0, trackingState: 'in_transit' });
    expect(changed).toHaveLength(1); // the no-op second call announces nothing
    expect(countRows(fx.db, 'tracking_events')).toBe(2);
    expect(summary(packageId)).toEqual({ s: 'in_transit', last: T0 + 10 * H, signed: null });

    // An older event arriving late does not move the state backwards; a signing sets signed_at.
    recordTrace(ctx, packageId, [
      { at: T0 + 5 * H, status: 'in_transit', description: '离开杭州' },
      { at: T0 + 30 * H, status: 'signed', description: '已签收，本人' },
    ]);
    expect(summary(packageId)).toEqual({ s: 'signed', last: T0 + 30 * H, signed: T0 + 30 * H });
    const [trace] = listTraces(fx.db, { packageId });
    expect(trace!.events.map((e) => e.description)).toEqual(['已签收，本人', '到达杭州转运中心', '离开杭州', '已揽收']);
    expect(trace!.events[1]!.location).toBe('杭州');
  });

  it('refuses a package that does not exist', () => {
    expect(() => recordTrace({ db: fx.db, now: () => T0 }, 'nope', [])).toThrow(/No package/);
  });
});

describe('CSV import', () => {
  it('imports a good file whole, in one command, and again adds nothing', async () => {
    const a = shippedPackage({ waybill: 'YT0000000101' });
    const b = shippedPackage({ waybill: 'YT0000000102' });
    const file = [
      '运单号,时间,状态,描述,地点',
      'YT0000000101,2025-01-02 12:00:00,揽收,【杭州市】已揽收,杭州市',
      'YT0000000101,2025-01-03 08:00,运输中,"到达上海转运中心, 发往北京",上海市',
      'YT0000000102,2025/01/02 13:00:00,已签收,本人签收,',
    ].join('\r\n');
    const opsBefore = countRows(fx.db, 'ops');
    const r = await importTraceCsv(fx.ctx(), { fileName: 'yto.csv', base64: csv(file), skipBad: false });
    expect(r).toEqual({ rows: 3, imported: 3, duplicates: 0, packages: 2, errors: [], errorCount: 0, committed: true });
    expect(countRows(fx.db, 'ops')).toBe(opsBefore + 1);
    expect(summary(a.packageId)).toEqual({ s: 'in_transit', last: Date.UTC(2025, 0, 3, 0, 0, 0), signed: null });
    expect(summary(b.packageId).s).toBe('signed');
    const again = await importTraceCsv(fx.ctx(), { fileName: 'yto.csv', base64: csv(file), skipBad: false });
    expect(again).toMatchObject({ imported: 0, duplicates: 3, committed: true });
    expect(countRows(fx.db, 'tracking_events')).toBe(3);
  });

  it('reports bad lines by number and writes nothing unless skipBad', async () => {
    shippedPackage({ waybill: 'YT0000000201' });
    const file = [
      'waybill,time,status,description,location',
      'YT0000000201,2025-01-02 12:00:00,揽收,picked up,Hangzhou',
      'NOPE00000001,2025-01-02 12:00:00,揽收,x,',
      'YT0000000201,2025-02-30 12:00:00,运输中,y,',
      'YT0000000201,2025-01-03 12:00:00,天气好,z,',
      ',2025-01-03 12:00:00,签收,w,',
      'YT0000000201,2025-01-04 09:00:00,派送中,out for delivery,Beijing',
    ].join('\n');
    const before = countRows(fx.db, 'tracking_events');
    const strict = await importTraceCsv(fx.ctx(), { fileName: 'bad.csv', base64: csv(file), skipBad: false });
    expect(strict.committed).toBe(false);
    expect(strict.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(strict.errors[0]!.waybillNo).toBe('NOPE00000001');
    expect(strict.errors[3]!.waybillNo).toBeNull();
    // Each row names its problem (the dialog words it) and the cell it could not read; the sentence is English.
    expect(strict.errors.map((e) => [e.problem, e.value])).toEqual([
      ['no_package', undefined],
      ['bad_time', '2025-02-30 12:00:00'],
      ['bad_status', '天气好'],
      ['missing_waybill', undefined],
    ]);
    expect(strict.errors[1]!.message).toBe('Unreadable time "2025-02-30 12:00:00" (write it as 2025-01-02 10:30).');
    for (const e of strict.errors) expect(e.message.replace(e.value ?? '', '')).not.toMatch(/[\u4e00-\u9fff]/);
    expect(countRows(fx.db, 'tracking_events')).toBe(before);
    const lenient = await importTraceCsv(fx.ctx(), { fileName: 'bad.csv', base64: csv(file), skipBad: true });
    expect(lenient).toMatchObject({ rows: 6, imported: 2, committed: true });
    expect(lenient.errors).toHaveLength(4);
  });

  it('lists the first hundred of many bad lines and counts them all', async () => {
    shippedPackage({ waybill: 'YT0000000401' });
    const lines = ['运单号,时间,状态,描述,地点', ...Array.from({ length: 2500 }, (_, i) => `NOPE${i},2025-01-02 12:00:00,揽收,x,`), 'YT0000000401,2025-01-02 12:00:00,揽收,已揽收,杭州'];
    const r = await importTraceCsv(fx.ctx(), { fileName: 'many.csv', base64: csv(lines.join('\n')), skipBad: false });
    expect(r).toMatchObject({ committed: false, rows: 2501, errorCount: 2500 });
    expect(r.errors.map((e) => e.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    const lenient = await importTraceCsv(fx.ctx(), { fileName: 'many.csv', base64: csv(lines.join('\n')), skipBad: true });
    expect(lenient).toMatchObject({ committed: true, imported: 1, errorCount: 2500 });
  });

  it('a file with a header and nothing under it is refused by reason', async () => {
    const err = await importTraceCsv(fx.ctx(), { fileName: 'empty.csv', base64: csv('运单号,时间,状态\n'), skipBad: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'import.no_rows', details: { fileName: 'empty.csv' }, message: 'empty.csv has no rows under its header' });
  });

  it('imports a carrier .xlsx export, its time column as Excel date cells, columns found by header', async () => {
    const { packageId } = shippedPackage({ waybill: 'YT0000000501' });
    // 2025-01-02 10:30 is day 45659 and 0.4375 of a day in Excel's count.
    const file = workbook([
      row(1, cell('A1', '备注'), cell('B1', '运单号'), cell('C1', '状态'), cell('D1', '时间')),
      row(2, cell('A2', ''), cell('B2', 'YT0000000501'), cell('C2', '揽收'), '<c r="D2"><v>45659.4375</v></c>'),
    ]);
    const r = await importTraceCsv(fx.ctx(), { fileName: 'yto.xlsx', base64: file.toString('base64'), skipBad: false });
    expect(r).toMatchObject({ rows: 1, imported: 1, errorCount: 0, committed: true });
    expect(listTraces(fx.db, { packageId })[0]?.events[0]).toMatchObject({ at: T0, description: '揽收' });
  });

  it('reads GBK files from Excel and Shanghai wall-clock times', () => {
    const gbk = new Uint8Array([0xd4, 0xcb, 0xb5, 0xa5, 0xba, 0xc5]); // 运单号 in GBK
    expect(decodeCsv(gbk)).toBe('运单号');
    expect(parseShanghaiTime('2025-01-02 10:30:00')).toBe(T0);
    expect(parseShanghaiTime('2025-13-02 10:30')).toBeNull();
  });
});

describe('exception rules (injected clock)', () => {
  it('warns at 24 h, escalates at 48 h, flags returns and odd signings', () => {
    const quiet = shippedPackage({ shippedAt: T0 });
    const moving = shippedPackage({ shippedAt: T0 });
    const returned = shippedPackage({ shippedAt: T0 });
    const early = shippedPackage({ shippedAt: T0 });
    const locker = shippedPackage({ shippedAt: T0 });
    const fine = shippedPackage({ shippedAt: T0 });
    const unshipped = shippedPackage({ shippedAt: null });
    const ctx = { db: fx.db, now: () => T0 };
    recordTrace(ctx, moving.packageId, [{ at: T0 + 20 * H, status: 'in_transit', description: '到达转运中心' }]);
    recordTrace(ctx, returned.packageId, [{ at: T0 + 30 * H, status: 'returned', description: '收件人拒收，退回' }]);
    recordTrace(ctx, early.packageId, [{ at: T0 - 5 * H, status: 'signed', description: '已签收' }]);
    recordTrace(ctx, locker.packageId, [{ at: T0 + 30 * H, status: 'signed', description: '快件已被丰巢智能快递柜代收' }]);
    recordTrace(ctx, fine.packageId, [{ at: T0 + 30 * H, status: 'signed', description: '本人签收' }]);

    const at = (hours: number): TrackingExceptions => listTrackingExceptions(fx.db, T0 + hours * H, { limit: 100 });
    const reasons = (x: TrackingExceptions) => Object.fromEntries(x.rows.map((r) => [r.packageId, r.reason]));

    const h23 = at(23);
    // Nothing is stale before 24 h (the returned/signed rows are already recorded, so they show).
    expect(reasons(h23)[quiet.packageId]).toBeUndefined();
    expect(reasons(h23)[moving.packageId]).toBeUndefined();
    expect(reasons(h23)[early.packageId]).toBe('signed_before_shipped');
    const h31 = at(31);
    expect(reasons(h31)).toEqual({
      [quiet.packageId]: 'stale_warning',
      [returned.packageId]: 'returned',
      [early.packageId]: 'signed_before_shipped',
      [locker.packageId]: 'signed_by_proxy',
    });
    const h50 = at(50);
    expect(reasons(h50)[quiet.packageId]).toBe('stale_exception');
    expect(reasons(h50)[moving.packageId]).toBe('stale_warning'); // 30 h since its last event
    expect(h50.alertCount).toBe(3); // quiet (48 h), returned, signed before shipped
    expect(h50.warningCount).toBe(2); // moving, locker
    expect(h50.rows[0]!.severity).toBe('exception');
    const q = h50.rows.find((r) => r.packageId === quiet.packageId)!;
    expect(q.ageMs).toBe(50 * H);
    expect(reasons(h50)[unshipped.packageId]).toBeUndefined();
    expect(reasons(h50)[fine.packageId]).toBeUndefined();
    expect(at(50 + 24 * 40).rows).toEqual([]); // beyond the 30-day look-back
  });
});

describe('carrier scorecard', () => {
  it('counts, median and p90 transit hours and the exception rate per carrier × province', () => {
    const ctx = { db: fx.db, now: () => T0 };
    // YTO → 浙江省: five signed after 10, 20, 30, 40, 100 h; one returned.
    for (const hours of [10, 20, 30, 40, 100]) {
      const p = shippedPackage({ carrier: 'YTO', province: '浙江省' });
      recordTrace(ctx, p.packageId, [{ at: T0 + hours * H, status: 'signed', description: '本人签收' }]);
    }
    const ret = shippedPackage({ carrier: 'YTO', province: '浙江省' });
    recordTrace(ctx, ret.packageId, [{ at: T0 + 5 * H, status: 'returned', description: '退回' }]);
    // ZTO → 广东省: one signed after 24 h, one silent for 60 h (stale exception), one outside the window.
    const z = shippedPackage({ carrier: 'ZTO', province: '广东省' });
    recordTrace(ctx, z.packageId, [{ at: T0 + 24 * H, status: 'signed', description: '本人签收' }]);
    shippedPackage({ carrier: 'ZTO', province: '广东省' });
    shippedPackage({ carrier: 'ZTO', province: '广东省', shippedAt: T0 + 10 * 24 * H });

    const rows = carrierScorecard(fx.db, T0 + 60 * H, { from: T0 - H, to: T0 + H });
    expect(rows).toEqual([
      { carrierCode: 'YTO', province: '浙江省', shipped: 6, signed: 5, medianHours: 30, p90Hours: 76, exceptionRate: 1 / 6 },
      { carrierCode: 'ZTO', province: '广东省', shipped: 2, signed: 1, medianHours: 24, p90Hours: 24, exceptionRate: 0.5 },
    ]);
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });
});

describe('API', () => {
  it('serves tracking.list / import / exceptions / scorecard with their roles', async () => {
    const { orderId, packageId } = shippedPackage({ waybill: 'YT0000000301' });
    const imp = await fx.call('tracking.import', { fileName: 't.csv', base64: csv('运单号,时间,状态,描述,地点\nYT0000000301,2025-01-02 12:00:00,揽收,已揽收,杭州\n') });
    expect(imp).toMatchObject({ ok: true, value: { imported: 1, committed: true } });
    const list = await fx.call('tracking.list', { orderId });
    expect(list).toMatchObject({ ok: true, value: [{ packageId, trackingState: 'collected', events: [{ description: '已揽收', source: 'csv' }] }] });
    const ex = await fx.call('tracking.exceptions', undefined);
    expect(ex.ok).toBe(true);
    const sc = await fx.call('tracking.scorecard', { from: T0 - H, to: T0 + H });
    expect(sc).toMatchObject({ ok: true, value: [{ carrierCode: 'YTO', shipped: 1, signed: 0 }] });
    expect(await fx.call('tracking.import', { fileName: 't.csv', base64: 'eA==' }, fx.as('packer'))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await fx.call('tracking.scorecard', { from: 0, to: 1 }, fx.as('service'))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await fx.call('tracking.list', { packageId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
