// Fedify's message queue on our own database: deliveries and received activities are rows until handled, so a
// restart loses none. Fedify schedules its own retries (exponential backoff) by enqueueing with a delay; a row is
// deleted only after its handler returned, and a claimed row whose process died is claimed again after its lease.
// A delivery's retry carries the reason its attempt failed (outbox.ts lists them); one whose retries ran out stays,
// marked failed, until an admin tries it again.
import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from '@fedify/fedify';
import type { Database } from '../db/client.js';
import type { DeliveryOutcome } from '../metrics/federation.js';

export interface QueueOptions {
  pollMs?: number;
  leaseMs?: number;
  /** messages handled at once: one slow or unreachable inbox must not hold up the others */
  concurrency?: number;
  /** a delivery to another instance's inbox ended (metrics) */
  onDelivery?: (outcome: DeliveryOutcome) => void;
  /** a received activity was handled (metrics); `from` is the host of its actor */
  onReceived?: (type: string, from: string | undefined) => void;
  /** a delivery to `host` succeeded after at least one failed attempt: the host is reachable again */
  onReconnected?: (host: string) => void;
}

/** The parts of Fedify's queued messages read here: outbox deliveries and received (inbox) activities. */
interface QueuedMessage {
  type?: string;
  activityId?: string;
  inbox?: string;
  attempt?: number;
  activity?: { type?: unknown; actor?: unknown };
}

const deliveryKey = (m: QueuedMessage) => `${m.activityId} ${m.inbox}`;

interface Sending {
  outcome: DeliveryOutcome;
  error?: string;
}

/** What a failed attempt says, in one line: Fedify's message and the network's reason under it (ECONNREFUSED…). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const under = cause?.code ?? cause?.message;
  const first = error.message.split('\n')[0];
  return (under && !first.includes(under) ? `${first} (${under})` : first).slice(0, 500);
}

const hostOf = (url: unknown): string | undefined => {
  try {
    return typeof url === 'string' ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
};

export class DatabaseMessageQueue implements MessageQueue {
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private wake: (() => void) | undefined;
  // deliveries being sent now: Fedify queues a failed one again (a retry) or, out of attempts, only reports it
  // (deliveryFailed); what happened to each is read when its handler returns
  private readonly sending = new Map<string, Sending>();

  constructor(
    private readonly database: Database,
    private readonly queueOptions: QueueOptions = {},
  ) {
    const options = queueOptions;
    this.pollMs = options.pollMs ?? 500;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.concurrency = options.concurrency ?? 4;
  }

  /** Fedify's onOutboxError: the activity could not be sent (it may be queued again: see enqueueMany). */
  deliveryFailed(activityId: string | undefined, error: unknown): void {
    for (const [key, sending] of this.sending)
      if (key.startsWith(`${activityId} `) && sending.outcome === 'delivered')
        this.sending.set(key, { outcome: 'failed', error: reasonOf(error) });
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    const delayMs = options?.delay ? Math.max(0, options.delay.total('millisecond')) : 0;
    for (const message of messages as QueuedMessage[]) {
      // a retry of a delivery being sent now: the reason its attempt failed goes with it
      const sending = message.type === 'outbox' ? this.sending.get(deliveryKey(message)) : undefined;
      if (sending) sending.outcome = 'retry';
      await this.database.raw(
        `insert into federation_queue (message, deliver_at, last_error, attempted_at)
         values ($1::jsonb, now() + $2::float8 * interval '1 millisecond', $3, case when $3::text is null then null else now() end)`,
        [JSON.stringify(message), delayMs, sending?.error ?? null],
      );
    }
    if (delayMs === 0) this.wake?.();
  }

  /** The next due message, leased to this process; undefined when none is due. */
  private async claim(): Promise<{ id: string; message: unknown } | undefined> {
    const { rows } = await this.database.raw<{ id: string; message: unknown }>(
      `update federation_queue set locked_until = now() + $1::float8 * interval '1 millisecond'
       where id = (select id from federation_queue
                   where deliver_at <= now() and failed_at is null
                     and (locked_until is null or locked_until < now())
                   order by deliver_at, id limit 1 for update skip locked)
       returning id, message`,
      [this.leaseMs],
    );
    return rows[0];
  }

  async listen(handler: (message: unknown) => Promise<void> | void, options?: MessageQueueListenOptions) {
    const signal = options?.signal;
    const running = new Set<Promise<void>>();
    while (!signal?.aborted) {
      let job: { id: string; message: unknown } | undefined;
      try {
        job = running.size < this.concurrency ? await this.claim() : undefined;
      } catch {
        job = undefined; // the database is down or closing: try again after a pause
      }
      if (!job) {
        await new Promise<void>((resolve) => {
          // one listener per pause, removed when the pause ends: the queue idles for days, polling every pollMs
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, this.pollMs);
          this.wake = done;
          signal?.addEventListener('abort', done, { once: true });
          // a finished handler frees a slot
          if (running.size) Promise.race(running).then(() => this.wake?.());
        });
        this.wake = undefined;
        continue;
      }
      const { id } = job;
      const message = job.message as QueuedMessage;
      const run = (async () => {
        const delivery = message.type === 'outbox' ? deliveryKey(message) : undefined;
        if (delivery) this.sending.set(delivery, { outcome: 'delivered' });
        try {
          await handler(message);
          if (message.type === 'inbox' && typeof message.activity?.type === 'string')
            this.queueOptions.onReceived?.(message.activity.type, hostOf(message.activity.actor));
        } catch {
          // Fedify logs and re-enqueues failed deliveries itself; the row is done either way
        }
        const sent = delivery ? (this.sending.get(delivery) ?? { outcome: 'delivered' }) : undefined;
        if (delivery && sent) {
          this.queueOptions.onDelivery?.(sent.outcome);
          this.sending.delete(delivery);
          const host = hostOf(message.inbox);
          if (sent.outcome === 'delivered' && (message.attempt ?? 0) > 0 && host)
            this.queueOptions.onReconnected?.(host);
        }
        // out of retries: the row stays, failed, for the outbox to show and an admin to retry
        await (
          sent?.outcome === 'failed'
            ? this.database.raw(
                `update federation_queue set failed_at = now(), attempted_at = now(), last_error = $2, locked_until = null
               where id = $1`,
                [id, sent.error ?? null],
              )
            : this.database.raw('delete from federation_queue where id = $1', [id])
        ).catch(() => {});
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
    }
    await Promise.allSettled(running);
  }
}

/** Messages waiting (due or backing off) and how long the oldest due one has waited, for the metrics. */
export async function federationQueueStats(database: Database): Promise<{ depth: number; oldestAgeSeconds: number }> {
  const { rows } = await database.raw<{ depth: number | string; oldest: number | string | null }>(
    `select count(*)::int as depth,
       extract(epoch from now() - min(deliver_at) filter (where deliver_at <= now()))::float8 as oldest
     from federation_queue where failed_at is null`,
  );
  return { depth: Number(rows[0].depth), oldestAgeSeconds: Math.max(0, Number(rows[0].oldest ?? 0)) };
}
