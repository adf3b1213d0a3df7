// Tests TOP signing and timestamps against the TOP vectors (docs/platforms/taobao.md#requests) and the
// Cainiao LINK vectors (docs/platforms/common.md#cainiao-link-tms_waybill_get).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cainiaoLinkDigest, topSign, topSignBase, topTimestamp, type TopParamValue } from './sign.ts';
import { TB4 } from '../../../testkit/platforms/top-vectors.ts';


// TB2/TB3 say "same params" as a TB1 row that the vector table does not contain. These are the params of
// the public TOP documentation's signing example (secret `helloworld`); both expected values below
// are copied verbatim from docs/platforms/taobao.md#requests and reproduce only with exactly these params.
const TOP_DOC_EXAMPLE: Record<string, string> = {
  app_key: '12345678',
  fields: 'num_iid,title,nick,price,num',
  format: 'json',
  method: 'taobao.item.seller.get',
  num_iid: '11223344',
  session: 'test',
  timestamp: '2016-01-01 12:00:00',
  v: '2.0',
};

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('topSign vectors (docs/platforms/taobao.md, Requests)', () => {
  it('TB4 md5', () => {
    expect(topSign(TB4, 'testsecret', 'md5')).toBe('9908D55D6D996A96BA5ADCC8FC5BEA33');
  });

  it('TB2 hmac (HMAC-MD5, key helloworld)', () => {
    expect(topSign({ ...TOP_DOC_EXAMPLE, sign_method: 'hmac' }, 'helloworld', 'hmac')).toBe(
      'D56D7858309C31B6251083A874D48273',
    );
  });

  it('TB3 hmac-sha256 (key helloworld)', () => {
    expect(topSign({ ...TOP_DOC_EXAMPLE, sign_method: 'hmac-sha256' }, 'helloworld', 'hmac-sha256')).toBe(
      '04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8',
    );
  });

  it('TB5 RFC 2202 / RFC 4231 case 1: S = "Hi There", no secret wrapping for hmac methods', () => {
    expect(topSign({ Hi: ' There' }, '\x0b'.repeat(16), 'hmac')).toBe('9294727A3638BB1C13F48EF8158BFC9D');
    expect(topSign({ Hi: ' There' }, '\x0b'.repeat(20), 'hmac-sha256')).toBe(
      'B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7',
    );
  });
});

describe('topSign rules (docs/platforms/taobao.md, Requests)', () => {
  it('is independent of input key order', () => {
    const keys = Object.keys(TB4);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => {
        const reordered = Object.fromEntries(shuffled(keys, seed).map((k) => [k, TB4[k]!]));
        return topSign(reordered, 'testsecret', 'md5') === '9908D55D6D996A96BA5ADCC8FC5BEA33';
      }),
    );
  });

  it('ignores sign, empty/null/undefined values, empty keys and file (byte) params', () => {
    const noisy: Record<string, TopParamValue> = {
      ...TB4,
      sign: 'DEADBEEF',
      partner_id: '',
      target_app_key: null,
      simplify: undefined,
      '': 'x',
      image: new Uint8Array([1, 2, 3]),
      pic: Buffer.from('file-bytes'),
    };
    expect(topSign(noisy, 'testsecret', 'md5')).toBe('9908D55D6D996A96BA5ADCC8FC5BEA33');
  });

  it('changes when any included value changes, or a param is added', () => {
    const base = topSign(TB4, 'testsecret', 'md5');
    for (const key of Object.keys(TB4)) {
      if (key === 'sign_method') continue;
      expect(topSign({ ...TB4, [key]: `${TB4[key]}x` }, 'testsecret', 'md5'), key).not.toBe(base);
    }
    expect(topSign({ ...TB4, partner_id: 'top-sdk' }, 'testsecret', 'md5')).not.toBe(base);
    expect(topSign(TB4, 'testsecreT', 'md5')).not.toBe(base);
  });

  it('signs numbers and booleans as their string form', () => {
    const typed = { ...TB4, page_no: 1, page_size: 50, use_has_next: true };
    expect(topSign(typed, 'testsecret', 'md5')).toBe('9908D55D6D996A96BA5ADCC8FC5BEA33');
  });

  it('sorts keys by code unit (uppercase before lowercase), k+v with no separators', () => {
    expect(topSignBase({ b: '2', a: '1', B: '3', a_b: '4' })).toBe('B3a1a_b4b2');
  });

  it('appends the Qimen/batch body to S', () => {
    const body = '{"x":1}';
    const withBody = topSign(TB4, 'testsecret', 'md5', body);
    expect(withBody).not.toBe(topSign(TB4, 'testsecret', 'md5'));
    expect(topSign({ Hi: ' The' }, '\x0b'.repeat(16), 'hmac', 're')).toBe('9294727A3638BB1C13F48EF8158BFC9D');
  });

  it('refuses a sign_method param that contradicts the method used', () => {
    expect(() => topSign(TB4, 'testsecret', 'hmac')).toThrow(/sign_method/);
  });
});

describe('topTimestamp (docs/platforms/taobao.md, Requests)', () => {
  it('formats epoch ms as GMT+8 wall clock, yyyy-MM-dd HH:mm:ss', () => {
    expect(topTimestamp(Date.UTC(2024, 2, 1, 2, 31, 0))).toBe('2024-03-01 10:31:00');
    expect(topTimestamp(Date.UTC(2023, 11, 31, 16, 0, 0, 999))).toBe('2024-01-01 00:00:00');
    expect(topTimestamp(Date.UTC(2024, 1, 29, 15, 59, 59, 500))).toBe('2024-02-29 23:59:59');
    expect(topTimestamp(0)).toBe('1970-01-01 08:00:00');
  });

  it('rejects non-finite input', () => {
    expect(() => topTimestamp(Number.NaN)).toThrow(RangeError);
  });
});

describe('cainiaoLinkDigest (docs/platforms/common.md, Cainiao LINK)', () => {
  it('CN1', () => {
    expect(cainiaoLinkDigest('{"cpCode":"YTO"}', 'appsecret123')).toBe('LYpC0hbfvb1zx49cCClrUg==');
  });

  it('CN2 (UTF-8 content)', () => {
    expect(
      cainiaoLinkDigest(
        '{"cpCode":"ZTO","sender":{"mobile":"13800000000","name":"张三"}}',
        'Z40m28n6j83Ci6na4i9C735z9c60pk2h',
      ),
    ).toBe('cBnWzIy2/fv6SmKEDxRy1w==');
  });

  it('changes with content or secret', () => {
    const base = cainiaoLinkDigest('{"cpCode":"YTO"}', 'appsecret123');
    expect(cainiaoLinkDigest('{"cpCode":"ZTO"}', 'appsecret123')).not.toBe(base);
    expect(cainiaoLinkDigest('{"cpCode":"YTO"}', 'appsecret124')).not.toBe(base);
  });
});
