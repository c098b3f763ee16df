// Live pipeline progress of one design: Server-Sent Events from /api/events, with polling as a fallback.
import { useEffect, useRef } from 'preact/hooks';

// The server may name its events; listen to the likely names as well as unnamed `message` events.
const eventNames = ['message', 'progress', 'file', 'version', 'job', 'pipeline', 'state', 'photo', 'done'];

/**
 * Calls `onChange` (debounced) whenever the pipeline reports something for `owner/slug`, and every
 * `pollMs` while `active` in case the event stream is unavailable. Events are not trusted for state:
 * the caller re-fetches the version document.
 */
export function useDesignEvents(design: string | null, active: boolean, onChange: (payload?: unknown) => void, pollMs = 3000): void {
  const callback = useRef(onChange);
  callback.current = onChange;

  useEffect(() => {
    if (!design || !active || typeof EventSource === 'undefined') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const source = new EventSource(`/api/events?design=${encodeURIComponent(design)}`);
    const handle = (event: MessageEvent) => {
      let payload: unknown = event.data;
      try {
        payload = JSON.parse(event.data as string);
      } catch {
        /* plain-text events are fine: the version document is re-read anyway */
      }
      clearTimeout(timer);
      timer = setTimeout(() => callback.current(payload), 150);
    };
    for (const name of eventNames) source.addEventListener(name, handle as EventListener);
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [design, active]);

  useEffect(() => {
    if (!design || !active) return;
    const interval = setInterval(() => callback.current(), pollMs);
    return () => clearInterval(interval);
  }, [design, active, pollMs]);
}
