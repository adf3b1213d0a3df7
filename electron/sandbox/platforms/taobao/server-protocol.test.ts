// The loopback TOP gateway, driven with requests taken from docs/platforms/taobao.md rather than from the
// adapter: the TB4 vector's request is accepted as the notes sign it, and a refusal comes back in TOP's
// error envelope (HTTP 200, error_response with code/msg/sub_code/sub_msg/request_id).
import { afterEach, describe, expect, it } from 'vitest';
import { parseGmt8 } from '../gmt8.ts';
import { startPlatformServer, type PlatformServer } from './server.ts';
import { CARRIER_CODES } from '../../../shared/carriers.ts';
import { expectedSign, MAX_PAGE_SIZE, SANDBOX_COMPANY_CODES } from './server-protocol.ts';
import { TB4, TB4_SIGN } from '../../../testkit/platforms/top-vectors.ts';


let server: PlatformServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function gateway(): Promise<PlatformServer> {
  server = await startPlatformServer({ orders: [], appKey: '12345678', appSecret: 'testsecret', accessToken: '6100a2b3c', now: () => parseGmt8('2024-03-01 10:31:00') });
  return server;
}

async function post(url: string, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' }, body: new URLSearchParams(params).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('loopback TOP gateway protocol', () => {
  it('accepts the TB4 request signed as the notes sign it', async () => {
    const s = await gateway();
    const r = await post(s.url, { ...TB4, sign: TB4_SIGN });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ trades_sold_increment_get_response: { trades: { trade: [] }, has_next: false, request_id: expect.any(String) } });
  });

  it('refuses a wrong signature in the error envelope, HTTP 200', async () => {
    const s = await gateway();
    const r = await post(s.url, { ...TB4, sign: TB4_SIGN.replace(/^9/, '8') });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ error_response: { code: 25, msg: 'Invalid Signature', request_id: expect.any(String) } });
    // A param changed after signing is a wrong signature too.
    const tampered = await post(s.url, { ...TB4, page_size: '40', sign: TB4_SIGN });
    expect(tampered.body).toMatchObject({ error_response: { code: 25 } });
  });

  it('carries sub_code and sub_msg when the refusal has them', async () => {
    const s = await gateway();
    // TB4's own window, but over the page_size limit: the notes' md5 over the changed params.
    const params = { ...TB4, page_size: String(MAX_PAGE_SIZE + 1) };
    const r = await post(s.url, { ...params, sign: expectedSign(params, 'testsecret', 'md5') });
    expect(r.body).toEqual({
      error_response: { code: 15, msg: 'Remote service error', sub_code: 'isv.invalid-parameter:page_size', sub_msg: expect.stringContaining('1-100'), request_id: expect.any(String) },
    });
  });

  it('knows a company_code for every carrier the station ships with, one carrier per code', () => {
    expect(Object.keys(SANDBOX_COMPANY_CODES).sort()).toEqual([...CARRIER_CODES].sort());
    expect(new Set(Object.values(SANDBOX_COMPANY_CODES)).size).toBe(CARRIER_CODES.length);
  });
});
