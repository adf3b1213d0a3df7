// Add or edit a printer: name, address (with a hint for the kind being typed), language, DPI and
// the documents it prints. The core validates (address syntax, duplicate names) and its message
// shows under the field it concerns.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrinterView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { FormField } from '../shops/FormField.tsx';
import { emptyPrinterForm, formErrorsOf, PRINTER_DOCUMENTS, PRINTER_DPIS, PRINTER_LANGS, printerInput, toggleDocument, uriKindOf, type PrinterFormValues, type PrinterLangChoice } from './printer-form.ts';

const HINT_KEYS = {
  tcp: 'printerForm.uriHintTcp',
  usb: 'printerForm.uriHintUsb',
  cups: 'printerForm.uriHintCups',
  spooler: 'printerForm.uriHintSpooler',
  folder: 'printerForm.uriHintFolder',
} as const;

function valuesOf(p: PrinterView): PrinterFormValues {
  return { name: p.name, uri: p.uri, lang: p.lang, dpi: p.dpi, documents: [...p.documents] };
}

export function PrinterDialog({ printer, initial, onClose, onDone }: { printer?: PrinterView; initial?: PrinterFormValues; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const before = printer ? valuesOf(printer) : undefined;
  const [values, setValues] = useState<PrinterFormValues>(before ?? initial ?? emptyPrinterForm);
  const { busy, errors, setErrors, run } = useSubmit((err) => formErrorsOf(err, t));
  const kind = uriKindOf(values.uri);
  const set = (patch: Partial<PrinterFormValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    // A field being corrected no longer shows the old complaint; the hint comes back instead.
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !(k in patch))));
  };

  const submit = () =>
    run(printer ? 'printers.update' : 'printers.add', async () => {
      if (printer) {
        const patch = printerInput(values, before);
        const saved = Object.keys(patch).length ? await api.call('printers.update', { id: printer.id, patch }) : printer;
        toast({ kind: 'success', text: t('printerForm.saved', { name: saved.name }) });
      } else {
        const added = await api.call('printers.add', printerInput(values) as PrinterFormValues & { dpi: 203 | 300 });
        toast({ kind: 'success', text: t('printerForm.added', { name: added.name }) });
      }
      onDone();
      onClose();
    });

  return (
    <FormDialog
      title={printer ? t('printerForm.editTitle', { name: printer.name }) : t('printerForm.addTitle')}
      onClose={onClose}
      testId="printer-dialog"
      confirmLabel={t('common.save')}
      onConfirm={() => void submit()}
      disabled={busy}
    >
      {Object.keys(errors).length > 0 && (
        <div className="warn small" data-testid="form-errors">
          {t('printerForm.fixFields')}
          {errors[''] ? `: ${errors['']}` : ''}
        </div>
      )}
      <FormField label={t('printerForm.name')} name="name" error={errors.name}>
        <input data-testid="input-name" value={values.name} placeholder={t('printerForm.namePlaceholder')} maxLength={40} onChange={(e) => set({ name: e.target.value })} />
      </FormField>
      <FormField label={t('printerForm.uri')} name="uri" error={errors.uri} hint={t(kind ? HINT_KEYS[kind] : 'printerForm.uriHintAny')}>
        <input data-testid="input-uri" className="mono" value={values.uri} placeholder="tcp://192.168.1.50:9100" autoComplete="off" spellCheck={false} onChange={(e) => set({ uri: e.target.value })} />
      </FormField>
      <div className="form-pair">
        <FormField label={t('printerForm.lang')} name="lang" error={errors.lang}>
          <select data-testid="input-lang" value={values.lang} onChange={(e) => set({ lang: e.target.value as PrinterLangChoice })}>
            {PRINTER_LANGS.map((l) => (
              <option key={l} value={l}>
                {t(`printerLang.${l}`)}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label={t('printerForm.dpi')} name="dpi" error={errors.dpi}>
          <select data-testid="input-dpi" value={values.dpi} onChange={(e) => set({ dpi: Number(e.target.value) })}>
            {PRINTER_DPIS.map((d) => (
              <option key={d} value={d}>
                {d} dpi
              </option>
            ))}
          </select>
        </FormField>
      </div>
      <fieldset className="form-fieldset" data-testid="field-documents">
        <legend className="form-field-label">{t('printerForm.documents')}</legend>
        {PRINTER_DOCUMENTS.map((d) => (
          <label key={d} className="checkbox-line">
            <input type="checkbox" data-testid={`input-doc-${d}`} checked={values.documents.includes(d)} onChange={() => set({ documents: toggleDocument(values.documents, d) })} />
            {t(`printerDoc.${d}`)}
          </label>
        ))}
        {errors.documents && <span className="form-field-error">{errors.documents}</span>}
      </fieldset>
    </FormDialog>
  );
}
