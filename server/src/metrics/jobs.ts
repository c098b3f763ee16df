// Pipeline jobs by kind and outcome, with their durations.
import { Counter, Histogram, type Registry } from 'prom-client';

/** done; back in the queue for another attempt; failed for good */
export type JobOutcome = 'done' | 'retry' | 'failed';

export interface JobMetrics {
  total: Counter<'kind' | 'outcome'>;
  duration: Histogram<'kind'>;
}

export const jobMetrics = (registry: Registry): JobMetrics => ({
  total: new Counter({
    name: 'andecha_jobs_total',
    help: 'Pipeline jobs run by this process, by kind and outcome (done, retry, failed)',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  }),
  duration: new Histogram({
    name: 'andecha_job_duration_seconds',
    help: 'How long pipeline jobs ran, by kind, whatever their outcome',
    labelNames: ['kind'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  }),
});

export function recordJob(metrics: JobMetrics, kind: string, outcome: JobOutcome, seconds: number): void {
  metrics.total.inc({ kind, outcome });
  metrics.duration.observe({ kind }, seconds);
}
