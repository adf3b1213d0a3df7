// The pieces every platform's token client shares: reading a token answer in its platform's shape,
// and classing a gateway's numbered refusal.
import { describe, expect, it } from 'vitest';
import { gatewayRefusal, isGrantRejected, readTokenAnswer, unexpectedAnswer } from './common.ts';

const NOW = Date.UTC(2026, 2, 1);

describe('readTokenAnswer', () => {
  it('takes the first account field present and the relative expiries', () => {
    const t = readTokenAnswer('x', { access_token: 'at', refresh_token: 'rt', expires_in: 60, re_expires_in: '120', uid: 7 }, NOW, {
      refreshExpiresIn: 're_expires_in',
      account: ['open_id', 'uid'],
    });
    expect(t).toEqual({ accessToken: 'at', refreshToken: 'rt', accessTokenExpiresAt: NOW + 60_000, refreshTokenExpiresAt: NOW + 120_000, account: '7' });
  });

  it('prefers absolute UNIX-second expiries, falling back to the relative ones', () => {
    const shape = { expiresAt: 'expires_at', refreshExpiresAt: 'refresh_token_expires_at', refreshExpiresIn: 'refresh_token_expires_in', account: ['owner_name'] };
    expect(readTokenAnswer('x', { access_token: 'at', expires_at: 1_800_000_000, expires_in: 60, refresh_token_expires_at: '1800000100' }, NOW, shape)).toEqual({
      accessToken: 'at',
      accessTokenExpiresAt: 1_800_000_000_000,
      refreshTokenExpiresAt: 1_800_000_100_000,
    });
    expect(readTokenAnswer('x', { access_token: 'at', expires_in: 60, refresh_token_expires_in: 90 }, NOW, shape)).toEqual({
      accessToken: 'at',
      accessTokenExpiresAt: NOW + 60_000,
      refreshTokenExpiresAt: NOW + 90_000,
    });
  });

  it('leaves out what the answer does not say, and calls a missing access token a glitch worth retrying', () => {
    expect(readTokenAnswer('x', { access_token: 'at', refresh_token: '' }, NOW, { account: ['shop_name'] })).toEqual({ accessToken: 'at' });
    let thrown: unknown;
    try {
      readTokenAnswer('x', { refresh_token: 'rt' }, NOW, { account: [] });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ message: expect.stringMatching(/no access_token/) });
    expect(isGrantRejected(thrown)).toBe(false);
  });
});

describe('gatewayRefusal', () => {
  it('retries throttling and transient codes and refuses the grant for any other', () => {
    const throttle = new Set([7]);
    const transient = new Set([8]);
    expect(isGrantRejected(gatewayRefusal('x', 7, 'slow down', throttle, transient))).toBe(false);
    expect(isGrantRejected(gatewayRefusal('x', 8, 'busy', throttle, transient))).toBe(false);
    expect(isGrantRejected(gatewayRefusal('x', 9, 'bad code', throttle, transient))).toBe(true);
    expect(isGrantRejected(gatewayRefusal('x', Number.NaN, 'garbled', throttle, transient))).toBe(true);
    expect(isGrantRejected(unexpectedAnswer('x', 502))).toBe(false);
  });
});
