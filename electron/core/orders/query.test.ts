// Workbench reads: every filter checked against the same predicate evaluated in JS over the
// fixture, every sort field, paging, counts (table fast path and scan path agree), row mapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_SORT_FIELDS, type OrderFilter, type OrderRow, type OrderSort } from '../../shared/contract.ts';
import { ABNORMAL_REASONS, QUEUES, type PlatformOrder } from '../../shared/model.ts';
import type { Db } from '../db/open.ts';
import { order, setupDb, T0 } from '../../testkit/ingest-fixtures.ts';
import { ingestOrders } from './ingest.ts';
import { ACTIVE_QUEUES, buildOrderWhere, countOrders, listOrders, orderIds, ordersByIds, SEARCH_TOTAL_CAP, searchPlanFor, type SearchPlan } from './query.ts';

const PROVINCES = ['浙江省', '广东省', '上海市', '四川省'];
const NAMES = ['张伟', '李娜', '王伟明', '赵敏'];
const STATUSES: PlatformOrder['status'][] = ['unpaid', 'awaiting_shipment', 'awaiting_shipment', 'shipped', 'completed', 'closed'];

function fixture(n: number): PlatformOrder {
  const base = order(n);
  const status = STATUSES[n % STATUSES.length]!;
  return order(n, {
    status,
    afterSale: n % 11 === 0 ? 'requested' : 'none',
    orderType: n % 7 === 0 ? 'presale' : 'normal',
    buyerNick: `nick${(n * 37) % 50}`,
    buyerMessage: n % 5 === 0 ? '尽快发货' : null,
    sellerMemo: n % 4 === 0 ? '备注' : null,
    sellerFlag: n % 6,
    receiver: {
      ...base.receiver,
      name: NAMES[n % NAMES.length]!,
      province: PROVINCES[n % PROVINCES.length]!,
      phone: n % 9 === 0 ? '12345' : base.receiver.phone,
      address: n % 13 === 0 ? '家' : base.receiver.address,
    },
    paidFen: 1000 + ((n * 7919) % 5000),
    createdAt: T0 + ((n * 7) % 40) * 3_600_000,
    paidAt: status === 'unpaid' ? null : T0 + ((n * 7) % 40) * 3_600_000 + 60_000,
    platformUpdatedAt: T0 + ((n * 13) % 40) * 3_600_000,
    items:
      n % 3 === 0
        ? [{ ...base.items[0]!, title: '宠物猫粮', outerSkuCode: `CAT-${n % 2}`, quantity: 1 + (n % 3) }, { ...base.items[0]!, platformItemId: `g${n}`, title: '赠品小样', outerSkuCode: null, isGift: true, quantity: 1 }]
        : [{ ...base.items[0]!, quantity: 1 + (n % 4) }],
  });
}

const N = 60;

