// The loopback gateways check signatures with their own code (taobao|pdd|jd|douyin|kuaishou/server-protocol.ts),
// not the adapters' sign.ts: these are the published vectors (docs/platforms/<platform>.md, from
// the Signing sections of docs/platforms/{taobao,pdd,jd,douyin,kuaishou}.md) run against that code, so a sandbox
// that accepts a wrong signature cannot hide an adapter that makes one.
import { describe, expect, it } from 'vitest';
import { expectedSign as douyin } from './douyin/server-protocol.ts';
import { expectedSign as jd } from './jd/server-protocol.ts';
import { expectedSign as kuaishou } from './kuaishou/server-protocol.ts';
import { expectedSign as pdd } from './pdd/server-protocol.ts';
import { expectedSign as taobao } from './taobao/server-protocol.ts';
import { TB4, TB4_SIGN } from '../../testkit/platforms/top-vectors.ts';

describe('sandbox signature checks against the published vectors', () => {
  it('Taobao: upper hex of MD5(secret+S+secret), HMAC-MD5 or HMAC-SHA256 of S, keys sorted (TB4, TB5)', () => {
    expect(taobao(TB4, 'testsecret', 'md5')).toBe(TB4_SIGN);
    // Key order on the wire does not matter; `sign` and empty values are never signed.
    const reversed = Object.fromEntries(Object.entries(TB4).reverse());
    expect(taobao({ ...reversed, sign: 'ANY', partner_id: '' }, 'testsecret', 'md5')).toBe(TB4_SIGN);
    // RFC 2202 / RFC 4231 case 1: S = "Hi There", and the hmac methods do not wrap S in the secret.
    expect(taobao({ Hi: ' There' }, '\x0b'.repeat(16), 'hmac')).toBe('9294727A3638BB1C13F48EF8158BFC9D');
    expect(taobao({ Hi: ' There' }, '\x0b'.repeat(20), 'hmac-sha256')).toBe('B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7');
  });

  it('PDD: upper-hex MD5 over sorted k+v, object values as their JSON text (PDD2, PDD3)', () => {
    const common = { client_id: 'abc123', access_token: 'tok', timestamp: '1709258400', data_type: 'JSON' };
    expect(
      pdd({ ...common, type: 'pdd.order.number.list.increment.get', start_updated_at: '1709256600', end_updated_at: '1709258400', order_status: '5', refund_status: '5', is_lucky_flag: '0', page: '1', page_size: '100', use_has_next: 'true' }, 's3cret'),
    ).toBe('E9CFF276F41C6DCA6B006B0AB448E8BB');
    expect(pdd({ ...common, type: 'pdd.open.decrypt.batch', data_list: '[{"data_tag":"240301-123","encrypted_data":"~AgAAAA==~1~"}]' }, 's3cret')).toBe('B62C572E1F32707438C8ED168E9C04EA');
    // `sign` itself is never signed.
    expect(pdd({ ...common, type: 'x', sign: 'ANY' }, 's3cret')).toBe(pdd({ ...common, type: 'x' }, 's3cret'));
  });

  it('JD: upper-hex MD5 over the signed system params and 360buy_param_json only (JD2)', () => {
    const params = {
      '360buy_param_json': '{"dateType":0,"end_date":"2024-03-01 11:00:00","optional_fields":"orderId,orderState,modified","order_state":"WAIT_SELLER_STOCK_OUT","page":"1","page_size":"100","sortType":1,"start_date":"2024-03-01 10:00:00"}',
      access_token: 'tok',
      app_key: 'ak',
      method: 'jingdong.pop.order.enSearch',
      timestamp: '2024-03-01 11:00:05',
      v: '2.0',
    };
    expect(jd(params, 'sk')).toBe('6FE341187C1ED8443022552D63E3A644');
    expect(jd({ ...params, format: 'json', sign: 'X' }, 'sk')).toBe('6FE341187C1ED8443022552D63E3A644');
  });

  it('Douyin: lower-hex HMAC-SHA256 of secret+P+secret, legacy MD5 too (DD1–DD3)', () => {
    const k = { appKey: '7000000000000000001', timestamp: '1709258400' };
    const dd1 = { ...k, method: 'order.searchList', body: '{"order_asc":false,"order_by":"update_time","page":0,"size":100,"update_time_end":1709258400,"update_time_start":1709256600}' };
    expect(douyin(dd1, 'testsecret', 'hmac-sha256')).toBe('d0d978f0dcda8ee6be0cd4c3bf01f9da519eb63bc29d09faf5c57bd8db4d7fe6');
    expect(douyin(dd1, 'testsecret', 'md5')).toBe('b42e91e24a6e2cb19808813bb7f07b06');
    expect(douyin({ ...k, method: 'order.logisticsAdd', body: '{"company_code":"zhongtong","logistics_code":"78123456789012","order_id":"6920000000000000000"}' }, 'testsecret', 'hmac-sha256')).toBe(
      'd6ecdcc32138eeecc13a0bb592ddf73819cde9ad6aaa7eac4a16222ed63a3c21',
    );
    expect(douyin({ ...k, method: 'order.orderDetail', body: '{}' }, 'testsecret', 'hmac-sha256')).toBe('b5cec88517e12f07268eaf3f9f8b5c6954b12414fcce3490970174253e670658');
  });

  it('Kuaishou: k=v&… + &signSecret=, MD5 lower hex or HMAC_SHA256 Base64 (KS1–KS3)', () => {
    const base = { access_token: 'token', appkey: 'ks123', method: 'open.seller.order.list', param: '{"title":"短袖"}', timestamp: '1583271919000', version: '1' };
    expect(kuaishou({ ...base, signMethod: 'MD5' }, 'sign-secret', 'MD5')).toBe('6005da269b372ff10945e565ef37a4c6');
    expect(kuaishou({ ...base, signMethod: 'HMAC_SHA256' }, 'sign-secret', 'HMAC_SHA256')).toBe('ZpPrG0oB1g/T93FyyVD+VCzRey41yqxZoCqcGg7upYM=');
    const ks3 = {
      access_token: 'tok',
      appkey: 'ks660000000000000001',
      method: 'open.order.cursor.list',
      param: '{"beginTime":1709256600000,"cursor":"","endTime":1709258400000,"orderViewStatus":1,"pageSize":50,"queryType":2,"sort":1}',
      signMethod: 'MD5',
      timestamp: '1709258400123',
      version: '1',
    };
    expect(kuaishou({ ...ks3, sign: 'X' }, 'ss', 'MD5')).toBe('5fd6efee0f2a17afaf4a66dbf1db18f4');
  });
});
