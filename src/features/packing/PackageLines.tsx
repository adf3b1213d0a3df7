// The order's lines on the 验货 bench: what goes in the parcel, the codes that match it, where it is
// stored, and expected vs scanned counts in large type; done lines turn green, the last scan is marked.
import { useTranslation } from 'react-i18next';
import type { PackingScan } from '../../../electron/shared/contract.ts';
import { usePacking } from './packing-store.ts';

export function PackageLines({ scan }: { scan: PackingScan }) {
  const { t } = useTranslation();
  const last = usePacking((s) => s.lastLineNo);
  return (
    <table className="packing-lines">
      <thead>
        <tr>
          <th>{t('packing.colTitle')}</th>
          <th>{t('packing.colCodes')}</th>
          <th>{t('packing.colLocation')}</th>
          <th className="num">{t('packing.colScanned')}</th>
          <th className="num">{t('packing.colExpected')}</th>
        </tr>
      </thead>
      <tbody>
        {scan.lines.map((l) => {
          const done = l.scanned >= l.expected;
          return (
            <tr
              key={l.lineNo}
              className={`${done ? 'done' : ''}${last === l.lineNo ? ' last' : ''}`}
              data-testid={`packing-line-${l.lineNo}`}
              data-scanned={l.scanned}
              data-expected={l.expected}
            >
              <td>
                <div className="packing-line-title">
                  {l.title}
                  {l.isGift && <span className="packing-tag">{t('packing.gift')}</span>}
                  {l.isBundle && <span className="packing-tag">{t('packing.bundle')}</span>}
                </div>
                {l.skuName && <div className="packing-line-sku">{l.skuName}</div>}
              </td>
              <td className="packing-codes">
                {l.barcode && <div>{l.barcode}</div>}
                {l.outerSkuCode && <div>{l.outerSkuCode}</div>}
              </td>
              <td>{l.location ?? ''}</td>
              <td className="num packing-count">{l.scanned}</td>
              <td className="num packing-count">{l.expected}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
