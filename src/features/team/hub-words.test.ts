// The team sync area's words: every reason the hub refuses an op with has a sentence and what to do
// in both languages (checked against the hub's own sources, so a new reason cannot go unworded),
// the link's state follows the status, and times read as "N 分钟前".
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { enUS } from '../../i18n/en-US.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { TAKEOVER_AUTH_PROBLEMS } from '../../../electron/shared/hub/credentials.ts';
import { HUB_REFUSAL_REASONS, hubAlertWords, hubErrorWords, linkState, refusalWords, relativeTime, takeoverWords } from './hub-words.ts';

async function translator(lng: 'zh-CN' | 'en-US') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }, lng, fallbackLng: 'zh-CN', interpolation: { escapeValue: false } });
  return i18n.t;
}

/** The reasons server/hub gives: OpRefusal('X', …), a constant OpRefusal(X, …) declared as 'X', claim results. */
function reasonsInHubSources(): string[] {
  const dirs = ['../../../server/hub/', '../../../electron/shared/hub/'];
  const found = new Set<string>();
  for (const rel of dirs) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const src = readFileSync(dir + f, 'utf8');
      for (const m of src.matchAll(/OpRefusal\(\s*'([A-Z_]+)'/g)) found.add(m[1]!);
      for (const m of src.matchAll(/OpRefusal\(\s*([A-Z_]+)\s*,/g)) found.add(m[1]!);
      for (const m of src.matchAll(/status: z\.literal\('([A-Z_]+)'\)/g)) found.add(m[1]!);
    }
  }
  return [...found].sort();
}

