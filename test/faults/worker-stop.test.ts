// A worker stopping with a grace period (SIGTERM) hands jobs still running back to the queue at once, without
// counting the attempt or recording the shutdown as the job's failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/src/db/client.js';
import { enqueue, findJob } from '../../server/src/pipeline/queue.js';
import { JobWorker } from '../../server/src/pipeline/worker.js';
import { cloneTestDatabase } from '../helpers/databases.js';

describe('worker stop', () => {
  let database: Database;
  beforeAll(async () => {
    database = await cloneTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('releases a job still running after the grace period, attempt not counted', async () => {
    const db = database.db;
    const slow = await enqueue(db, 'process-file', { fileId: 'slow' }, { subject: 'slow' });
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    const worker = new JobWorker(
      db,
      {
        'process-file': async () => {
          started();
          await new Promise((_, reject) => setTimeout(() => reject(new Error('thread pool destroyed')), 400));
        },
      },
      { concurrency: 1, leaseMs: 600_000, pollMs: 20, baseBackoffMs: 10 },
    );
    worker.start();
    await running;
    const t0 = Date.now();
    await worker.stop(100);
    expect(Date.now() - t0).toBeLessThan(1_000);
    const job = await findJob(db, slow);
    expect([job!.state, job!.attempts, job!.leaseUntil]).toEqual(['queued', 0, null]);
    // the handler's later rejection (the pool ended) is not recorded as the job's failure
    await new Promise((r) => setTimeout(r, 500));
    const after = await findJob(db, slow);
    expect([after!.state, after!.attempts, after!.error]).toEqual(['queued', 0, null]);
  });
});
