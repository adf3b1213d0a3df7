// The station's settings on the 验货 page: mandatory verification, when the platform is told
// "shipped" (打印后 / 验货后 / 手动), and 自动审单 of clean orders (marked 演示 on the demo station,
// which starts with it on). Saved on change; the core refuses combinations that cannot work (ship on
// print + mandatory verification) and roles that may not change them.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { readsOf, SHIP_ON_CHOICES, type ShipOn, type StationSettings } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { toApiCallError } from '../../api/api-error.ts';
import { useDbChanged } from '../../api/use-db-changed.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { Badge } from '../../components/Badge.tsx';

export function StationSettingsPanel() {
  const { t } = useTranslation();
  const report = useReportError();
  const push = useToasts((s) => s.push);
  const canEdit = useCan('station.updateSettings');
  const [settings, setSettings] = useState<StationSettings | null>(null);
  const load = useCallback(() => {
    api.call('station.settings', {}).then(setSettings, (e) => report(e, 'station.settings'));
  }, [report]);
  useEffect(load, [load]);
  useDbChanged(readsOf('station.settings'), load);

  const save = (patch: { verificationRequired?: boolean; shipOn?: ShipOn; prefetchWaybills?: boolean; autoReviewClean?: boolean }) => {
    api.call('station.updateSettings', patch).then(
      (next) => {
        setSettings(next);
        push({ kind: 'success', text: t('packingSettings.saved') });
      },
      (err) => {
        const e = toApiCallError('station.updateSettings', err);
        // The core names the refused combination in its issue (station/settings.ts).
        const issues = (e.details as { issues?: { message?: string }[] } | undefined)?.issues ?? [];
        if (issues.some((i) => i.message === 'ship_on_print_needs_no_verification')) push({ kind: 'error', text: t('packingSettings.printNeedsNoVerification') });
        else report(err, 'station.updateSettings');
        load();
      },
    );
  };

  return (
    <aside className="packing-settings" data-packing-keep-focus="" data-testid="packing-settings">
      <h3>{t('packingSettings.title')}</h3>
      {settings && (
        <>
          <label className="packing-settings-row">
            <input
              type="checkbox"
              data-testid="packing-verification-required"
              checked={settings.verificationRequired}
              disabled={!canEdit}
              onChange={(e) => {
                save({ verificationRequired: e.target.checked });
                // Hand the keyboard back to the scanner input.
                e.currentTarget.blur();
              }}
            />
            {t('packingSettings.verificationRequired')}
          </label>
          <label className="packing-settings-row packing-settings-column">
            <span>{t('packingSettings.shipOn')}</span>
            <select data-testid="packing-ship-on" value={settings.shipOn} disabled={!canEdit} onChange={(e) => {
                save({ shipOn: e.target.value as ShipOn });
                e.currentTarget.blur();
              }}>
              {SHIP_ON_CHOICES.map((c) => (
                <option key={c} value={c}>
                  {t(`packingSettings.shipOn_${c}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="packing-settings-row">
            <input
              type="checkbox"
              data-testid="packing-prefetch-waybills"
              checked={settings.prefetchWaybills}
              disabled={!canEdit}
              onChange={(e) => {
                save({ prefetchWaybills: e.target.checked });
                e.currentTarget.blur();
              }}
            />
            {t('packingSettings.prefetchWaybills')}
          </label>
          <label className="packing-settings-row" title={t('packingSettings.autoReviewHint')}>
            <input
              type="checkbox"
              data-testid="station-auto-review"
              checked={settings.autoReviewClean}
              disabled={!canEdit}
              onChange={(e) => {
                save({ autoReviewClean: e.target.checked });
                e.currentTarget.blur();
              }}
            />
            <span>
              {t('packingSettings.autoReviewClean')}
              {settings.demoStation && (
                <>
                  {' '}
                  <Badge tone="accent" testId="station-auto-review-demo" title={t('packingSettings.demoTitle')}>
                    {t('packingSettings.demo')}
                  </Badge>
                </>
              )}
            </span>
          </label>
          <p className="packing-settings-note" data-testid="station-auto-review-hint">
            {t('packingSettings.autoReviewHint')}
          </p>
          {!canEdit && <p className="packing-settings-note">{t('packingSettings.readOnly')}</p>}
        </>
      )}
    </aside>
  );
}
