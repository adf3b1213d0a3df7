// `shopfleet hub credentials`: the team owner's switch for keeping shops' authorisations on the hub
// for a takeover, and who uploaded or fetched which (docs/team-hub.md#shop-authorisation-on-takeover).
// Signs in as the owner with the password from standard input, like `hub invite`.
import { parseArgs } from 'node:util';
import { CREDENTIAL_PATHS, credentialAuditResponse, credentialSharingResponse } from '../../../shared/hub/credentials.ts';
import { HUB_PATHS, loginResponse } from '../../../shared/hub/protocol.ts';
import { writeOut } from '../output.ts';
import { UsageError } from '../usage.ts';
import { hubRequest, passwordFromStdin } from './hub.ts';

export async function hubCredentials(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { hub: { type: 'string' }, sharing: { type: 'string' }, audit: { type: 'boolean', default: false }, owner: { type: 'string' }, team: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!values.hub) throw new UsageError('hub credentials needs --hub URL (what `shopfleet hub serve` printed)');
  if (values.sharing !== undefined && values.sharing !== 'on' && values.sharing !== 'off') throw new UsageError('--sharing is on or off');
  const base = values.hub.replace(/\/+$/, '');
  const password = await passwordFromStdin("the owner's password");
  const session = loginResponse.parse(await hubRequest(`${base}${HUB_PATHS.login}`, { ...(values.team ? { team: values.team } : {}), ...(values.owner ? { user: values.owner } : {}), password }));
  const sharing = credentialSharingResponse.parse(
    values.sharing === undefined
      ? await hubRequest(`${base}${CREDENTIAL_PATHS.sharing}`, undefined, session.token, 'GET')
      : await hubRequest(`${base}${CREDENTIAL_PATHS.sharing}`, { enabled: values.sharing === 'on' }, session.token, 'PUT'),
  );
  const audit = values.audit ? credentialAuditResponse.parse(await hubRequest(`${base}${CREDENTIAL_PATHS.audit}`, undefined, session.token, 'GET')).entries : undefined;
  if (values.json) {
    await writeOut(`${JSON.stringify({ ...sharing, ...(audit ? { audit } : {}) })}\n`);
    return 0;
  }
  const lines = [
    `sharing ${sharing.enabled ? 'on: the hub keeps each shop’s authorisation for the station that takes it over' : 'off: a station takes a shop over only with its own authorisation'}`,
    sharing.keyConfigured ? 'credential key: set' : 'credential key: not set — the hub keeps no authorisations (set SHOPFLEET_HUB_CREDENTIAL_KEY on every hub process)',
  ];
  for (const e of audit ?? []) {
    lines.push(`  ${new Date(e.at).toISOString()} ${e.action} shop ${e.shopId} by ${e.userName ?? '?'}${e.stationId ? ` (${e.stationId})` : ''}${e.version !== null ? ` v${e.version}` : ''}${e.reason ? ` · ${e.reason}` : ''}`);
  }
  await writeOut(`${lines.join('\n')}\n`);
  return 0;
}
