// The pipeline as the app sees it: enqueueing in the publish transaction (runtime.ts hooks it onto publishing), the worker with
// its handlers and thread pool, and what happens when a job finally fails.
import type { Config } from '../config.js';
import type { Db, Executor } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { EventBus } from '../events.js';
import { enqueue, type JobRow } from './queue.js';
import { JobWorker, type JobHandler } from './worker.js';
import { ThreadPool } from './pool.js';
import { ingestVersion } from './jobs/ingest-version.js';
import { processFile } from './jobs/process-file.js';
import { processPhoto } from './jobs/process-photo.js';
import { visualDiff } from './jobs/visual-diff.js';
import { versionThumbnail, enqueueThumbnailWhenSettled } from './jobs/version-thumbnail.js';
import { meshGlb } from './jobs/mesh-glb.js';
import { packetPdf } from './jobs/packet-pdf.js';
import { fileAddress, setFileState, setFilesQueued, versionFileAddresses } from '../registry/file-state.js';
import { failPhoto } from '../builds/photo-records.js';
import type { PipelineServices } from './services.js';
import type { JobKind } from './job-kinds.js';

export interface PipelineOptions {
  runWorker: boolean;
  leaseMs?: number;
  pollMs?: number;
  baseBackoffMs?: number;
}

export class Pipeline {
  readonly pool: ThreadPool;
  readonly worker: JobWorker;
  readonly services: PipelineServices;
  readonly handlers: Partial<Record<JobKind, JobHandler>>;

  constructor(
    readonly config: Config,
    db: Db,
    blobs: BlobStore,
    events: EventBus,
    private readonly opts: PipelineOptions,
  ) {
    this.pool = new ThreadPool(config.workerThreads, config.jobTimeoutMs);
    this.services = { db, blobs, events, pool: this.pool, notify: () => this.wake() };
    this.handlers = {
      'ingest-version': ingestVersion(this.services),
      'process-file': processFile(this.services),
      'process-photo': processPhoto(this.services),
      'visual-diff': visualDiff(this.services),
    };
    this.handlers['version-thumbnail'] = versionThumbnail(this.services);
    this.handlers['mesh-glb'] = meshGlb(this.services);
    this.handlers['packet-pdf'] = packetPdf(this.services, config);
    this.worker = new JobWorker(db, this.handlers, {
      concurrency: config.workerThreads,
      // a killed worker's job runs again once its lease passes: the time limit plus a margin
      leaseMs: opts.leaseMs ?? config.jobTimeoutMs + 30_000,
      pollMs: opts.pollMs ?? 500,
      baseBackoffMs: opts.baseBackoffMs ?? 2000,
      onFailed: (job, error) => this.recordFailure(job, error),
      // a job's outcome is stored data (states, facts, thumbnails): documents derived from it are stale
      onSettled: () => events.changed(),
      log: (m) => console.warn(`[pipeline] ${m}`),
    });
    // enqueued here or, through the bus's relay, by another process
    events.onEnqueued(() => this.worker.notify());
  }

  /** Jobs were enqueued: this process's worker and every other process's stop sleeping. */
  wake(): void {
    this.services.events.enqueued();
  }

  /** Starts the worker when this process runs one (runtime.ts registers the publish hooks first). */
  start(): void {
    if (this.opts.runWorker) this.worker.start();
  }

  async enqueueVersion(tx: Executor, versionId: string, priority = 0): Promise<string> {
    return enqueue(tx, { kind: 'ingest-version', subject: versionId, payload: { versionId }, priority });
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

  private async recordFailure(job: JobRow, error: string): Promise<void> {
    const db = this.services.db;
    if (job.kind === 'process-file') {
      const f = await fileAddress(db, String(job.payload.fileId));
      if (!f) return;
      await setFileState(db, f.fileId, { state: 'failed', error });
      this.services.events.publish({
        type: 'file',
        design: `${f.owner}/${f.slug}`,
        version: f.version,
        path: f.path,
        state: 'failed',
        error,
        jobId: job.id,
      });
      // the version's last file may be this failed one: its thumbnail still shows the others
      await enqueueThumbnailWhenSettled(this.services, f.versionId, job.priority);
    } else if (job.kind === 'process-photo') {
      await failPhoto(db, this.services.blobs, String(job.payload.photoId), error);
    } else if (job.kind === 'ingest-version') {
      for (const f of await versionFileAddresses(db, String(job.payload.versionId))) {
        await setFileState(db, f.fileId, { state: 'failed', error: `the version could not be processed: ${error}` });
      }
    }
  }

  async close(): Promise<void> {
    await this.worker.stop();
    await this.pool.close();
  }
}
