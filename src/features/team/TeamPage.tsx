// 团队: the team's people (name, role, shops) and stations (person, last seen, changes pushed,
// revoked), as the hub last answered (docs/team-hub.md#the-team-page), the team's alerts, and for
// the owner: revoking a station and inviting a person, each confirmed with the owner's password.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HubTeamView } from '../../../electron/shared/api/hub.ts';
import type { HubStation } from '../../../electron/shared/hub/protocol.ts';
import { ROLES, type Role } from '../../../electron/shared/model.ts';
import { ApiCallError } from '../../api/api-error.ts';
import { api } from '../../api/client.ts';
import { useDbChanged } from '../../api/use-db-changed.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { formatTime } from '../../i18n/format.ts';
import { HubAlertsList } from './HubAlertsList.tsx';
import { hubErrorWords } from './hub-words.ts';
import './team.css';

/** The hub's code of a failed owner act (BAD_CREDENTIALS, FORBIDDEN, …) in words, or the core's message. */
function ownerActError(t: (k: string, o?: Record<string, unknown>) => string, err: unknown): string {
  if (err instanceof ApiCallError) {
    const hubCode = (err.details as { hubCode?: unknown } | null)?.hubCode;
    if (typeof hubCode === 'string') return hubErrorWords(t as never, { code: hubCode, message: err.message })!;
    return err.message;
  }
  return hubErrorWords(t as never, { code: null, message: String(err) })!;
}

/** The team as the hub answers; undefined while the first answer is on its way (null: no hub). */
function useTeam(): { team: HubTeamView | null | undefined; reload: () => void } {
  const report = useReportError();
  const [team, setTeam] = useState<HubTeamView | null | undefined>(undefined);
  const reload = useCallback(() => {
    api.call('hub.team', {}).then(setTeam, (err) => report(err, 'hub.team'));
  }, [report]);
  useEffect(reload, [reload]);
  useDbChanged(['users'], reload, 1000);
  return { team, reload };
}

export function TeamPage() {
  const { t } = useTranslation();
  const { team, reload } = useTeam();
  const canRevoke = useCan('hub.revokeStation');
  const canInvite = useCan('hub.invite');
  const [revoking, setRevoking] = useState<HubStation | null>(null);
  if (team === undefined) return null;
  return (
    <div className="team-page" data-testid="team-page">
      <div className="team-page-head">
        <h2>{team ? `${t('team.page.title')} · ${team.team.name}` : t('team.page.title')}</h2>
        {team && (
          <button type="button" data-testid="team-refresh" onClick={reload}>
            {t('team.page.refresh')}
          </button>
        )}
      </div>
      {team === null ? (
        <p className="team-banner" data-testid="team-solo">
          {t('team.page.solo')} {t('team.status.soloHint')}
        </p>
      ) : (
        <>
          {!team.online && (
            <p className="team-banner" data-testid="team-offline">
              {team.fetchedAt > 0 ? t('team.page.offline', { time: formatTime(team.fetchedAt) }) : t('team.page.neverFetched')}{' '}
              {hubErrorWords(t, team.error)}
            </p>
          )}
          <People team={team} />
          <Stations team={team} canRevoke={canRevoke && team.online} onRevoke={setRevoking} />
          {canInvite && team.online && <InviteForm team={team} onInvited={reload} />}
        </>
      )}
      <section className="team-section">
        <h3>{t('team.alerts.title')}</h3>
        <HubAlertsList />
      </section>
      {revoking && team && (
        <RevokeDialog
          team={team}
          station={revoking}
          onClose={() => setRevoking(null)}
          onDone={() => {
            setRevoking(null);
            reload();
          }}
        />
      )}
    </div>
  );
}

