// Events and jobs follow the visibility of their design: a taken-down design's progress and jobs are its owner's
// and admins', and to anyone else they answer as if they did not exist.
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';

/** Opens /api/events on the real socket and collects what arrives. */
function listen(port: number, headers: Record<string, string> = {}, path = '/api/events') {
  const received: string[] = [];
  const ready = new Promise<() => void>((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.on('data', (chunk: Buffer) => {
        received.push(chunk.toString());
        if (chunk.toString().includes('event: hello')) resolve(() => req.destroy());
      });
    });
    req.on('error', reject);
  });
  return { received, ready };
}

describe.each(databaseKinds)('events and jobs of a hidden design (%s)', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let ana: TestUser;
  let jobId: string;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await registerUser(t.app);
    ana = await registerUser(t.app);
    for (const slug of ['hidden-press', 'open-press']) {
      await createDesign(t.app, ana, slug);
      const r = await publish(t.app, ana, ana.handle, slug, { version: '1.0.0' }, [
        { path: 'part.stl', bytes: 'solid a\nendsolid a\n' },
      ]);
      expect(r.statusCode, r.body).toBe(201);
    }
    const { rows } = await t.deps.db.raw(
      `select j.id from jobs j join design_versions v on v.id::text = j.subject join designs d on d.id = v.design_id
       where d.slug = 'hidden-press' and j.kind = 'ingest-version'`,
    );
    jobId = rows[0].id;
    await t.deps.db.raw(`update designs set hidden = true where slug = 'hidden-press'`);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers 404 for its job to anyone but its owner and admins', async () => {
    const url = `/api/jobs/${jobId}`;
    expect((await t.app.inject({ url })).statusCode).toBe(404);
    expect((await t.app.inject({ url, headers: (await registerUser(t.app)).auth })).statusCode).toBe(404);
    for (const who of [ana, admin]) {
      const r = await t.app.inject({ url, headers: who.auth });
      expect(r.statusCode).toBe(200);
      expect(r.json().kind).toBe('ingest-version');
    }
  });

  it('sends its events to its owner and admins only; a visible design’s to everyone', async () => {
    const anonymous = listen(port);
    const owner = listen(port, ana.auth);
    const closers = [await anonymous.ready, await owner.ready];
    for (const slug of ['hidden-press', 'open-press']) {
      t.deps.events.publish({ type: 'file', design: `${ana.handle}/${slug}`, version: '1.0.0', path: 'part.stl' });
    }
    await expect.poll(() => owner.received.join('').match(/event: file/g)?.length ?? 0).toBe(2);
    await expect.poll(() => anonymous.received.join('')).toContain('open-press');
    expect(anonymous.received.join('')).not.toContain('hidden-press');
    expect(owner.received.join('').indexOf('hidden-press')).toBeLessThan(owner.received.join('').indexOf('open-press'));
    for (const close of closers) close();
  });
  it('lets a browser’s EventSource see as its owner through a short-lived ticket; nobody else’s ticket sees more', async () => {
    const ticketOf = async (headers: Record<string, string>) => {
      const r = await t.app.inject({ method: 'POST', url: '/api/events/tickets', headers });
      expect(r.statusCode, r.body).toBe(201);
      expect(Date.parse(r.json().expiresAt)).toBeLessThanOrEqual(Date.now() + 61_000);
      return r.json().ticket as string;
    };
    expect((await t.app.inject({ method: 'POST', url: '/api/events/tickets' })).statusCode).toBe(401);
    const stranger = await registerUser(t.app);
    // a session of the owner's own (signing out ends it) and an API token of the admin's
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: ana.handle, password: ana.password },
    });
    const anaSession = { authorization: `Bearer ${login.json().token}` };
    const adminToken = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin.auth,
      payload: { name: 'events', scope: 'read' },
    });
    expect(adminToken.statusCode, adminToken.body).toBe(201);
    const tickets = {
      owner: await ticketOf(anaSession),
      admin: await ticketOf({ authorization: `Bearer ${adminToken.json().token}` }),
      stranger: await ticketOf(stranger.auth),
    };
    const streams = Object.fromEntries(
      Object.entries(tickets).map(([who, ticket]) => [who, listen(port, {}, `/api/events?ticket=${ticket}`)]),
    );
    const closers = await Promise.all(Object.values(streams).map((s) => s.ready));
    for (const slug of ['hidden-press', 'open-press']) {
      t.deps.events.publish({ type: 'file', design: `${ana.handle}/${slug}`, version: '1.0.0', path: 'part.stl' });
    }
    for (const who of ['owner', 'admin'])
      await expect.poll(() => streams[who].received.join('').match(/event: file/g)?.length ?? 0).toBe(2);
    await expect.poll(() => streams.stranger.received.join('')).toContain('open-press');
    expect(streams.stranger.received.join('')).not.toContain('hidden-press');
    for (const close of closers) close();

    // a ticket opens the event stream and nothing else
    const job = await t.app.inject({ url: `/api/jobs/${jobId}?ticket=${tickets.owner}` });
    expect(job.statusCode).toBe(404);
    // a forged or altered ticket, and one whose session has ended, are refused with 401
    const altered = tickets.owner.replace(/\.(\d+)\./, (_, n) => `.${Number(n) + 1}.`);
    for (const bad of [altered, 'evt_nonsense', tickets.owner.slice(0, -2) + 'AA']) {
      const r = await t.app.inject({ url: `/api/events?ticket=${encodeURIComponent(bad)}` });
      expect(r.statusCode, bad).toBe(401);
    }
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: anaSession });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/events?ticket=${tickets.owner}` })).statusCode).toBe(401);
  });

  it('keeps a hidden design’s visual-diff job its own; the same pair in a visible design gets a job of its own', async () => {
    for (const slug of ['hidden-frame', 'open-frame']) {
      await createDesign(t.app, ana, slug);
      for (const [version, size] of [
        ['1.0.0', 10],
        ['1.1.0', 20],
      ] as const) {
        const r = await publish(t.app, ana, ana.handle, slug, { version }, [
          { path: 'frame.stl', bytes: cubeStl(size) },
        ]);
        expect(r.statusCode, r.body).toBe(201);
      }
    }
    await t.deps.db.raw(`update designs set hidden = true where slug = 'hidden-frame'`);
    const diff = (slug: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        url: `/api/designs/${ana.handle}/${slug}/compare/visual?from=1.0.0&to=1.1.0&path=frame.stl`,
        headers,
      });
    const hidden = await diff('hidden-frame', ana.auth);
    expect(hidden.statusCode, hidden.body).toBe(202);
    const hiddenJob = hidden.json().job as string;
    expect((await t.app.inject({ url: hiddenJob })).statusCode).toBe(404);
    expect((await t.app.inject({ url: hiddenJob, headers: (await registerUser(t.app)).auth })).statusCode).toBe(404);
    for (const who of [ana, admin])
      expect((await t.app.inject({ url: hiddenJob, headers: who.auth })).statusCode).toBe(200);
    // the visible design never hands out the hidden design's job; its own (if the PNG is not drawn yet) is public
    const open = await diff('open-frame');
    expect([200, 202]).toContain(open.statusCode);
    if (open.statusCode === 202) {
      expect(open.json().job).not.toBe(hiddenJob);
      expect((await t.app.inject({ url: open.json().job })).statusCode).toBe(200);
    }
  }, 60_000);
});
