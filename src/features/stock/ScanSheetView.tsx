// The receiving (入库) and counting (盘点) screens: choose a warehouse, scan (a keyboard-wedge
// scanner types the code and Enter into the scan box, which keeps the focus) or type a barcode or
// 商家编码; the SKU's line appears or grows by one; quantities can be typed. Unknown codes are listed
// in red with a buzz. Submitting sends each line once (request ids from the sheet, scan-sheet.ts):
// stock.receive adds the quantity, stock.count records the counted figure and the ledger the
// difference; each line then shows on hand before and after.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiCallError } from '../../api/api-error.ts';
import { api } from '../../api/client.ts';
import { describeApiError } from '../../api/error-words.ts';
import { useQuery } from '../../api/use-query.ts';
import { useNav } from '../../app/nav-store.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { beep } from '../packing/beep.ts';
import { addScan, addUnknown, dismissUnknown, markDone, markError, pending, removeLine, requestIdOf, setQuantity, type SheetMode } from './scan-sheet.ts';
import { useScanSheets } from './scan-sheet-store.ts';

/** SKUs found before, by the code scanned: a second scan of the same barcode needs no call. Codes
 * found nothing are asked again (the SKU may have been added since). */
const resolved = new Map<string, { code: string; title: string; spec: string }>();

export function ReceiveView() {
  return <ScanSheetView mode="receive" />;
}

export function CountView() {
  return <ScanSheetView mode="count" />;
}

