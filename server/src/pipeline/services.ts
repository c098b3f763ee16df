// What job handlers get to work with.
import type { Db } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { EventBus } from '../events.js';
import type { ThreadPool } from './pool.js';

export interface PipelineServices {
  db: Db;
  blobs: BlobStore;
  events: EventBus;
  pool: ThreadPool;
  /** wake the worker: something was enqueued */
  notify(): void;
}
