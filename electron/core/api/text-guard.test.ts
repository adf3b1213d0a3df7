import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../shared/contract.ts';
import { isSafeText, unsafeTextProblem } from '../../shared/text-guard.ts';
import { countRows, openFixture, type Fixture } from '../../testkit/api-fixtures.ts';

const RLO = '\u202E';
const SPOOFS: [string, string][] = [
  ['a right-to-left override', `gnp${RLO}.exe`],
  ['a left-to-right override', 'a\u202Db'],
  ['an embedding', 'a\u202Ab'],
  ['an isolate', 'a\u2066b\u2069'],
  ['a right-to-left mark', 'a\u200Fb'],
  ['NUL', 'shop\u0000name'],
  ['a bell', 'shop\u0007'],
  ['a C1 control', 'shop\u0085'],
  ['a line break in a name', 'line\nbreak'],
];

describe('unsafeTextProblem', () => {
  it.each(SPOOFS)('refuses %s in a name, naming the code point', (_what, text) => {
    const problem = unsafeTextProblem(text);
    expect(problem).toMatch(/U\+[0-9A-F]{4}/);
  });

  it('keeps every ordinary name: Chinese, emoji, punctuation, spaces, Arabic or Hebrew letters themselves', () => {
    for (const name of ['杭州女装旗舰店', '店铺 #2（旗舰）', 'Zebra ZD420 面单机', 'VIP🎁', 'متجر', 'חנות', 'O\'Brien & Co.']) {
      expect(unsafeTextProblem(name), name).toBeNull();
    }
  });

  it('multi-line text keeps tab and line breaks, and still refuses NUL and direction overrides', () => {
    expect(isSafeText('第一行\n第二行\r\n\t缩进', true)).toBe(true);
    expect(isSafeText(`备注${RLO}`, true)).toBe(false);
    expect(isSafeText('备注\u0000', true)).toBe(false);
  });

  it('any text with one control or direction character in it is refused (property)', () => {
    const bad = fc.constantFrom('\u0000', '\u0001', '\u001B', '\u007F', '\u0090', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C');
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), bad, fc.string({ maxLength: 10 }), (a, c, b) => {
        expect(isSafeText(`${a}${c}${b}`)).toBe(false);
        expect(isSafeText(`${a}${c}${b}`, true)).toBe(false);
      }),
    );
  });
});

describe('names and notes through the API refuse spoofing characters, and nothing is written', () => {
  let f: Fixture;
  beforeAll(() => {
    f = openFixture(1);
  });
  afterAll(() => f.close());

  const address = (name: string) => ({ name, phone: '13800001234', province: '浙江省', city: '杭州市', district: '西湖区', town: null, address: '文三路 1 号' });
  const cases: [MethodName, () => unknown, string][] = [
    ['shops.add', () => ({ platform: 'taobao', name: `店${RLO}铺`, appKey: 'k', appSecret: 's', accessToken: 't' }), 'name'],
    ['shops.update', () => ({ id: 'shop-1', name: `店\u0000铺` }), 'name'],
    ['tags.create', () => ({ name: `加急${RLO}` }), 'name'],
    ['printers.add', () => ({ name: `面单机${RLO}`, uri: 'tcp://127.0.0.1:9100', lang: 'tspl' }), 'name'],
    ['printers.update', () => ({ id: 'p', patch: { name: 'a\u2066b' } }), 'patch.name'],
    ['waybillAccounts.add', () => ({ name: `账号${RLO}`, carrierCode: 'SF', kind: 'pool' }), 'name'],
    ['orders.editAddress', () => ({ id: f.idOf(1), receiver: address(`张${RLO}伟`) }), 'receiver.name'],
    ['orders.addNote', () => ({ id: f.idOf(1), body: `已联系${RLO}买家` }), 'body'],
    ['orders.setFlag', () => ({ ids: [f.idOf(1)], memo: '备注\u0000' }), 'memo'],
    ['orders.hold', () => ({ ids: [f.idOf(1)], reason: `缺货${RLO}` }), 'reason'],
  ];

  it.each(cases)('%s', async (method, input, field) => {
    const before = { ops: countRows(f.db, 'ops'), audit: countRows(f.db, 'audit_log') };
    const r = await f.call(method, input());
    expect(r.ok ? 'ok' : r.error.code).toBe('VALIDATION_FAILED');
    if (!r.ok) {
      expect(r.error.message).toContain(`${field}: contains U+`);
      expect(r.error.message).toMatch(/remove it/);
    }
    expect({ ops: countRows(f.db, 'ops'), audit: countRows(f.db, 'audit_log') }).toEqual(before);
  });

  it('an ordinary multi-line note still goes in', async () => {
    const r = await f.call('orders.addNote', { id: f.idOf(1), body: '已联系买家\n明天补发' });
    expect(r.ok).toBe(true);
  });
});