describe('hub refusals in words', () => {
  it('every reason the hub gives has words and what to do, in both languages', async () => {
    const fromHub = reasonsInHubSources();
    expect(fromHub).toContain('UNKNOWN_ACTOR');
    expect(fromHub).toContain('CLAIM_HELD_BY_OTHER');
    expect(fromHub.filter((r) => !(HUB_REFUSAL_REASONS as readonly string[]).includes(r))).toEqual([]);
    for (const lng of ['zh-CN', 'en-US'] as const) {
      const t = await translator(lng);
      for (const reason of HUB_REFUSAL_REASONS) {
        const w = refusalWords(t, { reason, details: { table: 'orders', actor: 'xiaoli', role: 'packer', shop: 'shop-1' }, name: 'orders.setFlag', actor: 'xiaoli' });
        expect(w.what, `${lng} ${reason}`).not.toMatch(/team\.refusal|\{\{/);
        expect(w.todo, `${lng} ${reason}`).not.toMatch(/team\.refusal|\{\{/);
        expect(w.todo.length, `${lng} ${reason}`).toBeGreaterThan(8);
      }
    }
  });

  it('names the person and role, and words an unknown reason without losing its code', async () => {
    const zh = await translator('zh-CN');
    expect(refusalWords(zh, { reason: 'UNKNOWN_ACTOR', details: { actor: '店主' }, name: 'orders.setFlag', actor: '店主' })).toEqual({
      what: '团队服务器不认识做这步操作的人（店主）。',
      todo: '请用团队账号登录本工作站（切换用户）后重新做一次；用本机默认账号做的操作不会同步给团队。',
    });
    expect(refusalWords(zh, { reason: 'ROLE_FORBIDDEN', details: { role: 'packer', allowed: ['owner'] }, name: 'orders.close', actor: 'xiaoli' }).what).toBe('操作人的角色（打包员）无权做这个操作。');
    const en = await translator('en-US');
    expect(refusalWords(en, { reason: 'SOMETHING_NEW', details: null, name: 'x.y', actor: 'a' }).what).toBe('The team hub refused this change (SOMETHING_NEW).');
  });

  it('words the last round failure: offline, revoked, too old, anything else with its message', async () => {
    const zh = await translator('zh-CN');
    expect(hubErrorWords(zh, null)).toBeNull();
    expect(hubErrorWords(zh, { code: null, message: 'connect ECONNREFUSED' })).toContain('连不上团队服务器');
    expect(hubErrorWords(zh, { code: 'TOKEN_REVOKED', message: 'revoked' })).toContain('已被店主吊销');
    expect(hubErrorWords(zh, { code: 'WHATEVER', message: 'boom' })).toBe('团队服务器拒绝了请求：boom');
    expect(hubErrorWords(zh, { code: 'SIGN_IN_LOCKED', message: 'too many' })).toContain('一分钟');
  });
});

describe('the link state', () => {
  const base = { joined: true, connected: true, tooOld: false, lastError: null };
  it('solo without a hub, then online, offline, revoked, too old', () => {
    expect(linkState({ ...base, joined: false, connected: false })).toBe('solo');
    expect(linkState(base)).toBe('online');
    expect(linkState({ ...base, connected: false, lastError: { at: 1, message: 'down', code: null } })).toBe('offline');
    expect(linkState({ ...base, connected: false, lastError: { at: 1, message: 'revoked', code: 'TOKEN_REVOKED' } })).toBe('revoked');
    expect(linkState({ ...base, tooOld: true })).toBe('tooOld');
  });

  it('reads times as how long ago', async () => {
    const zh = await translator('zh-CN');
    const now = 10 * 24 * 3600_000;
    expect(relativeTime(zh, null, now)).toBe('从未');
    expect(relativeTime(zh, now - 20_000, now)).toBe('刚刚');
    expect(relativeTime(zh, now - 3 * 60_000, now)).toBe('3 分钟前');
    expect(relativeTime(zh, now - 5 * 3600_000, now)).toBe('5 小时前');
    expect(relativeTime(zh, now - 2 * 24 * 3600_000, now)).toBe('2 天前');
  });

  it('words hub alerts with the SKU and warehouse this station knows', async () => {
    const zh = await translator('zh-CN');
    const oversold = { id: 'a', kind: 'OVERSOLD', subject: 's|w', details: { skuId: 's', warehouseId: 'w', onHand: -1 }, raisedAt: 1, resolvedAt: null, sku: 'NZ-1', warehouse: '一号仓' };
    expect(hubAlertWords(zh, oversold)).toBe('NZ-1 在 一号仓 的团队库存为 -1：多个工作站离线时卖了同一批货。请补货或取消多卖的订单。');
    const dup = { ...oversold, kind: 'DUPLICATE_WAYBILL', subject: 'P1', details: { waybills: ['YD1', 'YD2'], station: '二号打包台' }, sku: null, warehouse: null };
    expect(hubAlertWords(zh, dup)).toContain('YD1、YD2');
    const quota = { ...oversold, kind: 'QUOTA_EXCEEDED', subject: 'st|s|', details: { stationName: '二号打包台', skuId: 's', warehouseId: '', quota: 2, sold: 3 }, warehouse: null };
    expect(hubAlertWords(zh, quota)).toBe('二号打包台 离线期间发出 NZ-1（全部仓库）3 件，超过它的离线配额 2 件。请核对该商品的团队库存，调高配额或让该工作站保持在线。');
  });

  it('words every reason a shop was handed back for want of its authorisation, in both languages, naming the shop', async () => {
    for (const lng of ['zh-CN', 'en-US'] as const) {
      const t = await translator(lng);
      for (const reason of TAKEOVER_AUTH_PROBLEMS) {
        const words = takeoverWords(t, { shopId: 's1', shopName: '拼多多旗舰店', authorisation: reason });
        expect(words).toContain('拼多多旗舰店');
        expect(words).not.toContain('team.status');
      }
    }
    const zh = await translator('zh-CN');
    expect(takeoverWords(zh, { shopId: 's1', shopName: null, authorisation: 'sharing_off' })).toBe('s1：店主关闭了在团队服务器保存店铺授权，本台接手不了。请在本台授权这个店铺');
    expect(takeoverWords(zh, { shopId: 's1', shopName: null })).toBeNull();
  });
});
