// Background work has a lane of its own: a preview job is claimed and run while a GLB holds the background lane, and
// neither lane's loops take the other's kinds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/src/db/client.js';
import { enqueue, findJob } from '../../server/src/pipeline/queue.js';
import { JobWorker, type JobHandler } from '../../server/src/pipeline/worker.js';
import { backgroundKinds } from '../../server/src/pipeline/job-kinds.js';
import { cloneTestDatabase, databaseKinds } from '../helpers/databases.js';

/** A handler that runs until `release()`: a job as long as the test wants. */
function held() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const handler: JobHandler = async () => {
    started();
    await released;
  };
  return { handler, running, release };
}

/** Waits for `what` with a bound: the test fails on the bound, never hangs. */
async function within<T>(ms: number, what: Promise<T>, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([what, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe.each(databaseKinds)('worker lanes (%s)', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await cloneTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  const options = {
    concurrency: 1,
    background: { kinds: backgroundKinds, concurrency: 1 },
    leaseMs: 60_000,
    pollMs: 20,
    baseBackoffMs: 10,
  };

  it('runs a preview job while a GLB holds the background lane, queued after it', async () => {
    const glb = held();
    let previewRan!: () => void;
    const preview = new Promise<void>((r) => (previewRan = r));
    const worker = new JobWorker(
      database.db,
      { 'mesh-glb': glb.handler, 'process-file': async () => previewRan() },
      options,
    );
    const glbJob = await enqueue(database.db, 'mesh-glb', { fileId: 'big' }, { subject: 'lanes-1' });
    worker.start();
    try {
      await within(10_000, glb.running, 'the GLB job started');
      const previewJob = await enqueue(database.db, 'process-file', { fileId: 'next' }, { subject: 'lanes-1' });
      worker.notify();
      await within(10_000, preview, 'the preview job ran while the GLB job was running');
      expect((await findJob(database.db, glbJob))?.state).toBe('running');
      glb.release();
      await worker.stop();
      expect((await findJob(database.db, previewJob))?.state).toBe('done');
      expect((await findJob(database.db, glbJob))?.state).toBe('done');
    } finally {
      glb.release();
      await worker.stop();
    }
  });

  it('never lets the background lane take a preview job, nor the preview lane a background one', async () => {
    const first = held();
    let thumbnailRan!: () => void;
    const thumbnail = new Promise<void>((r) => (thumbnailRan = r));
    const previews: string[] = [];
    const worker = new JobWorker(
      database.db,
      {
        'process-file': async (job, ctx) => {
          previews.push((job.payload as { fileId: string }).fileId);
          if (previews.length === 1) await first.handler(job, ctx);
        },
        'version-thumbnail': async () => thumbnailRan(),
      },
      options,
    );
    const a = await enqueue(database.db, 'process-file', { fileId: 'a' }, { subject: 'lanes-2' });
    worker.start();
    try {
      await within(10_000, first.running, 'the first preview job started');
      // the second preview is older than the thumbnail: a background loop that took any kind would take it first
      const b = await enqueue(database.db, 'process-file', { fileId: 'b' }, { subject: 'lanes-2' });
      await enqueue(database.db, 'version-thumbnail', { versionId: 'v' }, { subject: 'lanes-2' });
      worker.notify();
      await within(10_000, thumbnail, 'the thumbnail ran in the background lane');
      expect((await findJob(database.db, b))?.state).toBe('queued');
      first.release();
      const t0 = Date.now();
      while ((await findJob(database.db, b))?.state !== 'done' && Date.now() - t0 < 10_000)
        await new Promise((r) => setTimeout(r, 20));
      await worker.stop();
      expect(previews).toEqual(['a', 'b']);
      expect((await findJob(database.db, a))?.state).toBe('done');
      expect((await findJob(database.db, b))?.state).toBe('done');
    } finally {
      first.release();
      await worker.stop();
    }
  });
});
