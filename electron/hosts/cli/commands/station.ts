// `shopfleet station join|sync|status`: this station's link to its team hub, through the API
// (hub.join, hub.syncNow, hub.status) like the workbench's 团队 status area. join and sync exit 1
// when the hub refuses or cannot be reached; status never touches the network.
import { parseArgs } from 'node:util';
import type { HubJoinResult, HubStatus, HubSyncResult } from '../../../shared/contract.ts';
import type { TakeoverAuthProblem } from '../../../shared/hub/credentials.ts';
import { sessionFor, USER_OPTION } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, openOrCreateStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { UsageError } from '../usage.ts';

function need(values: Record<string, unknown>, flag: string, what: string): string {
  const v = values[flag];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${flag} ${what} is required`);
  return v;
}

const when = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString());

/** Why this station gave a shop's lease back (docs/team-hub.md#shop-authorisation-on-takeover). */
const TAKEOVER_WORDS: Record<TakeoverAuthProblem, string> = {
  none: 'no authorisation of the shop here and none on the hub (authorise it here)',
  sharing_off: 'the owner turned off keeping authorisations on the hub (authorise the shop here)',
  refused: "the hub would not give this station the shop's authorisation",
  unreachable: "the hub could not be reached for the shop's authorisation (tried again next round)",
  hub_has_no_key: 'the hub has no credential key (set SHOPFLEET_HUB_CREDENTIAL_KEY on the hub, or authorise the shop here)',
};

function statusLines(s: HubStatus): string {
  if (!s.joined) return 'not joined to a team hub (shopfleet station join --db F --hub URL --code CODE --name NAME)\n';
  const lines = [
    `hub ${s.url} · team ${s.team?.name} · station ${s.stationName} (${s.stationId}) · signed in as ${s.user?.name} (${s.user?.role})`,
    `${s.connected ? 'connected' : 'not connected'} · last push ${when(s.lastPushAt)} · last pull ${when(s.lastPullAt)} · cursor ${s.cursor}`,
    `ops waiting ${s.opsWaiting} · refused ${s.opsRefused} · claims held ${s.claimsHeld}${s.tooOld ? ' · this station is too old for the hub: update it (its ops are kept)' : ''}`,
  ];
  if (s.lastError) lines.push(`last error ${when(s.lastError.at)}: ${s.lastError.message}`);
  // Who pulls each shop from its platform (sync leases), as this station last heard.
  for (const l of s.leases) {
    const who = l.outOfScope ? 'not this station’s person’s shop' : l.mine ? 'synced here' : l.stationName ? `synced by ${l.stationName}` : 'nobody syncs it';
    const auth = l.authorisation ? ` · not taken over here: ${TAKEOVER_WORDS[l.authorisation]}` : '';
    lines.push(`  shop ${l.shopName ?? l.shopId}: ${who}${l.fence !== null ? ` · fence ${l.fence}` : ''}${l.expiresAt !== null ? ` · lease until ${when(l.expiresAt)}` : ''}${auth}`);
  }
  for (const r of s.refused.slice(0, 10)) lines.push(`  refused #${r.seq} ${r.name} by ${r.actor}: ${r.reason ?? 'no reason'}${r.details ? ` ${JSON.stringify(r.details)}` : ''}`);
  return `${lines.join('\n')}\n`;
}

export async function stationJoin(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, hub: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION },
  });
  const url = need(values, 'hub', 'URL (the address `shopfleet hub serve` printed)');
  const code = need(values, 'code', 'CODE (from `shopfleet hub invite`)');
  const name = need(values, 'name', 'NAME (what the team calls this station)');
  return withCore(openOrCreateStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const r = await session.call<HubJoinResult>('hub.join', { url, code, name });
    await writeOut(values.json ? `${JSON.stringify(r)}\n` : `joined${r.broughtRows > 0 ? `; brought ${r.broughtRows} rows into the new team` : ''}\n${statusLines(r.status)}`);
    return r.status.lastError && !r.status.connected ? 1 : 0;
  });
}

export async function stationSync(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION } });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const r = await session.call<HubSyncResult>('hub.syncNow', {});
    await writeOut(
      values.json
        ? `${JSON.stringify({ pushed: r.pushed, pulled: r.pulled, refused: r.refused, cursor: r.cursor, kept: r.kept, conflicts: r.conflicts })}\n`
        : `pushed ${r.pushed} · pulled ${r.pulled} · refused ${r.refused} · cursor ${r.cursor}\n`,
    );
    return 0;
  });
}

export async function stationStatus(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION } });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    const s = await session.call<HubStatus>('hub.status', {});
    await writeOut(values.json ? `${JSON.stringify(s)}\n` : statusLines(s));
    return 0;
  });
}
