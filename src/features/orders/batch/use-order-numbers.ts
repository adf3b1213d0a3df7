// Platform order numbers for order ids the print dialog names (problems, merge groups, failures):
// people recognise 订单号, not internal ids. Asks orders.get for at most MAX of them.
import { useEffect, useState } from 'react';
import { api } from '../../../api/client.ts';

const MAX = 60;

export function useOrderNumbers(ids: readonly string[]): Record<string, string> {
  const [numbers, setNumbers] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].slice(0, MAX).join(',');
  useEffect(() => {
    let live = true;
    for (const id of key ? key.split(',') : []) {
      api.call('orders.get', { id }).then(
        (o) => live && setNumbers((n) => (n[id] ? n : { ...n, [id]: o.platformOrderId })),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [key]);
  return numbers;
}
