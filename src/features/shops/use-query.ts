// A query of the Shops page: call once, again whenever db.changed names a table it reads, and on
// demand; errors become a toast. Holds the last answer only (zustand is for state the page shares).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiInput, ApiOutput, MethodName } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useDbChanged } from '../../api/use-db-changed.ts';
import { useReportError } from '../../app/use-report-error.ts';

export function useQuery<M extends MethodName>(name: M, input: ApiInput<M>, tables: readonly string[]): { data: ApiOutput<M> | null; reload: () => void } {
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
  useDbChanged(tables, reload, 500);
  return { data, reload };
}
