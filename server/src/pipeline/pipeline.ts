// The pipeline as the app sees it: enqueueing in the publish transaction (runtime.ts hooks it onto publishing), the worker with
// its handlers (one file per job kind in jobs/, each with what its final failure records) and thread pool.
import type { Config } from '../config.js';
import type { Db, Executor } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { EventBus } from '../events.js';
import { enqueue, requestIdOf, type JobRow } from './queue.js';
import { JobWorker, type JobHandler } from './worker.js';
import { ThreadPool } from './pool.js';
import { RenderHelpers } from './render-helpers.js';
import { EarlyDraws, type EarlyDrawKey } from './early-draw.js';
import { workerHandlers } from './job-definition.js';
import { ingestVersion } from './jobs/ingest-version.js';
import { previewFormats, previewSizes, processFile } from './jobs/process-file.js';
import { processPhoto } from './jobs/process-photo.js';
import { visualDiff } from './jobs/visual-diff.js';
import { versionThumbnail } from './jobs/version-thumbnail.js';
import { meshGlb } from './jobs/mesh-glb.js';
import { packetPdf } from './jobs/packet-pdf.js';
import { processBoard } from './jobs/process-board.js';
import { setFilesQueued } from '../registry/file-state.js';
import type { PipelineServices } from './services.js';
import { backgroundKinds, type JobKind } from './job-kinds.js';
import type { JobDefinition } from './job-definition.js';
import type { Job } from './queue.js';
import { jobLogger, type Logger } from '../logging/job-log.js';
import type { JobOutcome } from '../metrics/jobs.js';
import { designsOfJob } from './job-designs.js';
import type { ChangedDesigns } from '../events.js';

/** The designs a running job's outcome will change, looked up as it starts (`found` once the lookup answered). */
interface DesignsOfJob {
  found: boolean;
  names: ChangedDesigns;
}

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

/** How much lower the background threads' CPU priority is: under load the preview threads get ~90% of a core. */
const BACKGROUND_NICE = 10;

export class Pipeline {
  /** the threads previews (and facts) are made on */
  readonly pool: ThreadPool;
  /** the threads background kinds (job-kinds.ts backgroundKinds) run on, at a lower CPU priority */
  readonly backgroundPool: ThreadPool;
  /** threads the foreground pool's tasks borrow to read and draw a big mesh (previews only: background work has none) */
  readonly helpers: RenderHelpers;
  readonly worker: JobWorker;
  readonly services: PipelineServices;
  readonly handlers: Partial<Record<JobKind, JobHandler>>;
  /** final-failure hooks of kinds registered by the layers above (register) */
  private readonly lateFailed = new Map<string, (job: JobRow, error: string) => Promise<void>>();
  /** by job id: the designs each running job's outcome changes (the response caches drop only theirs) */
  private readonly designsOfRunning = new Map<string, DesignsOfJob>();

  constructor(
    readonly config: Config,
    db: Db,
    blobs: BlobStore,
    events: EventBus,
    private readonly opts: PipelineOptions,
  ) {
    // a process that runs jobs has its threads warm before it says it is ready: the first publish after a start is
    // as fast as the next (an API process alone starts a thread only for an odd preview size someone asks for)
    const warmUp =
      opts.runWorker && config.workerWarmUp ? { sizes: previewSizes, formats: [...previewFormats] } : undefined;
    // helpers only where jobs run: an API process alone draws an odd preview size now and then, small
    this.helpers = new RenderHelpers(opts.runWorker ? config.renderHelpers : 0);
    this.pool = new ThreadPool(config.workerThreads, config.jobTimeoutMs, config.workerHeapMb, {
      warmUp,
      helpers: this.helpers,
    });
    this.backgroundPool = new ThreadPool(config.backgroundThreads, config.jobTimeoutMs, config.workerHeapMb, {
      warmUp,
      niceIncrement: BACKGROUND_NICE,
    });
    // the task process-file hands the thread for a mesh (process-file.ts), started early on an idle thread
    const early = opts.runWorker
      ? new EarlyDraws(
          this.pool,
          blobs,
          { sizes: previewSizes, formats: [...previewFormats] },
          () => this.worker.busyForeground,
        )
      : undefined;
    this.services = { db, blobs, events, pool: this.pool, early, notify: () => this.wake() };
    const background: PipelineServices = { ...this.services, pool: this.backgroundPool, early: undefined };
    const { handlers, onFailed } = workerHandlers([
      ingestVersion(this.services),
      processFile(this.services),
      processBoard(this.services),
      processPhoto(this.services),
      // backgroundKinds: their own loops and threads
      visualDiff(background),
      versionThumbnail(background),
      meshGlb(background),
      packetPdf(background, config),
    ]);
    this.handlers = handlers;
    const hold = config.testJobHold;
    const held = hold && this.handlers[hold.kind as JobKind];
    if (hold && held)
      // tests only (ANDECHA_TEST_JOB_HOLD): the job stays claimed a while, its lease renewed, before it runs
      this.handlers[hold.kind as JobKind] = async (job, ctx) => {
        await new Promise((r) => setTimeout(r, hold.ms));
        return held(job, ctx);
      };
    const log = opts.jobLog ?? jobLogger(config.logLevel);
    this.worker = new JobWorker(db, this.handlers, {
      concurrency: config.workerThreads,
      background: { kinds: backgroundKinds, concurrency: config.backgroundThreads },
      // a killed worker's job runs again once its lease passes: the time limit plus a margin
      leaseMs: opts.leaseMs ?? config.jobTimeoutMs + 30_000,
      pollMs: opts.pollMs ?? 500,
      baseBackoffMs: opts.baseBackoffMs ?? 2000,
      onFailed: async (job, error) => {
        await onFailed(job, error);
        await this.lateFailed.get(job.kind)?.(job, error);
      },
      // a job's outcome is stored data (states, facts, thumbnails): documents derived from it are stale — those of the
      // job's design when that was found while it ran, else (not found, or not yet) every document
      onSettled: (job) => {
        const designs = this.designsOfRunning.get(job.id);
        this.designsOfRunning.delete(job.id);
        events.changed(designs?.found ? designs.names : undefined);
      },
      onClaimed: (job) => {
        const designs: DesignsOfJob = { found: false, names: undefined };
        this.designsOfRunning.set(job.id, designs);
        void designsOfJob(db, job).then((names) => Object.assign(designs, { found: true, names }));
        log.debug(
          { reqId: requestIdOf(job), jobId: job.id, kind: job.kind, subject: job.subject, attempt: job.attempts },
          'job started',
        );
      },
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

  /** Every worker thread has warmed up (always true in a process that runs no jobs): /readyz waits for it. */
  get warm(): boolean {
    return this.pool.warm && this.backgroundPool.warm && this.helpers.started;
  }

  /** Resolves once every worker thread has warmed up (at once in a process that runs no jobs). */
  async warmedUp(): Promise<void> {
    await Promise.all([this.pool.warmedUp, this.backgroundPool.warmedUp, this.helpers.ready]);
  }

  /** Jobs were enqueued: this process's worker and every other process's stop sleeping. */
  wake(): void {
    this.services.events.enqueued();
  }

  /** An upload's file is stored, its version not yet committed: a big mesh's previews may start now (early-draw.ts). */
  fileStored(key: EarlyDrawKey, size: number): void {
    this.services.early?.fileStored(key, size);
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
    this.services.early?.drop();
    await Promise.all([this.pool.close(), this.backgroundPool.close(), this.helpers.close()]);
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
