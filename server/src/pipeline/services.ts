// What job handlers get to work with.
import type { Db } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { EventBus } from '../events.js';
import type { ThreadPool } from './pool.js';
import type { EarlyDraws } from './early-draw.js';

export interface PipelineServices {
  db: Db;
  blobs: BlobStore;
  events: EventBus;
  pool: ThreadPool;
  /** big meshes' tasks started when their bytes were stored, for their process-file jobs to take (runs jobs only) */
  early?: EarlyDraws;
  /** wake the worker: something was enqueued */
  notify(): void;
}
