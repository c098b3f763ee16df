// A form's submit, as every form here does it: the browser's own submit prevented, `busy` while the action runs,
// and the action's ApiError kept for the form to show (cleared when it is sent again).
import { useState } from 'preact/hooks';
import type { ApiError } from './api';

/** `keepBusy`: the action leaves the page on success (navigates away), so the button stays disabled until it does. */
export function useFormSubmit(action: () => Promise<void>, opts: { keepBusy?: boolean } = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
      if (!opts.keepBusy) setBusy(false);
    } catch (err) {
      setError(err as ApiError);
      setBusy(false);
    }
  }
  return { busy, error, setError, submit };
}
