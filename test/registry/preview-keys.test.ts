// files.previews holds keys of derivatives, not URLs: the version document, a fork's and a compare build the same
// URLs as before from them, and migration 0014 turns the URLs older instances stored into those keys.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';

const migration = readFileSync(
  new URL('../../server/src/db/migrations/0014_preview_keys.sql', import.meta.url),
  'utf8',
);

describe.each(databaseKinds)('preview keys on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const doc = async (url: string) => (await t.app.inject({ url, headers: ana.auth })).json();

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1 });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [
      { path: 'parts/frame plate.stl', bytes: cubeStl(20) },
      { path: 'README.md', bytes: '# press' },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    const t0 = Date.now();
    for (;;) {
      const f = (await doc('/api/designs/ana/press/versions/1.0.0')).files.find((x: any) => x.path.endsWith('.stl'));
      if (f.previews?.glb) break;
      if (Date.now() - t0 > 60_000) throw new Error(`no GLB: ${JSON.stringify(f)}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  it('stores keys and replies with the URLs of the version asked for', async () => {
    const { rows } = await t.deps.db.raw(`select path, previews from files where path like '%.stl'`);
    expect(rows[0].previews).toEqual({ png: 'preview-png/512', webp: 'preview-webp/512', glb: 'mesh-glb' });
    const f = (await doc('/api/designs/ana/press/versions/1.0.0')).files.find((x: any) => x.path.endsWith('.stl'));
    expect(f.previews).toEqual({
      png: '/api/designs/ana/press/versions/1.0.0/previews/parts/frame%20plate.stl?size=512&format=png',
      webp: '/api/designs/ana/press/versions/1.0.0/previews/parts/frame%20plate.stl?size=512&format=webp',
      glb: '/api/designs/ana/press/versions/1.0.0/previews/parts/frame%20plate.stl?format=glb',
    });
    for (const url of Object.values(f.previews) as string[])
      expect((await t.app.inject({ url, headers: ana.auth })).statusCode, url).toBe(200);
  });

  it('migration 0014 turns stored URLs into keys, and the replies do not change', async () => {
    const before = await doc('/api/designs/ana/press/versions/1.0.0');
    const stl = before.files.find((x: any) => x.path.endsWith('.stl'));
    // what an instance before the change stored: the reply's URLs themselves (and one at another size)
    await t.deps.db.raw(`update files set previews = $1::jsonb where path = $2`, [
      JSON.stringify({ ...stl.previews, webp: stl.previews.webp.replace('size=512', 'size=256') }),
      stl.path,
    ]);
    await t.deps.db.raw(migration);
    const { rows } = await t.deps.db.raw(`select previews from files where path = $1`, [stl.path]);
    expect(rows[0].previews).toEqual({ png: 'preview-png/512', webp: 'preview-webp/256', glb: 'mesh-glb' });
    await t.deps.db.raw(`update files set previews = $1::jsonb where path = $2`, [
      JSON.stringify({ png: 'preview-png/512', webp: 'preview-webp/512', glb: 'mesh-glb' }),
      stl.path,
    ]);
    // keys already there are kept; a second run changes nothing
    await t.deps.db.raw(migration);
    expect(await doc('/api/designs/ana/press/versions/1.0.0')).toEqual(before);
  });
});
