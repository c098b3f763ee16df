// A B-rep file is read by OpenCascade once: its previews, facts and the viewer's GLB come from that one read, with no
// GLB job of its own (a mesh keeps its separate, later GLB job). Shown on a small generated STEP assembly of a gear
// with a bore, a plate with bolt holes and a shaft — planar and cylindrical faces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';
import { jobs } from '../../server/src/pipeline/tables.js';
import { files } from '../../server/src/registry/tables.js';
import { readGltf } from '../../server/src/cad/gltf.js';
import { defaultReadLimits } from '../../server/src/cad/types.js';
import { stepAssembly } from '../fixtures/step-assembly.js';

describe.each(databaseKinds)('a B-rep file read once on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let v: any;

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1 });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'gearbox');
    const r = await publish(t.app, ana, 'ana', 'gearbox', { version: '1.0.0' }, [
      { path: 'cad/gearbox.step', bytes: stepAssembly(3) },
      { path: 'cad/spacer.stl', bytes: cubeStl(12) },
    ]);
    expect(r.statusCode).toBe(201);
    const t0 = Date.now();
    for (;;) {
      v = (await t.app.inject({ url: '/api/designs/ana/gearbox/versions/1.0.0' })).json();
      const settled = v.pipeline?.state === 'done' && v.files.every((f: any) => f.previews?.glb);
      if (settled || Date.now() - t0 > 60_000) break;
      await new Promise((res) => setTimeout(res, 25));
    }
  }, 90_000);
  afterAll(async () => {
    await t.close();
  });

  const glbJobsOf = async (path: string) => {
    const [file] = await t.deps.db.db.select({ id: files.id }).from(files).where(eq(files.path, path));
    return t.deps.db.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.kind, 'mesh-glb'), eq(jobs.subject, file!.id)));
  };

  it('the STEP gets its facts, previews and GLB without a GLB job; the STL still gets its GLB job', async () => {
    const step = v.files.find((f: any) => f.path === 'cad/gearbox.step');
    expect(step.pipeline.state).toBe('done');
    expect(step.facts).toMatchObject({ format: 'step', parts: 3, units: 'mm' });
    expect(Object.keys(step.previews).sort()).toEqual(['glb', 'png', 'webp']);
    expect(await glbJobsOf('cad/gearbox.step')).toHaveLength(0);
    expect(await glbJobsOf('cad/spacer.stl')).toHaveLength(1);
  });

  it("the GLB served holds the assembly's solids by name, as many triangles as the facts count", async () => {
    const step = v.files.find((f: any) => f.path === 'cad/gearbox.step');
    const glb = await t.app.inject({ url: step.previews.glb });
    expect(glb.statusCode).toBe(200);
    const back = await readGltf(new Uint8Array(glb.rawPayload), defaultReadLimits);
    expect(back.mesh.parts.map((p) => p.name)).toEqual(['gear-0001', 'plate-0002', 'shaft-0003']);
    expect(back.facts.triangles).toBe(step.facts.triangles);
  });
});
