// What one job kind is: its handler and what a final failure records. Each file in jobs/ exports one, and the
// pipeline hands the worker their handlers by kind.
import type { JobKind } from './job-kinds.js';
import type { Job, JobRow } from './queue.js';
import type { JobContext, JobHandler } from './worker.js';

export interface JobDefinition<K extends JobKind> {
  kind: K;
  handle(job: Job<K>, ctx: JobContext): Promise<Record<string, unknown> | void>;
  /** after the last attempt failed (or a permanent failure): record it where the user looks */
  onFailed?(job: Job<K>, error: string): Promise<void>;
}

export type AnyJobDefinition = { [K in JobKind]: JobDefinition<K> }[JobKind];

/**
 * The worker's handlers by kind and its failure hook. The one place a stored job is taken as its kind's type: the
 * worker claims only the kinds it has handlers for, and hands each job to its own kind's handler.
 */
export function workerHandlers(definitions: readonly AnyJobDefinition[]): {
  handlers: Partial<Record<JobKind, JobHandler>>;
  onFailed: (job: JobRow, error: string) => Promise<void>;
} {
  const byKind = new Map<string, JobDefinition<JobKind>>();
  for (const d of definitions) byKind.set(d.kind, d as unknown as JobDefinition<JobKind>);
  const typed = (job: JobRow) => job as unknown as Job<JobKind>;
  const handlers: Partial<Record<JobKind, JobHandler>> = {};
  for (const [kind, d] of byKind) handlers[kind as JobKind] = (job, ctx) => d.handle(typed(job), ctx);
  return {
    handlers,
    onFailed: async (job, error) => {
      await byKind.get(job.kind)?.onFailed?.(typed(job), error);
    },
  };
}
