// What a person (and `shopfleet station status`) reads about the hub link: a read of the settings
// and the ops log, never a network call.
import type { HubRefusedOp, HubStatus } from '../../shared/api/hub.ts';
import type { Db } from '../db/open.ts';
import { claimsHeldHere } from './claims.ts';
import { leaseViews } from './leases.ts';
import { readHubSettings } from './settings.ts';

export function hubStatus(db: Db, now = Date.now()): HubStatus {
  const s = readHubSettings(db);
  if (!s) {
    return {
      joined: false,
      url: null,
      stationId: null,
      stationName: null,
      team: null,
      user: null,
      connected: false,
      lastPushAt: null,
      lastPullAt: null,
      lastError: null,
      tooOld: false,
      opsWaiting: 0,
      opsRefused: 0,
      refused: [],
      cursor: 0,
      claimsHeld: 0,
      leases: [],
    };
  }
  const c = db.$client;
  const count = (state: string) =>
    c.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM ops WHERE hub_state = ? AND seq > ?').get(state, s.seqBase)?.n ?? 0;
  const refused = c
    .prepare<[number], { id: string; seq: number; name: string; actor: string; at: number; hub_reason: string | null; hub_details: string | null }>(
      `SELECT id, seq, name, actor, at, hub_reason, hub_details FROM ops WHERE hub_state = 'refused' AND seq > ? ORDER BY seq DESC LIMIT 50`,
    )
    .all(s.seqBase)
    .map(
      (r): HubRefusedOp => ({
        id: r.id,
        seq: r.seq - s.seqBase,
        name: r.name,
        actor: r.actor,
        at: r.at,
        reason: r.hub_reason,
        details: r.hub_details ? (JSON.parse(r.hub_details) as Record<string, unknown>) : null,
      }),
    );
  const lastOk = Math.max(s.lastPushAt ?? 0, s.lastPullAt ?? 0);
  return {
    joined: true,
    url: s.url,
    stationId: s.stationId,
    stationName: s.stationName,
    team: s.team,
    user: { id: s.user.id, name: s.user.name, role: s.user.role, shops: s.user.shops },
    connected: lastOk > 0 && (s.lastError === null || s.lastError.at < lastOk),
    lastPushAt: s.lastPushAt,
    lastPullAt: s.lastPullAt,
    lastError: s.lastError,
    tooOld: s.tooOld,
    opsWaiting: count('pending'),
    opsRefused: count('refused'),
    refused,
    cursor: s.cursor,
    claimsHeld: claimsHeldHere(db, now),
    leases: leaseViews(db),
  };
}
