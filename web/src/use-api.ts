// Data loading for pages: one hook that fetches a path and reports loading / ok / missing (404) / error.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api';
import { t } from './i18n';

export type Loaded<T> =
  | { status: 'idle' }
  | { status: 'loading'; data?: T }
  | { status: 'ok'; data: T }
  | { status: 'missing' }
  | { status: 'error'; error: ApiError };

/** Fetches `path` (null = nothing to fetch yet); keeps the previous data while reloading so views don't flicker. */
export function useApi<T>(path: string | null): Loaded<T> & { reload: () => void } {
  const [state, setState] = useState<Loaded<T>>(path ? { status: 'loading' } : { status: 'idle' });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  useEffect(() => {
    if (!path) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ status: 'loading', data: previous.status === 'ok' ? previous.data : undefined }));
    api
      .get<T>(path, controller.signal)
      .then((data) => setState({ status: 'ok', data }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 405 || error.status === 501))
          setState({ status: 'missing' });
        else if (error instanceof ApiError) setState({ status: 'error', error });
        else
          setState({
            status: 'error',
            error: new ApiError({
              title: t('useApi.somethingWrong'),
              status: 0,
              detail: String((error as Error)?.message ?? error),
            }),
          });
      });
    return () => controller.abort();
  }, [path, generation]);

  return { ...state, reload } as Loaded<T> & { reload: () => void };
}

export function dataOf<T>(state: Loaded<T>): T | undefined {
  return state.status === 'ok' || state.status === 'loading' ? state.data : undefined;
}
