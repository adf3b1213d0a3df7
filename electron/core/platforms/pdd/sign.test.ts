// Tests PDD signing and timestamps against the vectors and rules in docs/platforms/pdd.md#signing-sourced.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pddSerializeParams, pddSign, pddTimestamp } from './sign.ts';

// PDD2 (docs/platforms/pdd.md#signing-sourced, [COMPUTED]).
const PDD2: Record<string, string> = {
  type: 'pdd.order.number.list.increment.get',
  client_id: 'abc123',
  access_token: 'tok',
  timestamp: '1709258400',
  data_type: 'JSON',
  start_updated_at: '1709256600',
  end_updated_at: '1709258400',
  order_status: '5',
  refund_status: '5',
  is_lucky_flag: '0',
  page: '1',
  page_size: '100',
  use_has_next: 'true',
};
const PDD2_SIGN = 'E9CFF276F41C6DCA6B006B0AB448E8BB';

// PDD3 (docs/platforms/pdd.md#signing-sourced, [COMPUTED]): data_list is the compact JSON string.
const PDD3_DATA_LIST = '[{"data_tag":"240301-123","encrypted_data":"~AgAAAA==~1~"}]';
const PDD3 = {
  type: 'pdd.open.decrypt.batch',
  client_id: 'abc123',
  access_token: 'tok',
  timestamp: '1709258400',
  data_type: 'JSON',
  data_list: PDD3_DATA_LIST,
};
const PDD3_SIGN = 'B62C572E1F32707438C8ED168E9C04EA';

describe('pddSign vectors (docs/platforms/pdd.md, Signing)', () => {
  it('PDD2', () => {
    expect(pddSign(PDD2, 's3cret')).toBe(PDD2_SIGN);
  });

  it('PDD3 with the JSON value given as a string', () => {
    expect(pddSign(PDD3, 's3cret')).toBe(PDD3_SIGN);
  });

  it('PDD3 with the JSON value given as an array: serialised to the same compact string', () => {
    const dataList = [{ data_tag: '240301-123', encrypted_data: '~AgAAAA==~1~' }];
    expect(pddSerializeParams({ ...PDD3, data_list: dataList })['data_list']).toBe(PDD3_DATA_LIST);
    expect(pddSign({ ...PDD3, data_list: dataList }, 's3cret')).toBe(PDD3_SIGN);
  });
});

describe('pddSign rules (docs/platforms/pdd.md, Signing)', () => {
  it('is independent of input key order', () => {
    const keys = Object.keys(PDD2);
    fc.assert(
      fc.property(fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }), (order) => {
        const reordered = Object.fromEntries(order.map((k) => [k, PDD2[k]!]));
        return pddSign(reordered, 's3cret') === PDD2_SIGN;
      }),
    );
  });

  it('ignores sign and null/undefined values', () => {
    expect(pddSign({ ...PDD2, sign: 'ABCDEF', version: undefined, pdd_merchant_id: null }, 's3cret')).toBe(PDD2_SIGN);
  });

  it('signs numbers and booleans as their string form', () => {
    const typed = { ...PDD2, timestamp: 1709258400, page: 1, page_size: 100, is_lucky_flag: 0, use_has_next: true };
    expect(pddSign(typed, 's3cret')).toBe(PDD2_SIGN);
  });

  it('changes when any included value changes, a param is added, or the secret changes', () => {
    for (const key of Object.keys(PDD2)) {
      expect(pddSign({ ...PDD2, [key]: `${PDD2[key]}0` }, 's3cret'), key).not.toBe(PDD2_SIGN);
    }
    expect(pddSign({ ...PDD2, version: 'V1' }, 's3cret')).not.toBe(PDD2_SIGN);
    expect(pddSign(PDD2, 's3creT')).not.toBe(PDD2_SIGN);
  });

  it('output is 32 uppercase hex chars', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), fc.string(), (params, secret) =>
        /^[0-9A-F]{32}$/.test(pddSign(params, secret)),
      ),
    );
  });
});

describe('pddTimestamp (docs/platforms/pdd.md, Gateway)', () => {
  it('is UNIX seconds, truncated', () => {
    expect(pddTimestamp(1709258400000)).toBe('1709258400');
    expect(pddTimestamp(1709258400999)).toBe('1709258400');
    expect(() => pddTimestamp(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
