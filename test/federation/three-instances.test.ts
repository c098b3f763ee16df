// Three real Andecha instances as separate processes on loopback ports (A on PostgreSQL when TEST_DATABASE_URL is
// set): A hosts a design that B follows by its web address and C by its handle; both backfill it, mirror a new
// version with A's exact bytes and draw its previews themselves, and hear of a yank. Then C blocks B's instance:
// B's design disappears from C, and nothing B sends after that — a new version, a follow — reaches C.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiOn,
  instanceDatabase,
  publishVersionOn,
  registerOn,
  startInstances,
  type Instance,
} from '../helpers/instances.js';
import { cubeStl } from '../helpers/meshes.js';
import { eventually } from '../helpers/eventually.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const activityJson = { accept: 'application/activity+json' };

interface FileEntry {
  path: string;
  size: number;
  sha256: string;
}
const fileList = (v: { files: FileEntry[] }) =>
  v.files.map(({ path, size, sha256 }) => ({ path, size, sha256 })).sort((x, y) => x.path.localeCompare(y.path));

/** A version of a design (`ana/brick-press`, or `ana@host/brick-press` for a mirror) once its previews are drawn. */
async function versionDone(instance: Instance, ref: string, version: string, token?: string) {
  const path = `/api/designs/${ref}/versions/${version}`;
  return eventually(
    async () => {
      const res = await fetch(`${instance.url}${path}`, {
        headers: { 'cache-control': 'no-cache', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      if (!res.ok) return undefined;
      const doc = await res.json();
      if (doc.mirror?.state === 'failed')
        throw new Error(`${instance.host} failed to mirror ${ref}@${version}: ${doc.mirror.error}`);
      const copied = !doc.mirror || doc.mirror.state === 'complete';
      return copied && doc.pipeline?.state === 'done' ? doc : undefined;
    },
    30_000,
    `${ref}@${version} on ${instance.host}`,
  );
}

describe('three instances: one design followed from two, a block between the followers', () => {
  let a: Instance;
  let b: Instance;
  let c: Instance;
  let databaseOfA: Awaited<ReturnType<typeof instanceDatabase>>;
  let ana: string;
  let bo: string;
  let cy: string;
  let press: string;

  const readme = (v: string) => `# Brick press ${v}\n`;

  beforeAll(async () => {
    databaseOfA = await instanceDatabase();
    // three processes booting at once on a shared 2-core machine: allow for its load
    const readyTimeoutMs = 120_000;
    [a, b, c] = await startInstances(
      { databaseUrl: databaseOfA.url, readyTimeoutMs },
      { readyTimeoutMs },
      { readyTimeoutMs },
    );
    // each first account is its instance's admin
    [ana, bo, cy] = await Promise.all([registerOn(a, 'ana'), registerOn(b, 'bo'), registerOn(c, 'cy')]);
    press = `ana@${a.host}/brick-press`;
    // A's start says where its data lives: PostgreSQL when the run has one
    expect(a.output()).toContain(databaseOfA.url ? 'data: PostgreSQL' : 'data: PGlite');
    expect((await apiOn(a, ana, 'POST', '/api/designs', { slug: 'brick-press', title: 'Brick press' })).status).toBe(
      201,
    );
    expect((await apiOn(b, bo, 'POST', '/api/designs', { slug: 'kiln', title: 'Kiln' })).status).toBe(201);
    expect((await apiOn(c, cy, 'POST', '/api/designs', { slug: 'loom', title: 'Loom' })).status).toBe(201);
    for (const [v, size] of [
      ['1.0.0', 10],
      ['1.1.0', 15],
    ] as const)
      await publishVersionOn(a, ana, 'ana/brick-press', { version: v, changelog: `Release ${v}` }, [
        { path: 'frame.stl', bytes: cubeStl(size) },
        { path: 'README.md', bytes: readme(v) },
      ]);
    await publishVersionOn(b, bo, 'bo/kiln', { version: '1.0.0' }, [{ path: 'shell.stl', bytes: cubeStl(40) }]);
    // C and A follow B's design now, so that its mirroring overlaps the tests before the block's; A is that test's
    // control: it must get what C must not
    for (const [instance, token] of [
      [c, cy],
      [a, ana],
    ] as const) {
      const r = await apiOn(instance, token, 'POST', '/api/federation/follows', { target: `${b.url}/bo/kiln` });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose(), c?.dispose()]);
    await databaseOfA?.drop();
  });

  it('B follows by web address and C by handle: both accepted, both backfill every version with A’s sha256s', async () => {
    const byUrl = await apiOn(b, bo, 'POST', '/api/federation/follows', { target: `${a.url}/ana/brick-press` });
    const byHandle = await apiOn(c, cy, 'POST', '/api/federation/follows', { target: `ana~brick-press@${a.host}` });
    for (const r of [byUrl, byHandle]) {
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      expect(r.body.design).toEqual({ owner: `ana@${a.host}`, slug: 'brick-press' });
    }
    for (const [instance, token] of [
      [b, bo],
      [c, cy],
    ] as const) {
      await eventually(
        async () =>
          (await apiOn(instance, token, 'GET', '/api/federation/follows')).body.items.find(
            (f: { design: { slug: string } }) => f.design.slug === 'brick-press',
          )?.state === 'accepted',
        20_000,
        `${instance.host}'s follow accepted`,
      );
      for (const v of ['1.0.0', '1.1.0']) {
        const [there, here] = await Promise.all([
          versionDone(a, 'ana/brick-press', v),
          versionDone(instance, press, v),
        ]);
        expect(here.mirror).toEqual({ state: 'complete' });
        expect(fileList(here)).toEqual(fileList(there));
      }
    }
    const followers = await fetch(`${a.url}/ap/actors/ana~brick-press/followers`, { headers: activityJson });
    expect((await followers.json()).totalItems).toBe(2);
  });

  it('a new version on A reaches both with identical files, and each follower draws its previews itself', async () => {
    await publishVersionOn(a, ana, 'ana/brick-press', { version: '1.2.0', changelog: 'Taller frame' }, [
      { path: 'frame.stl', bytes: cubeStl(20) },
      { path: 'README.md', bytes: readme('1.2.0') },
    ]);
    const there = await versionDone(a, 'ana/brick-press', '1.2.0');
    expect(fileList(there)).toContainEqual({ path: 'frame.stl', size: cubeStl(20).length, sha256: sha(cubeStl(20)) });
    for (const instance of [b, c]) {
      const here = await versionDone(instance, press, '1.2.0');
      expect(fileList(here)).toEqual(fileList(there));
      const frame = here.files.find((f: FileEntry) => f.path === 'frame.stl');
      // the facts and previews are the follower's own pipeline's: they are not part of what A sends
      expect(frame.pipeline.state).toBe('done');
      expect(frame.facts).toMatchObject({ triangles: 12, bbox: { min: [0, 0, 0], max: [20, 20, 20] } });
      const preview = await fetch(`${instance.url}/api/designs/${press}/versions/1.2.0/previews/frame.stl?size=256`);
      expect(preview.status).toBe(200);
      expect(preview.headers.get('content-type')).toBe('image/png');
      const design = (await apiOn(instance, '', 'GET', `/api/designs/${press}`)).body;
      expect(design).toMatchObject({ latestVersion: '1.2.0', origin: { instance: a.host } });
    }
  });

  it('a yank on A reaches both followers; the yanked version stays downloadable there', async () => {
    expect((await apiOn(a, ana, 'POST', '/api/designs/ana/brick-press/versions/1.1.0/yank')).status).toBe(200);
    for (const instance of [b, c]) {
      await eventually(
        async () => (await apiOn(instance, '', 'GET', `/api/designs/${press}/versions/1.1.0`)).body.state === 'yanked',
        20_000,
        `the yank on ${instance.host}`,
      );
      const frame = await fetch(`${instance.url}/api/designs/${press}/versions/1.1.0/files/frame.stl`);
      expect(frame.status).toBe(200);
      expect(sha(Buffer.from(await frame.arrayBuffer()))).toBe(sha(cubeStl(15)));
    }
  });

  it('C blocks B: B’s design is hidden on C, and B’s next version and B’s follow never reach C', async () => {
    const kiln = `bo@${b.host}/kiln`;
    // before the block C mirrors B's design, as A does (both followed it in beforeAll)
    await Promise.all([versionDone(c, kiln, '1.0.0'), versionDone(a, kiln, '1.0.0')]);

    expect((await apiOn(c, cy, 'POST', '/api/admin/federation/blocks', { host: b.host })).status).toBe(201);
    expect((await fetch(`${c.url}/api/designs/${kiln}`)).status).toBe(404);
    expect((await fetch(`${c.url}/api/designs/${kiln}/versions/1.0.0/files/shell.stl`)).status).toBe(404);

    await publishVersionOn(b, bo, 'bo/kiln', { version: '1.1.0' }, [{ path: 'shell.stl', bytes: cubeStl(50) }]);
    const follow = await apiOn(b, bo, 'POST', '/api/federation/follows', { target: `${c.url}/cy/loom` });
    expect(follow.status).toBe(202);
    // A's copy of 1.1.0 means B's queue has delivered the Create to its followers; then a moment for C's
    await versionDone(a, kiln, '1.1.0');
    await new Promise((r) => setTimeout(r, 1000));

    // C's admin still sees the hidden copy: it stayed at 1.0.0
    const hidden = await apiOn(c, cy, 'GET', `/api/designs/${kiln}`);
    expect(hidden.status).toBe(200);
    expect(hidden.body.mirror.versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0']);
    expect((await apiOn(c, cy, 'GET', `/api/designs/${kiln}/versions/1.1.0`)).status).toBe(404);
    const loomFollowers = await fetch(`${c.url}/ap/actors/cy~loom/followers`, { headers: activityJson });
    expect((await loomFollowers.json()).totalItems).toBe(0);
    const bFollows = (await apiOn(b, bo, 'GET', '/api/federation/follows')).body.items;
    expect(bFollows.find((f: { design: { slug: string } }) => f.design.slug === 'loom').state).toBe('pending');

    // and C cannot follow anything of B's while the block lasts
    const again = await apiOn(c, cy, 'POST', '/api/federation/follows', { target: `bo~kiln@${b.host}` });
    expect(again.status).toBe(403);
    expect(again.body.detail).toContain(b.host);
  });
});