function ScanSheetView({ mode }: { mode: SheetMode }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const openStock = useNav((s) => s.openStock);
  const state = useScanSheets((s) => s.sheets[mode]);
  const update = useScanSheets((s) => s.update);
  const reset = useScanSheets((s) => s.reset);
  const canSubmit = useCan(mode === 'receive' ? 'stock.receive' : 'stock.count');
  const { data: warehouses } = useQuery('warehouses.list', {});
  const inputRef = useRef<HTMLInputElement>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const [flash, setFlash] = useState<{ n: number; tone: 'ok' | 'error' } | null>(null);
  const { sheet, warehouse, reference, busy } = state;
  const locked = sheet.lines.some((l) => l.done);
  const todo = pending(sheet, mode);

  // One warehouse: chosen for the person.
  useEffect(() => {
    if (!warehouse && warehouses?.length === 1) update(mode, { warehouse: warehouses[0]!.code });
  }, [warehouse, warehouses, mode, update]);
  useEffect(() => inputRef.current?.focus(), []);
  // A scanner types wherever the focus is: a key pressed while nothing that takes typing has the
  // focus (after a click on a button or the page) goes to the scan box instead of being lost.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = document.activeElement;
      if (e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1) return;
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return;
      if (document.querySelector('[role=dialog]')) return;
      inputRef.current?.focus();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const signal = useCallback((tone: 'ok' | 'error') => {
    beep(tone);
    setFlash((f) => ({ n: (f?.n ?? 0) + 1, tone }));
  }, []);

  // Scans are handled in the order they were read, so quick repeated scans all count.
  const onScan = (code: string) => {
    queue.current = queue.current.then(async () => {
      let sku = resolved.get(code);
      if (sku === undefined) {
        try {
          const { sku: found } = await api.call('skus.scan', { code });
          sku = found ? { code: found.code, title: found.title, spec: found.spec } : undefined;
          if (sku) resolved.set(code, sku);
        } catch (err) {
          signal('error');
          toast({ kind: 'error', ...describeApiError(t, toApiCallError('skus.scan', err)) });
          update(mode, (s) => ({ sheet: addUnknown(s.sheet, code) }));
          return;
        }
      }
      if (sku) {
        const known = sku;
        update(mode, (s) => ({ sheet: addScan(s.sheet, known) }));
        signal('ok');
      } else {
        update(mode, (s) => ({ sheet: addUnknown(s.sheet, code) }));
        signal('error');
      }
    });
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const code = e.currentTarget.value.trim();
    e.currentTarget.value = '';
    if (code) onScan(code);
  };

  const submit = async () => {
    if (!warehouse || busy) return;
    update(mode, { busy: true });
    let failed = 0;
    try {
      await queue.current;
      const { sheet: now } = useScanSheets.getState().sheets[mode];
      for (const line of pending(now, mode)) {
        const requestId = requestIdOf(now, mode, line.sku);
        const ref = reference.trim() === '' ? {} : { reference: reference.trim() };
        try {
          const r =
            mode === 'receive'
              ? await api.call('stock.receive', { sku: line.sku, warehouse, quantity: line.quantity, requestId, ...ref })
              : await api.call('stock.count', { sku: line.sku, warehouse, counted: line.quantity, requestId, ...ref });
          const m = r.movements[0];
          // A count that matched on hand writes nothing: before and after are the counted figure.
          const done = m ? { before: m.balance - m.delta, after: m.balance, delta: m.delta, repeated: !r.created } : { before: line.quantity, after: line.quantity, delta: 0, repeated: !r.created };
          update(mode, (s) => ({ sheet: markDone(s.sheet, line.sku, done) }));
        } catch (err) {
          failed++;
          update(mode, (s) => ({ sheet: markError(s.sheet, line.sku, describeApiError(t, toApiCallError(`stock.${mode}`, err)).text) }));
        }
      }
    } finally {
      update(mode, { busy: false });
    }
    if (failed === 0) toast({ kind: 'success', text: t(mode === 'receive' ? 'stock.receivedAll' : 'stock.countedAll') });
    else signal('error');
    inputRef.current?.focus();
  };

  const total = sheet.lines.reduce((n, l) => n + l.quantity, 0);
  return (
    <div className="stock-view stock-sheet" data-testid={`${mode}-view`}>
      {flash && <div key={flash.n} className={`packing-flash packing-flash-${flash.tone} stock-flash`} data-testid="sheet-flash" data-tone={flash.tone} aria-hidden="true" />}
      <div className="stock-toolbar">
        <select aria-label={t('stock.colWarehouse')} data-testid="sheet-warehouse" value={warehouse} disabled={locked || busy} onChange={(e) => (update(mode, { warehouse: e.target.value }), inputRef.current?.focus())}>
          <option value="">{t('stock.chooseWarehouse')}</option>
          {warehouses?.map((w) => (
            <option key={w.code} value={w.code}>
              {w.name} ({w.code})
            </option>
          ))}
        </select>
        <input
          data-testid="sheet-reference"
          className="stock-reference"
          placeholder={t(mode === 'receive' ? 'stock.deliveryNote' : 'stock.countSheet')}
          aria-label={t(mode === 'receive' ? 'stock.deliveryNote' : 'stock.countSheet')}
          value={reference}
          maxLength={100}
          disabled={locked || busy}
          onChange={(e) => update(mode, { reference: e.target.value })}
          onKeyDown={(e) => e.key === 'Enter' && inputRef.current?.focus()}
        />
        <span className="fill" />
        <span className="muted" data-testid="sheet-total">
          {t('stock.sheetTotal', { lines: sheet.lines.length, units: total })}
        </span>
        <button type="button" data-testid="sheet-new" disabled={busy} onClick={() => (resolved.clear(), reset(mode), inputRef.current?.focus())}>
          {t('stock.newSheet')}
        </button>
        {canSubmit && (
          <button type="button" className="primary" data-testid="sheet-submit" disabled={busy || !warehouse || todo.length === 0} onClick={() => void submit()}>
            {t(mode === 'receive' ? 'stock.submitReceive' : 'stock.submitCount', { count: todo.length })}
          </button>
        )}
      </div>
      <div className="stock-scanbar">
        <label htmlFor={`scan-${mode}`}>{t(mode === 'receive' ? 'stock.scanReceiveHint' : 'stock.scanCountHint')}</label>
        <input id={`scan-${mode}`} ref={inputRef} className="stock-scan-input" data-testid="sheet-scan" autoComplete="off" spellCheck={false} onKeyDown={onKeyDown} />
        {!warehouse && <span className="warn">{t('stock.warehouseFirst')}</span>}
      </div>
      {sheet.unknown.length > 0 && (
        <div className="stock-unknown" role="alert" data-testid="sheet-unknown">
          <strong>{t('stock.unknownCodes')}</strong>
          {sheet.unknown.map((u) => (
            <span key={u.code} className="stock-unknown-code" data-testid="unknown-code" data-code={u.code}>
              <span className="mono">{u.code}</span>
              {u.times > 1 && ` ×${u.times}`}
              <button type="button" className="stock-chip-x" aria-label={t('stock.dismiss')} onClick={() => update(mode, (s) => ({ sheet: dismissUnknown(s.sheet, u.code) }))}>
                ×
              </button>
            </span>
          ))}
        </div>
      )}
      <div className="shops-table-wrap">
        <table className="shops-table" data-testid="sheet-lines">
          <thead>
            <tr>
              <th>{t('stock.colSku')}</th>
              <th>{t('stock.colTitle')}</th>
              <th>{t('stock.colSpec')}</th>
              <th className="right">{t(mode === 'receive' ? 'stock.quantity' : 'stock.counted')}</th>
              <th className="right">{t('stock.before')}</th>
              <th className="right">{t('stock.after')}</th>
              <th>{t('stock.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sheet.lines.length === 0 && (
              <tr>
                <td colSpan={8} className="muted">
                  {t('stock.sheetEmpty')}
                </td>
              </tr>
            )}
            {sheet.lines.map((l) => (
              <tr key={l.sku} data-testid="sheet-line" data-sku={l.sku} data-quantity={l.quantity} data-done={l.done ? 'yes' : 'no'} className={sheet.last === l.sku ? 'stock-last' : undefined}>
                <td>
                  <button type="button" className="stock-link mono" onClick={() => openStock('sku', l.sku)}>
                    {l.sku}
                  </button>
                </td>
                <td>{l.title}</td>
                <td>{l.spec}</td>
                <td className="right">
                  <input
                    type="number"
                    className="stock-qty"
                    data-testid="line-quantity"
                    min={0}
                    max={100000000}
                    value={l.quantity}
                    disabled={l.done !== null || busy}
                    aria-label={t('stock.quantity')}
                    onChange={(e) => {
                      const n = Math.max(0, Math.floor(Number(e.target.value)));
                      if (Number.isFinite(n)) update(mode, (s) => ({ sheet: setQuantity(s.sheet, l.sku, n) }));
                    }}
                    onKeyDown={(e) => e.key === 'Enter' && inputRef.current?.focus()}
                  />
                </td>
                <td className="right" data-testid="line-before">
                  {l.done ? l.done.before : ''}
                </td>
                <td className="right" data-testid="line-after">
                  {l.done ? l.done.after : ''}
                </td>
                <td className="small">
                  {l.done && (
                    <span className="stock-ok" data-testid="line-done">
                      ✓ {l.done.delta > 0 ? `+${l.done.delta}` : l.done.delta}
                      {l.done.repeated && ` ${t('stock.alreadyRecorded')}`}
                    </span>
                  )}
                  {l.error && (
                    <span className="warn" data-testid="line-error">
                      {l.error}
                    </span>
                  )}
                </td>
                <td>
                  {!l.done && (
                    <button type="button" className="small" data-testid="line-remove" disabled={busy} onClick={() => update(mode, (s) => ({ sheet: removeLine(s.sheet, l.sku) }))}>
                      {t('stock.remove')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
