// The OAuth provider of each connectable platform, and how a shop's settings + secrets become the
// OAuthApp a provider needs. Tmall sellers authorise through Taobao's OAuth.
import type { ConnectablePlatform } from '../../../shared/contract.ts';
import { reasonError } from '../../../shared/reasons.ts';
import type { OAuthApp, OAuthProvider } from './common.ts';
import { douyinOAuth } from './douyin.ts';
import { jdOAuth } from './jd.ts';
import { kuaishouOAuth } from './kuaishou.ts';
import { pddOAuth } from './pdd.ts';
import { taobaoOAuth } from './taobao.ts';

const PROVIDERS: Record<ConnectablePlatform, OAuthProvider> = {
  taobao: taobaoOAuth,
  tmall: taobaoOAuth,
  pdd: pddOAuth,
  jd: jdOAuth,
  douyin: douyinOAuth,
  kuaishou: kuaishouOAuth,
};

export function oauthProviderFor(platform: string): OAuthProvider {
  const p = (PROVIDERS as Record<string, OAuthProvider | undefined>)[platform];
  if (!p) throw reasonError('shop.no_oauth', { platform }, `platform "${platform}" has no OAuth authorisation (only ${Object.keys(PROVIDERS).join(', ')})`);
  return p;
}

/** The app as a provider sees it: app key and OAuth overrides from settings, the app secret from the stored secrets. */
export function oauthAppOf(settings: Record<string, unknown>, appSecret: string | undefined, shopId: string): OAuthApp {
  const appKey = typeof settings.appKey === 'string' && settings.appKey !== '' ? settings.appKey : undefined;
  if (!appKey) throw reasonError('shop.no_app_key', { shopId }, 'the shop has no app key: add it in the shop settings first');
  if (!appSecret) throw reasonError('shop.no_app_secret', { shopId }, 'the shop has no app secret stored: enter it with shops.updateCredentials first');
  const oauthBase = typeof settings.oauthBase === 'string' && /^https?:\/\//.test(settings.oauthBase) ? settings.oauthBase : undefined;
  const scope = typeof settings.oauthScope === 'string' && settings.oauthScope !== '' ? settings.oauthScope : undefined;
  return { appKey, appSecret, ...(oauthBase ? { oauthBase } : {}), ...(scope ? { scope } : {}) };
}

export type { OAuthApp, OAuthDeps, OAuthProvider, TokenSet } from './common.ts';
export { isGrantRejected } from './common.ts';
