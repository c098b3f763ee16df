// The pipeline as the app sees it: enqueueing in the publish transaction (runtime.ts hooks it onto publishing), the worker with
// its handlers (one file per job kind in jobs/, each with what its final failure records) and thread pool.
import type { Config } from '../config.js';
import type { Db, Executor } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { EventBus } from '../events.js';
import { enqueue, requestIdOf, type JobRow } from './queue.js';
import { JobWorker, type JobHandler } from './worker.js';
import { ThreadPool } from './pool.js';
import { workerHandlers } from './job-definition.js';
import { ingestVersion } from './jobs/ingest-version.js';
import { processFile } from './jobs/process-file.js';
import { processPhoto } from './jobs/process-photo.js';
import { visualDiff } from './jobs/visual-diff.js';
import { versionThumbnail } from './jobs/version-thumbnail.js';
import { meshGlb } from './jobs/mesh-glb.js';
import { packetPdf } from './jobs/packet-pdf.js';
import { setFilesQueued } from '../registry/file-state.js';
import type { PipelineServices } from './services.js';
import type { JobKind } from './job-kinds.js';
import type { JobDefinition } from './job-definition.js';
import type { Job } from './queue.js';
import { jobLogger, type Logger } from '../logging/job-log.js';
import type { JobOutcome } from '../metrics/jobs.js';

export interface PipelineOptions {
  runWorker: boolean;
  leaseMs?: number;
  pollMs?: number;
  baseBackoffMs?: number;
  /** where the job log's JSON lines go (default: stdout at LOG_LEVEL) */
  jobLog?: Logger;
  /** each job run's outcome and duration (runtime.ts counts them for the metrics) */
  onJobOutcome?: (job: JobRow, outcome: JobOutcome, seconds: number) => void;
}

export class Pipeline {
  readonly pool: ThreadPool;
  readonly worker: JobWorker;
  readonly services: PipelineServices;
  readonly handlers: Partial<Record<JobKind, JobHandler>>;
  /** final-failure hooks of kinds registered by the layers above (register) */
  private readonly lateFailed = new Map<string, (job: JobRow, error: string) => Promise<void>>();

  constructor(
    readonly config: Config,
    db: Db,
    blobs: BlobStore,
    events: EventBus,
    private readonly opts: PipelineOptions,
  ) {
    this.pool = new ThreadPool(config.workerThreads, config.jobTimeoutMs, config.workerHeapMb);
    this.services = { db, blobs, events, pool: this.pool, notify: () => this.wake() };
    const { handlers, onFailed } = workerHandlers([
      ingestVersion(this.services),
      processFile(this.services),
      processPhoto(this.services),
      visualDiff(this.services),
      versionThumbnail(this.services),
      meshGlb(this.services),
      packetPdf(this.services, config),
    ]);
    this.handlers = handlers;
    const log = opts.jobLog ?? jobLogger(config.logLevel);
    this.worker = new JobWorker(db, this.handlers, {
      concurrency: config.workerThreads,
      // a killed worker's job runs again once its lease passes: the time limit plus a margin
      leaseMs: opts.leaseMs ?? config.jobTimeoutMs + 30_000,
      pollMs: opts.pollMs ?? 500,
      baseBackoffMs: opts.baseBackoffMs ?? 2000,
      onFailed: async (job, error) => {
        await onFailed(job, error);
        await this.lateFailed.get(job.kind)?.(job, error);
      },
      // a job's outcome is stored data (states, facts, thumbnails): documents derived from it are stale
      onSettled: () => events.changed(),
      onOutcome: (job, outcome, seconds, error) => {
        logJobOutcome(log, job, outcome, seconds, error);
        opts.onJobOutcome?.(job, outcome, seconds);
      },
      log: (m) => log.warn(m),
    });
    // enqueued here or, through the bus's relay, by another process
    events.onEnqueued(() => this.worker.notify());
  }

  /**
   * A job kind whose handler lives in a layer above the pipeline (the federation's mirror): registered before
   * start(), so the worker claims it like the pipeline's own.
   */
  register<K extends JobKind>(definition: JobDefinition<K>): void {
    const typed = (job: JobRow) => job as unknown as Job<K>;
    this.handlers[definition.kind] = (job, ctx) => definition.handle(typed(job), ctx);
    const failed = definition.onFailed;
    if (failed) this.lateFailed.set(definition.kind, (job, error) => failed(typed(job), error));
  }

  /** Jobs were enqueued: this process's worker and every other process's stop sleeping. */
  wake(): void {
    this.services.events.enqueued();
  }

  /** Starts the worker when this process runs one (runtime.ts registers the publish hooks first). */
  start(): void {
    if (this.opts.runWorker) this.worker.start();
  }

  async enqueueVersion(tx: Executor, versionId: string, priority = 0, requestId?: string): Promise<string> {
    return enqueue(tx, 'ingest-version', { versionId }, { subject: versionId, priority, requestId });
  }

  /** Runs the whole version through the pipeline again (after a renderer upgrade). */
  async reprocessVersion(versionId: string): Promise<string> {
    const id = await this.services.db.transaction(async (tx) => {
      await setFilesQueued(tx, versionId);
      return this.enqueueVersion(tx, versionId, 0);
    });
    this.wake();
    return id;
  }

  async close(): Promise<void> {
    await this.worker.stop();
    await this.pool.close();
  }
}

/** One JSON line per job run, under the id of the request it was done for (`reqId`, as in Fastify's lines). */
function logJobOutcome(log: Logger, job: JobRow, outcome: JobOutcome, seconds: number, error?: string): void {
  const line = {
    reqId: requestIdOf(job),
    jobId: job.id,
    kind: job.kind,
    subject: job.subject,
    attempt: job.attempts,
    outcome,
    durationMs: Math.round(seconds * 1000),
    ...(error ? { error } : {}),
  };
  if (outcome === 'done') log.info(line, 'job done');
  else log.warn(line, outcome === 'retry' ? 'job failed, will retry' : 'job failed');
}
