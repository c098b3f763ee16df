// The pipeline end to end on both databases: publish → jobs → facts and previews; broken files fail alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';
import { enqueue, claimJob, findJob } from '../../server/src/pipeline/queue.js';

async function waitVersion(t: TestApp, url: string, timeoutMs = 30_000) {
  const t0 = Date.now();
  for (;;) {
    const v = (await t.app.inject({ url })).json();
    if (v.pipeline?.state === 'done' || Date.now() - t0 > timeoutMs) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(databaseKinds)('pipeline on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1 });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
  });
  afterAll(async () => {
    await t.close();
  });

  it('processes every file: facts of a cube, previews, non-CAD files done, a broken file failed alone', async () => {
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [
      { path: 'frame/cube.stl', bytes: cubeStl(10) },
      { path: 'broken.stl', bytes: Buffer.concat([Buffer.alloc(80), Buffer.from([10, 0, 0, 0])]) },
      { path: 'README.md', bytes: '# hi' },
    ]);
    expect(r.statusCode).toBe(201);
    const v = await waitVersion(t, '/api/designs/ana/press/versions/1.0.0');
    expect(v.pipeline).toMatchObject({ state: 'done', failedFiles: 1 });
    const byPath = Object.fromEntries(v.files.map((f: any) => [f.path, f]));
    expect(byPath['frame/cube.stl'].pipeline.state).toBe('done');
    expect(byPath['frame/cube.stl'].facts).toMatchObject({ format: 'stl', triangles: 12, parts: 1, watertight: true });
    expect(byPath['frame/cube.stl'].facts.volume).toBeCloseTo(1000, 6);
    expect(byPath['frame/cube.stl'].facts.bbox).toEqual({ min: [0, 0, 0], max: [10, 10, 10] });
    expect(byPath['broken.stl'].pipeline.state).toBe('failed');
    expect(byPath['broken.stl'].pipeline.error).toMatch(/\w+/);
    expect(byPath['README.md'].pipeline.state).toBe('done');
    expect(byPath['README.md'].facts).toEqual({ format: 'md', bytes: 4 });

    const png = await t.app.inject({ url: byPath['frame/cube.stl'].previews.png });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['cache-control']).toContain('immutable');
    const meta = await sharp(png.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([512, 512]);
    const small = await t.app.inject({
      url: '/api/designs/ana/press/versions/1.0.0/previews/frame/cube.stl?size=128&format=webp',
    });
    expect(small.statusCode).toBe(200);
    expect((await sharp(small.rawPayload).metadata()).width).toBe(128);
    const none = await t.app.inject({ url: '/api/designs/ana/press/versions/1.0.0/previews/README.md' });
    expect(none.statusCode).toBe(404);
  });

  it('never processes the same bytes twice (a later version reuses the derivatives)', async () => {
    // the version thumbnail job runs after the files: let it finish before counting
    const idle = async () => {
      for (let i = 0; i < 500; i++) {
        const { rows } = await t.deps.db.raw(
          `select count(*)::int as n from jobs where state in ('queued', 'running')`,
        );
        if (rows[0].n === 0) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await idle();
    const before = await t.deps.db.raw(`select count(*)::int as n from derivatives`);
    await publish(t.app, ana, 'ana', 'press', { version: '1.1.0' }, [{ path: 'moved/cube.stl', bytes: cubeStl(10) }]);
    const v = await waitVersion(t, '/api/designs/ana/press/versions/1.1.0');
    expect(v.files[0].facts.triangles).toBe(12);
    await idle();
    const after = await t.deps.db.raw(`select count(*)::int as n from derivatives`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('runs a job again when its worker dies (lease expires)', async () => {
    const id = await enqueue(
      t.deps.db.db,
      'process-file',
      { fileId: '00000000-0000-0000-0000-000000000000' },
      { subject: 'x', priority: -100 },
    );
    // a "worker" claims it with a tiny lease and dies without finishing
    await t.deps.pipeline!.worker.stop();
    const claimed = await claimJob(t.deps.db.db, 1, ['process-file']);
    expect(claimed?.id).toBe(id);
    await new Promise((r) => setTimeout(r, 20));
    t.deps.pipeline!.worker.start();
    t.deps.pipeline!.worker.notify();
    const t0 = Date.now();
    let job = await findJob(t.deps.db.db, id);
    while (job?.state !== 'done' && Date.now() - t0 < 10_000) {
      await new Promise((r) => setTimeout(r, 20));
      job = await findJob(t.deps.db.db, id);
    }
    expect(job).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('answers 202 with a job link while the file is still queued', async () => {
    await t.deps.pipeline!.worker.stop();
    await publish(t.app, ana, 'ana', 'press', { version: '1.2.0' }, [{ path: 'c.stl', bytes: cubeStl(5) }]);
    const r = await t.app.inject({ url: '/api/designs/ana/press/versions/1.2.0/previews/c.stl' });
    expect(r.statusCode).toBe(202);
    expect(r.json().state).toBe('queued');
    t.deps.pipeline!.worker.start();
    const v = await waitVersion(t, '/api/designs/ana/press/versions/1.2.0');
    expect(v.pipeline.state).toBe('done');
  });

  it('serves a preview already drawn while its file is still queued or running (the same bytes, or the pictures before the facts)', async () => {
    await t.deps.pipeline!.worker.stop();
    await publish(t.app, ana, 'ana', 'press', { version: '1.3.0' }, [{ path: 'again.stl', bytes: cubeStl(10) }]);
    expect((await t.app.inject({ url: '/api/designs/ana/press/versions/1.3.0' })).json().files[0].pipeline.state).toBe(
      'queued',
    );
    const png = await t.app.inject({ url: '/api/designs/ana/press/versions/1.3.0/previews/again.stl?size=256' });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((await sharp(png.rawPayload).metadata()).width).toBe(256);
    // a size the pipeline has not drawn yet waits for the pipeline
    expect(
      (await t.app.inject({ url: '/api/designs/ana/press/versions/1.3.0/previews/again.stl?size=1024' })).statusCode,
    ).toBe(202);
    t.deps.pipeline!.worker.start();
    expect((await waitVersion(t, '/api/designs/ana/press/versions/1.3.0')).pipeline.state).toBe('done');
  });
});
