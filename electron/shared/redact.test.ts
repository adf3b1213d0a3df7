import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretName, redact, REDACTED } from './redact.ts';

const SESSION = '6100a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9';
const SIGN = '9F86D081884C7D659A2FEAA0C55AD015';

describe('redact', () => {
  it.each([
    [
      'a proxy echoing a TOP request',
      `502 Bad Gateway: POST /router/rest?method=taobao.trades.sold.increment.get&app_key=12345678&session=${SESSION}&sign=${SIGN}&timestamp=2025-01-02`,
      ['method=taobao.trades.sold.increment.get', 'app_key=12345678', 'timestamp=2025-01-02'],
    ],
    [
      'a JSON error body with tokens',
      `{"error":"invalid_grant","access_token":"${SESSION}","refresh_token":"r-${SESSION}","client_secret":"cs-1234567890","expires_in":86400}`,
      ['"error":"invalid_grant"', '"expires_in":86400'],
    ],
    [
      'a JSON body written with camelCase and single quotes',
      `{ accessToken: '${SESSION}', appSecret: 'app-secret-value', shopId: 's1' }`,
      ["shopId: 's1'"],
    ],
    [
      'a dump of request headers',
      `request failed\nHost: gw.api.taobao.com\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.${SESSION}\nX-Access-Token: ${SESSION}\nCookie: _tb_token_=abc; session=${SESSION}`,
      ['Host: gw.api.taobao.com', 'request failed'],
    ],
    ['a header written inline', `headers {Authorization: Bearer ${SESSION}} rejected`, ['rejected']],
    ['a form body', `body: app_key=1&access_token=${SESSION}&sign_method=md5&sign=${SIGN}`, ['app_key=1', 'sign_method=md5']],
    ['an encoded body', `payload=access_token%3D${SESSION}%26sign%3D${SIGN}%26v%3D2.0`, ['v%3D2.0']],
    ['encoded JSON', `q=%7B%22access_token%22%3A%22${SESSION}%22%2C%22page%22%3A1%7D`, ['%22page%22%3A1']],
    ['a printer URI with a password', `CUPS: ipp://admin:${SESSION}@192.168.1.9/printers/label refused`, ['ipp://admin:', '@192.168.1.9/printers/label refused']],
    ['a harmless pair right before a secret', `A0: 'access_token': '${SESSION}', x=1&sign=${SIGN}`, ['x=1']],
  ])('%s: the secrets go, the rest stays', (_what, input, kept) => {
    const out = redact(input);
    expect(out).not.toContain(SESSION);
    expect(out).not.toContain(SIGN);
    expect(out).not.toMatch(/app-secret-value|cs-1234567890/);
    expect(out).toContain(REDACTED);
    for (const k of kept) expect(out).toContain(k);
  });

  it('leaves ordinary messages alone', () => {
    for (const text of [
      'SHOP_AUTH_EXPIRED: 店铺授权已过期，请重新授权 (code 27)',
      'PLATFORM_ERROR: isv.trade-not-exist 交易不存在',
      'design=1 signal lost, assignment=2',
      '打印机缺纸 (paper_out)',
      'orders: Invalid input: expected object, received undefined',
    ]) {
      expect(redact(text)).toBe(text);
    }
    expect(redact(null)).toBeNull();
  });

  it('knows the secret names in their usual spellings, and not their look-alikes', () => {
    for (const n of ['access_token', 'accessToken', 'ACCESS-TOKEN', 'X-Access-Token', 'refresh_token', 'session', 'sessionKey', 'sign', 'app_secret', 'appSecret', 'client_secret', 'Authorization', 'Cookie']) {
      expect(isSecretName(n), n).toBe(true);
    }
    for (const n of ['sign_method', 'design', 'app_key', 'method', 'timestamp', 'tokens_left', 'session_count']) expect(isSecretName(n), n).toBe(false);
  });

  it('never leaks a token value, whatever surrounds it (property)', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9]{24,48}$/);
    const name = fc.constantFrom('access_token', 'accessToken', 'refresh_token', 'session', 'sign', 'app_secret', 'client_secret', 'Authorization', 'x-access-token');
    const shape = fc.constantFrom(
      (n: string, v: string) => `${n}=${v}`,
      (n: string, v: string) => `?a=1&${n}=${v}&b=2`,
      (n: string, v: string) => `{"${n}":"${v}"}`,
      (n: string, v: string) => `{"${n}": "${v}", "x": 1}`,
      (n: string, v: string) => `'${n}': '${v}'`,
      (n: string, v: string) => `\n${n}: ${v}\n`,
      (n: string, v: string) => `${n}%3D${v}`,
    );
    const noise = fc.string({ maxLength: 20 }).map((s) => s.replace(/[A-Za-z0-9_-]$/, ' '));
    fc.assert(
      fc.property(name, token, shape, noise, noise, (n, v, f, before, after) => {
        expect(redact(`${before} ${f(n, v)} ${after}`)).not.toContain(v);
      }),
      { numRuns: 500 },
    );
  });
});
