// Privacy and abuse: storage quota and upload rate (413/429), abuse reports and the admin queue (hide/restore of
// designs, build reports, comments), account deletion that keeps others' forks and reviews, uploaded SVG never
// inline, derived images without EXIF/GPS and the owner's GPS warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
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

const kb = (n: number) => 'x'.repeat(n * 1024);

describe('storage quota and upload rate', () => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await createTestApp('pglite', { quotaBytes: 100 * 1024, uploadsPerHour: 4 });
    ana = await registerUser(t.app);
    await createDesign(t.app, ana, 'quota');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a publish past the quota with 413 problem+json, counting distinct blobs, and stores no rows', async () => {
    expect(
      (await publish(t.app, ana, ana.handle, 'quota', { version: '1.0.0' }, [{ path: 'a.bin', bytes: kb(60) }]))
        .statusCode,
    ).toBe(201);
    // the same bytes again are the same blob: they do not count twice
    expect(
      (
        await publish(t.app, ana, ana.handle, 'quota', { version: '1.0.1' }, [
          { path: 'a.bin', bytes: kb(60) },
          { path: 'b.bin', bytes: kb(30) },
        ])
      ).statusCode,
    ).toBe(201);
    const over = await publish(t.app, ana, ana.handle, 'quota', { version: '1.0.2' }, [
      { path: 'c.bin', bytes: kb(20) + 'c' },
    ]);
    expect(over.statusCode).toBe(413);
    expect(isProblem(over)).toBe(true);
    expect(over.json()).toMatchObject({
      status: 413,
      limit: 102400,
      quota: true,
      detail: 'Your storage quota of 0.1 MB is used up; yank or remove versions, or ask an admin for more',
    });
    expect((await t.deps.db.raw(`select count(*)::int as n from design_versions`)).rows[0].n).toBe(2);
    // another account has its own quota
    const bo = await registerUser(t.app);
    await createDesign(t.app, bo, 'own');
    expect(
      (await publish(t.app, bo, bo.handle, 'own', { version: '1.0.0' }, [{ path: 'c.bin', bytes: kb(20) + 'c' }]))
        .statusCode,
    ).toBe(201);
  });

  it("counts build report photos against the author's quota: past it, 413 and no report", async () => {
    const dee = await registerUser(t.app);
    await createDesign(t.app, dee, 'photographed');
    expect(
      (await publish(t.app, dee, dee.handle, 'photographed', { version: '1.0.0' }, [{ path: 'a.bin', bytes: kb(50) }]))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/workshops',
          headers: dee.auth,
          payload: { slug: 'dee-shop', name: 'Dee', place: { city: 'Oviedo', country: 'ES' }, processes: [] },
        })
      ).statusCode,
    ).toBe(201);
    // noise (a seeded LCG) does not compress: each photo is about 27 KB on disk
    const photo = async (seed: number) => {
      let x = seed;
      const px = Buffer.from(
        Array.from({ length: 96 * 96 * 3 }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24),
      );
      return sharp(px, { raw: { width: 96, height: 96, channels: 3 } })
        .png()
        .toBuffer();
    };
    const send = async (count: number, seed: number) => {
      const fd = new FormData();
      fd.append('report', JSON.stringify({ workshop: 'dee-shop', outcome: 'success' }));
      for (let i = 0; i < count; i++)
        fd.append('photos', new Blob([new Uint8Array(await photo(seed + i))], { type: 'image/png' }), `p${i}.png`);
      const { payload, headers } = await formPayload(fd);
      return t.app.inject({
        method: 'POST',
        url: `/api/designs/${dee.handle}/photographed/versions/1.0.0/builds`,
        headers: { ...headers, ...dee.auth },
        payload,
      });
    };
    const first = await send(1, 1);
    expect(first.statusCode, first.body).toBe(201);
    const over = await send(2, 10);
    expect(over.statusCode, over.body).toBe(413);
    expect(over.json()).toMatchObject({ quota: true });
    expect(
      (
        await t.deps.db.raw(
          `select count(*)::int as n from build_reports r join designs d on d.id = r.design_id where d.slug = 'photographed'`,
        )
      ).rows[0].n,
    ).toBe(1);
  });

  it('refuses the publish after the hourly limit with 429 and Retry-After', async () => {
    const cy = await registerUser(t.app);
    await createDesign(t.app, cy, 'rate');
    for (let i = 0; i < 4; i++)
      expect(
        (await publish(t.app, cy, cy.handle, 'rate', { version: `1.0.${i}` }, [{ path: 'x.txt', bytes: String(i) }]))
          .statusCode,
      ).toBe(201);
    const r = await publish(t.app, cy, cy.handle, 'rate', { version: '1.0.9' }, [{ path: 'x.txt', bytes: '9' }]);
    expect(r.statusCode).toBe(429);
    expect(isProblem(r)).toBe(true);
    expect(r.json().detail).toMatch(
      /^You published 4 versions in the last hour, the limit is 4; try again in \d+ min$/,
    );
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(3000);
    expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(3600);
    // an import is a publish too
    const fd = new FormData();
    fd.append(
      'files',
      new Blob(['okhv = "OKH-LOSHv1.0"\nname = "Loom"\nversion = "0.1.0"\nlicense = "CC-BY-SA-4.0"\nlicensor = "x"\n']),
      'okh.toml',
    );
    const { payload, headers } = await formPayload(fd);
    const imp = await t.app.inject({
      method: 'POST',
      url: '/api/import',
      headers: { ...headers, ...cy.auth },
      payload,
    });
    expect(imp.statusCode).toBe(429);
  });
});

