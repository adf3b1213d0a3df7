// The 面单模板 page: carriers on the left, the chosen carrier's template, fields, custom text and block
// offsets in the middle, a live preview of exactly what the printer gets on the right, and the
// printers' calibration offsets below.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CARRIERS } from '../../../electron/shared/carriers.ts';
import type { ApiInput } from '../../../electron/shared/contract.ts';
import { labelSettingsFor, type LabelSettingsTarget } from '../../../electron/shared/label-settings.ts';
import { toApiCallError } from '../../api/api-error.ts';
import { api } from '../../api/client.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { downloadBase64 } from '../orders/batch/download.ts';
import { useQuery } from '../../api/use-query.ts';
import { CalibrationPanel } from './CalibrationPanel.tsx';
import { draftFor, isCarrier, isDirty, TARGETS, updateInput, type LabelDraft } from './label-form.ts';
import { TemplateEditor } from './TemplateEditor.tsx';
import { useLabelsPage } from './labels-store.ts';
import { useLabelPreview } from './use-label-preview.ts';
import '../shops/shops.css';
import './labels.css';


export function LabelTemplatesPage() {
  const { t, i18n } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const canEdit = useCan('labels.updateSettings');
  const { data: saved, reload } = useQuery('labels.settings', {});
  const target = useLabelsPage((s) => s.target);
  const select = useLabelsPage((s) => s.select);
  const [draft, setDraft] = useState<LabelDraft | null>(null);
  const [saving, setSaving] = useState(false);
  const dirty = saved !== null && draft !== null && isDirty(saved, draft);

  // A new target or fresh settings from the core reset the draft, unless the person has unsaved edits there.
  useEffect(() => {
    if (!saved) return;
    setDraft((d) => (d && d.target === target && isDirty(saved, d) ? d : draftFor(saved, target)));
  }, [saved, target]);

  const carrierName = (c: LabelSettingsTarget) => (c === 'default' ? t('labels.default') : (CARRIERS.find((x) => x.code === c)?.[i18n.language === 'en-US' ? 'en' : 'zh'] ?? c));

  const choose = (c: LabelSettingsTarget) => {
    if (c === target) return;
    if (dirty && !window.confirm(t('labels.unsaved'))) return;
    select(c);
    if (saved) setDraft(draftFor(saved, c));
  };

  const save = async () => {
    if (!draft) return;
    setSaving(true);
    try {
      await api.call('labels.updateSettings', updateInput(draft));
      toast({ kind: 'success', text: t('labels.saved', { carrier: carrierName(draft.target) }) });
      reload();
    } catch (err) {
      report(err, 'labels.updateSettings');
    } finally {
      setSaving(false);
    }
  };

  // The settings the label would print with right now: a carrier that follows the default shows the default's.
  const effective = draft && saved ? (draft.followsDefault ? labelSettingsFor(saved, null) : draft.settings) : null;
  const previewOrder = useLabelsPage((s) => s.previewOrder);
  const previewDpi = useLabelsPage((s) => s.previewDpi);
  const previewPrinterId = useLabelsPage((s) => s.previewPrinterId);
  const previewInput = useMemo<ApiInput<'labels.preview'> | null>(() => {
    if (!effective || !draft) return null;
    return {
      settings: effective,
      ...(isCarrier(draft.target) ? { carrierCode: draft.target } : {}),
      ...(previewOrder.trim() ? { orderId: previewOrder.trim() } : {}),
      ...(previewPrinterId ? { printerId: previewPrinterId } : { dpi: previewDpi }),
    };
  }, [effective, draft, previewOrder, previewDpi, previewPrinterId]);

  return (
    <div className="shops-page labels-page" data-testid="labels-page">
      <div className="labels-body">
        <nav className="labels-carriers" aria-label={t('labels.carriers')}>
          <div className="labels-section-title">{t('labels.carriers')}</div>
          {TARGETS.map((c) => (
            <button
              key={c}
              type="button"
              className={`labels-carrier${c === target ? ' active' : ''}`}
              aria-current={c === target ? 'true' : undefined}
              data-testid={`labels-carrier-${c}`}
              onClick={() => choose(c)}
            >
              <span>{carrierName(c)}</span>
              {c !== 'default' && saved?.carriers[c] && <span className="labels-own">{t('labels.ownSettings')}</span>}
            </button>
          ))}
        </nav>
        <section className="labels-editor">
          <div className="labels-section-title">
            {t('labels.title')} · {carrierName(target)}
            {dirty && <span className="labels-dirty">{t('labels.unsaved')}</span>}
          </div>
          {!canEdit && <p className="muted small">{t('labels.readOnly')}</p>}
          {draft && <TemplateEditor draft={draft} readOnly={!canEdit} onChange={setDraft} />}
          {canEdit && draft && (
            <div className="labels-actions">
              <button type="button" className="primary" data-testid="labels-save" disabled={!dirty || saving} onClick={() => void save()}>
                {saving ? t('labels.saving') : t('labels.save')}
              </button>
              <button type="button" data-testid="labels-revert" disabled={!dirty || saving} onClick={() => saved && setDraft(draftFor(saved, target))}>
                {t('labels.revert')}
              </button>
            </div>
          )}
        </section>
        <PreviewPane input={previewInput} />
      </div>
      <CalibrationPanel />
    </div>
  );
}

