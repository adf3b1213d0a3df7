// The team page's side of the station (docs/team-hub.md#the-team-page): who is in the team and which
// stations it has, as the hub answers GET /v1/team with this station's token. The last answer is
// kept in `meta` so the page still shows the team offline (marked as such). An owner's acts on the
// team (revoking a station, inviting a person) need the owner signed in to the hub itself: the
// station signs them in with the password they type, uses the session once and forgets it.
import { HUB_PATHS, inviteResponse, loginResponse, revokeResponse, teamResponse, type HubRole, type HubStation, type HubUser, type TeamResponse } from '../../shared/hub/protocol.ts';
import type { HubTeamView } from '../../shared/api/hub.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { HubNotJoined } from './client.ts';
import { loadHubToken, readHubSettings } from './settings.ts';
import { hubRequest, HubRequestError, HubUnreachable, type FetchLike } from './transport.ts';

const TEAM_KEY = 'hub.team';
/** A person is looking at the page: an unreachable hub means "show the last answer", not a long wait. */
export const TEAM_TIMEOUT_MS = 8000;

export interface TeamDeps {
  cipher?: SecretCipher | undefined;
  fetch?: FetchLike;
  now?: () => number;
}

interface Cached {
  answer: TeamResponse;
  fetchedAt: number;
}

function readCached(db: Db): Cached | null {
  const raw = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(TEAM_KEY)?.value;
  return raw ? (JSON.parse(raw) as Cached) : null;
}

function writeCached(db: Db, c: Cached): void {
  writeTx(db, (tx) => {
    tx.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(TEAM_KEY, JSON.stringify(c));
  });
}

const errorOf = (err: unknown) => ({ message: (err as Error).message, code: err instanceof HubRequestError ? err.code : null });

/**
 * The team as the hub answers now, or the last answer (online: false) when the hub cannot be reached
 * or refuses this station. null without a hub. With neither an answer nor a cached one, the
 * users rows this station pulled make the list (no stations).
 */
export async function readTeam(db: Db, deps: TeamDeps): Promise<HubTeamView | null> {
  const s = readHubSettings(db);
  if (!s) return null;
  const now = (deps.now ?? Date.now)();
  const view = (c: Cached, online: boolean, error: HubTeamView['error']): HubTeamView => ({
    team: c.answer.team,
    users: c.answer.users,
    stations: c.answer.stations,
    thisStationId: s.stationId,
    fetchedAt: c.fetchedAt,
    online,
    error,
  });
  try {
    if (!deps.cipher) throw new Error('this station has no secret store to read its hub token from');
    const answer = await hubRequest(s.url, loadHubToken(db, deps.cipher), deps.fetch ?? fetch, TEAM_TIMEOUT_MS, 'GET', HUB_PATHS.team, teamResponse);
    const c = { answer, fetchedAt: now };
    writeCached(db, c);
    return view(c, true, null);
  } catch (err) {
    if (!(err instanceof HubUnreachable) && !(err instanceof HubRequestError) && deps.cipher) throw err;
    const cached = readCached(db) ?? { answer: pulledTeam(db, s.team), fetchedAt: 0 };
    return view(cached, false, errorOf(err));
  }
}

/** The team's stations as the hub last answered the team page (empty before it ever answered). */
export function knownStations(db: Db): HubStation[] {
  return readCached(db)?.answer.stations ?? [];
}

/** The team as far as this station's pulled users rows tell (before the hub ever answered the page). */
function pulledTeam(db: Db, team: { id: string; name: string }): TeamResponse {
  const users = db.$client
    .prepare<[], { id: string; name: string; role: HubRole; created_at: number }>('SELECT id, name, role, created_at FROM users ORDER BY created_at, name')
    .all()
    .map((u) => ({ id: u.id, name: u.name, role: u.role, shops: null, createdAt: u.created_at, hasPin: false }));
  return { team, users, stations: [] };
}

/**
 * Signs a person of one of these roles in to the hub (a session for this one act, then forgotten).
 * A wrong password is BAD_CREDENTIALS; another role is FORBIDDEN before anything is asked of them.
 */
export async function personSession(db: Db, deps: TeamDeps, user: string, password: string, roles: readonly HubRole[]): Promise<{ url: string; token: string }> {
  const s = readHubSettings(db);
  if (!s) throw new HubNotJoined();
  const f = deps.fetch ?? fetch;
  const login = await hubRequest(s.url, null, f, TEAM_TIMEOUT_MS, 'POST', HUB_PATHS.login, loginResponse, { team: s.team.name, user, password });
  if (!roles.includes(login.user.role) || !login.token) throw new HubRequestError(403, { code: 'FORBIDDEN', message: `${user} is not the team's ${roles.join(' or ')}` });
  return { url: s.url, token: login.token };
}

const ownerSession = (db: Db, deps: TeamDeps, owner: string, password: string) => personSession(db, deps, owner, password, ['owner']);

/** Revokes a station as the owner; the hub refuses its next request. The cached team is refreshed. */
export async function revokeAsOwner(db: Db, deps: TeamDeps, input: { stationId: string; owner: string; password: string }): Promise<HubStation> {
  const session = await ownerSession(db, deps, input.owner, input.password);
  const r = await hubRequest(session.url, session.token, deps.fetch ?? fetch, TEAM_TIMEOUT_MS, 'POST', HUB_PATHS.revoke(input.stationId), revokeResponse, {});
  await readTeam(db, deps).catch(() => null);
  return r.station;
}

/** A one-time join code for a person (made or updated), as the owner. */
export async function inviteAsOwner(
  db: Db,
  deps: TeamDeps,
  input: { owner: string; password: string; user: string; role: HubRole; shops: string[] | null },
): Promise<{ code: string; expiresAt: number; user: HubUser }> {
  const session = await ownerSession(db, deps, input.owner, input.password);
  const r = await hubRequest(session.url, session.token, deps.fetch ?? fetch, TEAM_TIMEOUT_MS, 'POST', HUB_PATHS.invites, inviteResponse, {
    user: input.user,
    role: input.role,
    shops: input.shops,
  });
  await readTeam(db, deps).catch(() => null);
  return r;
}
