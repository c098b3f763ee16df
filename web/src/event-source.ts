// Opens /api/events as the signed-in person: EventSource cannot send an Authorization header, so the stream is
// opened with a short-lived ticket (POST /api/events/tickets) and reopened with a fresh one when the server
// refuses an expired ticket on a reconnect. Without a session it is the anonymous stream.
import { apiRequest } from './api';
import type { EventTicket } from './api-types';
import { readToken } from './session';

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
  const open = async () => {
    const url = await eventsUrl(query);
    if (closed) return;
    source = new EventSource(url);
    attach(source);
    source.addEventListener('error', () => {
      // CLOSED: the browser gave up (a refused ticket answers 401); a network blip reconnects on its own
      if (source?.readyState === EventSource.CLOSED && !closed) timer = setTimeout(() => void open(), reopenMs);
    });
  };
  void open();
  return () => {
    closed = true;
    clearTimeout(timer);
    source?.close();
  };
}
