// The 验货 page: a full-height packing bench driven by a barcode scanner (a keyboard wedge: fast
// characters, then Enter) and the keyboard alone. One input holds the focus at all times; scans go
// through scan-flow.ts to the core, and the answer shows as counts, a sound, a colour flash and large
// text. An intercepted order takes the whole screen until Esc.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { keyedByHand, keyTimesStale } from './keyed.ts';
import { PackageLines } from './PackageLines.tsx';
import { usePacking, type Feedback } from './packing-store.ts';
import { createScanQueue, escape } from './scan-flow.ts';
import { StationSettingsPanel } from './StationSettingsPanel.tsx';
import './packing.css';

/** Where focus may go without being pulled back to the scan input (the settings form). */
const FOCUS_ALLOWED = '[data-packing-keep-focus]';

export function PackingPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const scan = usePacking((s) => s.scan);
  const active = usePacking((s) => s.active);
  const feedback = usePacking((s) => s.feedback);
  const flash = usePacking((s) => s.flash);
  const intercept = usePacking((s) => s.intercept);
  const busy = usePacking((s) => s.busy);
  const inputRef = useRef<HTMLInputElement>(null);
  const keyTimes = useRef<number[]>([]);
  const submit = useMemo(() => createScanQueue({ api, report }), [report]);

  const refocus = useCallback(() => {
    const el = inputRef.current;
    if (!el) return;
    if (document.activeElement instanceof HTMLElement && document.activeElement.closest(FOCUS_ALLOWED)) return;
    el.focus();
  }, []);

  useEffect(() => {
    refocus();
    // Esc works wherever focus is (the dismiss button, the settings form).
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        escape();
        refocus();
      }
    };
    const onFocusIn = () => setTimeout(refocus, 0);
    window.addEventListener('keydown', onKey);
    window.addEventListener('focus', onFocusIn);
    document.addEventListener('focusin', onFocusIn);
    // Focus dropped to the page (a settings control blurred itself after saving): back to the input.
    document.addEventListener('focusout', onFocusIn);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('focus', onFocusIn);
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('focusout', onFocusIn);
    };
  }, [refocus]);

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') {
      // One printable key: its time tells a scanner's burst from a person's typing (keyed.ts).
      // Alt+numpad digits (a scanner in Alt-code mode) type no character of their own: not counted.
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) keyTimes.current.push(e.timeStamp);
      return;
    }
    e.preventDefault();
    const raw = e.currentTarget.value;
    const code = raw.trim();
    e.currentTarget.value = '';
    const times = keyTimes.current;
    keyTimes.current = [];
    if (code) void submit(code, keyedByHand(raw, times));
  };

  // A paste, a deletion or an IME changed the field: the key times no longer describe what it holds.
  const onInput = (e: React.FormEvent<HTMLInputElement>) => {
    if (keyTimesStale((e.nativeEvent as InputEvent).inputType)) keyTimes.current = [];
  };

  const onBlur = (e: React.FocusEvent<HTMLInputElement>) => {
    const next = e.relatedTarget;
    if (next instanceof HTMLElement && next.closest(FOCUS_ALLOWED)) return;
    // After the blur has finished; focusing inside the blur handler is ignored by browsers.
    setTimeout(refocus, 0);
  };

  const scanned = scan ? scan.lines.reduce((n, l) => n + l.scanned, 0) : 0;
  const expected = scan ? scan.lines.reduce((n, l) => n + l.expected, 0) : 0;
  const status = scan?.package.verifiedAt != null ? (scan.package.stage === 'shipped' || scan.package.shippedAt != null ? 'shipped' : 'verified') : null;

  return (
    <div className="packing-page" data-testid="packing-page" onMouseUp={() => setTimeout(refocus, 0)}>
      {flash && <div key={flash.n} className={`packing-flash packing-flash-${flash.tone}`} data-testid="packing-flash" data-tone={flash.tone} aria-hidden="true" />}
      <div className="packing-bench">
        <div className="packing-scanbar">
          <label className="packing-input-label" htmlFor="packing-input">
            {t(active ? 'packing.scanItemHint' : 'packing.scanWaybillHint')}
          </label>
          <input
            id="packing-input"
            ref={inputRef}
            className="packing-input"
            data-testid="packing-input"
            aria-label={t('packing.inputLabel')}
            autoComplete="off"
            spellCheck={false}
            onKeyDown={onKeyDown}
            onInput={onInput}
            onBlur={onBlur}
          />
          {busy && <span className="packing-busy">{t('packing.busy')}</span>}
          {active && (
            <button type="button" className="packing-abandon" onClick={() => escape()}>
              {t('packing.abandon')}
            </button>
          )}
        </div>
        <FeedbackLine feedback={feedback} />
        {scan ? (
          <section className="packing-package" data-testid="packing-package" data-package-id={scan.package.packageId}>
            <div className="packing-package-head">
              <span className="packing-order">{t('packing.order', { id: scan.package.platformOrderId })}</span>
              <span>
                {t('packing.waybill')}: <b data-testid="packing-waybill">{scan.package.waybillNo ?? t('packing.noWaybill')}</b> {scan.package.carrierCode}
              </span>
              {scan.package.packageCount > 1 && <span>{t('packing.packageSeq', { seq: scan.package.seq, count: scan.package.packageCount })}</span>}
              <span>
                {t('packing.shop')}: {scan.package.shopName}
              </span>
              <span>
                {t('packing.receiver')}: {scan.package.receiverName} {scan.package.receiverProvince}
                {scan.package.receiverCity}
              </span>
              <span className="packing-progress" data-testid="packing-progress">
                {t('packing.progress', { scanned, expected })}
              </span>
              {status && (
                <span className={`packing-status packing-status-${status}`} data-testid="packing-status" data-status={status}>
                  {t(status === 'shipped' ? 'packing.verifiedShipped' : 'packing.verified')}
                </span>
              )}
            </div>
            {(scan.package.buyerMessage || scan.package.sellerMemo) && (
              <div className="packing-notes">
                {scan.package.buyerMessage && (
                  <span>
                    {t('packing.buyerMessage')}: {scan.package.buyerMessage}
                  </span>
                )}
                {scan.package.sellerMemo && (
                  <span>
                    {t('packing.sellerMemo')}: {scan.package.sellerMemo}
                  </span>
                )}
              </div>
            )}
            <PackageLines scan={scan} />
          </section>
        ) : (
          <div className="packing-empty">{t('packing.waiting')}</div>
        )}
      </div>
      <StationSettingsPanel />
      {intercept && (
        <div className="packing-intercept" role="alertdialog" aria-modal="true" aria-labelledby="packing-intercept-title" data-testid="packing-intercept" data-reason={intercept.reason}>
          <div id="packing-intercept-title" className="packing-intercept-title">
            {t('packingIntercept.title')}
          </div>
          <div className="packing-intercept-reason">{t(`packingIntercept.${intercept.reason}`)}</div>
          {intercept.detail && <div className="packing-intercept-detail">{t('packingIntercept.detail', { detail: intercept.detail })}</div>}
          <div className="packing-intercept-order">
            {t('packing.order', { id: intercept.platformOrderId })} · {intercept.waybillNo ?? ''}
          </div>
          {intercept.afterPrint && <div className="packing-intercept-detail">{t('packingIntercept.afterPrint')}</div>}
          <button
            type="button"
            className="packing-intercept-dismiss"
            onClick={() => {
              escape();
              refocus();
            }}
          >
            {t('packingIntercept.dismissButton')}
          </button>
          <div className="packing-intercept-hint">{t('packingIntercept.dismiss')}</div>
        </div>
      )}
    </div>
  );
}

function FeedbackLine({ feedback }: { feedback: Feedback | null }) {
  const { t } = useTranslation();
  if (!feedback) return <div className="packing-feedback" data-testid="packing-feedback" data-tone="none" />;
  const translated = Object.fromEntries(Object.entries(feedback.keyParams ?? {}).map(([k, key]) => [k, t(key, { defaultValue: key })]));
  return (
    <div className={`packing-feedback packing-feedback-${feedback.tone}`} data-testid="packing-feedback" data-tone={feedback.tone} role="status">
      {t(feedback.key, { ...feedback.params, ...translated })}
    </div>
  );
}
