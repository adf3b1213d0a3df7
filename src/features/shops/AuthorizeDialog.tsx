// 重新授权: either the platform's OAuth page (shops.authorizeStart → open the URL → the loopback
// redirect completes by itself, or paste the code / redirect URL → shops.authorizeComplete), or
// tokens pasted by hand (shops.updateCredentials) for platforms or setups without the browser flow.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthorizeStart, ShopOverview } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { formatTime } from '../../i18n/format.ts';
import { fieldErrorsOf, type FieldErrors } from './field-errors.ts';
import { FormField } from './FormField.tsx';

/** A datetime-local value read as Asia/Shanghai wall time (UTC+8, no daylight saving) → epoch ms. */
function shanghaiLocalToMs(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) - 8 * 3600_000;
}

export function AuthorizeDialog({ shop, onClose, onDone }: { shop: ShopOverview; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const canBrowser = useCan('shops.authorizeStart') && shop.canAuthorize;
  const canTokens = useCan('shops.updateCredentials');
  const [tab, setTab] = useState<'browser' | 'tokens'>(canBrowser ? 'browser' : 'tokens');
  const [started, setStarted] = useState<AuthorizeStart | null>(null);
  const [code, setCode] = useState('');
  const [tokens, setTokens] = useState({ accessToken: '', refreshToken: '', appSecret: '', expiresAt: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const run = async (method: string, body: () => Promise<void>) => {
    setBusy(true);
    setErrors({});
    try {
      await body();
    } catch (err) {
      const fields = fieldErrorsOf(err);
      if (fields) setErrors(fields);
      else report(err, method);
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    run('shops.authorizeStart', async () => {
      const s = await api.call('shops.authorizeStart', { id: shop.id });
      setStarted(s);
      // Electron hands http(s) windows to the system browser; in a browser this opens a tab.
      window.open(s.url, '_blank', 'noopener,noreferrer');
    });

  const done = () => {
    toast({ kind: 'success', text: t('authorize.done', { name: shop.name }) });
    onDone();
    onClose();
  };

  const complete = () =>
    run('shops.authorizeComplete', async () => {
      if (!started) return;
      await api.call('shops.authorizeComplete', { id: shop.id, state: started.state, code });
      done();
    });

  const saveTokens = () =>
    run('shops.updateCredentials', async () => {
      const expiresAt = shanghaiLocalToMs(tokens.expiresAt);
      await api.call('shops.updateCredentials', {
        id: shop.id,
        accessToken: tokens.accessToken,
        ...(tokens.refreshToken.trim() ? { refreshToken: tokens.refreshToken } : {}),
        ...(tokens.appSecret.trim() ? { appSecret: tokens.appSecret } : {}),
        ...(expiresAt !== undefined ? { accessTokenExpiresAt: expiresAt } : {}),
      });
      done();
    });

  return (
    <Dialog
      title={t('authorize.title', { name: shop.name })}
      onClose={onClose}
      testId="shop-authorize-dialog"
      wide
      footer={
        <button type="button" data-testid="dialog-cancel" onClick={onClose}>
          {t('common.close')}
        </button>
      }
    >
      <div className="shops-tabs small-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'browser'} className={`shops-tab${tab === 'browser' ? ' active' : ''}`} data-testid="authorize-tab-browser" onClick={() => setTab('browser')}>
          {t('authorize.tabBrowser')}
        </button>
        {canTokens && (
          <button type="button" role="tab" aria-selected={tab === 'tokens'} className={`shops-tab${tab === 'tokens' ? ' active' : ''}`} data-testid="authorize-tab-tokens" onClick={() => setTab('tokens')}>
            {t('authorize.tabTokens')}
          </button>
        )}
      </div>
      {tab === 'browser' &&
        (!canBrowser ? (
          <p className="muted" data-testid="authorize-no-app-key">
            {t('authorize.noAppKey')}
          </p>
        ) : (
          <>
            <div>
              <button type="button" className="primary" data-testid="authorize-start" disabled={busy} onClick={() => void start()}>
                {t('authorize.start')}
              </button>
            </div>
            {started && (
              <>
                <p className="small">{t('authorize.urlHint')}</p>
                <input className="mono authorize-url" data-testid="authorize-url" readOnly value={started.url} onFocus={(e) => e.currentTarget.select()} />
                <p className="muted small">{t('authorize.validUntil', { time: formatTime(started.expiresAt) })}</p>
                <FormField label={t('authorize.code')} name="code" error={errors.code} hint={t('authorize.codeHint')}>
                  <input data-testid="authorize-code" value={code} onChange={(e) => setCode(e.target.value)} />
                </FormField>
                <div>
                  <button type="button" className="primary" data-testid="authorize-complete" disabled={busy || code.trim() === ''} onClick={() => void complete()}>
                    {t('authorize.complete')}
                  </button>
                </div>
              </>
            )}
          </>
        ))}
      {tab === 'tokens' && (
        <>
          <FormField label={t('shopForm.accessToken')} name="accessToken" error={errors.accessToken}>
            <input data-testid="input-accessToken" type="password" autoComplete="off" value={tokens.accessToken} onChange={(e) => setTokens((v) => ({ ...v, accessToken: e.target.value }))} />
          </FormField>
          <FormField label={t('shopForm.refreshToken')} name="refreshToken" error={errors.refreshToken}>
            <input data-testid="input-refreshToken" type="password" autoComplete="off" value={tokens.refreshToken} onChange={(e) => setTokens((v) => ({ ...v, refreshToken: e.target.value }))} />
          </FormField>
          <FormField label={`${t('shopForm.appSecret')}`} name="appSecret" error={errors.appSecret}>
            <input data-testid="input-appSecret" type="password" autoComplete="off" value={tokens.appSecret} onChange={(e) => setTokens((v) => ({ ...v, appSecret: e.target.value }))} />
          </FormField>
          <FormField label={t('authorize.expiresAt')} name="accessTokenExpiresAt" error={errors.accessTokenExpiresAt}>
            <input data-testid="input-expiresAt" type="datetime-local" value={tokens.expiresAt} onChange={(e) => setTokens((v) => ({ ...v, expiresAt: e.target.value }))} />
          </FormField>
          <div>
            <button type="button" className="primary" data-testid="authorize-save-tokens" disabled={busy} onClick={() => void saveTokens()}>
              {t('authorize.saveTokens')}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
