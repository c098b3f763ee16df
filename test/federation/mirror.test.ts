// The mirror side of the network end to end: origin A is a real instance (a separate process); B is an in-process app
// whose MirrorSink is handed what the protocol side would read from A (here read from A's REST documents). Files are
// fetched through a proxy in front of A that counts requests and can alter bytes.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, formPayload, isProblem, publishForm, registerUser, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { startInstance, registerOn, type Instance } from '../helpers/instances.js';
import { startHttpProxy, type HttpProxy } from '../helpers/http-proxy.js';
import { remoteDesignOf, remoteVersionOf } from '../helpers/remote-documents.js';
import { cubeStl } from '../helpers/meshes.js';
import type { RemoteDesign } from '../../server/src/federation/remote-version.js';
import { deleteUnreferencedBlob } from '../../server/src/registry/blob-holds.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const bomCsv = 'Part Number,Description,Qty,Unit\nFR-01,Frame,1,pcs\nBL-M12,Bolt M12x40,16,pcs\n';

async function publishOn(
  a: Instance,
  token: string,
  slug: string,
  version: string,
  files: { path: string; bytes: Buffer | string }[],
) {
  const res = await fetch(`${a.url}/api/designs/ana/${slug}/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: publishForm({ version, changelog: `Version ${version}` }, files, { name: 'bom.csv', bytes: bomCsv }),
  });
  if (res.status !== 201) throw new Error(`publish ${version}: ${res.status} ${await res.text()}`);
}

/** Waits until every announced version of the mirrored design is complete or failed. */
async function settled(t: TestApp, ref: string, count: number, timeoutMs = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const d = (await t.app.inject({ url: `/api/designs/${ref}`, headers: { 'cache-control': 'no-cache' } })).json();
    const versions = (d.mirror?.versions ?? []) as { version: string; state: string; error?: string }[];
    if (versions.length >= count && versions.every((v) => v.state === 'complete' || v.state === 'failed')) return d;
    if (Date.now() - t0 > timeoutMs) throw new Error(`mirror of ${ref} not settled: ${JSON.stringify(versions)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function versionDone(t: TestApp, url: string, timeoutMs = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const v = (await t.app.inject({ url })).json();
    if (v.pipeline?.state === 'done' || Date.now() - t0 > timeoutMs) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(databaseKinds)('mirroring a design from another instance into %s', (kind) => {
  let a: Instance;
  let proxy: HttpProxy;
  let b: TestApp;
  let design: RemoteDesign;
  let ref: string;
  let token: string;
  const stl = cubeStl(10);
  const readme = '# Brick press\n\nA manual brick press.\n';

  beforeAll(async () => {
    a = await startInstance();
    token = await registerOn(a, 'ana');
    const created = await fetch(`${a.url}/api/designs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        slug: 'brick-press',
        title: 'Brick press',
        summary: 'Presses bricks',
        tags: ['earth'],
        licenses: { hardware: 'CERN-OHL-S-2.0' },
      }),
    });
    expect(created.status).toBe(201);
    await publishOn(a, token, 'brick-press', '1.0.0', [
      { path: 'frame.stl', bytes: stl },
      { path: 'README.md', bytes: readme },
    ]);
    // 1.1.0 keeps the same frame (its blob is held by then: not fetched again) and changes the README
    await publishOn(a, token, 'brick-press', '1.1.0', [
      { path: 'frame.stl', bytes: stl },
      { path: 'README.md', bytes: readme + '\nv1.1\n' },
    ]);
    await publishOn(a, token, 'brick-press', '1.2.0', [
      { path: 'frame.stl', bytes: cubeStl(20) },
      { path: 'README.md', bytes: readme + '\nv1.2\n' },
    ]);
    proxy = await startHttpProxy(a.url);
    b = await createTestApp(kind, { runWorker: true, workerThreads: 1, federationAllowPrivate: true });
    design = await remoteDesignOf(a.url, a.host, 'ana', 'brick-press');
    ref = `ana@${a.host}/brick-press`;
  }, 180_000);

  afterAll(async () => {
    // the origin process goes whatever B's close reports (it throws on replies that broke their schemas)
    try {
      await b?.close();
    } finally {
      await proxy?.close();
      await a?.dispose();
    }
  });

  it('mirrors three versions with identical sha256s, previews drawn here, and fetches a held blob once', async () => {
    await b.deps.mirror.design(design);
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
      const remote = await remoteVersionOf(a.url, proxy.url, 'ana', 'brick-press', v);
      await b.deps.mirror.version(design.actorUri, remote);
      // delivered twice (a retried activity): nothing more happens
      await b.deps.mirror.version(design.actorUri, remote);
      // one at a time, so the second sees the first's frame as held
      await settled(b, ref, ['1.0.0', '1.1.0', '1.2.0'].indexOf(v) + 1);
    }
    const d = await settled(b, ref, 3);
    expect(d.mirror.versions.map((v: any) => v.state)).toEqual(['complete', 'complete', 'complete']);
    expect(d.origin).toEqual({ url: `${a.url}/ana/brick-press`, instance: a.host });
    expect(d.owner).toBe(`ana@${a.host}`);
    expect(d.title).toBe('Brick press');
    expect(d.latestVersion).toBe('1.2.0');
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
      const there = await (await fetch(`${a.url}/api/designs/ana/brick-press/versions/${v}`)).json();
      const here = await versionDone(b, `/api/designs/${ref}/versions/${v}`);
      expect(here.mirror).toEqual({ state: 'complete' });
      expect(here.originGone).toBe(false);
      expect(here.files.map((f: any) => [f.path, f.sha256])).toEqual(there.files.map((f: any) => [f.path, f.sha256]));
      expect(here.bom.sha256).toBe(there.bom.sha256);
      expect(here.bom.lines).toBe(2);
      const frame = here.files.find((f: any) => f.path === 'frame.stl');
      expect(frame.pipeline.state).toBe('done');
      expect(frame.facts.triangles).toBe(12);
      const preview = await b.app.inject({
        url: `/api/designs/${ref}/versions/${v}/previews/frame.stl?size=256&format=png`,
      });
      expect(preview.statusCode).toBe(200);
      expect(preview.headers['content-type']).toBe('image/png');
    }
    expect(proxy.requests.filter((p) => p.endsWith('/versions/1.0.0/files/frame.stl'))).toHaveLength(1);
    // 1.1.0's frame is 1.0.0's bytes, and so is its BOM: held already, never asked for
    expect(proxy.requests.filter((p) => p.includes('/versions/1.1.0/files/frame.stl'))).toHaveLength(0);
    expect(proxy.requests.filter((p) => p.includes('/versions/1.1.0/bom/source'))).toHaveLength(0);
    expect(proxy.requests.filter((p) => p.endsWith('/versions/1.1.0/files/README.md'))).toHaveLength(1);
    const lineage = await b.app.inject({ url: `/api/designs/${ref}/lineage` });
    expect(lineage.statusCode).toBe(200);
    const bom = await b.app.inject({ url: `/api/designs/${ref}/versions/1.2.0/bom?format=json` });
    expect(bom.json().lines.map((l: any) => l.partNumber)).toEqual(['FR-01', 'BL-M12']);
  }, 120_000);

  it('refuses bytes that do not hash to the announced sha256, and stores nothing under that name', async () => {
    const readmeV = readme + '\ntampered\n';
    const token = await registerOn(a, 'bea');
    const res = await fetch(`${a.url}/api/designs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ slug: 'kiln', title: 'Kiln' }),
    });
    expect(res.status).toBe(201);
    const published = await fetch(`${a.url}/api/designs/bea/kiln/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: publishForm({ version: '1.0.0' }, [{ path: 'notes.md', bytes: readmeV }]),
    });
    expect(published.status).toBe(201);
    proxy.tamper('/bea/kiln/versions/1.0.0/files/notes.md');
    const kiln = await remoteDesignOf(a.url, a.host, 'bea', 'kiln');
    await b.deps.mirror.design(kiln);
    await b.deps.mirror.version(kiln.actorUri, await remoteVersionOf(a.url, proxy.url, 'bea', 'kiln', '1.0.0'));
    const d = await settled(b, `bea@${a.host}/kiln`, 1);
    expect(d.mirror.versions[0].state).toBe('failed');
    expect(d.mirror.versions[0].error).toMatch(/notes\.md.*not the announced/);
    expect(d.latestVersion).toBeNull();
    // neither the announced name nor the altered bytes' own: the temporary copy was dropped
    const altered = Buffer.from(readmeV);
    altered[0] ^= 0xff;
    expect(await b.deps.blobs.has(sha(readmeV))).toBe(false);
    expect(await b.deps.blobs.has(sha(altered))).toBe(false);
    const v = await b.app.inject({ url: `/api/designs/bea@${a.host}/kiln/versions/1.0.0` });
    expect(v.statusCode).toBe(404);
    expect(v.json().detail).toMatch(/could not be copied here: .*notes\.md/);
    expect(v.json().mirror.state).toBe('failed');
  }, 60_000);

  it('holds the blobs it copies until the version is written: a clean-up meanwhile spares them', async () => {
    const token = await registerOn(a, 'cy');
    const res = await fetch(`${a.url}/api/designs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ slug: 'mill', title: 'Mill' }),
    });
    expect(res.status).toBe(201);
    const notes = '# Mill\n\nheld while copied\n';
    const published = await fetch(`${a.url}/api/designs/cy/mill/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: publishForm({ version: '1.0.0' }, [{ path: 'notes.md', bytes: notes }]),
    });
    expect(published.status).toBe(201);
    // the pause point: once the copy's bytes are stored and before its rows are written, the one deletion every
    // process uses (a refused upload's clean-up, gc) tries to delete them
    const store = b.deps.blobs;
    const put = store.put.bind(store);
    let deleted: boolean | undefined;
    store.put = async (...args: Parameters<typeof store.put>) => {
      const blob = await put(...args);
      if (blob.sha256 === sha(notes)) deleted = await deleteUnreferencedBlob(b.deps.db.db, store, blob.sha256);
      return blob;
    };
    try {
      const mill = await remoteDesignOf(a.url, a.host, 'cy', 'mill');
      await b.deps.mirror.design(mill);
      await b.deps.mirror.version(mill.actorUri, await remoteVersionOf(a.url, proxy.url, 'cy', 'mill', '1.0.0'));
      const d = await settled(b, `cy@${a.host}/mill`, 1);
      expect(d.mirror.versions[0]).toEqual({ version: '1.0.0', state: 'complete' });
    } finally {
      store.put = put;
    }
    expect(deleted).toBe(false);
    const file = await b.app.inject({ url: `/api/designs/cy@${a.host}/mill/versions/1.0.0/files/notes.md` });
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe(notes);
  }, 60_000);

  it('answers a write on a mirror with 403 naming its home', async () => {
    const local = await registerUser(b.app);
    const patch = await b.app.inject({
      method: 'PATCH',
      url: `/api/designs/${ref}`,
      headers: local.auth,
      payload: { title: 'Mine now' },
    });
    expect(patch.statusCode).toBe(403);
    expect(isProblem(patch)).toBe(true);
    expect(patch.json().detail).toContain(`${a.url}/ana/brick-press`);
    expect(patch.json().home).toBe(`${a.url}/ana/brick-press`);
    const { payload, headers } = await formPayload(publishForm({ version: '9.0.0' }, [{ path: 'x.md', bytes: 'x' }]));
    const pub = await b.app.inject({
      method: 'POST',
      url: `/api/designs/${ref}/versions`,
      headers: { ...headers, ...local.auth },
      payload,
    });
    expect(pub.statusCode).toBe(403);
    expect(pub.json().detail).toContain('read-only mirror');
    const yank = await b.app.inject({
      method: 'POST',
      url: `/api/designs/${ref}/versions/1.0.0/yank`,
      headers: local.auth,
    });
    expect(yank.statusCode).toBe(403);
    // a remote owner has no password here: nobody signs in as it
    const login = await b.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: `ana@${a.host}`, password: '!remote' },
    });
    expect(login.statusCode).toBe(401);
  });

  it('applies an edit and a yank from the origin', async () => {
    await b.deps.mirror.design({ ...design, title: 'Brick press, improved', tags: ['earth', 'press'] });
    await b.deps.mirror.yanked(design.actorUri, '1.0.0', true);
    const d = (await b.app.inject({ url: `/api/designs/${ref}` })).json();
    expect(d.title).toBe('Brick press, improved');
    expect(d.tags).toEqual(['earth', 'press']);
    expect((await b.app.inject({ url: `/api/designs/${ref}/versions/1.0.0` })).json().state).toBe('yanked');
  });

  it('retries a copy whose fetches failed on the network, and completes it', async () => {
    await publishOn(a, token, 'brick-press', '1.3.0', [
      { path: 'frame.stl', bytes: cubeStl(30) },
      { path: 'README.md', bytes: readme + '\nv1.3\n' },
    ]);
    const remote = await remoteVersionOf(a.url, proxy.url, 'ana', 'brick-press', '1.3.0');
    proxy.dropNext(2);
    const before = proxy.requests.length;
    await b.deps.mirror.version(design.actorUri, remote);
    const d = await settled(b, ref, 4);
    expect(d.mirror.versions.find((v: any) => v.version === '1.3.0')).toEqual({ version: '1.3.0', state: 'complete' });
    // the dropped requests were asked again: more requests than the version's three blobs
    expect(proxy.requests.length - before).toBeGreaterThan(3);
    const here = (await b.app.inject({ url: `/api/designs/${ref}/versions/1.3.0` })).json();
    expect(here.files.find((f: any) => f.path === 'frame.stl').sha256).toBe(sha(cubeStl(30)));
  }, 60_000);

  it('keeps serving every file once the origin is gone, marked originGone', async () => {
    await a.stop();
    for (const v of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) {
      const doc = (await b.app.inject({ url: `/api/designs/${ref}/versions/${v}` })).json();
      for (const f of doc.files) {
        const file = await b.app.inject({ url: `/api/designs/${ref}/versions/${v}/files/${f.path}` });
        expect(file.statusCode).toBe(200);
        expect(sha(file.rawPayload)).toBe(f.sha256);
      }
      const zip = await b.app.inject({ url: `/api/designs/${ref}/versions/${v}/archive.zip` });
      expect(zip.statusCode).toBe(200);
    }
    const page = await b.app.inject({ url: `/${ref}` });
    expect(page.statusCode).toBe(200);
    await b.deps.mirror.originGone(design.actorUri);
    expect((await b.app.inject({ url: `/api/designs/${ref}` })).json().originGone).toBe(true);
    const v = (await b.app.inject({ url: `/api/designs/${ref}/versions/1.2.0` })).json();
    expect(v.originGone).toBe(true);
    expect((await b.app.inject({ url: `/api/designs/${ref}/versions/1.2.0/files/frame.stl` })).statusCode).toBe(200);
    await a.restart();
  }, 90_000);

  it('finds mirrored designs in search and parts search beside local ones, with the instance facet', async () => {
    const local = await registerUser(b.app);
    const created = await b.app.inject({
      method: 'POST',
      url: '/api/designs',
      headers: local.auth,
      payload: { slug: 'brick-mould', title: 'Brick mould' },
    });
    expect(created.statusCode).toBe(201);
    const here = new URL(b.deps.config.publicUrl).host;
    const found = (await b.app.inject({ url: '/api/designs?q=brick' })).json();
    expect(found.items.map((d: any) => d.owner).sort()).toEqual([`ana@${a.host}`, local.handle].sort());
    expect(found.items.find((d: any) => d.owner === `ana@${a.host}`).origin.instance).toBe(a.host);
    expect(found.items.find((d: any) => d.owner === local.handle).origin).toBeUndefined();
    expect(found.facets.instance).toEqual({ [a.host]: 1, [here]: 1 });
    const onlyA = (await b.app.inject({ url: `/api/designs?q=brick&instance=${encodeURIComponent(a.host)}` })).json();
    expect(onlyA.items.map((d: any) => d.slug)).toEqual(['brick-press']);
    const onlyHere = (await b.app.inject({ url: `/api/designs?instance=${encodeURIComponent(here)}` })).json();
    expect(onlyHere.items.map((d: any) => d.slug)).toEqual(['brick-mould']);
    const parts = (await b.app.inject({ url: '/api/parts?q=FR-01' })).json();
    expect(parts.items[0].usedIn.map((u: any) => u.owner)).toContain(`ana@${a.host}`);
  });

  it('hides the mirrors of a blocked instance and shows them again when unblocked', async () => {
    await b.deps.mirror.instanceBlocked(a.host, true);
    expect((await b.app.inject({ url: `/api/designs/${ref}` })).statusCode).toBe(404);
    const list = (await b.app.inject({ url: `/api/designs?owner=${encodeURIComponent(`ana@${a.host}`)}` })).json();
    expect(list.items).toHaveLength(0);
    const searched = (await b.app.inject({ url: '/api/designs?q=brick' })).json();
    expect(searched.items.map((d: any) => d.slug)).toEqual(['brick-mould']);
    const usedIn = async () =>
      ((await b.app.inject({ url: '/api/parts?q=FR-01' })).json().items[0]?.usedIn ?? []).map((u: any) => u.owner);
    expect(await usedIn()).not.toContain(`ana@${a.host}`);
    await b.deps.mirror.instanceBlocked(a.host, false);
    expect(await usedIn()).toContain(`ana@${a.host}`);
    expect((await b.app.inject({ url: '/api/designs?q=brick' })).json().items).toHaveLength(2);
    expect((await b.app.inject({ url: `/api/designs/${ref}` })).statusCode).toBe(200);
  });

  it('hides a version its origin took down', async () => {
    await b.deps.mirror.takenDown(design.actorUri, '1.1.0');
    expect((await b.app.inject({ url: `/api/designs/${ref}/versions/1.1.0` })).statusCode).toBe(404);
    expect((await b.app.inject({ url: `/api/designs/${ref}/versions/1.1.0/files/README.md` })).statusCode).toBe(404);
    const versions = (await b.app.inject({ url: `/api/designs/${ref}/versions` })).json();
    expect(versions.items.map((v: any) => v.version)).toEqual(['1.3.0', '1.2.0', '1.0.0']);
    const d = (await b.app.inject({ url: `/api/designs/${ref}` })).json();
    expect(d.latestVersion).toBe('1.3.0');
    expect(d.mirror.versions.map((v: any) => v.version)).not.toContain('1.1.0');
    expect((await b.app.inject({ url: `/api/designs/${ref}/versions/1.2.0` })).statusCode).toBe(200);
  });

  it('forks a mirrored version into a local design of the caller', async () => {
    const local = await registerUser(b.app);
    // a local fork of a mirrored version is the caller's own design: allowed, and its lineage names the mirror
    const fork = await b.app.inject({
      method: 'POST',
      url: `/api/designs/${ref}/forks`,
      headers: local.auth,
      payload: { version: '1.2.0', slug: 'my-press' },
    });
    expect(fork.statusCode).toBe(201);
    // a fork of a mirror says where the version lives (forks across instances: docs/forks.md)
    expect(fork.json().forkedFrom).toMatchObject({ ref: `${ref}@1.2.0`, version: '1.2.0', instance: a.host });
  });

  it('hides a design its origin took down', async () => {
    await b.deps.mirror.takenDown(design.actorUri);
    expect((await b.app.inject({ url: `/api/designs/${ref}` })).statusCode).toBe(404);
    const found = (await b.app.inject({ url: `/api/designs?q=brick` })).json();
    expect(found.items.map((x: any) => x.owner)).not.toContain(`ana@${a.host}`);
  });
});

describe('mirroring without federationAllowPrivate', () => {
  let b: TestApp;
  beforeAll(async () => {
    b = await createTestApp('pglite', { runWorker: true, workerThreads: 1, federationAllowPrivate: false });
  });
  afterAll(async () => b?.close());

  it('refuses to fetch from a loopback origin, and says so on the version', async () => {
    const design: RemoteDesign = {
      actorUri: 'http://127.0.0.1:9/ana/press',
      url: 'http://127.0.0.1:9/ana/press',
      instance: '127.0.0.1:9',
      owner: 'ana',
      slug: 'press',
      title: 'Press',
      summary: '',
      tags: [],
    };
    await b.deps.mirror.design(design);
    await b.deps.mirror.version(design.actorUri, {
      objectUri: 'http://127.0.0.1:9/ana/press/1.0.0',
      url: 'http://127.0.0.1:9/ana/press/1.0.0',
      version: '1.0.0',
      publishedAt: new Date().toISOString(),
      manifest: { version: '1.0.0' },
      files: [{ path: 'a.md', size: 1, sha256: sha('a'), mediaType: 'text/markdown', url: 'http://127.0.0.1:9/a.md' }],
    });
    const d = await settled(b, 'ana@127.0.0.1:9/press', 1);
    expect(d.mirror.versions[0]).toMatchObject({ state: 'failed' });
    expect(d.mirror.versions[0].error).toMatch(
      /Refused to fetch from 127\.0\.0\.1: 127\.0\.0\.1 is a private or reserved address/,
    );
  }, 30_000);

  it('fails a version whose announcement is unusable before fetching anything', async () => {
    const design: RemoteDesign = {
      actorUri: 'https://203.0.113.9/ana/kiln',
      url: 'https://203.0.113.9/ana/kiln',
      instance: '203.0.113.9',
      owner: 'ana',
      slug: 'kiln',
      title: 'Kiln',
      summary: '',
      tags: [],
    };
    await b.deps.mirror.design(design);
    const announced = (version: string, path: string) => ({
      objectUri: `${design.actorUri}/${version}`,
      url: `${design.actorUri}/${version}`,
      version,
      publishedAt: new Date().toISOString(),
      manifest: { version },
      files: [{ path, size: 1, sha256: sha('a'), mediaType: 'text/plain', url: `${design.actorUri}/a` }],
    });
    await b.deps.mirror.version(design.actorUri, announced('1.0.0', '../../etc/passwd'));
    await b.deps.mirror.version(design.actorUri, announced('not-a-version', 'a.md'));
    const d = await settled(b, 'ana@203.0.113.9/kiln', 2);
    const byVersion = Object.fromEntries(d.mirror.versions.map((v: any) => [v.version, v]));
    expect(byVersion['1.0.0']).toMatchObject({ state: 'failed', error: expect.stringMatching(/climbs out/) });
    expect(byVersion['not-a-version']).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/not valid semver/),
    });
  }, 30_000);

  it('refuses remote names that would not make a safe address here', async () => {
    const base: RemoteDesign = {
      actorUri: 'https://a.example/x',
      url: 'https://a.example/x',
      instance: 'a.example',
      owner: 'ana',
      slug: 'press',
      title: 'Press',
      summary: '',
      tags: [],
    };
    for (const bad of [
      { owner: '../admin' },
      { owner: 'a/b' },
      { slug: 'Press Two' },
      { instance: 'a.example/evil' },
    ]) {
      await expect(b.deps.mirror.design({ ...base, ...bad })).rejects.toMatchObject({ status: 422 });
    }
    await b.deps.mirror.design({ ...base, instance: '[2001:db8::1]:8443' });
    expect((await b.app.inject({ url: '/api/designs/ana@[2001:db8::1]:8443/press' })).statusCode).toBe(200);
  });
});
