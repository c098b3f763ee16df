// Forks, licences, lineage, feed and improvement proposals on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';
import { findDesign } from '../../server/src/registry/designs.js';
import { addFollower, removeFollower } from '../../server/src/federation/followers.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const bom =
  'Part Number,Description,Qty,Unit,Unit Price,Currency\nFR-01,Frame,1,pcs,20.00,EUR\nBL-M12,Bolt M12,16,pcs,0.35,EUR\n';

async function waitPipeline(t: TestApp, url: string) {
  for (let i = 0; i < 200; i++) {
    const v = (await t.app.inject({ url })).json();
    if (v.pipeline?.state === 'done') return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`pipeline of ${url} did not finish`);
}

describe.each(databaseKinds)('forks on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser, ben: TestUser, cat: TestUser, dan: TestUser;
  const post = (u: TestUser, url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: u.auth, payload: payload as object });
  const get = (url: string, u?: TestUser) => t.app.inject({ url, headers: u?.auth });

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { runWorker: true });
    [ana, ben, cat, dan] = [
      await registerUser(t.app, 'ana'),
      await registerUser(t.app, 'ben'),
      await registerUser(t.app, 'cat'),
      await registerUser(t.app, 'dan'),
    ];
    await createDesign(t.app, ana, 'press', {
      title: 'Brick press',
      licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-4.0' },
    });
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.0.0', changelog: 'first' },
      [
        { path: 'frame/cube.stl', bytes: cubeStl(10) },
        { path: 'README.md', bytes: '# Press\n' },
      ],
      { name: 'bom.csv', bytes: bom },
    );
    expect(r.statusCode).toBe(201);
    await waitPipeline(t, '/api/designs/ana/press/versions/1.0.0');
  });
  afterAll(async () => {
    await t.close();
  });

  it('forks a version: same number, shared blobs and derivatives, BOM copied, provenance in fork-of', async () => {
    const r = await post(ben, '/api/designs/ana/press/forks', {
      version: '1.0.0',
      slug: 'press-metric',
      title: 'Metric press',
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      owner: 'ben',
      slug: 'press-metric',
      title: 'Metric press',
      forkedFrom: 'ana/press@1.0.0',
      latestVersion: '1.0.0',
      licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-4.0' },
    });
    const up = (await get('/api/designs/ana/press/versions/1.0.0')).json();
    const v = (await get('/api/designs/ben/press-metric/versions/1.0.0')).json();
    expect(v.manifest['fork-of']).toBe('ana/press@1.0.0');
    expect(v.changelog).toBe('first');
    expect(v.files.map((f: any) => [f.path, f.sha256, f.pipeline.state])).toEqual([
      ['README.md', sha('# Press\n'), 'done'],
      ['frame/cube.stl', sha(cubeStl(10)), 'done'],
    ]);
    const cube = v.files.find((f: any) => f.path === 'frame/cube.stl');
    expect(cube.facts).toEqual(up.files.find((f: any) => f.path === 'frame/cube.stl').facts);
    expect(cube.previews.png).toBe(
      '/api/designs/ben/press-metric/versions/1.0.0/previews/frame/cube.stl?size=512&format=png',
    );
    expect(v.bom).toEqual(up.bom);
    const png = await get(cube.previews.png);
    expect(png.statusCode).toBe(200);
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const { rows } = await t.deps.db.raw(`select count(*)::int as n from jobs where kind = 'process-file'`);
    expect(rows[0].n).toBe(1); // the fork's files were not processed again
    const again = await post(ben, '/api/designs/ana/press/forks', { version: '1.0.0', slug: 'press-metric' });
    expect(again.statusCode).toBe(409);
    expect(isProblem(again)).toBe(true);
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/forks',
      payload: { version: '1.0.0' },
    });
    expect(anon.statusCode).toBe(401);
    const missing = await post(ben, '/api/designs/ana/press/forks', { version: '9.9.9', slug: 'x' });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses licences that break share-alike on fork, publish and edit (422), and flags non-commons licences', async () => {
    const fork = await post(cat, '/api/designs/ana/press/forks', {
      version: '1.0.0',
      slug: 'press-mit',
      licenses: { hardware: 'MIT' },
    });
    expect(fork.statusCode).toBe(422);
    expect(isProblem(fork)).toBe(true);
    expect(fork.json().errors).toEqual([
      {
        field: '/licenses/hardware',
        value: 'MIT',
        message: expect.stringContaining(
          'ana/press@1.0.0 is licensed CERN-OHL-S-2.0 (hardware); CERN-OHL-S-2.0 is a share-alike licence',
        ),
      },
    ]);
    const pub = await publish(
      t.app,
      ben,
      'ben',
      'press-metric',
      { version: '1.0.1', licenses: { hardware: 'CERN-OHL-P-2.0' } },
      [{ path: 'x.txt', bytes: 'x' }],
    );
    expect(pub.statusCode).toBe(422);
    expect(pub.json().errors[0].field).toBe('/manifest/licenses/hardware');
    const edit = await t.app.inject({
      method: 'PATCH',
      url: '/api/designs/ben/press-metric',
      headers: ben.auth,
      payload: { licenses: { hardware: 'CC-BY-4.0' } },
    });
    expect(edit.statusCode).toBe(422);
    expect(edit.json().errors[0]).toMatchObject({ field: '/licenses/hardware', value: 'CC-BY-4.0' });
    // documentation was CC-BY-4.0 upstream: no share-alike there, anything goes
    const ok = await t.app.inject({
      method: 'PATCH',
      url: '/api/designs/ben/press-metric',
      headers: ben.auth,
      payload: { licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-NC-4.0' } },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().licenseFlags).toEqual([
      {
        field: 'documentation',
        license: 'CC-BY-NC-4.0',
        flag: 'non-commercial',
        message: expect.stringContaining('commercial'),
      },
    ]);
    const versions = (await get('/api/designs/ben/press-metric/versions')).json().items.map((v: any) => v.version);
    expect(versions).toEqual(['1.0.0']);
  });

  it('draws the lineage of a 3-level family with a branch, from any member', async () => {
    expect(
      (await post(cat, '/api/designs/ben/press-metric/forks', { version: 'latest', slug: 'press-xl' })).statusCode,
    ).toBe(201);
    expect(
      (await post(dan, '/api/designs/ana/press/forks', { version: '1.0.0', slug: 'press-solar' })).statusCode,
    ).toBe(201);
    const r = await get('/api/designs/cat/press-xl/lineage');
    expect(r.statusCode).toBe(200);
    const l = r.json();
    expect(l.design).toBe('cat/press-xl');
    expect(l.ancestors.map((a: any) => `${a.owner}/${a.slug}`)).toEqual(['ben/press-metric', 'ana/press']);
    const shape = (n: any): unknown => [`${n.owner}/${n.slug}`, n.forkedFrom, n.children.map(shape)];
    expect(shape(l.root)).toEqual([
      'ana/press',
      null,
      [
        ['ben/press-metric', 'ana/press@1.0.0', [['cat/press-xl', 'ben/press-metric@1.0.0', []]]],
        ['dan/press-solar', 'ana/press@1.0.0', []],
      ],
    ]);
    expect(l.root.versions).toEqual([
      { version: '1.0.0', state: 'published', publishedAt: expect.any(String), approvedBuilds: 0 },
    ]);
    expect(l).toMatchObject({ size: 4, truncated: false });
    const fromRoot = (await get('/api/designs/ana/press/lineage')).json();
    expect(shape(fromRoot.root)).toEqual(shape(l.root));
    expect(fromRoot.ancestors).toEqual([]);
    expect(fromRoot.root.followers).toEqual({ count: 0, instances: [] });
  });

  it('says who follows each design of the family across the network, by instance', async () => {
    const press = await findDesign(t.deps.db.db, 'ana', 'press');
    const follower = (host: string, name: string) => ({
      actorUri: `https://${host}/ap/actors/${name}`,
      inbox: `https://${host}/ap/actors/${name}/inbox`,
      sharedInbox: `https://${host}/ap/inbox`,
      instance: host,
    });
    await addFollower(t.deps.db.db, press.id, follower('c.example', 'instance'));
    await addFollower(t.deps.db.db, press.id, follower('b.example', 'instance'));
    await addFollower(t.deps.db.db, press.id, follower('b.example', 'bea'));
    const l = (await get('/api/designs/cat/press-xl/lineage')).json();
    expect(l.root.followers).toEqual({ count: 3, instances: ['b.example', 'c.example'] });
    expect(l.ancestors[1].followers).toEqual(l.root.followers);
    expect(l.root.children[0].followers).toEqual({ count: 0, instances: [] });
    await removeFollower(t.deps.db.db, 'ana', 'press', follower('c.example', 'instance').actorUri);
    expect((await get('/api/designs/ana/press/lineage')).json().root.followers).toEqual({
      count: 2,
      instances: ['b.example'],
    });
  });

  it('tells a fork when upstream is newer than its base, on the design and in the feed', async () => {
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.1.0', changelog: 'stronger frame' },
      [
        { path: 'frame/cube.stl', bytes: cubeStl(12) },
        { path: 'README.md', bytes: '# Press\n' },
      ],
      { name: 'bom.csv', bytes: bom },
    );
    expect(r.statusCode).toBe(201);
    const d = (await get('/api/designs/ben/press-metric')).json();
    expect(d.upstream).toMatchObject({
      design: 'ana/press',
      base: 'ana/press@1.0.0',
      latest: 'ana/press@1.1.0',
      newer: true,
      message: 'upstream 1.1.0 is newer than your base 1.0.0',
      compare: '/api/designs/ben/press-metric/compare?from=ana%2Fpress%401.0.0&to=ana%2Fpress%401.1.0',
    });
    const cmp = await get(d.upstream.compare);
    expect(cmp.statusCode).toBe(200);
    expect(cmp.json().files.changed.map((f: any) => f.path)).toEqual(['frame/cube.stl']);
    expect((await get('/api/designs/ana/press')).json().upstream).toBeNull();
    const feed = (await get('/api/me/feed', ben)).json().items;
    expect(feed.filter((i: any) => i.type === 'upstream-update')).toEqual([
      expect.objectContaining({
        design: 'ben/press-metric',
        upstream: 'ana/press',
        message: 'upstream 1.1.0 is newer than your base 1.0.0',
      }),
    ]);
    expect(feed.filter((i: any) => i.type === 'fork').map((i: any) => i.fork)).toEqual(['cat/press-xl']);
    const anaFeed = (await get('/api/me/feed', ana)).json().items;
    expect(
      anaFeed
        .filter((i: any) => i.type === 'fork')
        .map((i: any) => [i.fork, i.from, i.by])
        .sort(),
    ).toEqual([
      ['ben/press-metric', 'ana/press@1.0.0', 'ben'],
      ['dan/press-solar', 'ana/press@1.0.0', 'dan'],
    ]);
    expect((await get('/api/me/feed')).statusCode).toBe(401);
  });

  it('takes a proposal from a fork: comments, accept as a new upstream version with credit, 409 on a second decision', async () => {
    const pub = await publish(
      t.app,
      ben,
      'ben',
      'press-metric',
      { version: '1.2.0', changelog: 'metric tube', units: 'mm' },
      [
        { path: 'frame/cube.stl', bytes: cubeStl(14) },
        { path: 'README.md', bytes: '# Metric press\n' },
        { path: 'docs/metric.md', bytes: 'M12 everywhere\n' },
      ],
      { name: 'bom.csv', bytes: bom.replace('16,pcs,0.35', '20,pcs,0.30') },
    );
    expect(pub.statusCode).toBe(201);
    const stranger = await post(dan, '/api/designs/ana/press/proposals', {
      from: 'ben/press-metric@1.2.0',
      message: 'not mine',
    });
    expect(stranger.statusCode).toBe(403);
    const r = await post(ben, '/api/designs/ana/press/proposals', {
      from: 'ben/press-metric@1.2.0',
      message: 'Metric steel sizes',
    });
    expect(r.statusCode).toBe(201);
    const p = r.json();
    expect(p).toMatchObject({
      design: 'ana/press',
      from: 'ben/press-metric@1.2.0',
      author: 'ben',
      message: 'Metric steel sizes',
      state: 'open',
      comments: [],
    });
    const c = await post(ana, `/api/designs/ana/press/proposals/${p.id}/comments`, { body: 'Looks good' });
    expect(c.statusCode).toBe(201);
    const one = (await get(`/api/designs/ana/press/proposals/${p.id}`)).json();
    expect(one.comments.map((x: any) => [x.author, x.body])).toEqual([['ana', 'Looks good']]);
    expect(one.compare.from).toBe('ana/press@1.0.0');
    expect(one.compare.files).toMatchObject({
      added: [{ path: 'docs/metric.md' }],
      changed: [{ path: 'README.md' }, { path: 'frame/cube.stl' }],
      removed: [],
      renamed: [],
      unchanged: 0,
    });
    expect(one.compare.bom.changed.map((l: any) => [l.partNumber, Object.keys(l.changes)])).toEqual([
      ['BL-M12', ['quantity', 'unitCost']],
    ]);
    expect((await post(ben, `/api/designs/ana/press/proposals/${p.id}/accept`, { version: '1.3.0' })).statusCode).toBe(
      403,
    );
    const taken = await post(ana, `/api/designs/ana/press/proposals/${p.id}/accept`, { version: '1.1.0' });
    expect(taken.statusCode).toBe(409);
    expect((await get(`/api/designs/ana/press/proposals/${p.id}`)).json().state).toBe('open');
    const acc = await post(ana, `/api/designs/ana/press/proposals/${p.id}/accept`, { version: '1.3.0' });
    expect(acc.statusCode).toBe(201);
    const { proposal, version } = acc.json();
    expect(proposal).toMatchObject({ state: 'accepted', decidedBy: 'ana', acceptedVersion: 'ana/press@1.3.0' });
    expect(version.version).toBe('1.3.0');
    expect(version.manifest).toMatchObject({
      'accepted-from': 'ben/press-metric@1.2.0',
      contributors: [{ handle: 'ben', from: 'ben/press-metric@1.2.0' }],
      changelog: 'metric tube',
      units: 'mm',
    });
    expect(version.manifest['fork-of']).toBeUndefined();
    expect(version.files.map((f: any) => [f.path, f.sha256])).toEqual([
      ['README.md', sha('# Metric press\n')],
      ['docs/metric.md', sha('M12 everywhere\n')],
      ['frame/cube.stl', sha(cubeStl(14))],
    ]);
    expect(version.bom.checksum).toBe((await get('/api/designs/ben/press-metric/versions/1.2.0')).json().bom.checksum);
    const twice = await post(ana, `/api/designs/ana/press/proposals/${p.id}/decline`, { reason: 'changed my mind' });
    expect(twice.statusCode).toBe(409);
    expect(isProblem(twice)).toBe(true);
  });

  it('declines a proposal with a reason; lists by state', async () => {
    const r = await post(dan, '/api/designs/ana/press/proposals', { from: 'dan/press-solar@1.0.0', message: 'Solar' });
    expect(r.statusCode).toBe(201);
    const id = r.json().id;
    const d = await post(ana, `/api/designs/ana/press/proposals/${id}/decline`, { reason: 'Nothing changed' });
    expect(d.statusCode).toBe(200);
    expect(d.json()).toMatchObject({ state: 'declined', reason: 'Nothing changed', decidedBy: 'ana' });
    expect((await post(ana, `/api/designs/ana/press/proposals/${id}/accept`, { version: '2.0.0' })).statusCode).toBe(
      409,
    );
    expect((await get('/api/designs/ana/press/proposals?state=declined')).json().items.map((p: any) => p.from)).toEqual(
      ['dan/press-solar@1.0.0'],
    );
    expect((await get('/api/designs/ana/press/proposals')).json().items.map((p: any) => p.state)).toEqual([
      'declined',
      'accepted',
    ]);
    const outsider = await createDesign(t.app, dan, 'unrelated');
    await publish(t.app, dan, 'dan', 'unrelated', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'a' }]);
    expect(outsider.slug).toBe('unrelated');
    const bad = await post(dan, '/api/designs/ana/press/proposals', { from: 'dan/unrelated@1.0.0', message: 'x' });
    expect(bad.statusCode).toBe(422);
    const feed = (await get('/api/me/feed', ana)).json().items.filter((i: any) => i.type === 'proposal');
    expect(feed.map((i: any) => [i.from, i.state])).toEqual([
      ['dan/press-solar@1.0.0', 'declined'],
      ['ben/press-metric@1.2.0', 'accepted'],
    ]);
  });

  it('an accepted improvement without a changelog is credited in the design’s language, not the lead’s', async () => {
    await createDesign(t.app, ana, 'forn', { title: 'Forn de calç' });
    const own = await publish(t.app, ana, 'ana', 'forn', { version: '1.0.0', language: 'ca' }, [
      { path: 'README.md', bytes: '# Forn\n' },
    ]);
    expect(own.statusCode, own.body).toBe(201);
    const fork = await post(ben, '/api/designs/ana/forn/forks', { version: '1.0.0', slug: 'forn-gran' });
    expect(fork.statusCode, fork.body).toBe(201);
    const pub = await publish(t.app, ben, 'ben', 'forn-gran', { version: '1.1.0', language: 'ca' }, [
      { path: 'README.md', bytes: '# Forn gran\n' },
    ]);
    expect(pub.statusCode, pub.body).toBe(201);
    const r = await post(ben, '/api/designs/ana/forn/proposals', { from: 'ben/forn-gran@1.1.0', message: 'Més gran' });
    expect(r.statusCode, r.body).toBe(201);
    const acc = await t.app.inject({
      method: 'POST',
      url: `/api/designs/ana/forn/proposals/${r.json().id}/accept`,
      headers: { ...ana.auth, 'accept-language': 'de' },
      payload: { version: '1.1.0' },
    });
    expect(acc.statusCode, acc.body).toBe(201);
    expect(acc.json().version.changelog).toBe('Acceptada la millora que ben va proposar des de ben/forn-gran@1.1.0');
  });
});
