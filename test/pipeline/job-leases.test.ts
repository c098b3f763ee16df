// Job leases between workers: a live worker renews the lease of the job it runs, so a lease shorter than the job
// hands nothing over; a claim that lost its job (its lease passed, another run took it) records no outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/src/db/client.js';
import { claimJob, completeJob, enqueue, failJob, findJob } from '../../server/src/pipeline/queue.js';
import { JobWorker } from '../../server/src/pipeline/worker.js';
import { cloneTestDatabase, databaseKinds } from '../helpers/databases.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(databaseKinds)('job leases (%s)', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await cloneTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('keeps a job its worker runs past the lease: another claim finds nothing, the run is attempt 1', async () => {
    const db = database.db;
    const id = await enqueue(db, 'ingest-version', { versionId: 'long' }, { subject: 'long' });
    let running = false;
    const worker = new JobWorker(
      db,
      {
        'ingest-version': async () => {
          running = true;
          await sleep(1200);
          return { ran: true };
        },
      },
      { concurrency: 1, leaseMs: 300, pollMs: 20, baseBackoffMs: 10 },
    );
    worker.start();
    try {
      for (let i = 0; i < 250 && !running; i++) await sleep(20);
      expect(running).toBe(true);
      // four leases later, a second worker still may not take it
      for (let i = 0; i < 4; i++) {
        await sleep(250);
        expect(await claimJob(db, 300, ['ingest-version'])).toBeUndefined();
      }
      for (let i = 0; i < 250 && (await findJob(db, id))?.state !== 'done'; i++) await sleep(20);
    } finally {
      await worker.stop();
    }
    expect(await findJob(db, id)).toMatchObject({ state: 'done', attempts: 1, result: { ran: true } });
  });

  it('records only the outcome of the claim that holds the job', async () => {
    const db = database.db;
    const id = await enqueue(db, 'process-file', { fileId: 'lost' }, { subject: 'lost', priority: -1000 });
    const first = await claimJob(db, 1, ['process-file']);
    expect(first?.id).toBe(id);
    await sleep(20);
    // the first claim went silent past its lease: a second takes the job over
    const second = await claimJob(db, 60_000, ['process-file']);
    expect(second).toMatchObject({ id, attempts: 2 });
    expect(await completeJob(db, first!, { by: 'first' })).toBe(false);
    expect(await failJob(db, first!, 'late failure', true)).toBe('lost');
    expect(await findJob(db, id)).toMatchObject({ state: 'running', attempts: 2, error: null });
    expect(await completeJob(db, second!, { by: 'second' })).toBe(true);
    expect(await findJob(db, id)).toMatchObject({ state: 'done', result: { by: 'second' } });
  });
});
