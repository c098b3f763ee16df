// The metrics of one process: a prom-client registry with every metric named `andecha_…`, and its text form.
import { Registry, collectDefaultMetrics } from 'prom-client';
import { httpMetrics, type HttpMetrics } from './http.js';
import { jobMetrics, type JobMetrics } from './jobs.js';
import { blobMetrics, type BlobMetrics } from './blob-store.js';

export interface Metrics {
  registry: Registry;
  http: HttpMetrics;
  jobs: JobMetrics;
  blobs: BlobMetrics;
}

/** A registry of its own per runtime (not prom-client's global one): tests open several apps in one process. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  // memory, CPU, handles, GC and event-loop lag (andecha_nodejs_eventloop_lag_seconds…)
  collectDefaultMetrics({ register: registry, prefix: 'andecha_' });
  return { registry, http: httpMetrics(registry), jobs: jobMetrics(registry), blobs: blobMetrics(registry) };
}

/** The Prometheus text exposition of every metric, and its content type. */
export async function exposition(metrics: Metrics): Promise<{ body: string; contentType: string }> {
  return { body: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
}
