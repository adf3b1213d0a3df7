// A query from a page: call it once, again whenever db.changed names a table the method declares it
// reads (its `reads` in electron/shared/api/<domain>.ts), and on demand; errors become a toast. Holds
// the last answer only (zustand is for state pages share).
import { useCallback, useEffect, useRef, useState } from 'react';
import { readsOf, type ApiInput, type ApiOutput, type QueryName } from '../../electron/shared/contract.ts';
import { useReportError } from '../app/use-report-error.ts';
import { api } from './client.ts';
import { useDbChanged } from './use-db-changed.ts';

export function useQuery<M extends QueryName>(name: M, input: ApiInput<M>): { data: ApiOutput<M> | null; reload: () => void } {
  const report = useReportError();
  const [data, setData] = useState<ApiOutput<M> | null>(null);
  const key = JSON.stringify(input);
  const latest = useRef(0);
  const reload = useCallback(() => {
    // Answers can arrive out of order when filters change quickly: keep only the newest request's.
    const ticket = ++latest.current;
    api.call(name, JSON.parse(key) as ApiInput<M>).then(
      (value) => {
        if (ticket === latest.current) setData(value);
      },
      (err) => report(err, name),
    );
  }, [name, key, report]);
  useEffect(reload, [reload]);
  useDbChanged(readsOf(name), reload, 500);
  return { data, reload };
}
