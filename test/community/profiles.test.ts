// Profiles: the public document of GET /api/users/{handle} (designs, forks, workshops, approved builds, activity, a
// remote person's), editing through PATCH /api/me with its refusals as problem+json, the avatar re-encoded without
// metadata, hidden designs kept from others, and an admin hiding a profile after an abuse report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { hasGpsPointer, jpegWithGps } from '../fixtures/photos.js';
import { ensureRemoteOwner } from '../../server/src/accounts/remote-owners.js';
import { designs } from '../../server/src/registry/tables.js';
import { collectGarbage } from '../../server/src/admin/gc.js';

describe.each(databaseKinds)('profiles (%s)', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let ana: TestUser;
  let bo: TestUser;
  const inject = (method: string, url: string, user?: TestUser, payload?: unknown) =>
    t.app.inject({ method: method as 'GET', url, headers: user?.auth, payload: payload as object });
  const profile = async (handle: string, user?: TestUser) => {
    const r = await inject('GET', `/api/users/${encodeURIComponent(handle)}`, user);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const putAvatar = async (user: TestUser, bytes: Buffer, field = 'avatar', name = 'me.jpg') => {
    const fd = new FormData();
    fd.append(field, new Blob([bytes as BlobPart]), name);
    const { payload, headers } = await formPayload(fd);
    return t.app.inject({ method: 'PUT', url: '/api/me/avatar', headers: { ...headers, ...user.auth }, payload });
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    [admin, ana, bo] = [await registerUser(t.app), await registerUser(t.app), await registerUser(t.app)];
    await createDesign(t.app, ana, 'press');
    expect(
      (await publish(t.app, ana, ana.handle, 'press', { version: '1.0.0' }, [{ path: 'README.md', bytes: '# Press' }]))
        .statusCode,
    ).toBe(201);
    await createDesign(t.app, ana, 'secret');
    expect(
      (await publish(t.app, ana, ana.handle, 'secret', { version: '1.0.0' }, [{ path: 'README.md', bytes: '# S' }]))
        .statusCode,
    ).toBe(201);
    await t.deps.db.raw(`update designs set hidden = true where slug = 'secret'`);
    // bo forks ana's press and maintains nothing else
    expect(
      (await inject('POST', `/api/designs/${ana.handle}/press/forks`, bo, { version: '1.0.0', slug: 'press-bo' }))
        .statusCode,
    ).toBe(201);
    // bo builds ana's press in his workshop; ana approves
    expect(
      (
        await inject('POST', '/api/workshops', bo, {
          slug: 'taller-bo',
          name: 'Taller Bo',
          place: { city: 'Mieres', country: 'ES' },
          processes: [],
        })
      ).statusCode,
    ).toBe(201);
    const fd = new FormData();
    fd.append('report', JSON.stringify({ workshop: 'taller-bo', outcome: 'success' }));
    const { payload, headers } = await formPayload(fd);
    const b = await t.app.inject({
      method: 'POST',
      url: `/api/designs/${ana.handle}/press/versions/1.0.0/builds`,
      headers: { ...headers, ...bo.auth },
      payload,
    });
    expect(b.statusCode, b.body).toBe(201);
    expect(
      (await inject('POST', `/api/builds/${b.json().id}/reviews`, ana, { decision: 'approve', comment: 'good' }))
        .statusCode,
    ).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('edits name, bio, place and links through PATCH /api/me, and the me document carries them', async () => {
    const r = await inject('PATCH', '/api/me', ana, {
      name: '  Ana Fernández ',
      bio: 'I build **presses**.<script>alert(1)</script>',
      place: 'Gijón, Asturias',
      links: [{ label: 'Web', url: 'https://ana.example/' }, { url: 'http://wiki.example/ana' }],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      handle: ana.handle,
      name: 'Ana Fernández',
      place: 'Gijón, Asturias',
      avatar: null,
    });
    expect(r.json().links).toEqual([{ label: 'Web', url: 'https://ana.example/' }, { url: 'http://wiki.example/ana' }]);
    expect((await inject('GET', '/api/me', ana)).json().bio).toBe('I build **presses**.<script>alert(1)</script>');
    const p = await profile(ana.handle);
    expect(p.bioHtml).toContain('<strong>presses</strong>');
    expect(p.bioHtml).not.toContain('<script');
    // a field left out stays; an empty one clears
    expect((await inject('PATCH', '/api/me', ana, { place: '' })).json()).toMatchObject({
      name: 'Ana Fernández',
      place: null,
    });
    await inject('PATCH', '/api/me', ana, { place: 'Gijón, Asturias' });
  });

  it('refuses what a profile may not hold, as problem+json naming the field, and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ bio: 'x'.repeat(2001) }, '/bio'],
      [{ name: 'n'.repeat(101) }, '/name'],
      [{ place: 'p'.repeat(101) }, '/place'],
      [{ links: Array.from({ length: 6 }, (_, i) => ({ url: `https://e.example/${i}` })) }, '/links'],
      [{ links: [{ url: 'javascript:alert(1)' }] }, '/links/0/url'],
      [{ links: [{ url: 'ftp://files.example/x' }] }, '/links/0/url'],
      [{ links: [{ url: 'https://e.example', extra: 1 }] }, '/links/0/extra'],
      [{ place: '43.5453, -5.6615', name: 'Changed' }, '/place'],
      [{ place: `43°32'N 5°39'W` }, '/place'],
    ];
    for (const [body, field] of cases) {
      const r = await inject('PATCH', '/api/me', ana, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(isProblem(r)).toBe(true);
      expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const me = (await inject('GET', '/api/me', ana)).json();
    expect(me).toMatchObject({ name: 'Ana Fernández', place: 'Gijón, Asturias' });
    expect(me.links).toHaveLength(2);
    // a town with a number in it is a town
    expect((await inject('PATCH', '/api/me', bo, { place: 'Distrito 22, Madrid' })).statusCode).toBe(200);
    expect((await inject('PATCH', '/api/me', undefined, { name: 'x' })).statusCode).toBe(401);
  });

  it('re-encodes the avatar without EXIF or GPS, serves both sizes, and removes it', async () => {
    const original = await jpegWithGps();
    expect(hasGpsPointer((await sharp(original).metadata()).exif)).toBe(true);
    const r = await putAvatar(ana, original);
    expect(r.statusCode, r.body).toBe(200);
    const { large, thumb } = r.json().avatar;
    expect(large).toMatch(new RegExp(`^/api/users/${ana.handle}/avatar/large\\?v=[0-9a-f]{12}$`));
    for (const [url, side] of [
      [large, 512],
      [thumb, 128],
    ] as const) {
      for (const format of ['webp', 'jpeg']) {
        const img = await t.app.inject({ url: `${url}&format=${format}` });
        expect(img.statusCode).toBe(200);
        expect(img.headers['content-type']).toBe(`image/${format}`);
        expect(img.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        const meta = await sharp(img.rawPayload).metadata();
        expect(meta.format).toBe(format);
        expect(meta.exif).toBeUndefined();
        expect(hasGpsPointer(meta.exif)).toBe(false);
        // oriented: the 600 × 400 stored with orientation 6 is shown upright, 400 wide and 600 high, within the size
        expect(Math.max(meta.width!, meta.height!)).toBe(Math.min(side, 600));
        expect(meta.height!).toBeGreaterThan(meta.width!);
      }
    }
    expect((await profile(ana.handle)).avatar).toEqual({ large, thumb });
    expect((await inject('GET', '/api/me', ana)).json().avatar).toEqual({ large, thumb });
    // the same URL without the version is not cached for good: a new avatar replaces it
    expect((await t.app.inject({ url: large.split('?')[0] })).headers['cache-control']).toBe('public, max-age=60');
    // no upload of the raw bytes is kept anywhere
    const { rows } = await t.deps.db.raw(`select sha256 from blobs`);
    const { createHash } = await import('node:crypto');
    expect(rows.map((x) => x.sha256)).not.toContain(createHash('sha256').update(original).digest('hex'));

    expect((await inject('DELETE', '/api/me/avatar', ana)).statusCode).toBe(204);
    expect((await profile(ana.handle)).avatar).toBeNull();
    const gone = await t.app.inject({ url: large });
    expect(gone.statusCode).toBe(404);
    expect(isProblem(gone)).toBe(true);
    expect((await putAvatar(ana, original)).statusCode).toBe(200);
    // gc counts the avatar as a reference: its blobs outlive any grace period while the profile names them
    const report = await collectGarbage(t.deps.db, t.deps.blobs, {
      graceHours: 0,
      now: new Date(Date.now() + 3600_000),
    });
    const kept = (await profile(ana.handle)).avatar;
    for (const url of [kept.large, kept.thumb]) expect((await t.app.inject({ url })).statusCode).toBe(200);
    expect(report.referenced).toBeGreaterThanOrEqual(4);
  });

  it('refuses an avatar that is not an image, an SVG, a second part or nothing', async () => {
    const svg = await putAvatar(
      bo,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'),
      'avatar',
      'a.png',
    );
    expect(svg.statusCode).toBe(415);
    expect(isProblem(svg)).toBe(true);
    expect((await putAvatar(bo, Buffer.from('hello'), 'photo')).statusCode).toBe(400);
    const none = await t.app.inject({ method: 'PUT', url: '/api/me/avatar', headers: bo.auth, payload: {} });
    expect(none.statusCode).toBe(415);
    const fd = new FormData();
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    fd.append('avatar', new Blob([png as BlobPart]), 'a.png');
    fd.append('avatar', new Blob([png as BlobPart]), 'b.png');
    const { payload, headers } = await formPayload(fd);
    const two = await t.app.inject({
      method: 'PUT',
      url: '/api/me/avatar',
      headers: { ...headers, ...bo.auth },
      payload,
    });
    expect(two.statusCode).toBe(400);
    expect((await profile(bo.handle)).avatar).toBeNull();
    expect((await putAvatar({ ...bo, auth: { authorization: 'Bearer nope' } }, png)).statusCode).toBe(401);
  });

  it("lists a person's designs, forks, workshops, approved builds and activity; hidden designs only to their owner", async () => {
    const a = await profile(ana.handle);
    expect(a).toMatchObject({
      handle: ana.handle,
      name: 'Ana Fernández',
      place: 'Gijón, Asturias',
      remote: null,
      hidden: false,
    });
    expect(a.designs.map((d: { slug: string }) => d.slug)).toEqual(['press']);
    expect(a.designs[0]).toMatchObject({ owner: ana.handle, title: 'Design press', latestVersion: '1.0.0' });
    expect(a.forks).toEqual([]);
    expect(a.activity.filter((x: { kind: string }) => x.kind === 'version')).toEqual([
      { kind: 'version', at: expect.any(String), design: { owner: ana.handle, slug: 'press' }, version: '1.0.0' },
    ]);
    // the owner sees her hidden design (flagged), an admin too; nobody else, nor in activity
    expect(
      (await profile(ana.handle, ana)).designs.map((d: { slug: string; hidden: boolean }) => [d.slug, d.hidden]).sort(),
    ).toEqual([
      ['press', false],
      ['secret', true],
    ]);
    expect((await profile(ana.handle, admin)).designs).toHaveLength(2);
    expect((await profile(ana.handle, bo)).designs).toHaveLength(1);
    expect(JSON.stringify(await profile(ana.handle, bo))).not.toContain('secret');

    const b = await profile(bo.handle);
    expect(b.designs).toEqual([]);
    expect(b.forks.map((d: { slug: string; forkedFrom: string }) => [d.slug, d.forkedFrom])).toEqual([
      ['press-bo', `${ana.handle}/press@1.0.0`],
    ]);
    expect(b.workshops).toEqual([{ slug: 'taller-bo', name: 'Taller Bo', role: 'admin' }]);
    expect(b.builds).toEqual([
      {
        id: expect.any(String),
        design: { owner: ana.handle, slug: 'press', version: '1.0.0' },
        workshop: { slug: 'taller-bo', name: 'Taller Bo' },
        outcome: 'success',
        date: expect.any(String),
      },
    ]);
    expect(b.activity.map((x: { kind: string }) => x.kind)).toEqual(['build-report', 'version']);
    const at = b.activity.map((x: { at: string }) => x.at);
    expect([...at].sort().reverse()).toEqual(at);
  });

  it('answers 404 problem+json for a handle nobody has', async () => {
    const r = await inject('GET', '/api/users/nobody-here');
    expect(r.statusCode).toBe(404);
    expect(isProblem(r)).toBe(true);
    expect((await inject('GET', '/api/users/nobody-here/avatar/thumb')).statusCode).toBe(404);
  });

  it('gives a person of another instance the same document, from their mirrored designs', async () => {
    const carla = await ensureRemoteOwner(t.deps.db.db, 'carla', 'peer.example:8443');
    await t.deps.db.db.insert(designs).values({
      ownerId: carla.id,
      ownerHandle: carla.handle,
      slug: 'loom',
      title: 'Loom',
      originActor: 'https://peer.example:8443/ap/designs/carla/loom',
      originUrl: 'https://peer.example:8443/carla/loom',
      originInstance: 'peer.example:8443',
    });
    const p = await profile('carla@peer.example:8443');
    expect(p).toMatchObject({
      handle: 'carla@peer.example:8443',
      remote: { instance: 'peer.example:8443', url: 'https://peer.example:8443/carla' },
      avatar: null,
      workshops: [],
      builds: [],
    });
    expect(p.designs.map((d: { owner: string; slug: string }) => `${d.owner}/${d.slug}`)).toEqual([
      'carla@peer.example:8443/loom',
    ]);
  });

  it('an admin hides a reported profile: what its person wrote is withheld from others until restored', async () => {
    const filed = await inject('POST', '/api/reports', bo, {
      subject: 'profile',
      id: ana.handle,
      reason: 'spam links',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(
      (await inject('POST', '/api/reports', bo, { subject: 'profile', id: 'nobody-here', reason: 'x' })).statusCode,
    ).toBe(404);
    const queue = (await inject('GET', '/api/admin/reports', admin)).json().items;
    expect(queue.map((r: { subject: string; subjectId: string }) => [r.subject, r.subjectId])).toContainEqual([
      'profile',
      ana.handle,
    ]);
    expect(
      (await inject('POST', `/api/admin/reports/${filed.json().id}/resolve`, admin, { action: 'hide' })).statusCode,
    ).toBe(200);
    const seen = await profile(ana.handle, bo);
    expect(seen).toMatchObject({
      hidden: true,
      name: null,
      bio: null,
      bioHtml: null,
      place: null,
      links: [],
      avatar: null,
    });
    expect(seen.designs).toHaveLength(1);
    const avatarUrl = `/api/users/${ana.handle}/avatar/thumb`;
    expect((await t.app.inject({ url: avatarUrl })).statusCode).toBe(404);
    const own = await t.app.inject({ url: avatarUrl, headers: ana.auth });
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('private, max-age=60');
    expect(await profile(ana.handle, ana)).toMatchObject({ hidden: true, name: 'Ana Fernández' });
    // a later report dismissed leaves it hidden; a restore shows it again
    const again = await inject('POST', '/api/reports', admin, { subject: 'profile', id: ana.handle, reason: 'still' });
    await inject('POST', `/api/admin/reports/${again.json().id}/resolve`, admin, { action: 'dismiss' });
    expect((await profile(ana.handle)).hidden).toBe(true);
    await inject('POST', `/api/admin/reports/${filed.json().id}/resolve`, admin, { action: 'restore' });
    expect(await profile(ana.handle)).toMatchObject({ hidden: false, name: 'Ana Fernández' });
  });
});
