// Notifications on both databases, each made by doing the real thing through the API: a build report (to the design's
// leads and watchers and the workshop's watchers), its review (to its author), a fork, a proposal, a new version (to
// watchers); never to the actor; read and unread; nobody reads or marks anyone else's; the events stream hears of it
// once committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

interface Item {
  id: string;
  kind: string;
  subject: { type: string; design?: string; version?: string; url: string; title?: string };
  actor: { handle: string } | null;
  read: boolean;
  createdAt: string;
}

describe.each(databaseKinds)('notifications on %s', (kind) => {
  let t: TestApp;
  let lead: TestUser;
  let maint: TestUser;
  let maker: TestUser;
  let watcher: TestUser;
  let fan: TestUser;
  let outsider: TestUser;

  const inbox = async (user: TestUser, query = '') => {
    const r = await t.app.inject({ url: `/api/notifications${query}`, headers: user.auth });
    expect(r.statusCode).toBe(200);
    return r.json() as { items: Item[]; unread: number; nextCursor: string | null };
  };
  const kindsOf = async (user: TestUser) => (await inbox(user)).items.map((i) => i.kind);
  const put = (user: TestUser, url: string) => t.app.inject({ method: 'PUT', url, headers: user.auth });

  async function fileReport(user: TestUser, slug: string) {
    const fd = new FormData();
    fd.append('report', JSON.stringify({ workshop: 'taller-gijon', outcome: 'success', hours: 3 }));
    const { payload, headers } = await formPayload(fd);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/designs/${lead.handle}/${slug}/versions/1.0.0/builds`,
      headers: { ...headers, ...user.auth },
      payload,
    });
    expect(r.statusCode).toBe(201);
    return r.json().id as string;
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    [lead, maint, maker, watcher, fan, outsider] = [
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
    ];
    await createDesign(t.app, lead, 'press', { title: 'Brick press' });
    const p = await publish(t.app, lead, lead.handle, 'press', { version: '1.0.0' }, [
      { path: 'README.md', bytes: '# Press' },
    ]);
    expect(p.statusCode).toBe(201);
    const m = await t.app.inject({
      method: 'POST',
      url: `/api/designs/${lead.handle}/press/maintainers`,
      headers: lead.auth,
      payload: { handle: maint.handle },
    });
    expect(m.statusCode).toBe(201);
    const w = await t.app.inject({
      method: 'POST',
      url: '/api/workshops',
      headers: maker.auth,
      payload: { slug: 'taller-gijon', name: 'Taller Gijón', place: { city: 'Gijón', country: 'ES' }, processes: [] },
    });
    expect(w.statusCode).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('watches a design and a workshop, and says so on their documents', async () => {
    const design = `/api/designs/${lead.handle}/press`;
    expect((await t.app.inject({ url: design, headers: watcher.auth })).json().watching).toBe(false);
    expect((await put(watcher, `${design}/watch`)).statusCode).toBe(204);
    expect((await put(watcher, `${design}/watch`)).statusCode).toBe(204);
    expect((await t.app.inject({ url: design, headers: watcher.auth })).json().watching).toBe(true);
    expect((await t.app.inject({ url: design, headers: outsider.auth })).json().watching).toBe(false);
    expect((await put(fan, '/api/workshops/taller-gijon/watch')).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/workshops/taller-gijon', headers: fan.auth })).json().watching).toBe(true);
    expect((await t.app.inject({ url: '/api/workshops/taller-gijon' })).json()).not.toHaveProperty('watching');
    // a design and a workshop that do not exist
    expect((await put(watcher, `/api/designs/${lead.handle}/nothing/watch`)).statusCode).toBe(404);
    expect((await put(watcher, '/api/workshops/nowhere/watch')).statusCode).toBe(404);
  });

  it('tells leads and watchers of a build report, and its author of the review; never the actor', async () => {
    const told: string[][] = [];
    const stop = t.deps.events.onNotified((ids) => told.push([...ids]));
    const id = await fileReport(maker, 'press');
    stop();
    for (const user of [lead, maint, watcher, fan]) {
      const [first] = (await inbox(user)).items;
      expect(first).toMatchObject({
        kind: 'build-report',
        read: false,
        actor: { handle: maker.handle },
        subject: {
          type: 'build-report',
          design: `${lead.handle}/press`,
          version: '1.0.0',
          title: 'Brick press',
          url: `/${lead.handle}/press/1.0.0#field-data`,
        },
      });
    }
    expect(await kindsOf(maker)).toEqual([]);
    expect(await kindsOf(outsider)).toEqual([]);
    // announced once, after the commit: the ids of who was told, and the rows already there to read
    expect(told.flat().sort()).toEqual(
      (await Promise.all([lead, maint, watcher, fan].map(async (u) => (await me(u)).id))).sort(),
    );

    const review = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${id}/reviews`,
      headers: maint.auth,
      payload: { decision: 'approve', comment: 'Looks right' },
    });
    expect(review.statusCode).toBe(201);
    const [reviewed] = (await inbox(maker)).items;
    expect(reviewed).toMatchObject({ kind: 'review', actor: { handle: maint.handle }, subject: { type: 'review' } });
    expect((await kindsOf(maint)).filter((k) => k === 'review')).toEqual([]);
  });

  const me = async (u: TestUser) =>
    (await t.deps.db.raw('select id from users where handle = $1', [u.handle])).rows[0] as { id: string };

  it('tells the leads of a fork and of a proposal, and watchers of a new version', async () => {
    const fork = await t.app.inject({
      method: 'POST',
      url: `/api/designs/${lead.handle}/press/forks`,
      headers: maker.auth,
      payload: { version: '1.0.0', slug: 'press-tweaked', title: 'Tweaked press' },
    });
    expect(fork.statusCode).toBe(201);
    for (const user of [lead, maint]) {
      const [first] = (await inbox(user)).items;
      expect(first).toMatchObject({
        kind: 'fork',
        actor: { handle: maker.handle },
        subject: { design: `${lead.handle}/press`, title: 'Tweaked press', url: `/${maker.handle}/press-tweaked` },
      });
    }
    expect(await kindsOf(watcher)).not.toContain('fork');

    const proposal = await t.app.inject({
      method: 'POST',
      url: `/api/designs/${lead.handle}/press/proposals`,
      headers: maker.auth,
      payload: { from: `${maker.handle}/press-tweaked@1.0.0`, message: 'Thicker plate' },
    });
    expect(proposal.statusCode).toBe(201);
    const [proposed] = (await inbox(lead)).items;
    expect(proposed).toMatchObject({ kind: 'proposal', subject: { url: `/${lead.handle}/press#proposals` } });

    const v = await publish(t.app, maint, lead.handle, 'press', { version: '1.1.0' }, [
      { path: 'README.md', bytes: '# Press 1.1' },
    ]);
    expect(v.statusCode).toBe(201);
    const [version] = (await inbox(watcher)).items;
    expect(version).toMatchObject({
      kind: 'version',
      actor: { handle: maint.handle },
      subject: { version: '1.1.0', url: `/${lead.handle}/press/1.1.0` },
    });
    // the publisher is not told of their own version; the owner watches nothing, so hears nothing of it
    expect(await kindsOf(maint)).not.toContain('version');
    expect(await kindsOf(lead)).not.toContain('version');
  });

  it('tells a workshop watcher of its new build reports', async () => {
    await createDesign(t.app, lead, 'kiln');
    await publish(t.app, lead, lead.handle, 'kiln', { version: '1.0.0' }, [{ path: 'README.md', bytes: '# Kiln' }]);
    await fileReport(maker, 'kiln');
    const [first] = (await inbox(fan)).items;
    expect(first).toMatchObject({ kind: 'build-report', subject: { design: `${lead.handle}/kiln` } });
    expect((await inbox(watcher)).items[0].subject.design).not.toBe(`${lead.handle}/kiln`);
  });

  it('marks read by id or all, counts unread, pages with a cursor', async () => {
    const before = await inbox(lead);
    expect(before.unread).toBe(before.items.length);
    expect(before.unread).toBeGreaterThanOrEqual(4);
    const others = await inbox(maker);
    // someone else's ids are ignored: their notifications stay unread
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      headers: lead.auth,
      payload: { ids: [before.items[0].id, others.items[0].id] },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ unread: before.unread - 1 });
    expect((await inbox(maker)).unread).toBe(others.unread);
    const after = await inbox(lead);
    expect(after.items[0].read).toBe(true);
    expect((await inbox(lead, '?unread=true')).items.map((i) => i.id)).not.toContain(before.items[0].id);

    const page1 = await inbox(lead, '?limit=2');
    expect(page1.items).toHaveLength(2);
    const page2 = await inbox(lead, `?limit=2&cursor=${page1.nextCursor}`);
    expect([...page1.items, ...page2.items].map((i) => i.id)).toEqual(after.items.slice(0, 4).map((i) => i.id));
    expect((await t.app.inject({ url: '/api/notifications?cursor=nonsense', headers: lead.auth })).statusCode).toBe(
      400,
    );

    const all = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      headers: lead.auth,
      payload: { all: true },
    });
    expect(all.json()).toEqual({ unread: 0 });
    expect((await inbox(lead)).items.every((i) => i.read)).toBe(true);
    expect((await inbox(maker)).unread).toBe(others.unread);
  });

  it('is nobody else’s to read', async () => {
    const anonymous = await t.app.inject({ url: '/api/notifications' });
    expect(anonymous.statusCode).toBe(401);
    expect(isProblem(anonymous)).toBe(true);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/notifications/read', payload: { all: true } })).statusCode,
    ).toBe(401);
    expect(await inbox(outsider)).toEqual({ items: [], unread: 0, nextCursor: null });
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/notifications/read', headers: lead.auth, payload: {} }))
        .statusCode,
    ).toBe(400);
  });
});
