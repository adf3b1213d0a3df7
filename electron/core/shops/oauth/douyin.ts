// Douyin 抖店 OAuth for tool apps: the seller authorises in the 抖店 back office, and the code is
// exchanged (token.create) and refreshed (token.refresh) on the signed open-API gateway.
// Sources (docs/platforms/douyin.md#gateway-and-common-parameters, zsmhub/doudian-sdk
// core/create_token_request.go): token.create takes code and grant_type (`authorization_code` for tool apps),
// POSTed as param_json with the query app_key, method, timestamp, v=2, sign, sign_method and no access_token;
// token.refresh takes refresh_token and grant_type=refresh_token. Answer `{code: 10000, data: {access_token,
// expires_in, refresh_token, scope, shop_id, shop_name}}` (field names from gaigeshen/doudian
// AccessTokenData). The authorise page URL (fxg.jinritemai.com …/ffa/open/applicationAuthorize with
// response_type, app_id, redirect_uri, state) is [UNVERIFIED]; which codes refuse a grant is [UNVERIFIED]
// (douyin/errors.ts: transient and throttling codes retry, the rest refuse).
import { DOUDIAN_ERR, DOUDIAN_THROTTLE_CODES, DOUDIAN_TRANSIENT_CODES } from '../../platforms/douyin/errors.ts';
import { doudianParamJson, doudianSign, doudianTimestamp } from '../../platforms/douyin/sign.ts';
import { gatewayRefusal, joinUrl, oauthHttp, optionalString, readTokenAnswer, transientFailure, unexpectedAnswer, withQuery, type OAuthApp, type OAuthDeps, type OAuthProvider, type TokenSet } from './common.ts';

/** The 抖店 back office serves the authorise page as a hash route of its single-page app. */
export const DOUYIN_AUTHORIZE_PAGE = 'https://fxg.jinritemai.com/index.html#/ffa/open/applicationAuthorize';
export const DOUYIN_GATEWAY_BASE = 'https://openapi-fxg.jinritemai.com';
const LABEL = 'douyin oauth';

async function gatewayCall(app: OAuthApp, method: 'token.create' | 'token.refresh', param: Record<string, string>, deps: OAuthDeps): Promise<TokenSet> {
  const paramJson = doudianParamJson(param);
  const query = { app_key: app.appKey, method, param_json: paramJson, timestamp: doudianTimestamp(deps.now()), v: '2' as const, sign_method: 'hmac-sha256' };
  const sign = doudianSign(query, app.appSecret, 'hmac-sha256');
  const url = withQuery(joinUrl(app.oauthBase ?? DOUYIN_GATEWAY_BASE, `/${method.replace(/\./g, '/')}`), {
    app_key: app.appKey,
    method,
    timestamp: query.timestamp,
    v: '2',
    sign,
    sign_method: 'hmac-sha256',
  });
  const { status, json } = await oauthHttp(`${LABEL} ${method}`, url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-open-no-old-err-code': '1' },
    body: paramJson,
  }, deps);
  if (!json) throw unexpectedAnswer(LABEL, status);
  const code = Number(json.code);
  if (code !== DOUDIAN_ERR.success) {
    const message = optionalString(json, 'sub_msg') ?? optionalString(json, 'msg') ?? `code ${String(json.code)}`;
    throw gatewayRefusal(LABEL, code, message, DOUDIAN_THROTTLE_CODES, DOUDIAN_TRANSIENT_CODES);
  }
  const data = json.data;
  if (typeof data !== 'object' || data === null) throw transientFailure(LABEL, 'BAD_ANSWER', 'the answer has no data');
  return readTokenAnswer(LABEL, data as Record<string, unknown>, deps.now(), { account: ['shop_name', 'shop_id'] });
}

export const douyinOAuth: OAuthProvider = {
  authorizeUrl(app, redirectUri, state) {
    const params = { response_type: 'code', app_id: app.appKey, redirect_uri: redirectUri, state };
    // The production page reads its query from the hash route; an override (the sandbox, a proxy)
    // serves the same route as a real path so a server can see the params.
    if (!app.oauthBase) return `${DOUYIN_AUTHORIZE_PAGE}?${new URLSearchParams(params).toString()}`;
    return withQuery(joinUrl(app.oauthBase, '/ffa/open/applicationAuthorize'), params);
  },
  exchangeCode(app, code, _redirectUri, deps) {
    return gatewayCall(app, 'token.create', { code, grant_type: 'authorization_code' }, deps);
  },
  refresh(app, refreshToken, deps) {
    return gatewayCall(app, 'token.refresh', { refresh_token: refreshToken, grant_type: 'refresh_token' }, deps);
  },
};
