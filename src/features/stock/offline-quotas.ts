// The 离线配额 section's decisions, kept out of the component so they are tested on their own:
// what a typed quantity means, when the hub wants the person's own password (the station joined as
// someone who may not set quotas), and which stations the form offers.
import type { HubQuotaView } from '../../../electron/shared/contract.ts';
import type { HubStation } from '../../../electron/shared/hub/protocol.ts';
import { ApiCallError } from '../../api/api-error.ts';

/** A whole number of units 0…1,000,000, or null when the text is not one (empty included). */
export function parseQuotaQuantity(raw: string): number | null {
  const t = raw.trim();
  if (!/^\d{1,7}$/.test(t)) return null;
  const n = Number(t);
  return n <= 1_000_000 ? n : null;
}

/**
 * The hub refused the station's own token (it joined as someone who may not set quotas): the person
 * signs in with their hub password and tries again. A refusal of the station's own role check, or a
 * wrong password, is not this: asking for the password again would not help.
 */
export function hubWantsPassword(err: unknown): boolean {
  return err instanceof ApiCallError && err.code === 'FORBIDDEN' && (err.details as { hubCode?: unknown } | null | undefined)?.hubCode === 'FORBIDDEN';
}

/** The stations a quota can be set for: the team's, not revoked, this station first. */
export function quotaStations(stations: readonly HubStation[], thisStationId: string | null): HubStation[] {
  return stations.filter((s) => s.revokedAt === null).sort((a, b) => Number(b.id === thisStationId) - Number(a.id === thisStationId) || a.name.localeCompare(b.name));
}

/** The form's starting values for editing an existing quota (its station by id, its warehouse by code). */
export function editValues(q: HubQuotaView): { station: string; warehouse: string; quantity: string } {
  return { station: q.stationId, warehouse: q.warehouse ?? '', quantity: String(q.quantity) };
}
