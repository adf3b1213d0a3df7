// The header's team sync area (docs/team-hub.md#seeing-sync): a dot and a word for the link to the
// team hub (单机 without one), the ops waiting and refused as counts, and a panel with the rest —
// station, team and person, last push and pull, ops waiting, each refused op with its reason in
// words and what to do, claims held, sync now, the team page. Without a hub: how to join.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HubStatus } from '../../../electron/shared/api/hub.ts';
import { api } from '../../api/client.ts';
import { useDbChanged } from '../../api/use-db-changed.ts';
import { useNav } from '../../app/nav-store.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { useDismiss } from '../../components/use-dismiss.ts';
import { formatTime } from '../../i18n/format.ts';
import { hubErrorWords, linkState, refusalWords, relativeTime, takeoverWords } from './hub-words.ts';
import './team.css';

/** Tables whose changes move the area's numbers (ops: written, acked, refused; claims: pulled). */
const WATCHED = ['ops', 'claims', 'users'];
/** The status is a read of the local database, so polling it is cheap; relative times stay fresh. */
const POLL_MS = 15_000;

export function TeamSyncStatus() {
  const { t } = useTranslation();
  const report = useReportError();
  const [status, setStatus] = useState<HubStatus | null>(null);
  const [open, setOpen] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const ref = useRef<HTMLDivElement>(null);
  const reported = useRef(false);
  useDismiss(ref, open, () => setOpen(false));

  const load = useCallback(() => {
    api.call('hub.status', {}).then(
      (s) => {
        setStatus(s);
        setNow(Date.now());
        reported.current = false;
      },
      (e) => {
        if (!reported.current) report(e, 'hub.status');
        reported.current = true;
      },
    );
  }, [report]);
  useEffect(() => {
    load();
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  useDbChanged(WATCHED, load, 500);

  if (!status) return null;
  const state = linkState(status);
  return (
    <div className="team-sync" ref={ref} data-testid="team-sync" data-state={state}>
      <button
        type="button"
        className={`team-sync-open team-sync-${state}`}
        data-testid="team-sync-open"
        aria-expanded={open}
        title={state === 'solo' ? t('team.status.soloTitle') : t('team.status.title')}
        onClick={() => {
          setOpen((o) => !o);
          load();
        }}
      >
        <span className="team-sync-dot" aria-hidden="true" />
        <span>{t(`team.status.${state}`)}</span>
        {status.opsWaiting > 0 && (
          <span className="team-sync-count" data-testid="team-sync-waiting">
            {t('team.status.waitingCount', { count: status.opsWaiting })}
          </span>
        )}
        {status.opsRefused > 0 && (
          <span className="team-sync-count refused" data-testid="team-sync-refused">
            {t('team.status.refusedCount', { count: status.opsRefused })}
          </span>
        )}
      </button>
      {open && (
        <div className="team-sync-panel" role="dialog" aria-label={t('team.status.title')} data-testid="team-sync-panel">
          {status.joined ? <JoinedPanel status={status} now={now} reload={load} close={() => setOpen(false)} /> : <SoloPanel reload={load} />}
        </div>
      )}
    </div>
  );
}

function JoinedPanel({ status, now, reload, close }: { status: HubStatus; now: number; reload: () => void; close: () => void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const go = useNav((s) => s.go);
  const [busy, setBusy] = useState(false);
  const error = hubErrorWords(t, status.tooOld ? { code: 'STATION_TOO_OLD', message: '' } : status.connected ? null : status.lastError);
  const syncNow = async () => {
    setBusy(true);
    try {
      const r = await api.call('hub.syncNow', {});
      toast({ kind: 'success', text: t('team.status.synced', { pushed: r.pushed, pulled: r.pulled }) });
    } catch (err) {
      report(err, 'hub.syncNow');
    } finally {
      setBusy(false);
      reload();
    }
  };
  const rows: [string, string, string][] = [
    ['station', t('team.status.station'), status.stationName ?? '—'],
    ['team', t('team.status.team'), status.team?.name ?? '—'],
    ['user', t('team.status.user'), status.user ? `${status.user.name}（${t(`role.${status.user.role}`)}）` : '—'],
    ['hub', t('team.status.hub'), status.url ?? '—'],
    ['last-push', t('team.status.lastPush'), relativeTime(t, status.lastPushAt, now)],
    ['last-pull', t('team.status.lastPull'), relativeTime(t, status.lastPullAt, now)],
    ['waiting', t('team.status.waiting'), String(status.opsWaiting)],
    ['refused', t('team.status.refused'), String(status.opsRefused)],
    ['claims', t('team.status.claimsHeld'), t('team.status.claimsCount', { count: status.claimsHeld })],
  ];
  return (
    <>
      <header className="team-sync-head">
        <strong>{t(`team.status.${linkState(status)}`)}</strong>
        <span className="team-sync-actions">
          <button type="button" data-testid="team-sync-now" disabled={busy} onClick={() => void syncNow()}>
            {t('team.status.syncNow')}
          </button>
          <button
            type="button"
            data-testid="team-sync-open-team"
            onClick={() => {
              close();
              go('team');
            }}
          >
            {t('team.status.openTeam')}
          </button>
        </span>
      </header>
      {error && (
        <p className="team-sync-error" data-testid="team-sync-error">
          {error}
        </p>
      )}
      <dl className="team-sync-facts">
        {rows.map(([id, label, value]) => (
          <div key={id} data-testid={`team-sync-${id}`}>
            <dt>{label}</dt>
            <dd title={value}>{value}</dd>
          </div>
        ))}
      </dl>
      <h4>{t('team.status.refusedTitle')}</h4>
      {status.refused.length === 0 ? (
        <p className="team-sync-empty">{t('team.status.refusedNone')}</p>
      ) : (
        <ul className="team-sync-refusals" data-testid="team-sync-refusals">
          {status.refused.map((op) => {
            const w = refusalWords(t, op);
            return (
              <li key={op.id} data-testid="team-sync-refusal" data-reason={op.reason ?? ''}>
                <div className="team-sync-refusal-head">
                  <span className="mono">{op.name}</span>
                  <span>{op.actor}</span>
                  <span className="time">{formatTime(op.at)}</span>
                </div>
                <p>{w.what}</p>
                <p className="todo">
                  {t('team.status.todo')}
                  {w.todo}
                </p>
              </li>
            );
          })}
        </ul>
      )}
      {status.leases.some((l) => l.authorisation) && (
        <>
          <h4>{t('team.status.authTitle')}</h4>
          <ul className="team-sync-refusals" data-testid="team-sync-auth">
            {status.leases
              .filter((l) => l.authorisation)
              .map((l) => (
                <li key={l.shopId} data-testid="team-sync-auth-shop" data-reason={l.authorisation}>
                  <p>{takeoverWords(t, l)}</p>
                </li>
              ))}
          </ul>
        </>
      )}
    </>
  );
}

function SoloPanel({ reload }: { reload: () => void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const canJoin = useCan('hub.join');
  const [url, setUrl] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const join = async () => {
    setBusy(true);
    try {
      const r = await api.call('hub.join', { url, code, name });
      toast({ kind: 'success', text: t('team.status.joined', { team: r.status.team?.name ?? '' }) });
      reload();
    } catch (err) {
      report(err, 'hub.join');
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <header className="team-sync-head">
        <strong>{t('team.status.soloTitle')}</strong>
      </header>
      <p className="team-sync-hint" data-testid="team-sync-solo-hint">
        {t('team.status.soloHint')}
      </p>
      {canJoin ? (
        <form
          className="team-sync-join"
          onSubmit={(e) => {
            e.preventDefault();
            void join();
          }}
        >
          <label>
            {t('team.status.joinUrl')}
            <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://192.168.1.10:5180" data-testid="team-join-url" />
          </label>
          <label>
            {t('team.status.joinCode')}
            <input value={code} onChange={(e) => setCode(e.target.value)} data-testid="team-join-code" />
          </label>
          <label>
            {t('team.status.joinName')}
            <input value={name} onChange={(e) => setName(e.target.value)} data-testid="team-join-name" />
          </label>
          <button type="submit" className="primary" disabled={busy || !url || !code || !name} data-testid="team-join-submit">
            {t('team.status.join')}
          </button>
        </form>
      ) : (
        <p className="team-sync-hint">{t('team.status.ownerOnlyJoin')}</p>
      )}
    </>
  );
}
