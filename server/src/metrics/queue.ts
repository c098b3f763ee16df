// The job queue's depth and the age of its oldest due job, read from the job table at each scrape.
import { Gauge, type Registry } from 'prom-client';

export interface QueueStats {
  /** jobs waiting in the queue, due or backing off before a retry */
  depth: number;
  /** how long the longest-waiting due job has been due; 0 with none */
  oldestAgeSeconds: number;
}

/** The two gauges' names and help texts: the pipeline's job queue by default, the federation queue too. */
export interface QueueGaugeNames {
  depth: string;
  depthHelp: string;
  oldest: string;
  oldestHelp: string;
}

const jobQueueNames: QueueGaugeNames = {
  depth: 'andecha_queue_depth',
  depthHelp: 'Pipeline jobs waiting in the queue (due, or backing off before a retry)',
  oldest: 'andecha_queue_oldest_age_seconds',
  oldestHelp: 'How long the longest-waiting due job has been waiting to be claimed',
};

/**
 * Registers the two queue gauges over `read`. Both are collected in the same scrape, so they share one read;
 * when the database does not answer they report NaN (no value) rather than failing the whole scrape.
 */
export function watchQueue(
  registry: Registry,
  read: () => Promise<QueueStats>,
  names: QueueGaugeNames = jobQueueNames,
): void {
  let pending: Promise<QueueStats | undefined> | undefined;
  const stats = () =>
    (pending ??= read()
      .catch(() => undefined)
      .finally(() => {
        pending = undefined;
      }));
  new Gauge({
    name: names.depth,
    help: names.depthHelp,
    registers: [registry],
    async collect() {
      this.set((await stats())?.depth ?? NaN);
    },
  });
  new Gauge({
    name: names.oldest,
    help: names.oldestHelp,
    registers: [registry],
    async collect() {
      this.set((await stats())?.oldestAgeSeconds ?? NaN);
    },
  });
}
