// 发现打印机: what printers.discover found on this machine (CUPS queues, USB device files); a found
// printer not yet added opens the add form pre-filled.
import { useTranslation } from 'react-i18next';
import type { DiscoveredPrinter } from '../../../electron/shared/contract.ts';

export function DiscoverPanel({ found, canAdd, onUse, onClose }: { found: DiscoveredPrinter[]; canAdd: boolean; onUse(d: DiscoveredPrinter): void; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <section className="discover-panel" data-testid="discover-panel">
      <header className="discover-head">
        <span className="strong">{t('printers.discoverTitle')}</span>
        <button type="button" className="link" onClick={onClose}>
          {t('common.close')}
        </button>
      </header>
      {found.length === 0 ? (
        <div className="muted small" data-testid="discover-none">
          {t('printers.discoverNone')}
        </div>
      ) : (
        <ul className="plain-list">
          {found.map((d) => (
            <li key={d.uri} className="discover-item" data-testid="discover-item" data-uri={d.uri}>
              <span className="strong">{d.name}</span>
              <span className="mono">{d.uri}</span>
              <span className="muted small">{d.detail}</span>
              {d.printerId ? (
                <span className="muted small">{t('printers.discoverKnown')}</span>
              ) : (
                canAdd && (
                  <button type="button" data-testid="discover-use" onClick={() => onUse(d)}>
                    {t('printers.discoverUse')}
                  </button>
                )
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
