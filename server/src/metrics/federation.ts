// Federation: deliveries to other instances' inboxes by outcome, activities received by type, and the durable
// federation queue's depth and oldest due message (read from its table at each scrape).
import { Counter, type Registry } from 'prom-client';
import { watchQueue, type QueueStats } from './queue.js';

/** delivered; failed and queued again (Fedify's backoff); failed for good (retries used up) */
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

export interface FederationMetrics {
  deliveries: Counter<'outcome'>;
  received: Counter<'type'>;
}

export function federationMetrics(registry: Registry, readQueue: () => Promise<QueueStats>): FederationMetrics {
  watchQueue(registry, readQueue, {
    depth: 'andecha_federation_queue_depth',
    depthHelp: 'Deliveries and received activities waiting in the federation queue (due, or backing off)',
    oldest: 'andecha_federation_queue_oldest_age_seconds',
    oldestHelp: 'How long the longest-waiting due federation message has been waiting',
  });
  return {
    deliveries: new Counter({
      name: 'andecha_federation_deliveries_total',
      help: 'Activities sent to other instances’ inboxes, by outcome (delivered, retry, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    received: new Counter({
      name: 'andecha_federation_received_activities_total',
      help: 'Signed activities received from other instances and handled, by type (Follow, Create, Update…)',
      labelNames: ['type'],
      registers: [registry],
    }),
  };
}
