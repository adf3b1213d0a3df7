// The live preview: asks labels.preview for the label as the printer gets it, debounced while the
// person types, keeping the last good image until the next one arrives (no flicker).
import { useEffect, useRef, useState } from 'react';
import type { ApiInput, LabelPreview } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';

const DEBOUNCE_MS = 250;

export function useLabelPreview(input: ApiInput<'labels.preview'> | null): { preview: LabelPreview | null; loading: boolean; error: unknown } {
  const [preview, setPreview] = useState<LabelPreview | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = input === null ? null : JSON.stringify(input);
  const latest = useRef(0);
  useEffect(() => {
    if (key === null) return;
    const ticket = ++latest.current;
    setLoading(true);
    const timer = setTimeout(() => {
      api.call('labels.preview', JSON.parse(key) as ApiInput<'labels.preview'>).then(
        (value) => {
          // Only the newest request's answer is shown; older ones may arrive later.
          if (ticket !== latest.current) return;
          setPreview(value);
          setError(null);
          setLoading(false);
        },
        (err: unknown) => {
          if (ticket !== latest.current) return;
          setError(err);
          setLoading(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  return { preview, loading, error };
}
