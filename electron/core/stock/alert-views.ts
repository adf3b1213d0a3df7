// What people do with stock alerts (docs/stock.md#alerts): the list (open first, newest first, with
// the SKU's figures now), the counts per kind for the header, a mute per SKU, and the claim through
// which exactly one face shows each new alert as a desktop notification.
//
// "Once" is recorded in the database, on the alert (notified_at), by the claim: the Electron main
// process and a web page both ask alerts.claimNotifications when stock_alerts changes, and the
// UPDATE … WHERE notified_at IS NULL hands each alert to whichever asks first. A muted SKU's alerts
// are claimed too and not shown, so unmuting later does not bring a burst of old alerts.
import { shopsJson } from '../scope.ts';
import type { AlertClaim, AlertCounts, AlertDetails, AlertKind, AlertNotice, AlertView, ApiParsedInput } from '../../shared/contract.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { ReadDb } from '../db/access.ts';
import { figuresOf } from './available.ts';
import { evaluateAllAlerts } from './alerts.ts';
import { claimTexts } from '../../shared/stock-alert-notice.ts';
import { skuByCode } from './lookup.ts';

/** More new alerts than this at once become one summary notification instead of one each. */
export const NOTICE_LIMIT = 3;

const OPEN = "a.kind IN ('low', 'out', 'oversold', 'push_failed') AND a.cleared_at IS NULL";
/**
 * A SKU's alerts are the team's (its units serve every shop); a shop's alert (push_failed) is seen
 * only by a person of that shop. @shops: the person's shops as JSON (scope.ts shopsJson), null = all.
 */
const IN_SCOPE = "(@shops IS NULL OR a.shop_id = '' OR a.shop_id IN (SELECT value FROM json_each(@shops)))";

interface ListRow {
  id: string;
  kind: AlertKind;
  skuId: string;
  sku: string;
  title: string;
  spec: string;
  warehouse: string | null;
  shopId: string;
  shopName: string | null;
  details: string;
  raisedAt: number;
  clearedAt: number | null;
  notifiedAt: number | null;
  muted: number;
}

const SELECT = `SELECT a.id, a.kind, a.sku_id AS skuId, s.outer_sku_code AS sku, p.title, s.name AS spec, w.code AS warehouse,
    a.shop_id AS shopId, sh.name AS shopName, a.details, a.raised_at AS raisedAt, a.cleared_at AS clearedAt,
    a.notified_at AS notifiedAt, (m.sku_id IS NOT NULL) AS muted
  FROM stock_alerts a JOIN skus s ON s.id = a.sku_id JOIN products p ON p.id = s.product_id
  LEFT JOIN warehouses w ON w.id = a.warehouse_id LEFT JOIN shops sh ON sh.id = a.shop_id
  LEFT JOIN stock_alert_mutes m ON m.sku_id = a.sku_id`;

/** The list's query and its count for these filters (exported for the plan test). */
export function alertListSql(input: { includeCleared: boolean; kind?: AlertKind | undefined }): { rows: string; count: string } {
  const kinds = input.kind ? 'a.kind = @kind' : "a.kind IN ('low', 'out', 'oversold', 'push_failed')";
  if (input.includeCleared) {
    return {
      rows: `${SELECT} WHERE ${kinds} AND ${IN_SCOPE} ORDER BY (a.cleared_at IS NOT NULL), a.raised_at DESC, a.rowid DESC LIMIT @limit OFFSET @offset`,
      count: `SELECT count(*) AS n FROM stock_alerts a WHERE ${kinds} AND ${IN_SCOPE}`,
    };
  }
  // Open alerts only: newest first straight down stock_alerts_raised_idx (raised_at, then rowid: the
  // order they were written), never a sort of them all — whatever the statistics suggest.
  const indexed = SELECT.replace('FROM stock_alerts a ', 'FROM stock_alerts a INDEXED BY stock_alerts_raised_idx ');
  return {
    rows: `${indexed} WHERE a.cleared_at IS NULL AND ${kinds} AND ${IN_SCOPE} ORDER BY a.raised_at DESC, a.rowid DESC LIMIT @limit OFFSET @offset`,
    count: `SELECT count(*) AS n FROM stock_alerts a WHERE a.cleared_at IS NULL${input.kind ? ' AND a.kind = @kind' : ''} AND ${IN_SCOPE}`,
  };
}

export function listAlerts(db: ReadDb, input: ApiParsedInput<'alerts.list'>, shops: string | null = null): { rows: AlertView[]; total: number } {
  const sql = alertListSql(input);
  const kind = input.kind ?? null;
  const rows = db.$client.prepare(sql.rows).all({ kind, limit: input.limit, offset: input.offset, shops }) as ListRow[];
  const { n } = db.$client.prepare(sql.count).get({ kind, shops }) as { n: number };
  return {
    total: n,
    rows: rows.map((r) => {
      const f = figuresOf(db, r.skuId);
      return {
        id: r.id,
        kind: r.kind,
        sku: r.sku,
        title: r.title,
        spec: r.spec,
        warehouse: r.warehouse,
        shopId: r.shopId === '' ? null : r.shopId,
        shopName: r.shopName,
        details: JSON.parse(r.details) as AlertDetails,
        onHand: f.onHand,
        reserved: f.reserved,
        available: f.available,
        raisedAt: r.raisedAt,
        clearedAt: r.clearedAt,
        notifiedAt: r.notifiedAt,
        muted: r.muted === 1,
      };
    }),
  };
}

