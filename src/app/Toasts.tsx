// Renders the toast stack (errors, batch results) in the corner; a repeated message shows "×N".
import { useTranslation } from 'react-i18next';
import { useToasts } from './toast-store.ts';

export function Toasts() {
  const { t } = useTranslation();
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} data-testid="toast" data-kind={toast.kind} role={toast.kind === 'error' ? 'alert' : 'status'}>
          <div className="toast-text">
            {toast.text}
            {toast.repeat && toast.repeat > 1 && (
              <span className="toast-repeat" data-testid="toast-repeat">
                ×{toast.repeat}
              </span>
            )}
          </div>
          {toast.lines?.map((line, i) => (
            <div key={i} className="toast-line">
              {line}
            </div>
          ))}
          <button type="button" className="toast-x" aria-label={t('common.close')} onClick={() => dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
