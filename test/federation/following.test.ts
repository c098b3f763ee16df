// Two instances in this process, each a real app on its own loopback port and database, talking real HTTP with
// signed activities: B follows A's design (by web address and by handle), gets the design and a backfill of every
// version, then each new version, yank and edit; a delivery to B while B is unreachable arrives once it is back.
// The mirror side is a RecordingSink here (the mirror's own tests check what it stores).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { freePort } from '../helpers/free-port.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { RecordingSink } from './recording-sink.js';
import { eventually } from '../helpers/eventually.js';

async function federatedApp(kind: (typeof databaseKinds)[number], port: number) {
  const t = await createTestApp(kind, {
    federation: true,
    federationAllowPrivate: true,
    publicUrl: `http://127.0.0.1:${port}`,
    // the mirror's job (fetch, verify, publish the copy) runs on the pipeline's worker
    runWorker: true,
  });
  // recorded, then handed to the real mirror
  const sink = new RecordingSink(t.deps.mirror);
  t.deps.mirror = sink;
  t.deps.federation!.start();
  return { t, sink };
}

describe.each(databaseKinds)('following designs across instances (%s)', (kind) => {
  let a: TestApp;
  let b: TestApp;
  let bSink: RecordingSink;
  let proxy: TcpProxy;
  let ana: TestUser;
  let bo: TestUser;
  let cy: TestUser;
  let aPort: number;

  beforeAll(async () => {
    aPort = await freePort();
    ({ t: a } = await federatedApp(kind, aPort));
    await a.app.listen({ port: aPort, host: '127.0.0.1' });
    // B is reached through a proxy: cutting it takes B off the network without touching its process
    const bServerPort = await freePort();
    proxy = await startTcpProxy('127.0.0.1', bServerPort);
    // B's public address is the proxy's
    ({ t: b, sink: bSink } = await federatedApp(kind, proxy.port));
    await b.app.listen({ port: bServerPort, host: '127.0.0.1' });
    ana = await registerUser(a.app, 'ana');
    bo = await registerUser(b.app, 'bo');
    await createDesign(a.app, ana, 'brick-press', { tags: ['earth'], licenses: { hardware: 'CERN-OHL-S-2.0' } });
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
      const r = await publish(a.app, ana, 'ana', 'brick-press', { version, changelog: `Release ${version}` }, [
        { path: 'frame/base.stl', bytes: `solid v${version}\nendsolid\n` },
        { path: 'README.md', bytes: `# Brick press ${version}\n` },
      ]);
      expect(r.statusCode).toBe(201);
    }
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await proxy?.close();
  });

  const follow = (target: string, user = bo) =>
    b.app.inject({ method: 'POST', url: '/api/federation/follows', headers: user.auth, payload: { target } });

  it('follows by web address: accepted, the design and every version backfilled with their files and sha256s', async () => {
    const r = await follow(`http://127.0.0.1:${aPort}/ana/brick-press`);
    expect(r.statusCode).toBe(202);
    const f = r.json();
    expect(f).toMatchObject({
      state: expect.stringMatching(/pending|accepted/),
      design: { owner: `ana@127.0.0.1:${aPort}`, slug: 'brick-press' },
    });
    await eventually(
      async () => {
        const list = await b.app.inject({ method: 'GET', url: '/api/federation/follows', headers: bo.auth });
        return list.json().items[0]?.state === 'accepted';
      },
      30_000,
      'the Accept',
    );
    await eventually(() => bSink.of('version').length >= 3, 30_000, 'the backfill');
    const [design] = bSink.of('design');
    expect(design.design).toMatchObject({
      owner: 'ana',
      slug: 'brick-press',
      title: 'Design brick-press',
      instance: `127.0.0.1:${aPort}`,
      url: `http://127.0.0.1:${aPort}/ana/brick-press`,
      license: 'CERN-OHL-S-2.0',
      tags: ['earth'],
    });
    const versions = bSink.of('version').map((c) => c.version);
    expect(versions.map((v) => v.version).sort()).toEqual(['1.0.0', '1.1.0', '1.2.0']);
    const v11 = versions.find((v) => v.version === '1.1.0')!;
    const doc = (await a.app.inject({ method: 'GET', url: '/api/designs/ana/brick-press/versions/1.1.0' })).json();
    expect(v11.files.map((x) => [x.path, x.sha256, x.size]).sort()).toEqual(
      doc.files.map((x: { path: string; sha256: string; size: number }) => [x.path, x.sha256, x.size]).sort(),
    );
    // every file URL answers the bytes the sha256 names
    for (const file of v11.files) {
      const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    }
    expect(v11.manifest).toMatchObject({ version: '1.1.0' });
    // end to end: B serves A's version from its own verified copy, byte for byte
    const copied = await eventually(
      async () => {
        const r = await b.app.inject({
          method: 'GET',
          url: `/api/designs/ana@127.0.0.1:${aPort}/brick-press/versions/1.1.0/files/frame/base.stl`,
        });
        return r.statusCode === 200 ? r : undefined;
      },
      60_000,
      "B's mirrored copy of 1.1.0",
    );
    expect(createHash('sha256').update(copied.rawPayload).digest('hex')).toBe(
      v11.files.find((x) => x.path === 'frame/base.stl')!.sha256,
    );
    expect(v11.changelogHtml).toBe('<p>Release 1.1.0</p>');
  });

  it('following again is 200 with the same follow; a second user shares it', async () => {
    const again = await follow(`ana~brick-press@127.0.0.1:${aPort}`);
    expect(again.statusCode).toBe(200);
    cy = await registerUser(b.app, 'cy');
    const theirs = await follow(`http://127.0.0.1:${aPort}/ap/actors/ana~brick-press`, cy);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().id).toBe(again.json().id);
    const followers = await fetch(`http://127.0.0.1:${aPort}/ap/actors/ana~brick-press/followers`, {
      headers: { accept: 'application/activity+json' },
    }).then((r) => r.json());
    // the instance follows once for all its users
    expect(followers.totalItems).toBe(1);
  });

  it('a new version, a yank and an edit reach the follower', async () => {
    const r = await publish(a.app, ana, 'ana', 'brick-press', { version: '1.3.0' }, [
      { path: 'frame/base.stl', bytes: 'solid v1.3.0\nendsolid\n' },
    ]);
    expect(r.statusCode).toBe(201);
    const v13 = await eventually(() => bSink.of('version').find((c) => c.version.version === '1.3.0'), 30_000, '1.3.0');
    expect(v13.actor).toBe(`http://127.0.0.1:${aPort}/ap/actors/ana~brick-press`);

    const y = await a.app.inject({
      method: 'POST',
      url: '/api/designs/ana/brick-press/versions/1.0.0/yank',
      headers: ana.auth,
    });
    expect(y.statusCode).toBe(200);
    await eventually(() => bSink.of('yanked').find((c) => c.version === '1.0.0' && c.yanked), 30_000, 'the yank');

    const before = bSink.of('design').length;
    const p = await a.app.inject({
      method: 'PATCH',
      url: '/api/designs/ana/brick-press',
      headers: ana.auth,
      payload: { title: 'Brick press CEB', tags: ['earth', 'bricks'] },
    });
    expect(p.statusCode).toBe(200);
    const edited = await eventually(
      () =>
        bSink
          .of('design')
          .slice(before)
          .find((c) => c.design.title === 'Brick press CEB'),
      30_000,
      'the edit',
    );
    expect(edited.design.tags).toEqual(['earth', 'bricks']);
  });

  it('a delivery to a follower that was unreachable arrives once it is back (retried from the durable queue)', async () => {
    proxy.cut();
    const r = await publish(a.app, ana, 'ana', 'brick-press', { version: '1.4.0' }, [
      { path: 'frame/base.stl', bytes: 'solid v1.4.0\nendsolid\n' },
    ]);
    expect(r.statusCode).toBe(201);
    // the first attempt fails while B is away: the delivery waits in A's queue table
    await eventually(
      async () => {
        const { rows } = await a.deps.db.raw<{ n: number }>('select count(*)::int as n from federation_queue');
        return rows[0].n > 0;
      },
      10_000,
      'a queued retry',
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(bSink.of('version').some((c) => c.version.version === '1.4.0')).toBe(false);
    proxy.restore();
    await eventually(
      () => bSink.of('version').some((c) => c.version.version === '1.4.0'),
      60_000,
      'the retried Create',
    );
  });

  it('a design opted out of federation answers 404 and sends nothing', async () => {
    await createDesign(a.app, ana, 'quiet-press');
    const off = await a.app.inject({
      method: 'PATCH',
      url: '/api/designs/ana/quiet-press',
      headers: ana.auth,
      payload: { federation: false },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json().federation).toBe(false);
    const actor = await fetch(`http://127.0.0.1:${aPort}/ap/actors/ana~quiet-press`, {
      headers: { accept: 'application/activity+json' },
    });
    expect(actor.status).toBe(404);
    const r = await follow(`http://127.0.0.1:${aPort}/ana/quiet-press`);
    expect(r.statusCode).toBe(422);
  });

  it('refuses a local design (400), an unreachable address and a person (422)', async () => {
    await createDesign(b.app, bo, 'home-press');
    const local = await follow(`http://127.0.0.1:${proxy.port}/bo/home-press`);
    expect(local.statusCode).toBe(400);
    const closed = await freePort();
    const gone = await follow(`http://127.0.0.1:${closed}/x/y`);
    expect(gone.statusCode).toBe(422);
    expect(gone.json().detail).toContain(`127.0.0.1:${closed}`);
    const person = await follow(`ana@127.0.0.1:${aPort}`);
    expect(person.statusCode).toBe(422);
    expect(person.json().detail).toMatch(/not an Andecha design/);
  });

  it('a design taken down for abuse tells its followers, who hide their copies', async () => {
    const report = await a.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: ana.auth,
      payload: { subject: 'design', id: 'ana/brick-press', reason: 'a test of the takedown' },
    });
    expect(report.statusCode).toBe(201);
    const resolve = (action: string) =>
      a.app.inject({
        method: 'POST',
        url: `/api/admin/reports/${report.json().id}/resolve`,
        headers: ana.auth,
        payload: { action },
      });
    expect((await resolve('hide')).statusCode).toBe(200);
    await eventually(() => bSink.of('takenDown').length > 0, 30_000, 'the takedown');
    expect(bSink.of('takenDown')[0].actor).toBe(`http://127.0.0.1:${aPort}/ap/actors/ana~brick-press`);
    expect(bSink.of('originGone')).toEqual([]);
    expect((await resolve('restore')).statusCode).toBe(200);
  });

  it('unfollowing sends Undo once nobody here follows', async () => {
    const list = (await b.app.inject({ method: 'GET', url: '/api/federation/follows', headers: bo.auth })).json();
    const id = list.items[0].id;
    const r = await b.app.inject({ method: 'DELETE', url: `/api/federation/follows/${id}`, headers: bo.auth });
    expect(r.statusCode).toBe(204);
    // cy still follows: A keeps its follower
    const followers = () =>
      fetch(`http://127.0.0.1:${aPort}/ap/actors/ana~brick-press/followers`, {
        headers: { accept: 'application/activity+json' },
      }).then((res) => res.json());
    expect((await followers()).totalItems).toBe(1);
    const again = await b.app.inject({ method: 'DELETE', url: `/api/federation/follows/${id}`, headers: bo.auth });
    expect(again.statusCode).toBe(404);
    // the last one leaves: A hears the Undo and forgets the follower
    const last = await b.app.inject({ method: 'DELETE', url: `/api/federation/follows/${id}`, headers: cy.auth });
    expect(last.statusCode).toBe(204);
    await eventually(async () => (await followers()).totalItems === 0, 30_000, 'the Undo');
    expect(
      (await b.app.inject({ method: 'GET', url: '/api/federation/follows', headers: cy.auth })).json().items,
    ).toEqual([]);
  });
});
