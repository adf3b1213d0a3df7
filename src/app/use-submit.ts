// A form's submit: busy while it runs, the last field complaints cleared; a failure that names
// fields goes under them (through the form's own reader of error details), any other failure to a
// toast naming the method.
import { useState } from 'react';
import { useReportError } from './use-report-error.ts';

export type FieldErrors = Record<string, string>;

export function useSubmit(fieldsOf?: (err: unknown) => FieldErrors | null): {
  busy: boolean;
  errors: FieldErrors;
  setErrors: (update: FieldErrors | ((e: FieldErrors) => FieldErrors)) => void;
  run(method: string, work: () => Promise<void>): Promise<void>;
} {
  const report = useReportError();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const run = async (method: string, work: () => Promise<void>) => {
    setBusy(true);
    setErrors({});
    try {
      await work();
    } catch (err) {
      const fields = fieldsOf ? fieldsOf(err) : null;
      if (fields) setErrors(fields);
      else report(err, method);
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, setErrors, run };
}
