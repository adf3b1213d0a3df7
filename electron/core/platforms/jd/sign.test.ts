// Tests JD JOS signing, 360buy_param_json and timestamps against the vector and rules in
// docs/platforms/jd.md#signing-sourced-the-official-sdks-sign.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jdParamJson, jdSign, jdTimestamp } from './sign.ts';

// JD2 (docs/platforms/jd.md#signing-sourced-the-official-sdks-sign, [COMPUTED]).
const JD2_PARAM_JSON =
  '{"dateType":0,"end_date":"2024-03-01 11:00:00","optional_fields":"orderId,orderState,modified","order_state":"WAIT_SELLER_STOCK_OUT","page":"1","page_size":"100","sortType":1,"start_date":"2024-03-01 10:00:00"}';
const JD2: Record<string, string> = {
  '360buy_param_json': JD2_PARAM_JSON,
  access_token: 'tok',
  app_key: 'ak',
  method: 'jingdong.pop.order.enSearch',
  timestamp: '2024-03-01 11:00:05',
  v: '2.0',
};
const JD2_SIGN = '6FE341187C1ED8443022552D63E3A644';

describe('jdSign vectors (docs/platforms/jd.md, Signing)', () => {
  it('JD2 md5', () => {
    expect(jdSign(JD2, 'sk')).toBe(JD2_SIGN);
    expect(jdSign({ ...JD2, sign_method: 'md5' }, 'sk')).not.toBe(JD2_SIGN); // sign_method is signed when sent
  });

  it('JD2 param json is what jdParamJson builds from unordered business params', () => {
    const business = {
      start_date: '2024-03-01 10:00:00',
      sortType: 1,
      page_size: '100',
      page: '1',
      order_state: 'WAIT_SELLER_STOCK_OUT',
      optional_fields: 'orderId,orderState,modified',
      end_date: '2024-03-01 11:00:00',
      dateType: 0,
    };
    expect(jdParamJson(business)).toBe(JD2_PARAM_JSON);
  });
});

describe('jdSign rules (docs/platforms/jd.md, Signing)', () => {
  it('is independent of input key order', () => {
    const keys = Object.keys(JD2);
    fc.assert(
      fc.property(fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }), (order) => {
        const reordered = Object.fromEntries(order.map((k) => [k, JD2[k]!]));
        return jdSign(reordered, 'sk') === JD2_SIGN;
      }),
    );
  });

  it('ignores sign, params outside the signed set, and empty/null/undefined values', () => {
    expect(
      jdSign({ ...JD2, sign: 'ABC', format: 'json', extra: 'x', jos_result_fuzz: '', reserveParams: null }, 'sk'),
    ).toBe(JD2_SIGN);
  });

  it('changes when any included value changes, an optional signed param is added, or the secret changes', () => {
    for (const key of Object.keys(JD2)) {
      expect(jdSign({ ...JD2, [key]: `${JD2[key]}1` }, 'sk'), key).not.toBe(JD2_SIGN);
    }
    expect(jdSign({ ...JD2, jos_result_fuzz: 'false' }, 'sk')).not.toBe(JD2_SIGN);
    expect(jdSign(JD2, 'sK')).not.toBe(JD2_SIGN);
  });

  it('refuses the unverified hmac sign methods', () => {
    expect(() => jdSign({ ...JD2, sign_method: 'hmacsha256' }, 'sk')).toThrow(/only md5/);
  });
});

describe('jdParamJson (docs/platforms/jd.md, Signing step 4)', () => {
  it('keeps nulls (Jackson), drops undefined, does not escape non-ASCII or slashes', () => {
    expect(jdParamJson({ start_date: 'a/b', end_date: null, note: '备注', skip: undefined })).toBe(
      '{"end_date":null,"note":"备注","start_date":"a/b"}',
    );
  });

  it('rejects non-finite numbers instead of sending null', () => {
    expect(() => jdParamJson({ page: Number.NaN })).toThrow(RangeError);
  });
});

describe('jdTimestamp (docs/platforms/jd.md, Gateway)', () => {
  it('formats epoch ms as Beijing time yyyy-MM-dd HH:mm:ss', () => {
    expect(jdTimestamp(Date.UTC(2024, 2, 1, 3, 0, 5))).toBe('2024-03-01 11:00:05');
    expect(jdTimestamp(Date.UTC(2024, 11, 31, 16, 0, 0))).toBe('2025-01-01 00:00:00');
  });
});
