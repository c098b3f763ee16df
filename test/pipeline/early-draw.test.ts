// A big mesh's previews start when its upload's bytes are stored (early-draw.ts): the process-file job takes that
// task instead of drawing again, the preview served is the same bytes the job would have drawn, and a publish that
// fails leaves nothing stored or served; a guess that does not match the committed file (other units) is not used.
import { createHash } from 'node:crypto';
import * as THREE from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import { writeStlBinary } from '../../server/src/cad/write/stl.js';
import { EARLY_DRAW_MIN_BYTES } from '../../server/src/pipeline/early-draw.js';
import type { ProcessFileTask } from '../../server/src/pipeline/thread.js';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { eventually } from '../helpers/eventually.js';

/** A binary STL above the early-draw threshold (~1.2 MB), a different one per `turns`. */
function bigStl(turns: number): Buffer {
  const geometry = new THREE.TorusKnotGeometry(20, 6, 200, 60, turns, 3);
  const stl = writeStlBinary(meshFromGeometry([{ name: 'knot', geometry }]), `knot ${turns}`);
  expect(stl.length).toBeGreaterThan(EARLY_DRAW_MIN_BYTES);
  return stl;
}

describe.each(databaseKinds)('early draw (%s)', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  /** each task the preview threads were handed, by filename, and whether the job took an early draw */
  const tasks: string[] = [];
  const taken: boolean[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1, renderHelpers: 0 });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'knot');
    const pipeline = t.deps.pipeline!;
    const processFile = pipeline.pool.processFile.bind(pipeline.pool);
    pipeline.pool.processFile = (task: ProcessFileTask, ...rest) => {
      tasks.push(task.filename);
      return processFile(task, ...rest);
    };
    const early = pipeline.services.early!;
    const take = early.take.bind(early);
    early.take = (...args) => {
      const draw = take(...args);
      taken.push(draw !== undefined);
      return draw;
    };
  });
  afterAll(async () => {
    await t.close();
  });

  const preview = (version: string, path: string) =>
    t.app.inject({ url: `/api/designs/ana/knot/versions/${version}/previews/${path}?size=512&format=png` });
  const idle = () => eventually(() => t.deps.pipeline!.pool.tasks === 0, 30_000, 'the preview thread idle');
  const done = (version: string) =>
    eventually(
      async () =>
        (await t.app.inject({ url: `/api/designs/ana/knot/versions/${version}` })).json().pipeline?.state === 'done',
      60_000,
      `version ${version} done`,
    );

  it('the job takes the task started at upload: drawn once, the same PNG as the thread draws on its own', async () => {
    const stl = bigStl(2);
    tasks.length = taken.length = 0;
    const r = await publish(t.app, ana, 'ana', 'knot', { version: '1.0.0', units: 'mm' }, [
      { path: 'big.stl', bytes: stl },
      { path: 'README.md', bytes: '# knot' },
    ]);
    expect(r.statusCode).toBe(201);
    await done('1.0.0');
    expect(taken).toEqual([true]);
    expect(tasks.filter((f) => f === 'big.stl')).toHaveLength(1);
    const served = await preview('1.0.0', 'big.stl');
    expect(served.statusCode).toBe(200);
    const own = await t.deps.pipeline!.pool.processFile({
      bytes: new Uint8Array(stl),
      filename: 'big.stl',
      units: 'mm',
      sizes: [512],
      formats: ['png'],
    });
    expect(own.ok).toBe(true);
    if (!own.ok) return;
    expect(Buffer.from(own.previews[0].bytes).equals(served.rawPayload)).toBe(true);
    const v = (await t.app.inject({ url: '/api/designs/ana/knot/versions/1.0.0' })).json();
    const file = v.files.find((f: { path: string }) => f.path === 'big.stl');
    expect(file.facts).toMatchObject({ format: 'stl', triangles: own.facts.triangles, watertight: true });
  });

  it('a publish that fails keeps nothing of its early draw: no derivative, no blob, no preview', async () => {
    const stl = bigStl(3);
    tasks.length = taken.length = 0;
    const r = await publish(t.app, ana, 'ana', 'knot', { version: '1.0.0' }, [{ path: 'other.stl', bytes: stl }]);
    expect(r.statusCode).toBe(409);
    // the early draw ran for the stored bytes
    expect(tasks).toEqual(['other.stl']);
    await idle();
    const sha256 = createHash('sha256').update(stl).digest('hex');
    const { rows } = await t.deps.db.raw(`select count(*)::int as n from derivatives where subject_key = $1`, [sha256]);
    expect(rows[0].n).toBe(0);
    expect(await t.deps.blobs.has(sha256)).toBe(false);
    expect(taken).toEqual([]);
    // the next publish's early draw replaces the unclaimed one, and is taken
    const next = await publish(t.app, ana, 'ana', 'knot', { version: '1.1.0' }, [{ path: 'other.stl', bytes: stl }]);
    expect(next.statusCode).toBe(201);
    await done('1.1.0');
    expect(taken).toEqual([true]);
    expect((await preview('1.1.0', 'other.stl')).statusCode).toBe(200);
  });

  it('a guess that does not match the committed file is not used: units sent after the files', async () => {
    const stl = bigStl(4);
    tasks.length = taken.length = 0;
    const fd = new FormData();
    fd.append('files', new Blob([stl as BlobPart]), 'inch.stl');
    fd.append('manifest', JSON.stringify({ version: '1.2.0', units: 'in' }));
    const { payload, headers } = await formPayload(fd);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/knot/versions',
      headers: { ...headers, ...ana.auth },
      payload,
    });
    expect(r.statusCode).toBe(201);
    await done('1.2.0');
    expect(taken).toEqual([false]);
    // drawn at upload without units, then by the job with the manifest's
    expect(tasks).toEqual(['inch.stl', 'inch.stl']);
    expect((await preview('1.2.0', 'inch.stl')).statusCode).toBe(200);
  });

  it('an early draw that failed (its bytes gone when the thread read them) is drawn again by the job', async () => {
    const stl = bigStl(5);
    const sha256 = createHash('sha256').update(stl).digest('hex');
    tasks.length = taken.length = 0;
    // drawn before the bytes are in the store: the thread finds no file, as after a refused upload's clean-up
    t.deps.pipeline!.fileStored({ sha256, path: 'gone.stl', units: undefined }, stl.length);
    await idle();
    const hooks = t.deps.hooks.fileStored.splice(0, Infinity);
    try {
      const r = await publish(t.app, ana, 'ana', 'knot', { version: '1.4.0' }, [{ path: 'gone.stl', bytes: stl }]);
      expect(r.statusCode).toBe(201);
      await done('1.4.0');
    } finally {
      t.deps.hooks.fileStored.push(...hooks);
    }
    expect(taken).toEqual([true]);
    expect(tasks).toEqual(['gone.stl', 'gone.stl']);
    expect((await preview('1.4.0', 'gone.stl')).statusCode).toBe(200);
  });

  it('small meshes are not drawn early', async () => {
    tasks.length = taken.length = 0;
    const small = writeStlBinary(
      meshFromGeometry([{ name: 'box', geometry: new THREE.BoxGeometry(10, 10, 10) }]),
      'box',
    );
    const r = await publish(t.app, ana, 'ana', 'knot', { version: '1.3.0' }, [{ path: 'box.stl', bytes: small }]);
    expect(r.statusCode).toBe(201);
    await done('1.3.0');
    expect(taken).toEqual([false]);
    expect(tasks).toEqual(['box.stl']);
  });
});
