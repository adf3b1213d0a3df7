// One labelled form field with its validation message underneath (from the API's VALIDATION_FAILED).
import type { ReactNode } from 'react';

export function FormField({ label, error, hint, name, children }: { label: string; error?: string | undefined; hint?: string; name: string; children: ReactNode }) {
  return (
    <label className={`form-field${error ? ' has-error' : ''}`} data-testid={`field-${name}`}>
      <span className="form-field-label">{label}</span>
      {children}
      {error ? (
        <span className="form-field-error" role="alert" data-testid={`field-error-${name}`}>
          {error}
        </span>
      ) : (
        hint && <span className="form-field-hint muted small">{hint}</span>
      )}
    </label>
  );
}
