// Fedify's message queue on our own database: deliveries and received activities are rows until handled, so a
// restart loses none. Fedify schedules its own retries (exponential backoff) by enqueueing with a delay; a row is
// deleted only after its handler returned, and a claimed row whose process died is claimed again after its lease.
import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from '@fedify/fedify';
import type { Database } from '../db/client.js';

export interface QueueOptions {
  pollMs?: number;
  leaseMs?: number;
  /** messages handled at once: one slow or unreachable inbox must not hold up the others */
  concurrency?: number;
}

export class DatabaseMessageQueue implements MessageQueue {
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private wake: (() => void) | undefined;

  constructor(
    private readonly database: Database,
    options: QueueOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.concurrency = options.concurrency ?? 4;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    const delayMs = options?.delay ? Math.max(0, options.delay.total('millisecond')) : 0;
    for (const message of messages)
      await this.database.raw(
        `insert into federation_queue (message, deliver_at) values ($1::jsonb, now() + $2::float8 * interval '1 millisecond')`,
        [JSON.stringify(message), delayMs],
      );
    if (delayMs === 0) this.wake?.();
  }

  /** The next due message, leased to this process; undefined when none is due. */
  private async claim(): Promise<{ id: string; message: unknown } | undefined> {
    const { rows } = await this.database.raw<{ id: string; message: unknown }>(
      `update federation_queue set locked_until = now() + $1::float8 * interval '1 millisecond'
       where id = (select id from federation_queue
                   where deliver_at <= now() and (locked_until is null or locked_until < now())
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
      const { id, message } = job;
      const run = (async () => {
        try {
          await handler(message);
        } catch {
          // Fedify logs and re-enqueues failed deliveries itself; the row is done either way
        }
        await this.database.raw('delete from federation_queue where id = $1', [id]).catch(() => {});
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
    }
    await Promise.allSettled(running);
  }
}
