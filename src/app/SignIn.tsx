// Signing in at a station joined to a team hub: the gate in front of the app (nobody signed in →
// the sign-in screen), the form (pick your name, then your password or PIN), and the quick switch in
// the header (切换 → pick a person → PIN) for a packing bench several people share. Without a hub
// none of this shows: the station's owner acts, as always.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Actor, MethodName, SessionPerson, SessionStatus } from '../../electron/shared/contract.ts';
import { ApiCallError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import { describeApiError } from '../api/error-words.ts';
import { useQuery } from '../api/use-query.ts';
import { Dialog } from '../components/Dialog.tsx';
import type { Page } from './nav-store.ts';
import { roleMayCall, useSession } from './session-store.ts';
import './signin.css';

/** Renders the app for whoever is signed in (remounted on a switch, so every page reads afresh). */
export function SessionGate({ children }: { children: ReactNode }) {
  const { data: status } = useQuery('session.status', {});
  const setActor = useSession((s) => s.setActor);
  const actor = status?.actor ?? null;
  useEffect(() => {
    if (actor) setActor(actor);
  }, [actor, setActor]);
  if (!status) return null;
  if (status.joined && !actor) return <SignInScreen status={status} />;
  return <div key={actor?.userId ?? 'station'} className="session-app">{children}</div>;
}

function SignInScreen({ status }: { status: SessionStatus }) {
  const { t } = useTranslation();
  return (
    <div className="signin-screen" data-testid="signin-screen">
      <div className="signin-card">
        <h1 className="signin-title">{t('session.title', { team: status.teamName ?? '' })}</h1>
        {status.stationName && <p className="signin-station">{t('session.station', { station: status.stationName })}</p>}
        <SignInForm />
      </div>
    </div>
  );
}

/** Pick a person, then their password or PIN. `preferPin`: the quick switch asks for a PIN first. */
function SignInForm({ preferPin = false, onDone, onCancel }: { preferPin?: boolean; onDone?: () => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const { data } = useQuery('session.people', {});
  const [person, setPerson] = useState<SessionPerson | null>(null);
  const [usePin, setUsePin] = useState(false);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const pick = (p: SessionPerson) => {
    setPerson(p);
    setUsePin(p.hasPin && preferPin);
    setSecret('');
    setError(null);
  };
  useEffect(() => input.current?.focus(), [person, usePin]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!person || secret === '' || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.call('session.signIn', usePin ? { userId: person.id, pin: secret } : { userId: person.id, password: secret });
      setSecret('');
      onDone?.();
    } catch (err) {
      setError(err instanceof ApiCallError ? describeApiError(t, err).text : String(err));
      setSecret('');
    } finally {
      setBusy(false);
    }
  };

  const people = data?.people ?? [];
  return (
    <form className="signin-form" onSubmit={submit} data-testid="signin-form">
      {data && !data.online && <p className="signin-offline" data-testid="signin-offline">{t('session.offline')}</p>}
      <fieldset className="signin-people">
        <legend>{t('session.pickPerson')}</legend>
        {data && people.length === 0 && <p className="signin-empty">{t('session.noPeople')}</p>}
        {people.map((p) => (
          <button
            key={p.id}
            type="button"
            className={`signin-person${person?.id === p.id ? ' selected' : ''}`}
            aria-pressed={person?.id === p.id}
            data-testid={`signin-person-${p.name}`}
            onClick={() => pick(p)}
          >
            <span className="signin-person-name">{p.name}</span>
            <span className="signin-person-role">{t(`role.${p.role}`, { defaultValue: p.role })}</span>
            {!data?.online && p.knownHere && <span className="signin-person-note">{t('session.knownHere')}</span>}
          </button>
        ))}
      </fieldset>
      {person && (
        <div className="signin-secret">
          <label>
            <span>{usePin ? t('session.pin') : t('session.password')}</span>
            <input
              ref={input}
              type="password"
              inputMode={usePin ? 'numeric' : 'text'}
              autoComplete={usePin ? 'off' : 'current-password'}
              maxLength={usePin ? 8 : 256}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              data-testid="signin-secret"
            />
          </label>
          {person.hasPin && (
            <button type="button" className="link" data-testid="signin-toggle" onClick={() => (setUsePin(!usePin), setSecret(''), setError(null))}>
              {usePin ? t('session.usePassword') : t('session.usePin')}
            </button>
          )}
        </div>
      )}
      {error && (
        <p className="signin-error" role="alert" data-testid="signin-error">
          {error}
        </p>
      )}
      <div className="signin-actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('session.cancel')}
          </button>
        )}
        <button type="submit" className="primary" disabled={!person || secret === '' || busy} data-testid="signin-submit">
          {busy ? t('session.signingIn') : t('session.signIn')}
        </button>
      </div>
    </form>
  );
}

/** The header's 切换: shown on a joined station only. */
export function SwitchPerson() {
  const { t } = useTranslation();
  const { data: status } = useQuery('session.status', {});
  const [open, setOpen] = useState(false);
  if (!status?.joined) return null;
  const signOut = () => {
    setOpen(false);
    void api.call('session.signOut', {});
  };
  return (
    <>
      <button type="button" className="header-button switch-person" data-testid="switch-person" onClick={() => setOpen(true)}>
        {t('session.switch')}
      </button>
      {open && (
        <Dialog title={t('session.switchTitle')} onClose={() => setOpen(false)} testId="switch-dialog">
          <SignInForm preferPin onDone={() => setOpen(false)} onCancel={() => setOpen(false)} />
          <button type="button" className="link signin-signout" data-testid="sign-out" onClick={signOut}>
            {t('session.signOut')}
          </button>
        </Dialog>
      )}
    </>
  );
}

/** Pages a role has no use for, by the method the page is made of: hidden from the nav. */
const PAGE_NEEDS: Partial<Record<Page, MethodName>> = { packing: 'packing.scanWaybill' };

export function pageAllowed(role: Actor['role'] | undefined, page: Page): boolean {
  const needs = PAGE_NEEDS[page];
  return needs === undefined || roleMayCall(role, needs);
}
