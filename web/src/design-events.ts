// Live pipeline progress: Server-Sent Events from /api/events — one design's (the design page, with polling as a
// fallback) or many designs' over one shared stream (the explore page's cards).
import { useEffect, useRef } from 'preact/hooks';
import { openEvents } from './event-source';

// The server may name its events; listen to the likely names as well as unnamed `message` events.
const eventNames = ['message', 'progress', 'file', 'version', 'job', 'pipeline', 'state', 'photo', 'done'];

/**
 * Calls `onChange` (debounced) whenever the pipeline reports something for `owner/slug`, and every
 * `pollMs` while `active` in case the event stream is unavailable. Events are not trusted for state:
 * the caller re-fetches the version document.
 */
export function useDesignEvents(
  design: string | null,
  active: boolean,
  onChange: (payload?: unknown) => void,
  pollMs = 3000,
): void {
  const callback = useRef(onChange);
  callback.current = onChange;

  useEffect(() => {
    if (!design || !active || typeof EventSource === 'undefined') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
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
    const close = openEvents({ design }, (source) => {
      for (const name of eventNames) source.addEventListener(name, handle as EventListener);
    });
    return () => {
      clearTimeout(timer);
      close();
    };
  }, [design, active]);

  useEffect(() => {
    if (!design || !active) return;
    const interval = setInterval(() => callback.current(), pollMs);
    return () => clearInterval(interval);
  }, [design, active, pollMs]);
}

/** What the server says on the stream (server/src/events.ts); only `design` is relied on. */
export type PipelineEventPayload = {
  type?: string;
  design?: string;
  version?: string;
  path?: string;
  state?: string;
  kind?: string;
};

type Listener = (event: PipelineEventPayload) => void;

// One stream for every card of a page: a browser allows ~6 connections per host over HTTP/1.1, and 24 cards each
// holding an EventSource would starve the page's other requests.
const listeners = new Map<string, Set<Listener>>();
let closeShared: (() => void) | null = null;

function openSharedStream(): void {
  const deliver = (event: MessageEvent) => {
    let payload: PipelineEventPayload;
    try {
      payload = JSON.parse(event.data as string) as PipelineEventPayload;
    } catch {
      return;
    }
    if (payload.design) listeners.get(payload.design)?.forEach((listener) => listener(payload));
  };
  closeShared = openEvents({}, (shared) => {
    for (const name of eventNames) shared.addEventListener(name, deliver as EventListener);
    // the stream (re)connected: whatever happened while it was down was missed, so every listener looks again
    shared.addEventListener('hello', () =>
      listeners.forEach((set, design) => set.forEach((listener) => listener({ type: 'hello', design }))),
    );
  });
}

function subscribe(design: string, listener: Listener): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  if (!listeners.has(design)) listeners.set(design, new Set());
  listeners.get(design)!.add(listener);
  if (!closeShared) openSharedStream();
  return () => {
    const set = listeners.get(design);
    set?.delete(listener);
    if (set?.size === 0) listeners.delete(design);
    if (listeners.size === 0) {
      closeShared?.();
      closeShared = null;
    }
  };
}

/**
 * Calls `onEvent` for each pipeline event about `owner/slug` while `active`, through the page's one shared stream,
 * and once more whenever the stream (re)connects (events may have been missed).
 */
export function usePipelineEvents(design: string, active: boolean, onEvent: Listener): void {
  const callback = useRef(onEvent);
  callback.current = onEvent;
  useEffect(() => (active ? subscribe(design, (event) => callback.current(event)) : undefined), [design, active]);
}
