// Job payloads are typed by kind: enqueue takes only its kind's payload (the expected compile errors below are checked by
// `npm run typecheck`), and the worker hands each kind's handler its payload as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/src/db/client.js';
import { enqueue, findJob } from '../../server/src/pipeline/queue.js';
import { JobWorker } from '../../server/src/pipeline/worker.js';
import { workerHandlers } from '../../server/src/pipeline/job-definition.js';
import type { JobDefinition } from '../../server/src/pipeline/job-definition.js';
import { cloneTestDatabase, databaseKinds } from '../helpers/databases.js';

/** Never called: the compiler checks these calls (a wrong payload must not type-check). */
export function wrongPayloadsDoNotTypeCheck(db: Database['db']) {
  // @ts-expect-error a process-file job takes {fileId}
  void enqueue(db, 'process-file', { photoId: 'x' }, { subject: 'x' });
  // @ts-expect-error fileId is a string
  void enqueue(db, 'mesh-glb', { fileId: 1 }, { subject: 'x' });
  // @ts-expect-error no such kind
  void enqueue(db, 'make-coffee', {}, { subject: 'x' });
  void enqueue(db, 'process-photo', { photoId: 'x' }, { subject: 'x' });
}

describe.each(databaseKinds)('typed jobs (%s)', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await cloneTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("hands each kind's handler its own payload, and a final failure to that kind's onFailed", async () => {
    const db = database.db;
    const seen: unknown[] = [];
    const failed: string[] = [];
    const ok: JobDefinition<'ingest-version'> = {
      kind: 'ingest-version',
      async handle(job) {
        seen.push(job.payload.versionId);
        return { done: job.payload.versionId };
      },
    };
    const broken: JobDefinition<'process-photo'> = {
      kind: 'process-photo',
      async handle() {
        throw new Error('disk on fire');
      },
      async onFailed(job, error) {
        failed.push(`${job.payload.photoId}: ${error}`);
      },
    };
    const a = await enqueue(db, 'ingest-version', { versionId: 'v-1' }, { subject: 'v-1' });
    const b = await enqueue(db, 'process-photo', { photoId: 'p-1' }, { subject: 'p-1', maxAttempts: 1 });
    const { handlers, onFailed } = workerHandlers([ok, broken]);
    const worker = new JobWorker(db, handlers, {
      concurrency: 1,
      leaseMs: 60_000,
      pollMs: 20,
      baseBackoffMs: 10,
      onFailed,
    });
    worker.start();
    const t0 = Date.now();
    while (failed.length === 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
    while ((await findJob(db, a))?.state !== 'done' && Date.now() - t0 < 10_000)
      await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    expect(seen).toEqual(['v-1']);
    expect((await findJob(db, a))?.result).toEqual({ done: 'v-1' });
    expect(failed).toEqual(['p-1: disk on fire']);
    expect((await findJob(db, b))?.state).toBe('failed');
  });
});
