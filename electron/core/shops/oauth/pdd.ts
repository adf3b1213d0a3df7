// Pinduoduo OAuth: the seller authorises on mms.pinduoduo.com/open.html, and the code is exchanged
// (pdd.pop.auth.token.create) and refreshed (pdd.pop.auth.token.refresh) on the signed gateway.
// Sources: the authorise URL (response_type=code, client_id, redirect_uri, state) from the brief /
// PDD's public doc; the token APIs, their params (code; refresh_token) and answers
// (pop_auth_token_create_response / pop_auth_token_refresh_response: access_token, expires_at,
// expires_in, refresh_token, refresh_token_expires_at, owner_id, owner_name) from
// lywzx/pdd-node-sdk (PddPopAuthTokenCreate.ts) and SchafferJ/open-pdd (pdd_pop_auth_token_refresh.rs).
// Signing is the gateway's (docs/platforms/pdd.md#signing-sourced, reused from platforms/pdd/sign.ts). Which error
// codes mean a refused grant is [UNVERIFIED]: every code that pdd/errors.ts does not call
// transient or throttling is taken as a refusal.
import { PDD_THROTTLE_CODES, PDD_TRANSIENT_CODES } from '../../platforms/pdd/errors.ts';
import { pddSerializeParams, pddSign, pddTimestamp } from '../../platforms/pdd/sign.ts';
import { gatewayRefusal, joinUrl, oauthHttp, optionalString, readTokenAnswer, transientFailure, unexpectedAnswer, withQuery, type OAuthApp, type OAuthDeps, type OAuthProvider, type TokenSet } from './common.ts';

export const PDD_AUTHORIZE_BASE = 'https://mms.pinduoduo.com';
export const PDD_GATEWAY_BASE = 'https://gw-api.pinduoduo.com';
const LABEL = 'pdd oauth';

async function gatewayCall(app: OAuthApp, type: string, responseKey: string, business: Record<string, string>, deps: OAuthDeps): Promise<TokenSet> {
  const params = pddSerializeParams({ type, client_id: app.appKey, timestamp: pddTimestamp(deps.now()), data_type: 'JSON', ...business });
  const body = JSON.stringify({ ...params, sign: pddSign(params, app.appSecret) });
  const url = joinUrl(app.oauthBase ?? PDD_GATEWAY_BASE, '/api/router');
  const { status, json } = await oauthHttp(`${LABEL} ${type}`, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, deps);
  if (!json) throw unexpectedAnswer(LABEL, status);
  const err = json.error_response as Record<string, unknown> | undefined;
  if (err && typeof err === 'object') {
    const code = Number(err.error_code);
    const message = optionalString(err, 'sub_msg') ?? optionalString(err, 'error_msg') ?? `error ${String(err.error_code)}`;
    throw gatewayRefusal(LABEL, code, message, PDD_THROTTLE_CODES, PDD_TRANSIENT_CODES);
  }
  const answer = json[responseKey];
  if (typeof answer !== 'object' || answer === null) throw transientFailure(LABEL, 'BAD_ANSWER', `the answer has no ${responseKey}`);
  // expires_at is absolute (seconds); expires_in is the fallback.
  return readTokenAnswer(LABEL, answer as Record<string, unknown>, deps.now(), {
    expiresAt: 'expires_at',
    refreshExpiresAt: 'refresh_token_expires_at',
    refreshExpiresIn: 'refresh_token_expires_in',
    account: ['owner_name', 'owner_id'],
  });
}

export const pddOAuth: OAuthProvider = {
  authorizeUrl(app, redirectUri, state) {
    return withQuery(joinUrl(app.oauthBase ?? PDD_AUTHORIZE_BASE, '/open.html'), {
      response_type: 'code',
      client_id: app.appKey,
      redirect_uri: redirectUri,
      state,
    });
  },
  exchangeCode(app, code, _redirectUri, deps) {
    return gatewayCall(app, 'pdd.pop.auth.token.create', 'pop_auth_token_create_response', { code }, deps);
  },
  refresh(app, refreshToken, deps) {
    return gatewayCall(app, 'pdd.pop.auth.token.refresh', 'pop_auth_token_refresh_response', { refresh_token: refreshToken }, deps);
  },
};