function PreviewPane({ input }: { input: ApiInput<'labels.preview'> | null }) {
  const { t } = useTranslation();
  const report = useReportError();
  const { preview, loading, error } = useLabelPreview(input);
  const previewOrder = useLabelsPage((s) => s.previewOrder);
  const previewDpi = useLabelsPage((s) => s.previewDpi);
  const previewPrinterId = useLabelsPage((s) => s.previewPrinterId);
  const setPreview = useLabelsPage((s) => s.setPreview);
  const { data: printers } = useQuery('printers.list', {});
  const [orderText, setOrderText] = useState(previewOrder);
  // Typing an order number is debounced by the preview hook; the store keeps what was typed.
  useEffect(() => setPreview({ previewOrder: orderText }), [orderText, setPreview]);

  const downloadPdf = async () => {
    if (!input) return;
    try {
      const { orderId, carrierCode, settings } = input;
      const out = await api.call('labels.previewPdf', { ...(orderId ? { orderId } : { sample: true as const }), ...(carrierCode ? { carrierCode } : {}), ...(settings ? { settings } : {}) });
      downloadBase64(out.fileName, 'application/pdf', out.base64);
    } catch (err) {
      report(err, 'labels.previewPdf');
    }
  };

  return (
    <section className="labels-preview" aria-busy={loading}>
      <div className="labels-section-title">
        {t('labels.preview')}
        {loading && <span className="muted small"> {t('labels.previewLoading')}</span>}
      </div>
      <div className="labels-preview-controls">
        <label className="form-field">
          <span className="form-field-label">{t('labels.previewSource')}</span>
          <input data-testid="labels-preview-order" value={orderText} placeholder={`${t('labels.previewSample')} · ${t('labels.previewOrderPlaceholder')}`} onChange={(e) => setOrderText(e.target.value)} />
        </label>
        <label className="form-field">
          <span className="form-field-label">{t('labels.previewPrinter')}</span>
          <select data-testid="labels-preview-printer" value={previewPrinterId ?? ''} onChange={(e) => setPreview({ previewPrinterId: e.target.value || null })}>
            <option value="">{t('labels.previewPrinterNone')}</option>
            {printers?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} · {p.dpi} dpi
              </option>
            ))}
          </select>
        </label>
        {!previewPrinterId && (
          <label className="form-field">
            <span className="form-field-label">{t('labels.previewDpi')}</span>
            <select data-testid="labels-preview-dpi" value={previewDpi} onChange={(e) => setPreview({ previewDpi: Number(e.target.value) === 300 ? 300 : 203 })}>
              <option value={203}>203 dpi</option>
              <option value={300}>300 dpi</option>
            </select>
          </label>
        )}
        <button type="button" data-testid="labels-download-pdf" disabled={!input} onClick={() => void downloadPdf()}>
          {t('labels.downloadPdf')}
        </button>
      </div>
      {error !== null && <PreviewError error={error} />}
      {preview && (
        <figure className="labels-figure">
          {/* Shown at 1 printer dot = 1 CSS pixel / 2 (about true size on a typical screen), never smoothed. */}
          <img
            data-testid="labels-preview-image"
            className="labels-preview-image"
            src={`data:image/png;base64,${preview.pngBase64}`}
            width={Math.round(preview.widthPx / 2)}
            height={Math.round(preview.heightPx / 2)}
            alt={t('labels.previewAlt')}
          />
          <figcaption className="muted small">{t('labels.previewHint', { w: preview.widthPx, h: preview.heightPx, dpi: preview.dpi })}</figcaption>
        </figure>
      )}
    </section>
  );
}

function PreviewError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  // An order number that does not exist is the usual case here: said inline, not as a toast per keystroke.
  const e = toApiCallError('labels.preview', error);
  return (
    <p className="danger-text small" role="alert" data-testid="labels-preview-error">
      {t(`errors.${e.code}`)} {e.message}
    </p>
  );
}
