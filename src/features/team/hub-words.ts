// The team hub's state and refusals in words (docs/team-hub.md): the header's team sync area and the
// team page read everything through here, so a reason the hub gives is worded once, with what the
// person should do about it.
import type { TFunction } from 'i18next';
import type { HubAlertView, HubRefusedOp, HubStatus } from '../../../electron/shared/api/hub.ts';
import type { LeaseView } from '../../../electron/shared/hub/leases.ts';

/**
 * Every reason the hub refuses an op with (server/hub: the default mutator, the merge, claims, sync
 * leases). hub-words.test.ts reads the hub's sources and fails when a reason is missing here.
 */
export const HUB_REFUSAL_REASONS = [
  'UNKNOWN_ACTOR',
  'UNKNOWN_OP',
  'ROLE_FORBIDDEN',
  'SHOP_OUT_OF_SCOPE',
  'UNKNOWN_TABLE',
  'UNKNOWN_COLUMN',
  'HUB_OWNED_TABLE',
  'BAD_KEY',
  'ROW_WITHOUT_SHOP',
  'PARENT_UNKNOWN',
  'CLAIM_HELD_BY_OTHER',
  'LEASE_HELD_BY_OTHER',
  'LEASE_LOST',
] as const;

/** The hub's request errors a station's round can end with, each worded (anything else: `other`). */
export const HUB_ERROR_WORDS = ['TOKEN_REVOKED', 'UNAUTHORIZED', 'STATION_TOO_OLD', 'SESSION_EXPIRED', 'BAD_CREDENTIALS', 'SIGN_IN_LOCKED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST', 'INTERNAL'] as const;

export type HubLinkState = 'solo' | 'online' | 'offline' | 'revoked' | 'tooOld';

/** Where the link stands, for the header's dot and word. */
export function linkState(s: Pick<HubStatus, 'joined' | 'connected' | 'tooOld' | 'lastError'>): HubLinkState {
  if (!s.joined) return 'solo';
  if (s.lastError?.code === 'TOKEN_REVOKED') return 'revoked';
  if (s.tooOld) return 'tooOld';
  return s.connected ? 'online' : 'offline';
}

const text = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : Array.isArray(v) ? v.join('、') : String(v));

/** What happened and what to do, for an op the hub refused. */
export function refusalWords(t: TFunction, op: Pick<HubRefusedOp, 'reason' | 'details' | 'name' | 'actor'>): { what: string; todo: string } {
  const d = op.details ?? {};
  const known = (HUB_REFUSAL_REASONS as readonly string[]).includes(op.reason ?? '');
  const key = known ? op.reason! : 'other';
  const vars = {
    actor: text(d.actor ?? op.actor),
    name: text(d.name ?? op.name),
    role: typeof d.role === 'string' ? d.role : 'owner',
    shop: text(d.shop ?? d.shopId),
    table: text(d.table),
    holder: text(d.holder),
    station: text(d.station ?? d.stationName ?? d.holder),
    reason: text(op.reason),
  };
  return { what: t(`team.refusal.${key}.what`, vars), todo: t(`team.refusal.${key}.todo`, vars) };
}

/** The last round's failure in words: a network failure (no code) or the hub's refusal of the station. */
export function hubErrorWords(t: TFunction, e: { code: string | null; message: string } | null): string | null {
  if (!e) return null;
  if (e.code === null) return t('team.hubError.network');
  const key = (HUB_ERROR_WORDS as readonly string[]).includes(e.code) ? e.code : 'other';
  return t(`team.hubError.${key}`, { message: e.message });
}

/** "3 分钟前": how long ago, to the minute (a sync status needs no seconds). */
export function relativeTime(t: TFunction, at: number | null, now: number): string {
  if (at === null) return t('team.status.never');
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return t('team.time.justNow');
  if (minutes < 60) return t('team.time.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('team.time.hours', { count: hours });
  return t('team.time.days', { count: Math.floor(hours / 24) });
}

/** A hub alert in words, with what to do. */
export function hubAlertWords(t: TFunction, a: HubAlertView): string {
  const d = a.details;
  if (a.kind === 'DUPLICATE_WAYBILL') return t('team.alerts.DUPLICATE_WAYBILL', { subject: a.subject, waybills: text(d.waybills), station: text(d.station) });
  if (a.kind === 'OVERSOLD') return t('team.alerts.OVERSOLD', { sku: a.sku ?? text(d.skuId), warehouse: a.warehouse ?? text(d.warehouseId), onHand: text(d.onHand) });
  if (a.kind === 'QUOTA_EXCEEDED') {
    return t('team.alerts.QUOTA_EXCEEDED', {
      station: text(d.stationName),
      sku: a.sku ?? text(d.skuId),
      warehouse: a.warehouse ?? (d.warehouseId === '' ? t('team.alerts.everyWarehouse') : text(d.warehouseId)),
      sold: text(d.sold),
      quota: text(d.quota),
    });
  }
  return t('team.alerts.other', { kind: a.kind, subject: a.subject });
}

/** Why this station handed a shop back for want of its authorisation (docs/team-hub.md#shop-authorisation-on-takeover); null when it did not. */
export function takeoverWords(t: TFunction, l: Pick<LeaseView, 'shopId' | 'shopName' | 'authorisation'>): string | null {
  if (!l.authorisation) return null;
  return t(`team.status.auth.${l.authorisation}`, { shop: l.shopName ?? l.shopId });
}
