// Opens /api/events as the signed-in person: EventSource cannot send an Authorization header, so the stream is
// opened with a short-lived ticket (POST /api/events/tickets) and reopened with a fresh one when the server
// refuses an expired ticket on a reconnect. Without a session it is the anonymous stream; signing in or out reopens
// it as the new caller (a page opened anonymously then signed in sees its own hidden designs' progress).
import { apiRequest } from './api';
import type { EventTicket } from './api-types';
import { onSessionChange, readToken } from './session';

const reopenMs = 2000;

async function eventsUrl(query: Record<string, string>): Promise<string> {
  const params = new URLSearchParams(query);
  if (readToken()) {
    try {
      const { ticket } = await apiRequest<EventTicket>('/api/events/tickets', { method: 'POST' });
      params.set('ticket', ticket);
    } catch {
      /* no ticket (server down, session ended): the anonymous stream still shows public designs */
    }
  }
  const search = params.toString();
  return search ? `/api/events?${search}` : '/api/events';
}

/**
 * Calls `attach` with each EventSource it opens (the first and every reopening) so listeners can be added;
 * the returned function closes the stream for good.
 */
export function openEvents(query: Record<string, string>, attach: (source: EventSource) => void): () => void {
  let source: EventSource | null = null;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // each opening's number: an older one still fetching its ticket must not open a second stream
  let opening = 0;
  const open = async () => {
    const mine = ++opening;
    const url = await eventsUrl(query);
    if (closed || mine !== opening) return;
    const current = new EventSource(url);
    source = current;
    attach(current);
    current.addEventListener('error', () => {
      // CLOSED: the browser gave up (a refused ticket answers 401); a network blip reconnects on its own
      if (current.readyState === EventSource.CLOSED && source === current && !closed)
        timer = setTimeout(() => void open(), reopenMs);
    });
  };
  const reopen = () => {
    if (closed) return;
    clearTimeout(timer);
    source?.close();
    source = null;
    void open();
  };
  const stopWatching = onSessionChange(reopen);
  void open();
  return () => {
    closed = true;
    stopWatching();
    clearTimeout(timer);
    source?.close();
  };
}
