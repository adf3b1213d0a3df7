// Tests Kuaishou signing, param JSON and timestamps against the vectors and rules in
// docs/platforms/kuaishou.md#signing-sourced.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kuaishouParamJson, kuaishouSign, kuaishouTimestamp } from './sign.ts';

// KS1/KS2 (docs/platforms/kuaishou.md#signing-sourced, [COMPUTED] from the PHP SDK's test inputs), signSecret
// `sign-secret`.
const KS1 = {
  access_token: 'token',
  appkey: 'ks123',
  method: 'open.seller.order.list',
  param: '{"title":"短袖"}',
  signMethod: 'MD5',
  timestamp: '1583271919000',
  version: '1',
};
const KS1_SIGN = '6005da269b372ff10945e565ef37a4c6';

// KS3 (docs/platforms/kuaishou.md#signing-sourced, [COMPUTED]), signSecret `ss`.
const KS3_PARAM =
  '{"beginTime":1709256600000,"cursor":"","endTime":1709258400000,"orderViewStatus":1,"pageSize":50,"queryType":2,"sort":1}';
const KS3 = {
  access_token: 'tok',
  appkey: 'ks660000000000000001',
  method: 'open.order.cursor.list',
  param: KS3_PARAM,
  signMethod: 'MD5',
  timestamp: '1709258400123',
  version: '1',
};

describe('kuaishouSign vectors (docs/platforms/kuaishou.md, Signing)', () => {
  it('KS1 MD5', () => {
    expect(kuaishouSign(KS1, 'sign-secret', 'MD5')).toBe(KS1_SIGN);
  });

  it('KS2 HMAC_SHA256 → Base64', () => {
    expect(kuaishouSign({ ...KS1, signMethod: 'HMAC_SHA256' }, 'sign-secret', 'HMAC_SHA256')).toBe(
      'ZpPrG0oB1g/T93FyyVD+VCzRey41yqxZoCqcGg7upYM=',
    );
  });

  it('KS3 MD5 with numeric timestamp/version', () => {
    expect(kuaishouSign(KS3, 'ss', 'MD5')).toBe('5fd6efee0f2a17afaf4a66dbf1db18f4');
    expect(kuaishouSign({ ...KS3, timestamp: 1709258400123, version: 1 }, 'ss', 'MD5')).toBe(
      '5fd6efee0f2a17afaf4a66dbf1db18f4',
    );
  });

  it('KS1/KS3 param strings are what kuaishouParamJson builds from unordered objects', () => {
    expect(kuaishouParamJson({ title: '短袖' })).toBe(KS1.param);
    expect(
      kuaishouParamJson({
        sort: 1,
        queryType: 2,
        pageSize: 50,
        orderViewStatus: 1,
        endTime: 1709258400000,
        cursor: '',
        beginTime: 1709256600000,
      }),
    ).toBe(KS3_PARAM);
  });
});

describe('kuaishouSign rules (docs/platforms/kuaishou.md, Signing)', () => {
  it('is independent of input key order', () => {
    const keys = Object.keys(KS1) as Array<keyof typeof KS1>;
    fc.assert(
      fc.property(fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }), (order) => {
        const reordered = Object.fromEntries(order.map((k) => [k, KS1[k]]));
        return kuaishouSign(reordered, 'sign-secret', 'MD5') === KS1_SIGN;
      }),
    );
  });

  it('ignores sign, business params outside `param`, and null/undefined values', () => {
    expect(kuaishouSign({ ...KS1, sign: 'x', title: '短袖', pageSize: 50, extra: null }, 'sign-secret', 'MD5')).toBe(
      KS1_SIGN,
    );
  });

  it('drops a null signed param from the string instead of signing "null"', () => {
    const { access_token: _drop, ...withoutToken } = KS1;
    expect(kuaishouSign({ ...KS1, access_token: null }, 'sign-secret', 'MD5')).toBe(
      kuaishouSign(withoutToken, 'sign-secret', 'MD5'),
    );
    expect(kuaishouSign(withoutToken, 'sign-secret', 'MD5')).not.toBe(KS1_SIGN);
  });

  it('changes when any included value or the sign secret changes', () => {
    for (const key of Object.keys(KS1) as Array<keyof typeof KS1>) {
      if (key === 'signMethod') continue;
      expect(kuaishouSign({ ...KS1, [key]: `${KS1[key]}0` }, 'sign-secret', 'MD5'), key).not.toBe(KS1_SIGN);
    }
    expect(kuaishouSign(KS1, 'sign-secreT', 'MD5')).not.toBe(KS1_SIGN);
  });

  it('refuses a signMethod param that contradicts the method used', () => {
    expect(() => kuaishouSign(KS1, 'sign-secret', 'HMAC_SHA256')).toThrow(/signMethod/);
  });
});

describe('kuaishouTimestamp (docs/platforms/kuaishou.md, Gateway)', () => {
  it('is UNIX milliseconds', () => {
    expect(kuaishouTimestamp(1709258400123)).toBe('1709258400123');
    expect(kuaishouTimestamp(1709258400123.9)).toBe('1709258400123');
  });
});
