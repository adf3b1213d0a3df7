// The add/edit printer form without React: its values, the address hint for each connection kind,
// what a discovered printer pre-fills, and the API input a form becomes. Kept pure so it is tested.
import { PRINTER_DOCUMENT_TYPES, PRINTER_DPIS, PRINTER_LANGUAGES, type PrinterDocumentType, type PrinterLanguage } from '../../../electron/shared/contract.ts';
import type { TFunction } from 'i18next';
import { ApiCallError } from '../../api/api-error.ts';
import { reasonWords } from '../../api/error-words.ts';

export const PRINTER_LANGS = PRINTER_LANGUAGES;
export type PrinterLangChoice = PrinterLanguage;
export { PRINTER_DPIS };
export const PRINTER_DOCUMENTS = PRINTER_DOCUMENT_TYPES;
export type PrinterDocumentChoice = PrinterDocumentType;
/** The connection kinds the address field understands, each with the example the hint shows. */
export const URI_KINDS = ['tcp', 'usb', 'cups', 'spooler', 'folder'] as const;
export type UriKind = (typeof URI_KINDS)[number];
export const URI_EXAMPLES: Record<UriKind, string> = {
  tcp: 'tcp://192.168.1.50:9100',
  usb: 'usb:/dev/usb/lp0',
  cups: 'cups:LABEL_RAW',
  spooler: 'spooler:GP-1324D',
  folder: 'folder:/home/me/labels',
};

export interface PrinterFormValues {
  name: string;
  uri: string;
  lang: PrinterLangChoice;
  dpi: number;
  documents: PrinterDocumentChoice[];
}

export const emptyPrinterForm: PrinterFormValues = { name: '', uri: '', lang: 'tspl', dpi: 203, documents: ['waybill'] };

/** Which connection kind an address is being typed as (by its scheme), so the hint fits what is typed; null when none yet. */
export function uriKindOf(uri: string): UriKind | null {
  const m = /^\s*([a-z]+):/i.exec(uri);
  const scheme = m?.[1]?.toLowerCase();
  return (URI_KINDS as readonly string[]).includes(scheme ?? '') ? (scheme as UriKind) : null;
}

/** Toggle a document type in the assignment, keeping the canonical order 面单, 拣货单, 发货单. */
export function toggleDocument(docs: readonly PrinterDocumentChoice[], doc: PrinterDocumentChoice): PrinterDocumentChoice[] {
  const set = new Set(docs);
  if (set.has(doc)) set.delete(doc);
  else set.add(doc);
  return PRINTER_DOCUMENTS.filter((d) => set.has(d));
}

/**
 * The input printers.add / printers.update gets. Text is sent as typed (trimmed) so the core's
 * validation names a bad address in its own words; an edit sends only what changed.
 */
export function printerInput(values: PrinterFormValues, before?: PrinterFormValues): Partial<PrinterFormValues> {
  const next: PrinterFormValues = { ...values, name: values.name.trim(), uri: values.uri.trim() };
  if (!before) return next;
  const patch: Partial<PrinterFormValues> = {};
  if (next.name !== before.name) patch.name = next.name;
  if (next.uri !== before.uri) patch.uri = next.uri;
  if (next.lang !== before.lang) patch.lang = next.lang;
  if (next.dpi !== before.dpi) patch.dpi = next.dpi;
  if (next.documents.join(',') !== before.documents.join(',')) patch.documents = next.documents;
  return patch;
}

/** A discovered printer as a pre-filled add form: its name and address, the language and DPI it suggested (else the usual label-printer defaults). */
export function formFromDiscovered(found: { name: string; uri: string; lang?: string | null; dpi?: number | null }): PrinterFormValues {
  const lang = (PRINTER_LANGS as readonly string[]).includes(found.lang ?? '') ? (found.lang as PrinterLangChoice) : emptyPrinterForm.lang;
  const dpi = (PRINTER_DPIS as readonly number[]).includes(found.dpi ?? 0) ? (found.dpi as number) : emptyPrinterForm.dpi;
  // A PDF queue is for A4 documents, not labels: do not assign it to waybills by default.
  const documents: PrinterDocumentChoice[] = lang === 'pdf' ? ['packing_slip'] : lang === 'escpos' ? ['pick_list', 'packing_slip'] : ['waybill'];
  return { name: found.name.slice(0, 40), uri: found.uri, lang, dpi, documents };
}

/**
 * Per-field messages of a VALIDATION_FAILED answer keyed by the field's own name (the last part of
 * the issue's path), so printers.update's `patch.uri` shows under the address like add's `uri`.
 * A core-side refusal that names its field in details.field (a bad address) counts too. Null when
 * the error is not about fields.
 */
export function formErrorsOf(err: unknown, t?: TFunction): Record<string, string> | null {
  if (!(err instanceof ApiCallError)) return null;
  const details = err.details as { issues?: { path?: unknown; message?: unknown }[]; field?: unknown } | undefined;
  if (err.code === 'VALIDATION_FAILED' && Array.isArray(details?.issues)) {
    const out: Record<string, string> = {};
    for (const issue of details.issues) {
      const path = Array.isArray(issue.path) ? issue.path.filter((p): p is string => typeof p === 'string') : [];
      const field = path[path.length - 1] ?? '';
      if (typeof issue.message === 'string' && !(field in out)) out[field] = issue.message;
    }
    return out;
  }
  if (typeof details?.field === 'string') return { [details.field]: err.message };
  // Two printers may not share a name: the only CONFLICT printers.add/update answers.
  if (err.code === 'CONFLICT') return { name: (t && reasonWords(t, err)) ?? err.message };
  return null;
}
