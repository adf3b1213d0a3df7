// Loads one order's detail for the drawer and reloads it when its tables change.
import { useCallback, useEffect, useState } from 'react';
import type { OrderDetail } from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { ORDER_TABLES, useDbChanged } from '../../../api/use-db-changed.ts';
import { useReportError } from '../../../app/use-report-error.ts';

export function useOrderDetail(id: string | null): { detail: OrderDetail | null; reload(): void } {
  const report = useReportError();
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!id) {
      setDetail(null);
      return;
    }
    let live = true;
    api.call('orders.get', { id }).then(
      (d) => live && setDetail(d),
      (e) => live && report(e, 'orders.get'),
    );
    return () => {
      live = false;
    };
  }, [id, tick, report]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useDbChanged(ORDER_TABLES, reload, 200);
  return { detail: detail && detail.id === id ? detail : null, reload };
}