describe('order queries', () => {
  let db: Db;
  let all: OrderRow[];
  beforeAll(() => {
    db = setupDb();
    const shopA = Array.from({ length: N }, (_, i) => i + 1).filter((n) => n % 3 !== 1);
    const shopB = Array.from({ length: N }, (_, i) => i + 1).filter((n) => n % 3 === 1);
    ingestOrders(db, { shopId: 'shop-a', platform: 'taobao', orders: shopA.map((n) => ({ order: fixture(n), raw: {} })) }, T0);
    ingestOrders(db, { shopId: 'shop-b', platform: 'pdd', orders: shopB.map((n) => ({ order: fixture(n), raw: {} })) }, T0);
    // Local state: some reviewed, printed, held, read, tagged.
    const c = db.$client;
    c.exec(`UPDATE orders SET stage = 'awaiting_print' WHERE seq % 4 = 1 AND stage = 'pending_review';
            UPDATE orders SET stage = 'printed' WHERE seq % 4 = 2 AND stage = 'pending_review';
            UPDATE orders SET hold_reason = '等客户' WHERE seq % 10 = 3;
            UPDATE orders SET is_read = 1 WHERE seq % 2 = 0;
            INSERT INTO tags (id, name, color) VALUES ('t-urgent', '加急', '#ff0000'), ('t-vip', 'VIP', '#00ff00');
            INSERT INTO order_tags SELECT id, 't-urgent' FROM orders WHERE seq % 5 = 0;
            INSERT INTO order_tags SELECT id, 't-vip' FROM orders WHERE seq % 7 = 0;`);
    all = ordersByIds(db, c.prepare('SELECT id FROM orders ORDER BY seq').pluck().all() as string[]);
  });
  afterAll(() => db.$client.close());

  const list = (filter: OrderFilter, sort: OrderSort = { field: 'paidAt', dir: 'desc' }, offset = 0, limit = 1000) =>
    listOrders(db, { filter, sort, offset, limit, withTotal: true });
  const ids = (rows: OrderRow[]) => rows.map((r) => r.id).sort();

  it('maps rows: item summary, tags, abnormal reasons, booleans, shop name', () => {
    expect(all).toHaveLength(N);
    const cat = all.find((r) => r.itemSummary.startsWith('宠物猫粮'))!;
    expect(cat.itemSummary).toMatch(/^宠物猫粮 ×\d; 赠品小样 ×1$/);
    const tagged = all.find((r) => r.tags.length === 2);
    expect(tagged?.tags.map((t) => t.name)).toEqual(['VIP', '加急']);
    const b = all.find((r) => r.shopId === 'shop-b')!;
    expect(b).toMatchObject({ shopName: '乙店', platform: 'pdd' });
    expect(typeof b.isRead).toBe('boolean');
    const msg = all.find((r) => r.buyerMessage !== null)!;
    expect(msg.abnormal).toContain('buyer_message');
    expect(all.some((r) => r.abnormal.includes('unmatched_sku'))).toBe(true); // CAT-* codes have no local SKU
    expect(all.some((r) => r.abnormal.includes('invalid_phone'))).toBe(true);
    expect(all.some((r) => r.abnormal.includes('incomplete_address'))).toBe(true);
  });

  const inRange = (v: number | null, from?: number, to?: number) => v !== null && (from === undefined || v >= from) && (to === undefined || v <= to);
  const cases: [string, OrderFilter, (r: OrderRow) => boolean][] = [
    ['queue pending_review', { queue: 'pending_review' }, (r) => r.queue === 'pending_review'],
    ['queue held', { queue: 'held' }, (r) => r.queue === 'held'],
    ['queue all', { queue: 'all' }, () => true],
    ['queue abnormal', { queue: 'abnormal' }, (r) => r.abnormal.length > 0 && ACTIVE_QUEUES.includes(r.queue)],
    ['statuses', { statuses: ['shipped', 'closed'] }, (r) => r.status === 'shipped' || r.status === 'closed'],
    ['shops', { shopIds: ['shop-b'] }, (r) => r.shopId === 'shop-b'],
    ['platforms', { platforms: ['taobao'] }, (r) => r.platform === 'taobao'],
    ['created range', { createdFrom: T0 + 10 * 3_600_000, createdTo: T0 + 20 * 3_600_000 }, (r) => inRange(r.createdAt, T0 + 10 * 3_600_000, T0 + 20 * 3_600_000)],
    ['paid range', { paidFrom: T0 + 5 * 3_600_000, paidTo: T0 + 30 * 3_600_000 }, (r) => inRange(r.paidAt, T0 + 5 * 3_600_000, T0 + 30 * 3_600_000)],
    ['provinces', { provinces: ['广东省', '上海市'] }, (r) => ['广东省', '上海市'].includes(r.receiverProvince)],
    ['seller flags', { sellerFlags: [1, 3] }, (r) => r.sellerFlag === 1 || r.sellerFlag === 3],
    ['tags', { tagIds: ['t-vip'] }, (r) => r.tags.some((t) => t.id === 't-vip')],
    ['has buyer message', { hasBuyerMessage: true }, (r) => !!r.buyerMessage],
    ['no buyer message', { hasBuyerMessage: false }, (r) => !r.buyerMessage],
    ['has seller memo', { hasSellerMemo: true }, (r) => !!r.sellerMemo],
    ['no seller memo', { hasSellerMemo: false }, (r) => !r.sellerMemo],
    ['order type', { orderType: 'presale' }, (r) => r.orderType === 'presale'],
    ['sku exact code', { sku: 'CAT-1' }, (r) => r.itemSummary.includes('猫粮') && /CAT-1/.test(skuCodes(r.id))],
    ['sku title fragment (2 chars)', { sku: '猫粮' }, (r) => r.itemSummary.includes('猫粮')],
    ['sku title fragment (3+ chars)', { sku: '纯棉T恤' }, (r) => r.itemSummary.includes('纯棉T恤')],
    ['abnormal reasons', { abnormal: ['invalid_phone', 'incomplete_address'] }, (r) => r.abnormal.includes('invalid_phone') || r.abnormal.includes('incomplete_address')],
    ['unread', { unread: true }, (r) => !r.isRead],
    ['read', { unread: false }, (r) => r.isRead],
    ['q 2-char name', { q: '张伟' }, (r) => r.receiverName === '张伟'],
    ['q 3-char name', { q: '王伟明' }, (r) => r.receiverName === '王伟明'],
    ['q order number fragment', { q: order(42).platformOrderId.slice(-5) }, (r) => r.platformOrderId.endsWith(order(42).platformOrderId.slice(-5))],
    ['combined', { shopIds: ['shop-a'], provinces: ['浙江省', '四川省'], q: '伟' }, (r) => r.shopId === 'shop-a' && ['浙江省', '四川省'].includes(r.receiverProvince) && r.receiverName.includes('伟')],
  ];
  const skuCodes = (id: string) => (db.$client.prepare('SELECT group_concat(outer_sku_code) FROM order_items WHERE order_id = ?').pluck().get(id) as string | null) ?? '';

  it.each(cases)('filter: %s', (_, filter, predicate) => {
    const expected = all.filter(predicate);
    expect(expected.length).toBeGreaterThan(0); // every case must select something…
    if (!filter.queue || filter.queue === 'all') expect(expected.length).toBeLessThan(N + (filter.queue === 'all' ? 1 : 0)); // …and filter something unless 'all'
    const r = list(filter);
    expect(ids(r.rows)).toEqual(ids(expected));
    expect(r.total).toBe(expected.length);
    expect(orderIds(db, filter).ids.sort()).toEqual(ids(expected));
  });

  it('treats empty lists as no filter', () => {
    expect(list({ shopIds: [], statuses: [], tagIds: [] }).rows).toHaveLength(N);
    expect(buildOrderWhere({}).sql).toBe('1');
  });

  it.each(ORDER_SORT_FIELDS.flatMap((f) => (['asc', 'desc'] as const).map((d) => [f, d] as const)))('sorts by %s %s', (field, dir) => {
    const rows = list({}, { field, dir }).rows;
    const key = (r: OrderRow) => r[field];
    for (let i = 1; i < rows.length; i++) {
      const a = key(rows[i - 1]!);
      const b = key(rows[i]!);
      if (a === b) continue;
      // SQLite orders NULL first ascending, last descending.
      const cmp = a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
      expect(dir === 'asc' ? cmp : -cmp).toBe(-1);
    }
  });

  it('pages stably, with total on every page and a short first page counting itself', () => {
    const full = list({}, { field: 'createdAt', dir: 'asc' }).rows.map((r) => r.id);
    const paged: string[] = [];
    for (let offset = 0; offset < N; offset += 7) {
      const page = listOrders(db, { filter: {}, sort: { field: 'createdAt', dir: 'asc' }, offset, limit: 7, withTotal: true });
      expect(page.total).toBe(N);
      paged.push(...page.rows.map((r) => r.id));
    }
    expect(paged).toEqual(full);
    expect(listOrders(db, { filter: {}, sort: { field: 'paidAt', dir: 'desc' }, offset: 0, limit: 5, withTotal: false }).total).toBeNull();
  });

  it('caps search totals', () => {
    expect(SEARCH_TOTAL_CAP).toBeGreaterThanOrEqual(1000);
    const r = listOrders(db, { filter: { q: '杭州' }, sort: { field: 'paidAt', dir: 'desc' }, offset: 0, limit: 5, withTotal: true });
    expect(r.total).toBe(N);
    expect(r.totalCapped).toBeUndefined();
  });

  it('orderIds truncates at the cap, in list order', () => {
    const r = orderIds(db, {}, { field: 'paidFen', dir: 'desc' }, 10);
    expect(r.truncated).toBe(true);
    expect(r.ids).toEqual(list({}, { field: 'paidFen', dir: 'desc' }).rows.slice(0, 10).map((x) => x.id));
    expect(orderIds(db, { shopIds: ['shop-b'] }).truncated).toBe(false);
  });

  it('ordersByIds keeps the given order and skips unknown ids', () => {
    const pick = [all[5]!.id, 'nope', all[1]!.id, all[30]!.id];
    expect(ordersByIds(db, pick).map((r) => r.id)).toEqual([all[5]!.id, all[1]!.id, all[30]!.id]);
  });

  const expectedCounts = (rows: OrderRow[]) => {
    const queues = Object.fromEntries(QUEUES.map((q) => [q, rows.filter((r) => r.queue === q).length]));
    const active = rows.filter((r) => ACTIVE_QUEUES.includes(r.queue));
    const abnormal = Object.fromEntries(ABNORMAL_REASONS.map((a) => [a, active.filter((r) => r.abnormal.includes(a)).length]));
    return { all: rows.length, queues, abnormal: { ...abnormal, any: active.filter((r) => r.abnormal.length > 0).length } };
  };

  it.each<[string, OrderFilter, (r: OrderRow) => boolean]>([
    ['no filter (counts table)', {}, () => true],
    ['queue is ignored', { queue: 'shipped' }, () => true],
    ['shop (counts table)', { shopIds: ['shop-a'] }, (r) => r.shopId === 'shop-a'],
    ['platform (counts table)', { platforms: ['pdd'] }, (r) => r.platform === 'pdd'],
    ['abnormal reason (counts table)', { abnormal: ['buyer_message'] }, (r) => r.abnormal.includes('buyer_message')],
    ['province (scan)', { provinces: ['浙江省'] }, (r) => r.receiverProvince === '浙江省'],
    ['search (scan)', { q: '张伟' }, (r) => r.receiverName === '张伟'],
  ])('counts: %s', (_, filter, predicate) => {
    expect(countOrders(db, filter)).toEqual(expectedCounts(all.filter(predicate)));
  });

  it('counts follow local changes (triggers)', () => {
    const before = countOrders(db, {});
    const target = all.find((r) => r.queue === 'pending_review')!;
    db.$client.prepare("UPDATE orders SET hold_reason = 'x' WHERE id = ?").run(target.id);
    const after = countOrders(db, {});
    expect(after.queues.pending_review).toBe(before.queues.pending_review - 1);
    expect(after.queues.held).toBe(before.queues.held + 1);
    expect(after.all).toBe(before.all);
    db.$client.prepare('UPDATE orders SET hold_reason = NULL WHERE id = ?').run(target.id);
    expect(countOrders(db, {})).toEqual(before);
  });

  it.each<OrderFilter>([
    { q: '张伟' },
    { q: '杭州', queue: 'pending_review' },
    { q: '伟', shopIds: ['shop-a'], provinces: ['浙江省'], tagIds: ['t-urgent'] },
    { q: '纯棉T恤 李娜', sku: 'NZ-2301-BK-M', abnormal: ['buyer_message'], unread: true },
  ])('every search plan selects the same orders: %j', (filter) => {
    const select = (plan: SearchPlan) => {
      const w = buildOrderWhere(filter, plan);
      return db.$client.prepare(`SELECT o.id FROM orders o WHERE ${w.sql} ORDER BY o.id`).pluck().all(...w.params);
    };
    const auto = select('auto');
    expect(select('drive')).toEqual(auto);
    expect(select('filter')).toEqual(auto);
    const resolved = searchPlanFor(db, filter);
    expect(resolved.plan).toBe('drive'); // a 60-order fixture is always sparse
    const viaSeqs = buildOrderWhere(filter, resolved);
    expect(db.$client.prepare(`SELECT o.id FROM orders o WHERE ${viaSeqs.sql} ORDER BY o.id`).pluck().all(...viaSeqs.params)).toEqual(auto);
    expect(searchPlanFor(db, { queue: 'held' }).plan).toBe('auto');
  });

  it('leads with the search index when a search is sparse', () => {
    const w = buildOrderWhere({ q: '张伟', queue: 'pending_review', shopIds: ['shop-a'] }, 'drive');
    const plan = (db.$client
      .prepare(`EXPLAIN QUERY PLAN SELECT o.seq FROM orders o WHERE ${w.sql} ORDER BY o.paid_at DESC, o.seq DESC LIMIT 100`)
      .all(...w.params) as { detail: string }[]).map((r) => r.detail);
    expect(plan[0]).toMatch(/INTEGER PRIMARY KEY/);
    expect(plan.join(' | ')).not.toMatch(/orders_queue/);
  });

  it('uses indexes for the workbench hot paths', () => {
    const plan = (filter: OrderFilter, sort: OrderSort = { field: 'paidAt', dir: 'desc' }) => {
      const w = buildOrderWhere(filter);
      const col = { paidAt: 'paid_at', createdAt: 'created_at' }[sort.field as 'paidAt' | 'createdAt'];
      return (db.$client
        .prepare(`EXPLAIN QUERY PLAN SELECT o.seq FROM orders o WHERE ${w.sql} ORDER BY o.${col} ${sort.dir}, o.seq ${sort.dir} LIMIT 100`)
        .all(...w.params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    };
    expect(plan({ queue: 'pending_review', shopIds: ['shop-a'], paidFrom: T0, paidTo: T0 + 1e9 })).toMatch(/USING INDEX orders_queue_shop_paid_idx/);
    expect(plan({ queue: 'abnormal' })).toMatch(/USING INDEX orders_abnormal_paid_idx/);
    expect(plan({ q: '张伟' })).toMatch(/VIRTUAL TABLE INDEX/);
    expect(plan({ sku: 'CAT-1' })).toMatch(/order_items_outer_sku_idx/);
    expect(plan({ tagIds: ['t-vip'] })).toMatch(/order_tags_tag_idx|sqlite_autoindex_order_tags/);
    expect(plan({ queue: 'shipped' }, { field: 'createdAt', dir: 'desc' })).toMatch(/orders_queue_created_idx/);
  });
});

describe('search totals over large match sets', () => {
  it('caps the total at SEARCH_TOTAL_CAP and says so, leading with an ordered index', () => {
    const db = setupDb();
    const n = SEARCH_TOTAL_CAP + 50;
    for (let start = 0; start < n; start += 2000) {
      const orders = Array.from({ length: Math.min(2000, n - start) }, (_, k) => ({ order: order(start + k + 1), raw: null }));
      ingestOrders(db, { shopId: 'shop-a', platform: 'taobao', orders }, T0);
    }
    ingestOrders(db, { shopId: 'shop-b', platform: 'pdd', orders: [{ order: order(1, { receiver: { ...order(1).receiver, city: '宁波市' } }), raw: null }] }, T0);
    expect(searchPlanFor(db, { q: '杭州' }).plan).toBe('filter');
    const r = listOrders(db, { filter: { q: '杭州' }, sort: { field: 'paidAt', dir: 'desc' }, offset: 0, limit: 20, withTotal: true });
    expect(r.rows).toHaveLength(20);
    expect(r.rows[0]!.paidAt).toBe(order(n).paidAt);
    expect(r).toMatchObject({ total: SEARCH_TOTAL_CAP, totalCapped: true });
    // Exact below the cap, and filters still apply under the 'filter' plan.
    const b = listOrders(db, { filter: { q: '杭州', shopIds: ['shop-b'] }, sort: { field: 'paidAt', dir: 'desc' }, offset: 0, limit: 20, withTotal: true });
    expect(b.rows).toHaveLength(0);
    const ningbo = listOrders(db, { filter: { q: '宁波' }, sort: { field: 'paidAt', dir: 'desc' }, offset: 0, limit: 20, withTotal: true });
    expect(ningbo.total).toBe(1);
    // A dense expression (西湖区, trigram) and a sparse one (宁波, bigram): read the sparse one, check the other in SQL.
    const mixed = searchPlanFor(db, { q: '西湖区 宁波' });
    expect(mixed.plan).toBe('drive');
    expect(mixed.rest?.map((m) => m.table)).toEqual(['order_search']);
    const both = listOrders(db, { filter: { q: '西湖区 宁波' }, sort: { field: 'paidAt', dir: 'desc' }, offset: 0, limit: 20, withTotal: true });
    expect(both.rows.map((r) => r.shopId)).toEqual(['shop-b']);
    expect(listOrders(db, { filter: { q: '文三路 宁波', shopIds: ['shop-a'] }, sort: { field: 'paidAt', dir: 'desc' }, offset: 0, limit: 20, withTotal: true }).rows).toEqual([]);
    db.$client.close();
  });
});
