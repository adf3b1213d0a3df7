// The search box against a brute-force oracle: generated orders over a small alphabet (so names,
// places and codes share characters), queries cut from their own fields or made up, and the
// workbench's list (orders.list with q) must return exactly the orders a plain substring scan of
// the searchable fields finds. The oracle is written from what the search box promises, not from
// search.ts: order number, buyer nick, receiver name, phone last four, the address parts, titles
// and outer SKU codes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../shared/model.ts';
import type { Db } from '../db/open.ts';
import { order, setupDb, T0 } from '../../testkit/ingest-fixtures.ts';
import { ingestOrders } from './ingest.ts';
import { listOrders } from './query.ts';

const HAN = [...'张王李伟明杭州西湖区文三路上海浦东新猫粮女装纯棉'];
const ASCII = [...'abcxyz0123'];

const hanWord = (min: number, max: number) => fc.array(fc.constantFrom(...HAN), { minLength: min, maxLength: max }).map((a) => a.join(''));
const codeWord = fc.array(fc.constantFrom(...ASCII, '-'), { minLength: 4, maxLength: 10 }).map((a) => a.join(''));
const phone = fc.tuple(fc.constantFrom('138****', '*******', '1391234'), fc.integer({ min: 0, max: 9999 })).map(([p, n]) => `${p}${String(n).padStart(4, '0')}`);

const generatedOrder = (n: number) =>
  fc
    .record({
      nick: fc.oneof(hanWord(2, 5), codeWord),
      name: hanWord(2, 3),
      phone,
      city: hanWord(2, 3),
      district: hanWord(2, 3),
      town: fc.option(hanWord(2, 4), { nil: null }),
      address: fc.tuple(hanWord(2, 6), fc.integer({ min: 1, max: 999 })).map(([w, k]) => `${w}${k}号`),
      title: fc.tuple(hanWord(2, 6), fc.constantFrom('', ' 10kg', ' XL')).map(([w, s]) => `${w}${s}`),
      code: fc.option(codeWord, { nil: null }),
    })
    .map((g) => {
      const base = order(n);
      return {
        ...base,
        buyerNick: g.nick,
        receiver: { ...base.receiver, name: g.name, phone: g.phone, city: g.city, district: g.district, town: g.town, address: g.address },
        items: [{ ...base.items[0]!, title: g.title, outerSkuCode: g.code }],
      } satisfies PlatformOrder;
    });

/** The fields the search box promises to look in, as plain strings. */
function searchable(o: PlatformOrder): { no: string; texts: string[] } {
  const r = o.receiver;
  const lastFour = /(\d{4})$/.exec(r.phone)?.[1];
  return {
    no: o.platformOrderId,
    texts: [o.buyerNick, r.name, ...(lastFour ? [lastFour] : []), r.province, r.city, r.district, r.town ?? '', r.address, ...o.items.flatMap((i) => [i.title, i.outerSkuCode ?? ''])],
  };
}

/** Every whitespace-separated term must be found: 3+ characters anywhere (order number too), 1–2 Han characters in the text fields. */
function oracle(orders: PlatformOrder[], q: string): string[] {
  const terms = q.trim().split(/\s+/u).filter(Boolean);
  return orders
    .filter((o) => {
      const s = searchable(o);
      return terms.every((t) => {
        const lower = t.toLowerCase();
        if ([...t].length >= 3) return [s.no, ...s.texts].some((x) => x.toLowerCase().includes(lower));
        return s.texts.some((x) => x.includes(t));
      });
    })
    .map((o) => o.platformOrderId)
    .sort();
}

let db: Db;
let orders: PlatformOrder[];
beforeAll(() => {
  db = setupDb();
  orders = fc.sample(fc.tuple(...Array.from({ length: 300 }, (_, i) => generatedOrder(i + 1))), { numRuns: 1, seed: 20261207 })[0]!;
  ingestOrders(db, { shopId: 'shop-a', platform: 'taobao', orders: orders.map((o) => ({ order: o, raw: {} })) }, T0);
});
afterAll(() => db.$client.close());

function search(q: string): string[] {
  const out = listOrders(db, { filter: { q }, sort: { field: 'paidAt', dir: 'desc' }, offset: 0, limit: 1000, withTotal: true });
  expect(out.total).toBe(out.rows.length);
  return out.rows.map((r) => r.platformOrderId).sort();
}

/** A query cut from a real field: a Han pair or single character, or a 3+ character substring. */
const cutQuery = fc
  .tuple(fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 5 }))
  .map(([k, field, start, len]) => {
    const o = orders[k % orders.length]!;
    const s = searchable(o);
    const texts = [s.no, ...s.texts].filter((x) => x.length > 0);
    const chars = [...texts[field % texts.length]!];
    const from = start % chars.length;
    return chars.slice(from, from + len).join('').trim();
  })
  .filter((q) => q.length > 0 && !/\s/.test(q))
  // 1–2 character terms are promised for Chinese only (ASCII words of 1–2 match by prefix).
  .filter((q) => [...q].length >= 3 || /^\p{Script=Han}+$/u.test(q));

describe('search equals a brute-force substring scan', () => {
  it('for single terms cut from the orders', () => {
    fc.assert(
      fc.property(cutQuery, (q) => {
        expect(search(q), q).toEqual(oracle(orders, q));
      }),
      { numRuns: 300 },
    );
  });

  it('for two terms, and for made-up Chinese that may match nothing', () => {
    const madeUp = fc.oneof(hanWord(1, 4), fc.tuple(cutQuery, cutQuery).map(([a, b]) => `${a} ${b}`));
    fc.assert(
      fc.property(madeUp, (q) => {
        expect(search(q), q).toEqual(oracle(orders, q));
      }),
      { numRuns: 200 },
    );
  });
});