export function alertCounts(db: ReadDb, shops: string | null = null): AlertCounts {
  const counts: AlertCounts = { low: 0, out: 0, oversold: 0, push_failed: 0, total: 0 };
  const rows = db.$client.prepare(`SELECT a.kind, count(*) AS n FROM stock_alerts a WHERE ${OPEN} AND ${IN_SCOPE} GROUP BY a.kind`).all({ shops }) as { kind: AlertKind; n: number }[];
  for (const r of rows) {
    counts[r.kind] = r.n;
    counts.total += r.n;
  }
  return counts;
}

export function muteSku(ctx: CoreContext, input: ApiParsedInput<'alerts.mute'>): { sku: string; muted: true } {
  return runCommand(ctx, 'alerts.mute', input, { tables: ['stock_alert_mutes'] }, (scope) => {
    const sku = skuByCode(scope.tx, input.sku);
    const r = scope.tx.$client.prepare('INSERT OR IGNORE INTO stock_alert_mutes (sku_id, muted_at, muted_by) VALUES (?, ?, ?)').run(sku.id, scope.at, ctx.actor.name);
    if (r.changes > 0) scope.audit({ entity: 'sku', entityId: input.sku, field: 'alerts_muted', before: false, after: true });
    return { sku: input.sku, muted: true as const };
  });
}

export function unmuteSku(ctx: CoreContext, input: ApiParsedInput<'alerts.unmute'>): { sku: string; muted: false } {
  return runCommand(ctx, 'alerts.unmute', input, { tables: ['stock_alert_mutes'] }, (scope) => {
    const sku = skuByCode(scope.tx, input.sku);
    const r = scope.tx.$client.prepare('DELETE FROM stock_alert_mutes WHERE sku_id = ?').run(sku.id);
    if (r.changes > 0) scope.audit({ entity: 'sku', entityId: input.sku, field: 'alerts_muted', before: true, after: false });
    return { sku: input.sku, muted: false as const };
  });
}

/**
 * Hands the alerts raised since the last claim to the face asking. Nothing new: answered from a read
 * alone (faces ask on every stock_alerts change and on start), so an idle station writes nothing.
 */
export function claimNotifications(ctx: CoreContext, input: ApiParsedInput<'alerts.claimNotifications'>): AlertClaim {
  const shops = shopsJson(ctx.actor);
  const { n } = ctx.db.$client.prepare(`SELECT count(*) AS n FROM stock_alerts a WHERE ${OPEN} AND ${IN_SCOPE} AND a.notified_at IS NULL`).get({ shops }) as { n: number };
  if (n === 0) return { notices: [], total: 0, show: [] };
  return runCommand(ctx, 'alerts.claimNotifications', input, { tables: ['stock_alerts'] }, (scope) => {
    const claimed = scope.tx.$client
      .prepare(`UPDATE stock_alerts AS a SET notified_at = @at WHERE ${OPEN} AND ${IN_SCOPE} AND a.notified_at IS NULL RETURNING id`)
      .all({ at: scope.at, shops }) as { id: string }[];
    if (claimed.length === 0) return { notices: [], total: 0, show: [] };
    const ids = claimed.map((c) => c.id);
    const rows = scope.tx.$client
      .prepare(`${SELECT} WHERE a.id IN (SELECT value FROM json_each(?)) AND m.sku_id IS NULL ORDER BY a.raised_at, a.id`)
      .all(JSON.stringify(ids)) as ListRow[];
    const notices: AlertNotice[] = rows.slice(0, NOTICE_LIMIT).map((r) => ({
      id: r.id,
      kind: r.kind,
      sku: r.sku,
      title: r.title,
      warehouse: r.warehouse,
      shopName: r.shopName,
      details: JSON.parse(r.details) as AlertDetails,
    }));
    const claim = { notices, total: rows.length };
    return { ...claim, show: claimTexts(claim, input.lang) };
  });
}

/** alerts.evaluate: every stocked SKU now, as one command (the periodic evaluation does the same in short transactions). */
export function evaluateNow(ctx: CoreContext): { evaluated: number; raised: number; cleared: number } {
  return runCommand(ctx, 'alerts.evaluate', {}, { tables: ['stock_alerts'] }, (scope) => {
    // Inside the command's transaction, evaluateAllAlerts' own transactions are savepoints of it.
    const r = evaluateAllAlerts(scope.tx, scope.at);
    return { evaluated: r.evaluated, raised: r.raised.length, cleared: r.cleared };
  });
}