function People({ team }: { team: HubTeamView }) {
  const { t } = useTranslation();
  return (
    <section className="team-section">
      <h3>{t('team.page.users')}</h3>
      <table className="team-table" data-testid="team-users">
        <thead>
          <tr>
            <th>{t('team.page.name')}</th>
            <th>{t('team.page.role')}</th>
            <th>{t('team.page.shops')}</th>
            <th>{t('team.page.pin')}</th>
          </tr>
        </thead>
        <tbody>
          {team.users.map((u) => (
            <tr key={u.id} data-testid="team-user" data-name={u.name}>
              <td>{u.name}</td>
              <td>{t(`role.${u.role}`)}</td>
              <td className="wrap">{u.shops === null ? t('team.page.allShops') : u.shops.join('、')}</td>
              <td>{u.hasPin ? t('team.page.hasPin') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Stations({ team, canRevoke, onRevoke }: { team: HubTeamView; canRevoke: boolean; onRevoke(s: HubStation): void }) {
  const { t } = useTranslation();
  const userName = useMemo(() => new Map(team.users.map((u) => [u.id, u.name])), [team.users]);
  return (
    <section className="team-section">
      <h3>{t('team.page.stations')}</h3>
      <table className="team-table" data-testid="team-stations">
        <thead>
          <tr>
            <th>{t('team.page.name')}</th>
            <th>{t('team.page.user')}</th>
            <th>{t('team.page.lastSeen')}</th>
            <th>{t('team.page.lastSeq')}</th>
            <th>{t('team.page.state')}</th>
            {canRevoke && <th />}
          </tr>
        </thead>
        <tbody>
          {team.stations.map((s) => (
            <tr key={s.id} className={s.revokedAt !== null ? 'revoked' : undefined} data-testid="team-station" data-name={s.name}>
              <td>
                {s.name}
                {s.id === team.thisStationId && <span className="team-this">{t('team.page.thisStation')}</span>}
              </td>
              <td>{(s.userId && userName.get(s.userId)) ?? '—'}</td>
              <td>{s.lastSeen === null ? t('team.status.never') : formatTime(s.lastSeen)}</td>
              <td>{s.lastSeq}</td>
              <td data-testid="team-station-state">{s.revokedAt === null ? t('team.page.active') : t('team.page.revokedAt', { time: formatTime(s.revokedAt) })}</td>
              {canRevoke && (
                <td>
                  {s.revokedAt === null && s.id !== team.thisStationId && (
                    <button type="button" className="danger" data-testid="team-revoke" onClick={() => onRevoke(s)}>
                      {t('team.page.revoke')}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const ownersOf = (team: HubTeamView) => team.users.filter((u) => u.role === 'owner').map((u) => u.name);

function RevokeDialog({ team, station, onClose, onDone }: { team: HubTeamView; station: HubStation; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const owners = ownersOf(team);
  const [owner, setOwner] = useState(owners[0] ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.call('hub.revokeStation', { stationId: station.id, owner, password });
      toast({ kind: 'success', text: t('team.page.revoked', { name: station.name }) });
      onDone();
    } catch (err) {
      setError(ownerActError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('team.page.revokeTitle', { name: station.name })}
      onClose={onClose}
      testId="team-revoke-dialog"
      footer={
        <>
          <button type="button" onClick={onClose}>
            {t('team.page.cancel')}
          </button>
          <button type="button" className="danger" disabled={busy || !owner || !password} data-testid="team-revoke-confirm" onClick={() => void revoke()}>
            {t('team.page.confirmRevoke')}
          </button>
        </>
      }
    >
      <form
        className="team-revoke"
        onSubmit={(e) => {
          e.preventDefault();
          void revoke();
        }}
      >
        <p>{t('team.page.revokeHint')}</p>
        <label>
          {t('team.page.owner')}
          <input value={owner} onChange={(e) => setOwner(e.target.value)} list="team-owners" data-testid="team-revoke-owner" />
          <datalist id="team-owners">
            {owners.map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
        </label>
        <label>
          {t('team.page.password')}
          <input type="password" value={password} autoFocus onChange={(e) => setPassword(e.target.value)} data-testid="team-revoke-password" />
        </label>
        {error && (
          <p className="team-revoke-error" role="alert" data-testid="team-revoke-error">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}

function InviteForm({ team, onInvited }: { team: HubTeamView; onInvited(): void }) {
  const { t } = useTranslation();
  const owners = ownersOf(team);
  const [user, setUser] = useState('');
  const [role, setRole] = useState<Role>('packer');
  const [shops, setShops] = useState('');
  const [owner, setOwner] = useState(owners[0] ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<{ code: string; expiresAt: number } | null>(null);
  const invite = async () => {
    setBusy(true);
    setError(null);
    try {
      const list = shops
        .split(/[,，\s]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      const r = await api.call('hub.invite', { user, role, shops: list.length ? list : null, owner, password });
      setMade({ code: r.code, expiresAt: r.expiresAt });
      setPassword('');
      onInvited();
    } catch (err) {
      setError(ownerActError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="team-section">
      <h3>{t('team.page.invite')}</h3>
      <form
        className="team-invite"
        data-testid="team-invite"
        onSubmit={(e) => {
          e.preventDefault();
          void invite();
        }}
      >
        <label>
          {t('team.page.inviteUser')}
          <input value={user} onChange={(e) => setUser(e.target.value)} data-testid="team-invite-user" />
        </label>
        <label>
          {t('team.page.inviteRole')}
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="team-invite-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('team.page.inviteShops')}
          <input value={shops} onChange={(e) => setShops(e.target.value)} placeholder="shop-1, shop-2" />
        </label>
        <label>
          {t('team.page.owner')}
          <input value={owner} onChange={(e) => setOwner(e.target.value)} />
        </label>
        <label>
          {t('team.page.password')}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="team-invite-password" />
        </label>
        <button type="submit" className="primary" disabled={busy || !user || !owner || !password} data-testid="team-invite-submit">
          {t('team.page.makeCode')}
        </button>
      </form>
      {error && (
        <p className="team-revoke-error" role="alert">
          {error}
        </p>
      )}
      {made && (
        <p className="team-code" data-testid="team-invite-code">
          {t('team.page.code', { code: made.code, time: formatTime(made.expiresAt) })}
        </p>
      )}
    </section>
  );
}
