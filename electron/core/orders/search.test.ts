// Search: Chinese 1-, 2- and 3+-character queries, phone last four, order-number fragments, outer
// SKU codes, titles, several terms, and the rebuild path for upgraded databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/open.ts';
import { order, setupDb, T0 } from '../../testkit/ingest-fixtures.ts';
import { ingestOrders } from './ingest.ts';
import { cjkBigramText, ensureSearchIndex, phoneSearchDigits, searchCondition, searchMatches } from './search.ts';

const item = order(0).items[0]!;

const people = [
  order(1, { buyerNick: 'tb_happy', receiver: { name: '张伟', phone: '138****5678', province: '浙江省', city: '杭州市', district: '西湖区', town: null, address: '文三路100号', cipher: null } }),
  order(2, { buyerNick: '小熊猫', receiver: { name: '王伟明', phone: '13912345678-4321', province: '广东省', city: '深圳市', district: '南山区', town: '粤海街道', address: '科技园路8号', cipher: null } }),
  order(3, {
    buyerNick: 'jd_abc',
    receiver: { name: '李娜', phone: '0571-88886666', province: '上海市', city: '上海市', district: '浦东新区', town: null, address: '张杨路500号', cipher: null },
    items: [{ ...item, title: '宠物猫粮 成猫 10kg', outerSkuCode: 'CAT-FOOD-10' }],
  }),
];

describe('search', () => {
  let db: Db;
  beforeAll(() => {
    db = setupDb();
    ingestOrders(db, { shopId: 'shop-a', platform: 'taobao', orders: people.map((o) => ({ order: o, raw: {} })) }, T0);
  });
  afterAll(() => db.$client.close());

  /** Which fixture orders (1-based) match. */
  const find = (q: string, column?: 'who' | 'addr' | 'items'): number[] => {
    const c = searchCondition(q, 'o', column);
    if (!c) return [];
    const nos = db.$client.prepare(`SELECT platform_order_id FROM orders o WHERE ${c.sql} ORDER BY seq`).pluck().all(...c.params) as string[];
    return nos.map((no) => people.findIndex((p) => p.platformOrderId === no) + 1);
  };

  it('spells Han runs as bigrams plus the last character', () => {
    expect(cjkBigramText('张伟明abc')).toBe(' 张伟 伟明 明 abc');
    expect(phoneSearchDigits('138****5678')).toEqual(['5678']);
    expect(phoneSearchDigits('13912345678-4321')).toEqual(['5678', '4321']);
  });

  it('queries Han pairs as exact tokens and single characters by prefix', () => {
    // The documents' trailing single characters must not turn a pair query into a prefix scan.
    expect(searchMatches('杭州')).toEqual([{ table: 'order_search_cjk', expr: '"杭州"' }]);
    expect(searchMatches('伟')).toEqual([{ table: 'order_search_cjk', expr: '"伟"*' }]);
    expect(searchMatches('西湖区 张伟', 'addr')).toEqual([
      { table: 'order_search', expr: '{addr} : ("西湖区")' },
      { table: 'order_search_cjk', expr: '{addr} : ("张伟")' },
    ]);
  });

  it('finds 2-character names and places', () => {
    expect(find('张伟')).toEqual([1]);
    expect(find('李娜')).toEqual([3]);
    expect(find('杭州')).toEqual([1]);
    expect(find('深圳')).toEqual([2]);
    // 伟 is the middle of 王伟明 and the end of 张伟.
    expect(find('伟')).toEqual([1, 2]);
    // 张 is a name and a road (张杨路).
    expect(find('张')).toEqual([1, 3]);
  });

  it('finds 3+ character substrings anywhere', () => {
    expect(find('王伟明')).toEqual([2]);
    expect(find('浦东新区')).toEqual([3]);
    expect(find('科技园路')).toEqual([2]);
    expect(find('小熊猫')).toEqual([2]);
    expect(find('不存在的')).toEqual([]);
  });

  it('finds phone last four and virtual-number extensions', () => {
    expect(find('5678')).toEqual([1, 2]);
    expect(find('4321')).toEqual([2]);
  });

  it('finds order numbers in full and by fragment', () => {
    expect(find(people[1]!.platformOrderId)).toEqual([2]);
    expect(find(people[2]!.platformOrderId.slice(-6))).toEqual([3]);
  });

  it('finds titles and outer SKU codes, case-insensitively', () => {
    expect(find('猫粮')).toEqual([3]);
    expect(find('cat-food')).toEqual([3]);
    expect(find('NZ-2301')).toEqual([1, 2]);
    expect(find('纯棉T恤')).toEqual([1, 2]);
  });

  it('requires every term and can be limited to a column', () => {
    expect(find('张伟 杭州')).toEqual([1]);
    expect(find('张伟 深圳')).toEqual([]);
    expect(find('猫', 'items')).toEqual([3]);
    expect(find('张', 'items')).toEqual([]);
    expect(find('张杨路', 'addr')).toEqual([3]);
  });

  it('ignores punctuation-only input and quotes safely', () => {
    expect(searchCondition('  ', 'o')).toBeNull();
    expect(searchCondition('- *', 'o')).toBeNull();
    expect(find('"张伟')).toEqual([]); // the quote is part of the text, not FTS syntax
    expect(() => find('a"b OR c')).not.toThrow();
  });

  it('rebuilds documents when a migration asks for it', () => {
    db.$client.exec("DELETE FROM order_search; DELETE FROM order_search_cjk; INSERT INTO meta (key, value) VALUES ('search.rebuild', '1')");
    expect(find('张伟')).toEqual([]);
    expect(ensureSearchIndex(db)).toBe(true);
    expect(find('张伟')).toEqual([1]);
    expect(find('浦东新区')).toEqual([3]);
    expect(ensureSearchIndex(db)).toBe(false);
  });
});
