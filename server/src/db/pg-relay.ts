// The event bus across processes on PostgreSQL: NOTIFY on one channel, LISTEN on a connection of our own
// (a pooled one would be handed to queries). Each process tags what it sends and ignores its own echo.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { BusMessage, Relay } from '../events.js';

const CHANNEL = 'andecha_events';
const RECONNECT_MS = 1000;

/** Ends a LISTEN connection we are done with; its own end or error must not count as a loss to reconnect from. */
function discard(c: pg.Client): Promise<void> {
  c.removeAllListeners();
  c.on('error', () => {});
  return c.end().catch(() => {});
}

export function pgRelay(url: string, notify: (channel: string, payload: string) => Promise<unknown>): Relay {
  const origin = randomUUID();
  const pending = new Set<Promise<unknown>>();
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  async function connect(onMessage: (m: BusMessage) => void, onGap: () => void, first: boolean): Promise<void> {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    const retry = () => {
      void discard(c);
      if (client === c) client = undefined;
      if (closed || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        connect(onMessage, onGap, false).catch(retry);
      }, RECONNECT_MS);
      timer.unref();
    };
    c.on('error', retry);
    c.on('end', retry);
    c.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      try {
        const { o, m } = JSON.parse(n.payload) as { o: string; m: BusMessage };
        if (o !== origin) onMessage(m);
      } catch {
        /* not one of ours */
      }
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      if (first) {
        await discard(c);
        throw err;
      }
      retry();
      return;
    }
    if (closed) {
      await discard(c);
      return;
    }
    client = c;
    // while we were away others may have changed things we hold derived copies of
    if (!first) onGap();
  }

  return {
    listen: (onMessage, onGap) => connect(onMessage, onGap, true),
    send(message) {
      const p = notify(CHANNEL, JSON.stringify({ o: origin, m: message })).catch(() => {
        /* the database is down: nobody to tell */
      });
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      // what we said last (an admin command's "changed") still reaches the others
      await Promise.all(pending);
      const c = client;
      client = undefined;
      if (c) await discard(c);
    },
  };
}
