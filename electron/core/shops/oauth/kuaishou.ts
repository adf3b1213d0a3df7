// Kuaishou 快手电商 OAuth 2.0: the authorise page, code → token (GET /oauth2/access_token) and
// refresh (POST /oauth2/refresh_token) on the open-API host.
// Sources (docs/platforms/kuaishou.md#gateway-and-common-parameters, crywolfx/kuaishou-merchant-open-api
// packages/main.ts): the token calls take app_id, app_secret, grant_type (`code` | `refresh_token`), code /
// refresh_token as query params; the answer is `{result: 1, access_token, expires_in (172800 s),
// refresh_token, refresh_token_expires_in (180 days), open_id, scopes}`, failure `{result ≠ 1, error,
// error_msg}`. The authorise page URL (open.kwaixiaodian.com/oauth/authorize with app_id, redirect_uri,
// scope, response_type=code, state) and the default scope names are [UNVERIFIED]. Which `result` codes are
// transient follows the PHP SDK's rate-limit list (15, 16, 17, 1016, 1017, 802000).
import { gatewayRefusal, joinUrl, oauthHttp, optionalString, readTokenAnswer, unexpectedAnswer, withQuery, type OAuthApp, type OAuthDeps, type OAuthProvider, type TokenSet } from './common.ts';

export const KUAISHOU_AUTHORIZE_BASE = 'https://open.kwaixiaodian.com';
export const KUAISHOU_TOKEN_BASE = 'https://openapi.kwaixiaodian.com';
/** [UNVERIFIED] scope names for an order-management app; settings.oauthScope overrides. */
export const KUAISHOU_DEFAULT_SCOPE = 'merchant_order,merchant_item,merchant_logistics,merchant_user';
const RATE_LIMITED: ReadonlySet<number> = new Set([15, 16, 17, 1016, 1017, 802000]);
/** Besides rate limits, no code is known to pass by itself: the rest refuse the grant. */
const NONE: ReadonlySet<number> = new Set();
const LABEL = 'kuaishou oauth';

async function tokenCall(app: OAuthApp, method: 'GET' | 'POST', path: string, params: Record<string, string>, deps: OAuthDeps): Promise<TokenSet> {
  const url = withQuery(joinUrl(app.oauthBase ?? KUAISHOU_TOKEN_BASE, path), { app_id: app.appKey, app_secret: app.appSecret, ...params });
  const { status, json } = await oauthHttp(LABEL, url, { method }, deps);
  if (!json) throw unexpectedAnswer(LABEL, status);
  const result = Number(json.result);
  if (result === 1) return readTokenAnswer(LABEL, json, deps.now(), { refreshExpiresIn: 'refresh_token_expires_in', account: ['open_id'] });
  const message = optionalString(json, 'error_msg') ?? optionalString(json, 'error') ?? `result ${String(json.result)}`;
  throw gatewayRefusal(LABEL, result, message, RATE_LIMITED, NONE);
}

export const kuaishouOAuth: OAuthProvider = {
  authorizeUrl(app, redirectUri, state) {
    return withQuery(joinUrl(app.oauthBase ?? KUAISHOU_AUTHORIZE_BASE, '/oauth/authorize'), {
      app_id: app.appKey,
      redirect_uri: redirectUri,
      scope: app.scope ?? KUAISHOU_DEFAULT_SCOPE,
      response_type: 'code',
      state,
    });
  },
  exchangeCode(app, code, _redirectUri, deps) {
    return tokenCall(app, 'GET', '/oauth2/access_token', { grant_type: 'code', code }, deps);
  },
  refresh(app, refreshToken, deps) {
    return tokenCall(app, 'POST', '/oauth2/refresh_token', { grant_type: 'refresh_token', refresh_token: refreshToken }, deps);
  },
};
