// JD (JOS) OAuth 2.0: the login/authorise page open-oauth.jd.com/oauth2/to_login, and code → token
// on /oauth2/access_token, refresh on /oauth2/refresh_token (GET with query params).
// Sources: the authorise URL and its params (app_key, response_type=code, redirect_uri, state,
// scope snsapi_base) from JD's "用户登录授权(新)" doc (public copies on kepler.jd.com and
// open.healthjd.com). The token calls' params (app_key, app_secret, grant_type, code /
// refresh_token) and the answer's fields (access_token, expires_in, refresh_token, open_id, scope,
// code/msg on failure) are [UNVERIFIED]: they follow the same doc family's pattern, not a quoted page.
import { grantRejected, joinUrl, oauthHttp, optionalString, readTokenAnswer, unexpectedAnswer, withQuery, type OAuthApp, type OAuthDeps, type OAuthProvider, type TokenSet } from './common.ts';

export const JD_OAUTH_BASE = 'https://open-oauth.jd.com';
const LABEL = 'jd oauth';

async function tokenCall(app: OAuthApp, path: string, params: Record<string, string>, deps: OAuthDeps): Promise<TokenSet> {
  const url = withQuery(joinUrl(app.oauthBase ?? JD_OAUTH_BASE, path), { app_key: app.appKey, app_secret: app.appSecret, ...params });
  const { status, json } = await oauthHttp(LABEL, url, { method: 'GET' }, deps);
  if (json && typeof json.access_token === 'string' && status < 400) return readTokenAnswer(LABEL, json, deps.now(), { account: ['open_id', 'uid'] });
  if (json && (json.code !== undefined || json.error !== undefined)) {
    const code = optionalString(json, 'code') ?? optionalString(json, 'error') ?? 'error';
    throw grantRejected(LABEL, code, optionalString(json, 'msg') ?? optionalString(json, 'error_description') ?? `refused (${code})`);
  }
  throw unexpectedAnswer(LABEL, status);
}

export const jdOAuth: OAuthProvider = {
  authorizeUrl(app, redirectUri, state) {
    return withQuery(joinUrl(app.oauthBase ?? JD_OAUTH_BASE, '/oauth2/to_login'), {
      app_key: app.appKey,
      response_type: 'code',
      redirect_uri: redirectUri,
      state,
      scope: 'snsapi_base',
    });
  },
  exchangeCode(app, code, _redirectUri, deps) {
    return tokenCall(app, '/oauth2/access_token', { grant_type: 'authorization_code', code }, deps);
  },
  refresh(app, refreshToken, deps) {
    return tokenCall(app, '/oauth2/refresh_token', { grant_type: 'refresh_token', refresh_token: refreshToken }, deps);
  },
};
