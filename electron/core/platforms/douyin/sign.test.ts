// Tests doudian signing, param_json and timestamps against the vectors and rules in
// docs/platforms/douyin.md#signing-sourced-the-sdks-sign_utilgo.
import { describe, expect, it } from 'vitest';
import { doudianParamJson, doudianSign, doudianTimestamp, type DoudianSignParams } from './sign.ts';

// docs/platforms/douyin.md#signing-sourced-the-sdks-sign_utilgo [COMPUTED]: app_key 7000000000000000001,
// secret testsecret, timestamp 1709258400.
const SECRET = 'testsecret';
const common = { app_key: '7000000000000000001', timestamp: '1709258400' };
const DD1_JSON =
  '{"order_asc":false,"order_by":"update_time","page":0,"size":100,"update_time_end":1709258400,"update_time_start":1709256600}';
const DD1: DoudianSignParams = { ...common, method: 'order.searchList', param_json: DD1_JSON };
const DD1_SIGN = 'd0d978f0dcda8ee6be0cd4c3bf01f9da519eb63bc29d09faf5c57bd8db4d7fe6';
const DD2_JSON = '{"company_code":"zhongtong","logistics_code":"78123456789012","order_id":"6920000000000000000"}';

describe('doudianSign vectors (docs/platforms/douyin.md, Signing)', () => {
  it('DD1 hmac-sha256 and legacy md5', () => {
    expect(doudianSign(DD1, SECRET, 'hmac-sha256')).toBe(DD1_SIGN);
    expect(doudianSign(DD1, SECRET)).toBe(DD1_SIGN);
    expect(doudianSign(DD1, SECRET, 'md5')).toBe('b42e91e24a6e2cb19808813bb7f07b06');
  });

  it('DD2', () => {
    expect(doudianSign({ ...common, method: 'order.logisticsAdd', param_json: DD2_JSON }, SECRET)).toBe(
      'd6ecdcc32138eeecc13a0bb592ddf73819cde9ad6aaa7eac4a16222ed63a3c21',
    );
  });

  it('DD3 empty param', () => {
    expect(doudianSign({ ...common, method: 'order.orderDetail', param_json: doudianParamJson({}) }, SECRET)).toBe(
      'b5cec88517e12f07268eaf3f9f8b5c6954b12414fcce3490970174253e670658',
    );
  });

  it('the vectors param_json strings are what doudianParamJson builds from unordered objects', () => {
    expect(
      doudianParamJson({
        update_time_start: 1709256600,
        update_time_end: 1709258400,
        size: 100,
        page: 0,
        order_by: 'update_time',
        order_asc: false,
      }),
    ).toBe(DD1_JSON);
    expect(
      doudianParamJson({ order_id: '6920000000000000000', logistics_code: '78123456789012', company_code: 'zhongtong' }),
    ).toBe(DD2_JSON);
    expect(doudianParamJson(undefined)).toBe('{}');
  });
});

describe('doudianSign rules (docs/platforms/douyin.md, Signing)', () => {
  it('is independent of the order the params object was built in', () => {
    const reordered: DoudianSignParams = {
      param_json: DD1_JSON,
      timestamp: '1709258400',
      method: 'order.searchList',
      app_key: '7000000000000000001',
    };
    expect(doudianSign(reordered, SECRET)).toBe(DD1_SIGN);
  });

  it('ignores access_token, sign, v and a matching sign_method', () => {
    expect(
      doudianSign({ ...DD1, access_token: 'tok', sign: 'abc', v: '2', sign_method: 'hmac-sha256' }, SECRET),
    ).toBe(DD1_SIGN);
  });

  it('changes when any signed value or the secret changes', () => {
    for (const key of ['app_key', 'method', 'param_json', 'timestamp'] as const) {
      expect(doudianSign({ ...DD1, [key]: `${DD1[key]}1` }, SECRET), key).not.toBe(DD1_SIGN);
    }
    expect(doudianSign(DD1, 'testsecreT')).not.toBe(DD1_SIGN);
  });

  it('refuses a sign_method param that contradicts the method used', () => {
    expect(() => doudianSign({ ...DD1, sign_method: 'md5' }, SECRET, 'hmac-sha256')).toThrow(/sign_method/);
  });
});

describe('doudianParamJson (docs/platforms/douyin.md, Signing step 1)', () => {
  it('sorts nested object keys, keeps array order, leaves <>& and non-ASCII raw', () => {
    expect(doudianParamJson({ b: [{ z: 1, a: '<&>' }, 2], a: { y: '张三', x: null } })).toBe(
      '{"a":{"x":null,"y":"张三"},"b":[{"a":"<&>","z":1},2]}',
    );
  });

  it('omits undefined fields and escapes U+2028/U+2029 like Go', () => {
    expect(doudianParamJson({ a: undefined, b: 'x\u2028y\u2029' })).toBe('{"b":"x\\u2028y\\u2029"}');
  });

  it('sorts keys by byte order (uppercase before lowercase)', () => {
    expect(doudianParamJson({ b: 1, B: 2, a: 3 })).toBe('{"B":2,"a":3,"b":1}');
  });

  it('rejects non-finite numbers', () => {
    expect(() => doudianParamJson({ page: { size: Number.POSITIVE_INFINITY } })).toThrow(/\$\.page\.size/);
  });
});

describe('doudianTimestamp (docs/platforms/douyin.md, Gateway)', () => {
  it('is UNIX seconds, truncated', () => {
    expect(doudianTimestamp(1709258400999)).toBe('1709258400');
  });
});
