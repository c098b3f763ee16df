// A pipeline worker's threads warm up before their first task and say so; /readyz waits for it; background threads
// work at a lower CPU priority than the process.
import { afterAll, describe, expect, it } from 'vitest';
import { getPriority } from 'node:os';
import { ThreadPool } from '../../server/src/pipeline/pool.js';
import { Pipeline } from '../../server/src/pipeline/pipeline.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';

const warmUp = { sizes: [256 as const], formats: ['png' as const] };

describe('thread warm-up', () => {
  const pools: ThreadPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('warms every thread of a pool before its first task, each reporting once', async () => {
    const pool = new ThreadPool(2, 60_000, 512, { warmUp });
    pools.push(pool);
    // a report arrives as a message, never within the constructor's turn
    expect(pool.warm).toBe(false);
    const reports = await pool.warmedUp;
    expect(pool.warm).toBe(true);
    expect(reports).toHaveLength(2);
    expect(new Set(reports.map((r) => r.threadId)).size).toBe(2);
    for (const r of reports) {
      expect(r.error).toBeUndefined();
      expect(r.ms).toBeGreaterThan(0);
    }
    const result = await pool.processFile({ bytes: cubeStl(10), filename: 'cube.stl', sizes: [256], formats: ['png'] });
    expect(result).toMatchObject({ ok: true, facts: { triangles: 12 } });
  });

  it("runs a background pool's threads at a lower CPU priority and leaves the process's own", async () => {
    const before = getPriority();
    const pool = new ThreadPool(1, 60_000, 512, { warmUp, niceIncrement: 10 });
    pools.push(pool);
    const [report] = await pool.warmedUp;
    expect(report.nice).toBe(Math.min(19, before + 10));
    expect(getPriority()).toBe(before);
  });

  it('is warm at once when it does not warm up (an API process that runs no jobs)', async () => {
    const pool = new ThreadPool(1, 60_000, 512);
    pools.push(pool);
    expect(pool.warm).toBe(true);
    expect(await pool.warmedUp).toEqual([]);
  });
});

describe('readiness and the warm-up', () => {
  let t: TestApp;
  afterAll(async () => {
    await t?.close();
  });

  it('says not ready while the pipeline threads warm up, and ready once they are warm', async () => {
    t = await createTestApp('pglite');
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { pipeline: 'ok' } });

    // the same process, now running jobs: asked within milliseconds of its threads' start, before they have loaded
    // three, sharp and OpenCascade
    const own = t.deps.pipeline!;
    const { config, db, blobs, events } = t.deps;
    const working = new Pipeline({ ...config, runWorker: true, workerWarmUp: true }, db.db, blobs, events, {
      runWorker: true,
    });
    t.deps.pipeline = working;
    try {
      const warming = await t.app.inject({ url: '/readyz' });
      expect(warming.statusCode).toBe(503);
      expect(warming.json()).toMatchObject({ status: 'not ready', checks: { startup: 'ok', pipeline: 'warming' } });
      await working.warmedUp();
      const warm = await t.app.inject({ url: '/readyz' });
      expect(warm.statusCode).toBe(200);
      expect(warm.json().checks.pipeline).toBe('ok');
    } finally {
      t.deps.pipeline = own;
      await working.close();
    }
  });
});
