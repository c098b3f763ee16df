// Pipeline part two end to end on both databases: STEP, IGES, FreeCAD, DXF and images published and processed;
// GLB derivatives, the version thumbnail and whole-version GLB served; a curves-only IGES fails with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { readGltf } from '../../server/src/cad/gltf.js';
import { defaultReadLimits } from '../../server/src/cad/types.js';
import { igesBox, igesCurvesOnly, stepBoxes } from '../fixtures/brep.js';
import { fixtureFcstd } from '../fixtures/fcstd.js';
import { plateDxf } from '../fixtures/dxf.js';
import { jpegWithGps } from '../fixtures/images.js';

async function waitFor(
  t: TestApp,
  url: string,
  ready: (r: { statusCode: number; json(): any }) => boolean,
  timeoutMs = 60_000,
) {
  const t0 = Date.now();
  for (;;) {
    const r = await t.app.inject({ url });
    if (ready(r) || Date.now() - t0 > timeoutMs) return r;
    await new Promise((res) => setTimeout(res, 25));
  }
}

describe.each(databaseKinds)('pipeline formats on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let v: any;
  const byPath = (p: string) => v.files.find((f: any) => f.path === p);

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1 });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'frame');
    const r = await publish(t.app, ana, 'ana', 'frame', { version: '1.0.0' }, [
      {
        path: 'cad/frame.step',
        bytes: stepBoxes([
          { name: 'plate', min: [0, 0, 0], max: [40, 30, 5] },
          { name: 'block', min: [0, 0, 5], max: [10, 10, 15] },
        ]),
      },
      { path: 'cad/cover.igs', bytes: igesBox({ name: 'cover', min: [0, 0, 15], max: [40, 30, 17] }) },
      { path: 'cad/wire.igs', bytes: igesCurvesOnly() },
      { path: 'cad/bracket.FCStd', bytes: fixtureFcstd() },
      { path: 'cut/plate.dxf', bytes: plateDxf() },
      { path: 'photos/site.jpg', bytes: await jpegWithGps() },
    ]);
    expect(r.statusCode).toBe(201);
    // the viewer's GLB is made just after a file's previews: wait for those too
    v = (
      await waitFor(
        t,
        '/api/designs/ana/frame/versions/1.0.0',
        (x) =>
          x.json().pipeline?.state === 'done' &&
          x.json().files.every((f: any) => f.role !== 'cad' || f.pipeline.state !== 'done' || f.previews?.glb),
      )
    ).json();
  });
  afterAll(async () => {
    await t.close();
  });

  it('B-rep files get facts in mm; the curves-only IGES fails alone with its reason', () => {
    expect(v.pipeline).toMatchObject({ state: 'done', failedFiles: 1 });
    expect(byPath('cad/frame.step').facts).toMatchObject({
      format: 'step',
      triangles: 24,
      parts: 2,
      volume: 7000,
      watertight: true,
      units: 'mm',
    });
    expect(byPath('cad/cover.igs').facts).toMatchObject({ format: 'iges', triangles: 12, parts: 1, volume: 2400 });
    expect(byPath('cad/bracket.FCStd').facts).toMatchObject({ format: 'fcstd', triangles: 24, parts: 2, volume: 2200 });
    expect(byPath('cad/wire.igs').pipeline).toEqual({
      state: 'failed',
      error: 'no surfaces to draw (curves only): the IGES file holds wires, curves or points but no faces or solids',
    });
  });

  it('a DXF drawing gets drawing facts and a preview', async () => {
    const dxf = byPath('cut/plate.dxf');
    expect(dxf.pipeline.state).toBe('done');
    expect(dxf.facts).toMatchObject({
      format: 'dxf',
      units: 'mm',
      bounds: { min: [0, -10], max: [100, 60] },
      entities: { LINE: 1, INSERT: 2, DIMENSION: 1 },
    });
    expect(dxf.previews.glb).toBeUndefined();
    const png = await t.app.inject({ url: dxf.previews.png });
    expect(png.statusCode).toBe(200);
    const { data, info } = await sharp(png.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(512);
    expect(Array.from(data.subarray(0, 3))).toEqual([248, 249, 251]);
  });

  it('every 3D file has a GLB derivative that reads back with its part names', async () => {
    const step = byPath('cad/frame.step');
    expect(step.previews.glb).toBe('/api/designs/ana/frame/versions/1.0.0/previews/cad/frame.step?format=glb');
    const glb = await t.app.inject({ url: step.previews.glb });
    expect(glb.statusCode).toBe(200);
    expect(glb.headers['content-type']).toBe('model/gltf-binary');
    const back = await readGltf(new Uint8Array(glb.rawPayload), defaultReadLimits);
    expect(back.mesh.parts.map((p) => p.name)).toEqual(['plate', 'block']);
    const fc = await readGltf(
      new Uint8Array((await t.app.inject({ url: byPath('cad/bracket.FCStd').previews.glb })).rawPayload),
      defaultReadLimits,
    );
    expect(fc.mesh.parts.map((p) => p.name)).toEqual(['Bracket', 'Plate']);
    const none = await t.app.inject({ url: '/api/designs/ana/frame/versions/1.0.0/previews/cut/plate.dxf?format=glb' });
    expect(none.statusCode).toBe(404);
  });

  it('the image preview has no EXIF GPS; its facts warn the owner', async () => {
    const photo = byPath('photos/site.jpg');
    expect(photo.facts).toEqual({ format: 'jpeg', width: 64, height: 48, hasGps: true });
    const p = await t.app.inject({ url: photo.previews.webp });
    expect(p.statusCode).toBe(200);
    expect((await sharp(p.rawPayload).metadata()).exif).toBeUndefined();
    const raw = await t.app.inject({ url: '/api/designs/ana/frame/versions/1.0.0/files/photos/site.jpg' });
    expect((await sharp(raw.rawPayload).metadata()).exif).toBeDefined();
  });

  it('the version thumbnail and whole-version GLB are served once made', async () => {
    const url = '/api/designs/ana/frame/versions/1.0.0/thumbnail?size=256&format=png';
    const thumb = await waitFor(t, url, (r) => r.statusCode !== 202);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/png');
    const { data, info } = await sharp(thumb.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([256, 256]);
    const centre = (128 * 256 + 128) * info.channels;
    expect(Math.min(data[centre], data[centre + 1], data[centre + 2])).toBeLessThan(225);
    const webp = await t.app.inject({ url: '/api/designs/ana/frame/versions/latest/thumbnail?size=512&format=webp' });
    expect(webp.statusCode).toBe(200);
    const model = (await waitFor(
      t,
      '/api/designs/ana/frame/versions/1.0.0/model.glb',
      (r) => r.statusCode !== 202,
    )) as any;
    expect(model.statusCode).toBe(200);
    const all = await readGltf(new Uint8Array(model.rawPayload), defaultReadLimits);
    // STEP (2) + IGES (1) + FreeCAD (2) parts; they overlap in space: kept in their own coordinates
    expect(all.mesh.parts).toHaveLength(5);
    expect(all.facts.bbox.max.map((x) => Math.round(x))).toEqual([40, 40, 17]);
  });

  it('404 for the thumbnail of a version without CAD files', async () => {
    await publish(t.app, ana, 'ana', 'frame', { version: '1.1.0' }, [{ path: 'README.md', bytes: '# docs only' }]);
    const r = await t.app.inject({ url: '/api/designs/ana/frame/versions/1.1.0/thumbnail' });
    expect(r.statusCode).toBe(404);
  });
});