describe('abuse reports, moderation and account deletion', () => {
  let t: TestApp;
  let admin: TestUser;
  let ana: TestUser;
  let bo: TestUser;
  let maker: TestUser;
  let reportId: string;
  let commentId: string;

  const inject = (method: string, url: string, user?: TestUser, payload?: unknown) =>
    t.app.inject({
      method: method as any,
      url,
      headers: user?.auth ?? {},
      ...(payload !== undefined ? { payload: payload as any } : {}),
    });

  beforeAll(async () => {
    t = await createTestApp('pglite', { runWorker: true, workerThreads: 1 });
    [admin, ana, bo, maker] = [
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
    ];
    await createDesign(t.app, ana, 'press');
    expect(
      (await publish(t.app, ana, ana.handle, 'press', { version: '1.0.0' }, [{ path: 'README.md', bytes: '# Press' }]))
        .statusCode,
    ).toBe(201);
    // bo forks and proposes; ana comments
    expect(
      (await inject('POST', `/api/designs/${ana.handle}/press/forks`, bo, { version: '1.0.0', slug: 'press-fork' }))
        .statusCode,
    ).toBe(201);
    const p = await inject('POST', `/api/designs/${ana.handle}/press/proposals`, bo, {
      from: `${bo.handle}/press-fork@1.0.0`,
      message: 'mine',
    });
    expect(p.statusCode).toBe(201);
    const c = await inject('POST', `/api/designs/${ana.handle}/press/proposals/${p.json().id}/comments`, ana, {
      body: 'buy my pills',
    });
    expect(c.statusCode).toBe(201);
    commentId = c.json().id;
    // maker builds it in their workshop; ana reviews
    expect(
      (
        await inject('POST', '/api/workshops', maker, {
          slug: 'taller',
          name: 'Taller',
          place: { city: 'Mieres', country: 'ES' },
          processes: [],
        })
      ).statusCode,
    ).toBe(201);
    const fd = new FormData();
    fd.append('report', JSON.stringify({ workshop: 'taller', outcome: 'success', notes: 'fine' }));
    const { payload, headers } = await formPayload(fd);
    const b = await t.app.inject({
      method: 'POST',
      url: `/api/designs/${ana.handle}/press/versions/1.0.0/builds`,
      headers: { ...headers, ...maker.auth },
      payload,
    });
    expect(b.statusCode).toBe(201);
    reportId = b.json().id;
    expect(
      (await inject('POST', `/api/builds/${reportId}/reviews`, ana, { decision: 'approve', comment: 'good build' }))
        .statusCode,
    ).toBe(201);
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  it('reports go to the admin queue; hide and restore act on designs, build reports and comments', async () => {
    const proposalUrl = `/api/designs/${ana.handle}/press/proposals`;
    const filed = [];
    for (const body of [
      { subject: 'design', id: `${ana.handle}/press`, reason: 'copied from elsewhere' },
      { subject: 'build', id: reportId, reason: 'fake' },
      { subject: 'comment', id: commentId, reason: 'spam' },
    ]) {
      const r = await inject('POST', '/api/reports', bo, body);
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({
        subject: body.subject,
        subjectId: body.id,
        reason: body.reason,
        reporter: bo.handle,
        state: 'open',
        action: null,
      });
      filed.push(r.json().id);
    }
    expect(
      (
        await inject('POST', '/api/reports', bo, {
          subject: 'build',
          id: '00000000-0000-0000-0000-000000000000',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await inject('POST', '/api/reports', bo, { subject: 'design', id: 'nobody/nothing', reason: 'x' })).statusCode,
    ).toBe(404);
    expect((await inject('GET', '/api/admin/reports', bo)).statusCode).toBe(403);
    const queue = (await inject('GET', '/api/admin/reports', admin)).json();
    expect(queue.items.map((r: any) => r.id)).toEqual(filed);

    const [designReport, buildReport, commentReport] = filed;
    for (const id of [designReport, buildReport, commentReport]) {
      const r = await inject('POST', `/api/admin/reports/${id}/resolve`, admin, { action: 'hide' });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ state: 'resolved', action: 'hide', resolvedBy: admin.handle });
    }
    expect((await inject('GET', '/api/admin/reports', admin)).json().items).toEqual([]);
    // hidden: the public gets 404s and lists without them; authors and admins still see their own
    expect((await inject('GET', `/api/designs/${ana.handle}/press`)).statusCode).toBe(404);
    expect((await inject('GET', `/api/designs/${ana.handle}/press`, ana)).statusCode).toBe(200);
    expect((await inject('GET', `/api/builds/${reportId}`, bo)).statusCode).toBe(404);
    expect((await inject('GET', `/api/builds/${reportId}`, admin)).statusCode).toBe(200);
    expect((await inject('GET', `/api/workshops/taller/builds`)).json().items).toEqual([]);
    // a hidden build leaves the field data and the design's build counts
    expect(
      (await inject('GET', `/api/designs/${ana.handle}/press/versions/1.0.0/field`, ana)).json().builds,
    ).toMatchObject({ approved: 0, byOutcome: { success: 0, partial: 0, failed: 0 } });
    expect((await inject('GET', `/api/designs?hasBuilds=true&owner=${ana.handle}`, ana)).json().items).toEqual([]);
    const proposal = (await inject('GET', proposalUrl, admin)).json().items[0];
    expect((await inject('GET', `${proposalUrl}/${proposal.id}`, admin)).json().comments).toEqual([]);

    for (const id of [designReport, buildReport, commentReport]) {
      expect(
        (await inject('POST', `/api/admin/reports/${id}/resolve`, admin, { action: 'restore' })).json(),
      ).toMatchObject({ action: 'restore' });
    }
    expect((await inject('GET', `/api/designs/${ana.handle}/press`)).statusCode).toBe(200);
    expect((await inject('GET', `/api/builds/${reportId}`, bo)).statusCode).toBe(200);
    expect((await inject('GET', `/api/workshops/taller/builds`)).json().items.map((r: any) => r.id)).toEqual([
      reportId,
    ]);
    expect(
      (await inject('GET', `/api/designs?hasBuilds=true&owner=${ana.handle}`)).json().items.map((d: any) => d.slug),
    ).toEqual(['press']);
    expect((await inject('GET', `${proposalUrl}/${proposal.id}`)).json().comments.map((c: any) => c.body)).toEqual([
      'buy my pills',
    ]);
    const dismissed = await inject('POST', '/api/reports', bo, {
      subject: 'design',
      id: `${ana.handle}/press`,
      reason: 'again',
    });
    expect(
      (await inject('POST', `/api/admin/reports/${dismissed.json().id}/resolve`, admin, { action: 'dismiss' })).json(),
    ).toMatchObject({ state: 'resolved', action: 'dismiss' });
    expect((await inject('GET', `/api/designs/${ana.handle}/press`)).statusCode).toBe(200);
  });

  it("deleting an account keeps others' forks, builds and reviews, attributed to a deleted user", async () => {
    expect((await inject('DELETE', '/api/me', ana, { password: 'wrong' })).statusCode).toBe(403);
    const r = await inject('DELETE', '/api/me', ana, { password: ana.password });
    expect(r.statusCode, r.body).toBe(204);
    // sessions revoked at once, the password no longer logs in, the email is gone
    expect((await inject('GET', '/api/me', ana)).statusCode).toBe(401);
    expect(
      (await inject('POST', '/api/auth/login', undefined, { login: ana.handle, password: ana.password })).statusCode,
    ).toBe(401);
    const { rows } = await t.deps.db.raw(`select handle, email from users where email like '%@deleted.invalid'`);
    expect(rows).toHaveLength(1);
    const gone = rows[0].handle as string;
    expect(gone).toMatch(/^deleted-[0-9a-f]{12}$/);
    // the design lives on at its address (owner/slug@version names one set of bytes for ever); bo's fork still
    // names it as it was
    const fork = (await inject('GET', `/api/designs/${bo.handle}/press-fork`)).json();
    expect(fork.forkedFrom).toBe(`${ana.handle}/press@1.0.0`);
    expect((await inject('GET', `/api/designs/${ana.handle}/press/versions/1.0.0`)).statusCode).toBe(200);
    // and nobody can take the handle to publish other bytes there
    const taker = await inject('POST', '/api/auth/register', undefined, {
      handle: ana.handle,
      email: 'newcomer@example.org',
      password: 'a long enough passphrase',
    });
    expect(taker.statusCode).toBe(409);
    expect(isProblem(taker)).toBe(true);
    expect(taker.json().detail).toContain('stays reserved');
    expect(taker.json().errors).toEqual([{ field: '/handle', message: expect.stringContaining('reserved') }]);
    const readme = await inject('GET', `/api/designs/${ana.handle}/press/versions/1.0.0/files/README.md`);
    expect(readme.body).toBe('# Press');
    expect(readme.headers['cache-control']).toContain('immutable');
    // maker's build report and ana's review of it stay
    const build = (await inject('GET', `/api/builds/${reportId}`)).json();
    expect(build.state).toBe('approved');
    expect(JSON.stringify(build.reviews ?? build.history ?? build)).toContain(gone);
    // the handle cannot be registered by someone else
    const squat = await inject('POST', '/api/auth/register', undefined, {
      handle: gone,
      email: 'x@example.org',
      password: 'long enough password',
    });
    expect(squat.statusCode).toBe(400);
  });

  it('serves an uploaded SVG or HTML as an attachment under a sandboxing CSP, never inline', async () => {
    await createDesign(t.app, bo, 'svg');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>';
    expect(
      (
        await publish(t.app, bo, bo.handle, 'svg', { version: '1.0.0' }, [
          { path: 'logo.svg', bytes: svg },
          { path: 'page.html', bytes: '<script>alert(1)</script>' },
        ])
      ).statusCode,
    ).toBe(201);
    for (const path of ['logo.svg', 'page.html']) {
      const r = await inject('GET', `/api/designs/${bo.handle}/svg/versions/1.0.0/files/${path}`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-disposition']).toMatch(/^attachment; /);
      expect(r.headers['content-security-policy']).toMatch(/sandbox/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('derived images carry no EXIF or GPS; the version tells its owner the original has GPS', async () => {
    await createDesign(t.app, bo, 'photo');
    const jpeg = await jpegWithGps();
    expect(hasGpsPointer((await sharp(jpeg).metadata()).exif)).toBe(true);
    const p = await publish(t.app, bo, bo.handle, 'photo', { version: '1.0.0' }, [
      { path: 'images/site.jpg', bytes: jpeg },
    ]);
    expect(p.statusCode).toBe(201);
    const sha = p.json().files[0].sha256;
    let file: any;
    for (const t0 = Date.now(); Date.now() - t0 < 30_000;) {
      file = (await inject('GET', `/api/designs/${bo.handle}/photo/versions/1.0.0`, bo)).json().files[0];
      if (file.pipeline.state === 'done' || file.pipeline.state === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(file.pipeline.state).toBe('done');
    expect(file.facts.hasGps).toBe(true);
    const { rows } = await t.deps.db.raw(
      `select kind, variant, sha256 from derivatives where subject_key = $1 and sha256 is not null`,
      [sha],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const d of rows) {
      const meta = await sharp(await t.deps.blobs.getBuffer(d.sha256)).metadata();
      expect(meta.exif, `${d.kind} ${d.variant}`).toBeUndefined();
    }
    // and every image derivative of the whole instance, thumbnails included
    const all = (
      await t.deps.db.raw(
        `select kind, sha256 from derivatives where sha256 is not null and kind like 'preview-%' or kind = 'thumbnail'`,
      )
    ).rows;
    for (const d of all.filter((x: any) => x.sha256))
      expect((await sharp(await t.deps.blobs.getBuffer(d.sha256)).metadata()).exif, d.kind).toBeUndefined();
  }, 60_000);
});
