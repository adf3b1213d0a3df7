// Taobao/Tmall OAuth 2.0 (one seller authorisation serves both): the authorise page on
// oauth.taobao.com, and code → token and refresh on its /token endpoint (form POST).
// Sources: the authorise URL shape (response_type, client_id, redirect_uri, state, view=web) from
// public SDK comments (zeasin/qihangerp-sdk TaoTokenApiHelper); the token answer's fields
// (access_token, expires_in, refresh_token, re_expires_in, taobao_user_nick, taobao_user_id) from
// a public copy of the TOP OAuth doc. The error body `{error, error_description}` and which
// `error` values mean a refused grant are [UNVERIFIED]: OAuth 2.0 (RFC 6749 §5.2) style is assumed.
import { grantRejected, joinUrl, oauthHttp, optionalString, readTokenAnswer, unexpectedAnswer, withQuery, type OAuthApp, type OAuthDeps, type OAuthProvider, type TokenSet } from './common.ts';

export const TAOBAO_OAUTH_BASE = 'https://oauth.taobao.com';
const LABEL = 'taobao oauth';

async function tokenCall(app: OAuthApp, form: Record<string, string>, deps: OAuthDeps): Promise<TokenSet> {
  const url = joinUrl(app.oauthBase ?? TAOBAO_OAUTH_BASE, '/token');
  const body = new URLSearchParams({ client_id: app.appKey, client_secret: app.appSecret, ...form, view: 'web' });
  const { status, json } = await oauthHttp(LABEL, url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }, body }, deps);
  if (json && typeof json.access_token === 'string' && status < 400) {
    return readTokenAnswer(LABEL, json, deps.now(), { refreshExpiresIn: 're_expires_in', account: ['taobao_user_nick'] });
  }
  const error = json ? optionalString(json, 'error') : undefined;
  const description = (json && optionalString(json, 'error_description')) ?? `HTTP ${status}`;
  // invalid_grant / invalid_client / unauthorized_client: the grant or the app is refused for good.
  if (error) throw grantRejected(LABEL, error, description);
  throw unexpectedAnswer(LABEL, status);
}

export const taobaoOAuth: OAuthProvider = {
  authorizeUrl(app, redirectUri, state) {
    return withQuery(joinUrl(app.oauthBase ?? TAOBAO_OAUTH_BASE, '/authorize'), {
      response_type: 'code',
      client_id: app.appKey,
      redirect_uri: redirectUri,
      state,
      view: 'web',
    });
  },
  exchangeCode(app, code, redirectUri, deps) {
    return tokenCall(app, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, deps);
  },
  refresh(app, refreshToken, deps) {
    return tokenCall(app, { grant_type: 'refresh_token', refresh_token: refreshToken }, deps);
  },
};
