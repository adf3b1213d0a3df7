// The shell most dialogs share: a Dialog whose footer is a cancel button and one primary action.
// Dialogs with a different footer (progress phases, close-only) use Dialog itself.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog.tsx';

interface Props {
  title: string;
  onClose(): void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
  /** The primary button's words. */
  confirmLabel: string;
  onConfirm(): void;
  /** The primary button is off (busy, or nothing to do yet). */
  disabled?: boolean;
  /** The cancel button's words; 取消 unless given. */
  cancelLabel?: string;
}

export function FormDialog({ confirmLabel, onConfirm, disabled, cancelLabel, children, ...dialog }: Props) {
  const { t } = useTranslation();
  return (
    <Dialog
      {...dialog}
      footer={
        <>
          <button type="button" data-testid="dialog-cancel" onClick={dialog.onClose}>
            {cancelLabel ?? t('common.cancel')}
          </button>
          <button type="button" className="primary" data-testid="dialog-confirm" disabled={disabled} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
